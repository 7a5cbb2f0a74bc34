#pragma once

#include "fakehttp.h"

#include <QJsonValue>
#include <QStringList>

class QTcpSocket;

// Gladia's side of the emulator's HTTP exchanges; requests are parsed by the
// fakes' shared tests/fakes/common/fakehttp.h.
namespace roomscribe::test {

// An object or array as JSON; anything else as an empty body. Always with
// Gladia's Content-Type, charset included.
void writeHttpResponse(QTcpSocket *socket, int status, const QJsonValue &body);

// Gladia's error body: {timestamp, path, request_id, statusCode, message,
// validation_errors?}.
QJsonValue gladiaErrorBody(int status, const QString &path, const QString &message,
                           const QStringList &validationErrors = {});

} // namespace roomscribe::test
