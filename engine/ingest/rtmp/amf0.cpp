#include "ingest/rtmp/amf0.h"

#include "ingest/rtmp/rtmpwire.h"

#include <cstring>

namespace roomscribe::rtmp {

namespace {

using wire::appendU16;
using wire::appendU32;
using wire::appendU8;

enum Marker : uint8_t {
    NumberMarker = 0x00,
    BooleanMarker = 0x01,
    StringMarker = 0x02,
    ObjectMarker = 0x03,
    MovieClipMarker = 0x04,
    NullMarker = 0x05,
    UndefinedMarker = 0x06,
    ReferenceMarker = 0x07,
    EcmaArrayMarker = 0x08,
    ObjectEndMarker = 0x09,
    StrictArrayMarker = 0x0a,
    DateMarker = 0x0b,
    LongStringMarker = 0x0c,
    UnsupportedMarker = 0x0d,
    RecordSetMarker = 0x0e,
    XmlDocumentMarker = 0x0f,
    TypedObjectMarker = 0x10,
    AvmPlusMarker = 0x11,
};

void putDouble(QByteArray &out, double value)
{
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    appendU32(out, uint32_t(bits >> 32));
    appendU32(out, uint32_t(bits));
}

// Object keys carry a 16-bit length; a longer key is cut at a character
// boundary rather than producing an undecodable payload.
void putKey(QByteArray &out, const QString &key)
{
    QByteArray utf8 = key.toUtf8();
    if (utf8.size() > 0xffff) {
        qsizetype cut = 0xffff;
        while (cut > 0 && (uint8_t(utf8[cut]) & 0xc0) == 0x80)
            --cut;
        utf8.truncate(cut);
    }
    appendU16(out, uint16_t(utf8.size()));
    out.append(utf8);
}

void putProperties(QByteArray &out, const std::vector<Amf0Value::Property> &properties)
{
    for (const auto &[key, value] : properties) {
        putKey(out, key);
        encodeAmf0(out, value);
    }
    appendU16(out, 0);
    appendU8(out, ObjectEndMarker);
}

class Amf0Decoder
{
public:
    Amf0Decoder(const char *data, size_t size, const Amf0DecodeLimits &limits)
        : m_data(reinterpret_cast<const uint8_t *>(data)), m_size(size), m_limits(limits)
    {
    }

    bool decodeAll(std::vector<Amf0Value> &values)
    {
        while (m_pos < m_size) {
            Amf0Value value;
            if (!decodeValue(value, 1))
                return false;
            values.push_back(std::move(value));
        }
        return true;
    }

    QString error() const { return m_error; }

private:
    bool fail(const QString &what, size_t offset)
    {
        m_error = QStringLiteral("AMF0: %1 at offset %2").arg(what).arg(offset);
        return false;
    }

    bool failTooMany(size_t offset)
    {
        return fail(QStringLiteral("more than %1 values").arg(m_limits.maxElements), offset);
    }

    bool has(size_t count) const { return m_size - m_pos >= count; }

    uint8_t u8() { return m_data[m_pos++]; }

    uint16_t u16()
    {
        m_pos += 2;
        return wire::readU16(m_data + m_pos - 2);
    }

    uint32_t u32()
    {
        m_pos += 4;
        return wire::readU32(m_data + m_pos - 4);
    }

    double float64()
    {
        const uint64_t high = u32();
        const uint64_t bits = high << 32 | u32();
        double value;
        std::memcpy(&value, &bits, sizeof value);
        return value;
    }

    QString utf8(size_t length)
    {
        const QString text =
            QString::fromUtf8(reinterpret_cast<const char *>(m_data + m_pos), qsizetype(length));
        m_pos += length;
        return text;
    }

    // A string body after its length field of lengthBytes (2 or 4) bytes.
    bool readString(size_t lengthBytes, QString &out, const char *what, size_t start)
    {
        if (!has(lengthBytes))
            return fail(QStringLiteral("truncated %1").arg(QLatin1String(what)), start);
        const size_t length = lengthBytes == 2 ? u16() : u32();
        if (!has(length))
            return fail(QStringLiteral("truncated %1").arg(QLatin1String(what)), start);
        out = utf8(length);
        return true;
    }

