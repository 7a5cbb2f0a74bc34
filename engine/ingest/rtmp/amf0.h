#pragma once

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace roomscribe::rtmp {

// One AMF0 value (RTMP commands and @setDataFrame payloads). Objects and ECMA
// arrays keep their properties in wire order.
class Amf0Value
{
public:
    enum class Type {
        Invalid = 0,
        Number,
        Boolean,
        String, // short and long strings alike
        Object,
        Null,
        Undefined,
        EcmaArray,
        StrictArray,
        Date,
    };
    using Property = std::pair<QString, Amf0Value>;

    Amf0Value() = default;
    static Amf0Value number(double value);
    static Amf0Value boolean(bool value);
    static Amf0Value string(const QString &value);
    static Amf0Value null();
    static Amf0Value undefined();
    static Amf0Value object(std::vector<Property> properties = {});
    static Amf0Value ecmaArray(std::vector<Property> properties = {});
    static Amf0Value strictArray(std::vector<Amf0Value> elements = {});
    static Amf0Value date(double msSinceEpoch, int16_t timezone = 0);

    Type type() const { return m_type; }
    bool isValid() const { return m_type != Type::Invalid; }
    double toNumber(double fallback = 0) const;
    bool toBoolean() const;
    QString toString() const; // empty unless String
    const std::vector<Property> &properties() const { return m_properties; }
    const std::vector<Amf0Value> &elements() const { return m_elements; }
    // Property of an Object or ECMA array; an invalid value when absent.
    const Amf0Value &property(const QString &name) const;
    void setProperty(const QString &name, Amf0Value value);

private:
    // The timezone of a Date has no accessor; only the encoder needs it.
    friend void encodeAmf0(QByteArray &out, const Amf0Value &value);

    Type m_type = Type::Invalid;
    double m_number = 0;
    int16_t m_timezone = 0;
    QString m_string;
    std::vector<Property> m_properties;
    std::vector<Amf0Value> m_elements;
};

struct Amf0DecodeLimits
{
    int maxDepth = 16;
    size_t maxElements = 4096; // all values in one payload together
};

// Decodes every value in data[0, size). Returns false, with a reason in *error,
// on malformed or over-limit input; never reads outside the buffer.
bool decodeAmf0(const char *data, size_t size, std::vector<Amf0Value> &values, QString *error,
                const Amf0DecodeLimits &limits = {});

void encodeAmf0(QByteArray &out, const Amf0Value &value);
QByteArray encodeAmf0(const std::vector<Amf0Value> &values);

} // namespace roomscribe::rtmp
