#include "httpexchange.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>

namespace roomscribe::test {

void writeHttpResponse(QTcpSocket *socket, int status, const QJsonValue &body)
{
    http::respondJson(socket, status, body, "application/json; charset=utf-8");
}

QJsonValue gladiaErrorBody(int status, const QString &path, const QString &message,
                           const QStringList &validationErrors)
{
    QJsonObject body{
        {"timestamp", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {"path", path},
        {"request_id",
         QStringLiteral("G-%1").arg(QRandomGenerator::global()->generate(), 8, 16, QChar('0'))},
        {"statusCode", status},
        {"message", message},
    };
    if (!validationErrors.isEmpty())
        body.insert("validation_errors", QJsonArray::fromStringList(validationErrors));
    return body;
}

} // namespace roomscribe::test
