#pragma once

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <vector>

// Protobuf messages printed the two ways LiveKit prints them
// (shared/PROTOCOLS.md, "LiveKit server API" and "Webhooks"): Twirp answers
// use the proto field names with every field present (unset messages as
// null), webhooks use lowerCamelCase and leave default values out. Both print
// int64 as strings and enums by name; a set oneof member is always printed.
namespace roomscribe::test {

enum class ProtoStyle {
    Invalid,
    TwirpResponse, // snake_case, every field
    Webhook,       // lowerCamelCase, defaults omitted
};

class ProtoMessage
{
public:
    // Scalars: the value; `name` is the proto (snake_case) field name.
    ProtoMessage &string(const char *name, const QString &value);
    ProtoMessage &boolean(const char *name, bool value);
    ProtoMessage &int32(const char *name, qint64 value); // int32 and uint32
    ProtoMessage &int64(const char *name, qint64 value);
    ProtoMessage &real(const char *name, double value);
    // `values` are the enum's names in number order; out of range prints the number.
    ProtoMessage &enumeration(const char *name, int number, const QStringList &values);
    // `valueName` is the number's name; empty prints the number.
    ProtoMessage &enumeration(const char *name, int number, const QString &valueName);
    ProtoMessage &message(const char *name, const ProtoMessage &value);
    ProtoMessage &unsetMessage(const char *name);
    ProtoMessage &messages(const char *name, const QList<ProtoMessage> &values);
    ProtoMessage &strings(const char *name, const QStringList &values);
    ProtoMessage &stringMap(const char *name, const QMap<QString, QString> &values);
    // Oneof members: printed only when set, even when their value is a default.
    ProtoMessage &oneofString(const char *name, const QString &value);
    ProtoMessage &oneofMessage(const char *name, const ProtoMessage &value);

    QJsonObject toJson(ProtoStyle style) const;

private:
    enum class Kind { Invalid, Scalar, Message, UnsetMessage, Messages };
    struct Field
    {
        QString name;
        Kind kind = Kind::Invalid;
        QJsonValue scalar; // Scalar: its JSON; arrays and maps too
        bool isDefault = false;
        bool oneof = false;
        std::vector<ProtoMessage> children; // Message: one; Messages: all
    };

    ProtoMessage &add(const char *name, const QJsonValue &value, bool isDefault);

    std::vector<Field> m_fields;
};

// "stream_outputs" -> "streamOutputs", as protoc derives json_name.
QString lowerCamelCase(const QString &protoName);

} // namespace roomscribe::test
