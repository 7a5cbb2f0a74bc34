#include "protojson.h"

#include <QJsonArray>

namespace roomscribe::test {

QString lowerCamelCase(const QString &protoName)
{
    QString camel;
    bool upper = false;
    for (const QChar c : protoName) {
        if (c == QLatin1Char('_')) {
            upper = true;
            continue;
        }
        camel += upper ? c.toUpper() : c;
        upper = false;
    }
    return camel;
}

ProtoMessage &ProtoMessage::add(const char *name, const QJsonValue &value, bool isDefault)
{
    Field field;
    field.name = QLatin1String(name);
    field.kind = Kind::Scalar;
    field.scalar = value;
    field.isDefault = isDefault;
    m_fields.push_back(std::move(field));
    return *this;
}

ProtoMessage &ProtoMessage::string(const char *name, const QString &value)
{
    return add(name, value, value.isEmpty());
}

ProtoMessage &ProtoMessage::boolean(const char *name, bool value)
{
    return add(name, value, !value);
}

ProtoMessage &ProtoMessage::int32(const char *name, qint64 value)
{
    return add(name, value, value == 0);
}

ProtoMessage &ProtoMessage::int64(const char *name, qint64 value)
{
    // Strings, so that JavaScript clients do not lose precision.
    return add(name, QString::number(value), value == 0);
}

ProtoMessage &ProtoMessage::real(const char *name, double value)
{
    return add(name, value, value == 0);
}

ProtoMessage &ProtoMessage::enumeration(const char *name, int number, const QStringList &values)
{
    return enumeration(name, number, values.value(number));
}

ProtoMessage &ProtoMessage::enumeration(const char *name, int number, const QString &valueName)
{
    return add(name, valueName.isEmpty() ? QJsonValue(number) : QJsonValue(valueName), number == 0);
}

ProtoMessage &ProtoMessage::message(const char *name, const ProtoMessage &value)
{
    Field field;
    field.name = QLatin1String(name);
    field.kind = Kind::Message;
    field.children.push_back(value);
    m_fields.push_back(std::move(field));
    return *this;
}

ProtoMessage &ProtoMessage::unsetMessage(const char *name)
{
    Field field;
    field.name = QLatin1String(name);
    field.kind = Kind::UnsetMessage;
    field.isDefault = true;
    m_fields.push_back(std::move(field));
    return *this;
}

ProtoMessage &ProtoMessage::messages(const char *name, const QList<ProtoMessage> &values)
{
    Field field;
    field.name = QLatin1String(name);
    field.kind = Kind::Messages;
    field.children.assign(values.begin(), values.end());
    field.isDefault = values.isEmpty();
    m_fields.push_back(std::move(field));
    return *this;
}

ProtoMessage &ProtoMessage::strings(const char *name, const QStringList &values)
{
    return add(name, QJsonArray::fromStringList(values), values.isEmpty());
}

ProtoMessage &ProtoMessage::stringMap(const char *name, const QMap<QString, QString> &values)
{
    QJsonObject object;
    for (auto it = values.begin(); it != values.end(); ++it)
        object.insert(it.key(), it.value());
    return add(name, object, values.isEmpty());
}

ProtoMessage &ProtoMessage::oneofString(const char *name, const QString &value)
{
    add(name, value, false);
    m_fields.back().oneof = true;
    return *this;
}

ProtoMessage &ProtoMessage::oneofMessage(const char *name, const ProtoMessage &value)
{
    message(name, value);
    m_fields.back().oneof = true;
    return *this;
}

QJsonObject ProtoMessage::toJson(ProtoStyle style) const
{
    const bool webhook = style == ProtoStyle::Webhook;
    QJsonObject object;
    for (const Field &field : m_fields) {
        if (webhook && field.isDefault && !field.oneof)
            continue;
        const QString key = webhook ? lowerCamelCase(field.name) : field.name;
        switch (field.kind) {
        case Kind::Scalar:
            object.insert(key, field.scalar);
            break;
        case Kind::Message:
            object.insert(key, field.children.front().toJson(style));
            break;
        case Kind::UnsetMessage:
            object.insert(key, QJsonValue::Null);
            break;
        case Kind::Messages: {
            QJsonArray array;
            for (const ProtoMessage &child : field.children)
                array.append(child.toJson(style));
            object.insert(key, array);
            break;
        }
        case Kind::Invalid:
            break;
        }
    }
    return object;
}

} // namespace roomscribe::test