    // Properties up to and including the empty-key object-end marker. An empty
    // key followed by another marker is a property named "" (as FFmpeg reads it).
    bool readProperties(std::vector<Amf0Value::Property> &properties, int depth, size_t start)
    {
        for (;;) {
            QString key;
            if (!readString(2, key, "object", start))
                return false;
            if (!has(1))
                return fail(QStringLiteral("truncated object"), start);
            if (key.isEmpty() && m_data[m_pos] == ObjectEndMarker) {
                ++m_pos;
                return true;
            }
            Amf0Value value;
            if (!decodeValue(value, depth))
                return false;
            properties.emplace_back(std::move(key), std::move(value));
        }
    }

    bool decodeValue(Amf0Value &out, int depth)
    {
        const size_t start = m_pos;
        if (++m_count > m_limits.maxElements)
            return failTooMany(start);
        if (!has(1))
            return fail(QStringLiteral("truncated value"), start);
        const uint8_t marker = u8();
        const bool container = marker == ObjectMarker || marker == EcmaArrayMarker ||
                               marker == TypedObjectMarker || marker == StrictArrayMarker;
        if (container && depth > m_limits.maxDepth)
            return fail(QStringLiteral("nesting deeper than %1").arg(m_limits.maxDepth), start);
        switch (marker) {
        case NumberMarker:
            if (!has(8))
                return fail(QStringLiteral("truncated number"), start);
            out = Amf0Value::number(float64());
            return true;
        case BooleanMarker:
            if (!has(1))
                return fail(QStringLiteral("truncated boolean"), start);
            out = Amf0Value::boolean(u8() != 0);
            return true;
        case StringMarker:
        case LongStringMarker:
        case XmlDocumentMarker: {
            QString text;
            if (!readString(marker == StringMarker ? 2 : 4, text, "string", start))
                return false;
            out = Amf0Value::string(text);
            return true;
        }
        case NullMarker:
            out = Amf0Value::null();
            return true;
        case UndefinedMarker:
        case UnsupportedMarker:
            out = Amf0Value::undefined();
            return true;
        case ObjectMarker:
        case EcmaArrayMarker:
        case TypedObjectMarker: {
            if (marker == EcmaArrayMarker) {
                // The count is only a hint; the end marker is authoritative.
                if (!has(4))
                    return fail(QStringLiteral("truncated ECMA array"), start);
                m_pos += 4;
            } else if (marker == TypedObjectMarker) {
                QString className;
                if (!readString(2, className, "typed object", start))
                    return false;
            }
            std::vector<Amf0Value::Property> properties;
            if (!readProperties(properties, depth + 1, start))
                return false;
            out = marker == EcmaArrayMarker ? Amf0Value::ecmaArray(std::move(properties))
                                            : Amf0Value::object(std::move(properties));
            return true;
        }
        case StrictArrayMarker: {
            if (!has(4))
                return fail(QStringLiteral("truncated strict array"), start);
            const uint32_t count = u32();
            // Every element takes at least one byte and counts against the
            // element limit: reject impossible counts before reserving.
            if (!has(count))
                return fail(QStringLiteral("truncated strict array"), start);
            if (count > m_limits.maxElements - m_count)
                return failTooMany(start);
            std::vector<Amf0Value> elements;
            elements.reserve(count);
            for (uint32_t i = 0; i < count; ++i) {
                Amf0Value element;
                if (!decodeValue(element, depth + 1))
                    return false;
                elements.push_back(std::move(element));
            }
            out = Amf0Value::strictArray(std::move(elements));
            return true;
        }
        case DateMarker: {
            if (!has(10))
                return fail(QStringLiteral("truncated date"), start);
            const double ms = float64();
            out = Amf0Value::date(ms, int16_t(u16()));
            return true;
        }
        case ObjectEndMarker:
            return fail(QStringLiteral("unexpected object end"), start);
        case ReferenceMarker:
            return fail(QStringLiteral("references are not supported"), start);
        case MovieClipMarker:
        case RecordSetMarker:
            return fail(QStringLiteral("unsupported marker %1").arg(marker), start);
        case AvmPlusMarker:
            return fail(QStringLiteral("AMF3 values are not supported"), start);
        default:
            return fail(QStringLiteral("unknown marker %1").arg(marker), start);
        }
    }

    const uint8_t *m_data;
    size_t m_size;
    size_t m_pos = 0;
    size_t m_count = 0;
    Amf0DecodeLimits m_limits;
    QString m_error;
};

} // namespace

Amf0Value Amf0Value::number(double value)
{
    Amf0Value v;
    v.m_type = Type::Number;
    v.m_number = value;
    return v;
}

Amf0Value Amf0Value::boolean(bool value)
{
    Amf0Value v;
    v.m_type = Type::Boolean;
    v.m_number = value ? 1 : 0;
    return v;
}

Amf0Value Amf0Value::string(const QString &value)
{
    Amf0Value v;
    v.m_type = Type::String;
    v.m_string = value;
    return v;
}

Amf0Value Amf0Value::null()
{
    Amf0Value v;
    v.m_type = Type::Null;
    return v;
}

Amf0Value Amf0Value::undefined()
{
    Amf0Value v;
    v.m_type = Type::Undefined;
    return v;
}

Amf0Value Amf0Value::object(std::vector<Property> properties)
{
    Amf0Value v;
    v.m_type = Type::Object;
    v.m_properties = std::move(properties);
    return v;
}

Amf0Value Amf0Value::ecmaArray(std::vector<Property> properties)
{
    Amf0Value v;
    v.m_type = Type::EcmaArray;
    v.m_properties = std::move(properties);
    return v;
}

Amf0Value Amf0Value::strictArray(std::vector<Amf0Value> elements)
{
    Amf0Value v;
    v.m_type = Type::StrictArray;
    v.m_elements = std::move(elements);
    return v;
}

Amf0Value Amf0Value::date(double msSinceEpoch, int16_t timezone)
{
    Amf0Value v;
    v.m_type = Type::Date;
    v.m_number = msSinceEpoch;
    v.m_timezone = timezone;
    return v;
}

double Amf0Value::toNumber(double fallback) const
{
    return m_type == Type::Number || m_type == Type::Date ? m_number : fallback;
}

bool Amf0Value::toBoolean() const
{
    return (m_type == Type::Boolean || m_type == Type::Number) && m_number != 0;
}

QString Amf0Value::toString() const
{
    return m_type == Type::String ? m_string : QString();
}

const Amf0Value &Amf0Value::property(const QString &name) const
{
    static const Amf0Value absent;
    for (const auto &[key, value] : m_properties) {
        if (key == name)
            return value;
    }
    return absent;
}

void Amf0Value::setProperty(const QString &name, Amf0Value value)
{
    for (auto &[key, existing] : m_properties) {
        if (key == name) {
            existing = std::move(value);
            return;
        }
    }
    m_properties.emplace_back(name, std::move(value));
}

bool decodeAmf0(const char *data, size_t size, std::vector<Amf0Value> &values, QString *error,
                const Amf0DecodeLimits &limits)
{
    Amf0Decoder decoder(data, size, limits);
    if (decoder.decodeAll(values))
        return true;
    if (error)
        *error = decoder.error();
    return false;
}

void encodeAmf0(QByteArray &out, const Amf0Value &value)
{
    switch (value.type()) {
    case Amf0Value::Type::Number:
        appendU8(out, NumberMarker);
        putDouble(out, value.toNumber());
        return;
    case Amf0Value::Type::Boolean:
        appendU8(out, BooleanMarker);
        appendU8(out, value.toBoolean() ? 1 : 0);
        return;
    case Amf0Value::Type::String: {
        const QByteArray utf8 = value.toString().toUtf8();
        if (utf8.size() <= 0xffff) {
            appendU8(out, StringMarker);
            appendU16(out, uint16_t(utf8.size()));
        } else {
            appendU8(out, LongStringMarker);
            appendU32(out, uint32_t(utf8.size()));
        }
        out.append(utf8);
        return;
    }
    case Amf0Value::Type::Object:
        appendU8(out, ObjectMarker);
        putProperties(out, value.properties());
        return;
    case Amf0Value::Type::Null:
        appendU8(out, NullMarker);
        return;
    case Amf0Value::Type::EcmaArray:
        appendU8(out, EcmaArrayMarker);
        appendU32(out, uint32_t(value.properties().size()));
        putProperties(out, value.properties());
        return;
    case Amf0Value::Type::StrictArray:
        appendU8(out, StrictArrayMarker);
        appendU32(out, uint32_t(value.elements().size()));
        for (const Amf0Value &element : value.elements())
            encodeAmf0(out, element);
        return;
    case Amf0Value::Type::Date:
        appendU8(out, DateMarker);
        putDouble(out, value.toNumber());
        appendU16(out, uint16_t(value.m_timezone));
        return;
    case Amf0Value::Type::Undefined:
    case Amf0Value::Type::Invalid:
        // An invalid value has no wire form; undefined is its nearest meaning.
        appendU8(out, UndefinedMarker);
        return;
    }
}

QByteArray encodeAmf0(const std::vector<Amf0Value> &values)
{
    QByteArray out;
    for (const Amf0Value &value : values)
        encodeAmf0(out, value);
    return out;
}

} // namespace roomscribe::rtmp
