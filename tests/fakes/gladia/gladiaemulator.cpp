#include "gladiaemulator.h"

#include "gladiasession.h"
#include "httpexchange.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrlQuery>
#include <QWebSocketServer>

#include <algorithm>
#include <type_traits>

Q_LOGGING_CATEGORY(lcEmulator, "roomscribe.test.gladia", QtInfoMsg)

namespace roomscribe::test {

namespace {

const QString kLivePath = QStringLiteral("/v2/live");

QString initErrorMessage(int status)
{
    switch (status) {
    case 401:
        return QStringLiteral("Invalid API key");
    case 429:
        return QStringLiteral("Too many concurrent live sessions for your plan");
    default:
        return status >= 500 ? QStringLiteral("Internal server error")
                             : QStringLiteral("Request refused");
    }
}

template <typename T> void readField(const QJsonObject &json, const char *key, T *field)
{
    if (!json.contains(key))
        return;
    if constexpr (std::is_same_v<T, bool>)
        *field = json.value(key).toBool();
    else
        *field = T(json.value(key).toDouble());
}

} // namespace

QList<ScriptedUtterance> parseScript(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isArray()) {
        *error = parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                              : QStringLiteral("not a JSON array");
        return {};
    }
    QList<ScriptedUtterance> script;
    for (const QJsonValue &value : document.array()) {
        const QJsonObject entry = value.toObject();
        ScriptedUtterance utterance;
        utterance.start_s = entry.value("start_s").toDouble(-1);
        utterance.end_s = entry.value("end_s").toDouble(-1);
        utterance.text = entry.value("text").toString();
        utterance.language = entry.value("language").toString(utterance.language);
        utterance.channel = entry.value("channel").toInt(utterance.channel);
        utterance.confidence = entry.value("confidence").toDouble(utterance.confidence);
        if (utterance.start_s < 0 || utterance.end_s < utterance.start_s ||
            utterance.text.trimmed().isEmpty()) {
            *error = QStringLiteral("utterance %1 needs 0 <= start_s <= end_s and a text")
                         .arg(script.size());
            return {};
        }
        script << utterance;
    }
    return script;
}

void GladiaFaults::merge(const QJsonObject &json)
{
    readField(json, "init_error", &initErrorStatus);
    readField(json, "init_error_count", &initErrorCount);
    readField(json, "close_after", &close.afterBytes);
    readField(json, "close_repeat", &close.repeat);
    readField(json, "close_code", &closeCode);
    readField(json, "drop_after", &drop.afterBytes);
    readField(json, "drop_repeat", &drop.repeat);
    readField(json, "stall_after", &stall.afterBytes);
    readField(json, "stall_repeat", &stall.repeat);
    readField(json, "stall_ms", &stall_ms);
    readField(json, "ack_delay_ms", &ackDelay_ms);
    readField(json, "max_session_ms", &maxSession_ms);
}

QJsonObject GladiaFaults::toJson() const
{
    return QJsonObject{{"init_error", initErrorStatus},   {"init_error_count", initErrorCount},
                       {"close_after", close.afterBytes}, {"close_repeat", close.repeat},
                       {"close_code", closeCode},         {"drop_after", drop.afterBytes},
                       {"drop_repeat", drop.repeat},      {"stall_after", stall.afterBytes},
                       {"stall_repeat", stall.repeat},    {"stall_ms", stall_ms},
                       {"ack_delay_ms", ackDelay_ms},     {"max_session_ms", maxSession_ms}};
}

AudioComparison compareAudio(const QByteArray &reference, const QByteArray &received)
{
    AudioComparison result;
    if (reference == received) {
        result.equal = true;
        return result;
    }
    const qsizetype common = qMin(reference.size(), received.size());
    const qsizetype at =
        std::mismatch(reference.cbegin(), reference.cbegin() + common, received.cbegin()).first -
        reference.cbegin();
    result.firstDifference = at;
    if (at == received.size()) {
        result.missingBytes = reference.size() - at;
        return result;
    }
    if (at == reference.size()) {
        result.duplicatedBytes = received.size() - at;
        return result;
    }
    // What follows the difference in one is looked up further on in the
    // other: found in the reference, bytes were skipped; found in the
    // received audio, bytes came twice.
    constexpr qsizetype kProbe = 64;
    const qsizetype skipped = reference.indexOf(received.mid(at, kProbe), at + 1);
    const qsizetype repeated = received.indexOf(reference.mid(at, kProbe), at + 1);
    if (skipped >= 0 && (repeated < 0 || skipped <= repeated))
        result.missingBytes = skipped - at;
    else if (repeated >= 0)
        result.duplicatedBytes = repeated - at;
    return result;
}

QJsonObject SessionReport::toJson() const
{
    QJsonArray closesJson;
    for (const CloseRecord &close : closes)
        closesJson.append(
            QJsonObject{{"code", close.code}, {"by", close.by}, {"reason", close.reason}});
    QJsonObject byType;
    for (auto it = messagesByType.cbegin(); it != messagesByType.cend(); ++it)
        byType.insert(it.key(), it.value());
    QJsonObject json{
        {"id", id},
        {"state", state},
        {"bytes_received", bytesReceived},
        {"overlap_bytes", overlapBytes},
        {"resend_mismatch_bytes", resendMismatchBytes},
        {"sha256", QString::fromLatin1(sha256)},
        {"connections", connections},
        {"reconnects", reconnects()},
        {"closes", closesJson},
        {"errors", QJsonArray::fromStringList(errors)},
        {"messages_sent", messagesSent},
        {"messages_by_type", byType},
        {"stop_received", stopReceived},
        {"matches_reference", hasReference ? QJsonValue(reference.equal) : QJsonValue()}};
    if (hasReference) {
        json.insert("reference_bytes", referenceBytes);
        json.insert("first_difference", reference.firstDifference);
        json.insert("missing_bytes", reference.missingBytes);
        json.insert("duplicated_bytes", reference.duplicatedBytes);
    }
    return json;
}

GladiaEmulator::GladiaEmulator(QObject *parent)
    : QObject(parent), m_server(new QTcpServer(this)),
      m_webSockets(new QWebSocketServer(QStringLiteral("gladia-emulator"),
                                        QWebSocketServer::NonSecureMode, this))
{
    connect(m_server, &QTcpServer::newConnection, this, &GladiaEmulator::onNewConnection);
    connect(m_webSockets, &QWebSocketServer::newConnection, this,
            &GladiaEmulator::onWebSocketConnected);
}

bool GladiaEmulator::setSessionFaults(const QString &sessionId, const GladiaFaults &faults)
{
    GladiaSession *session = m_byId.value(sessionId);
    if (!session)
        return false;
    session->setFaults(faults);
    return true;
}

bool GladiaEmulator::listen(QString *error, const QHostAddress &address, quint16 port)
{
    // Hundreds of clients may connect at once.
    m_server->setMaxPendingConnections(1024);
    if (!m_server->listen(address, port)) {
        *error = m_server->errorString();
        return false;
    }
    qCDebug(lcEmulator) << "listening on" << apiUrl();
    return true;
}

QUrl GladiaEmulator::apiUrl() const
{
    const QHostAddress address = m_server->serverAddress();
    const bool any = address == QHostAddress::Any || address == QHostAddress::AnyIPv4 ||
                     address == QHostAddress::AnyIPv6;
    QUrl url;
    url.setScheme("http");
    url.setHost(any ? QStringLiteral("127.0.0.1") : address.toString());
    url.setPort(m_server->serverPort());
    return url;
}

quint16 GladiaEmulator::port() const
{
    return m_server->serverPort();
}

QList<SessionReport> GladiaEmulator::sessions() const
{
    QList<SessionReport> reports;
    for (const GladiaSession *session : m_sessions)
        reports << session->report();
    return reports;
}

SessionReport GladiaEmulator::session(const QString &id) const
{
    const GladiaSession *session = m_byId.value(id);
    return session ? session->report() : SessionReport();
}

QByteArray GladiaEmulator::receivedAudio(const QString &sessionId) const
{
    const GladiaSession *session = m_byId.value(sessionId);
    return session ? session->audio() : QByteArray();
}

void GladiaEmulator::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [socket] { socket->deleteLater(); });
    }
}

void GladiaEmulator::onReadyRead(QTcpSocket *socket)
{
    // Peeked, not read: a WebSocket upgrade is handed on with its request
    // still unread for QWebSocketServer.
    const QByteArray data = socket->peek(socket->bytesAvailable());
    http::Request request;
    qsizetype headSize = 0;
    switch (http::parseHead(data, &request, &headSize)) {
    case http::Parse::Invalid:
        disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
        writeHttpResponse(socket, 400, gladiaErrorBody(400, QString(), "Malformed HTTP request"));
        return;
    case http::Parse::Incomplete:
        return;
    case http::Parse::Complete:
        break;
    }
    if (request.isWebSocketUpgrade()) {
        upgrade(socket, request);
        return;
    }
    // A malformed Content-Length counts as none.
    const qint64 length = qMax<qint64>(0, http::contentLength(request));
    if (data.size() < headSize + length)
        return;
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    socket->skip(headSize + length);
    request.body = data.mid(headSize, length);
    route(socket, request);
}

void GladiaEmulator::route(QTcpSocket *socket, const http::Request &request)
{
    const QString path = request.url.path();
    if (path == kLivePath && request.method == "POST") {
        handleInit(socket, request);
    } else if (path.startsWith(kLivePath + '/') &&
               (request.method == "GET" || request.method == "DELETE")) {
        handleJob(socket, request, path.mid(kLivePath.size() + 1));
    } else if (path == QLatin1String("/_emulator/sessions") && request.method == "GET") {
        QJsonArray reports;
        for (const SessionReport &report : sessions())
            reports.append(report.toJson());
        writeHttpResponse(socket, 200, reports);
    } else if (path == QLatin1String("/_emulator/faults") && request.method == "POST") {
        handleFaults(socket, request);
    } else {
        writeHttpResponse(
            socket, 404,
            gladiaErrorBody(
                404, path,
                QStringLiteral("Cannot %1 %2").arg(QString::fromLatin1(request.method), path)));
    }
}

void GladiaEmulator::upgrade(QTcpSocket *socket, const http::Request &request)
{
    // QWebSocketServer owns the socket from here on.
    disconnect(socket, nullptr, this, nullptr);
    const QString path = request.url.path();
    const GladiaSession *session =
        sessionByToken(QUrlQuery(request.url).queryItemValue(QStringLiteral("token")));
    if (path != kLivePath || !session) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        const int status = path == kLivePath ? 401 : 404;
        writeHttpResponse(socket, status,
                          gladiaErrorBody(status, path,
                                          status == 401
                                              ? QStringLiteral("Invalid or expired session token")
                                              : QStringLiteral("Not found")));
        return;
    }
    m_webSockets->handleConnection(socket);
}

void GladiaEmulator::onWebSocketConnected()
{
    while (QWebSocket *socket = m_webSockets->nextPendingConnection()) {
        GladiaSession *session =
            sessionByToken(QUrlQuery(socket->requestUrl()).queryItemValue(QStringLiteral("token")));
        if (!session) {
            // The session ended between the upgrade request and its answer.
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, "session ended");
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            continue;
        }
        session->attach(socket);
    }
}

bool GladiaEmulator::authorize(QTcpSocket *socket, const http::Request &request)
{
    const QString key = QString::fromUtf8(request.header("x-gladia-key"));
    QString problem;
    if (key.isEmpty())
        problem = QStringLiteral("Missing API key: set the x-gladia-key header");
    else if (!m_apiKeys.isEmpty() && !m_apiKeys.contains(key))
        problem = initErrorMessage(401);
    if (problem.isEmpty())
        return true;
    writeHttpResponse(socket, 401, gladiaErrorBody(401, request.url.path(), problem));
    return false;
}

void GladiaEmulator::handleInit(QTcpSocket *socket, const http::Request &request)
{
    const QString path = request.url.path();
    if (!authorize(socket, request))
        return;
    if (m_faults.initErrorStatus > 0 && m_faults.initErrorCount != 0) {
        if (m_faults.initErrorCount > 0)
            --m_faults.initErrorCount;
        const int status = m_faults.initErrorStatus;
        const QStringList validation = status == 400 || status == 422
                                           ? QStringList{"emulated validation failure"}
                                           : QStringList();
        writeHttpResponse(socket, status,
                          gladiaErrorBody(status, path, initErrorMessage(status), validation));
        return;
    }

    QJsonObject body;
    if (!request.body.trimmed().isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
        if (!document.isObject()) {
            writeHttpResponse(
                socket, 400,
                gladiaErrorBody(
                    400, path,
                    QStringLiteral("Invalid JSON body: %1").arg(parseError.errorString())));
            return;
        }
        body = document.object();
    }
    QStringList validationErrors;
    const SessionConfig config = parseSessionConfig(body, &validationErrors);
    const QUrlQuery query(request.url);
    if (query.hasQueryItem("region") &&
        !QStringList{"us-west", "eu-west"}.contains(query.queryItemValue("region")))
        validationErrors << QStringLiteral(
            "region must be one of the following values: us-west, eu-west");
    if (!validationErrors.isEmpty()) {
        writeHttpResponse(
            socket, 422, gladiaErrorBody(422, path, validationErrors.join("; "), validationErrors));
        return;
    }

    auto *session = new GladiaSession(config, m_script, m_faults, m_reference, this);
    m_sessions << session;
    m_byId.insert(session->id(), session);
    m_byToken.insert(session->token(), session);
    connect(session, &GladiaSession::finished, this, [this, session] {
        m_byToken.remove(session->token());
        Q_EMIT sessionFinished(session->report());
    });
    Q_EMIT sessionCreated(session->id());

    // The SDK connects to this URL as is, so it must be absolute and reach
    // this server the way the client did.
    const QByteArray host = request.header("host");
    const QString authority = host.isEmpty() ? apiUrl().authority() : QString::fromLatin1(host);
    writeHttpResponse(socket, 201,
                      QJsonObject{{"id", session->id()},
                                  {"created_at", session->createdAt()},
                                  {"url", QStringLiteral("ws://%1%2?token=%3")
                                              .arg(authority, kLivePath, session->token())}});
}

void GladiaEmulator::handleJob(QTcpSocket *socket, const http::Request &request, const QString &id)
{
    if (!authorize(socket, request))
        return;
    GladiaSession *session = m_byId.value(id);
    if (!session) {
        writeHttpResponse(
            socket, 404,
            gladiaErrorBody(404, request.url.path(), QStringLiteral("Live job not found")));
        return;
    }
    if (request.method == "DELETE") {
        session->terminate();
        writeHttpResponse(socket, 202, QJsonValue());
        return;
    }
    writeHttpResponse(socket, 200, session->jobJson());
}

void GladiaEmulator::handleFaults(QTcpSocket *socket, const http::Request &request)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString sessionId = body.value("session").toString();
    if (sessionId.isEmpty()) {
        m_faults.merge(body);
        writeHttpResponse(socket, 200, m_faults.toJson());
        return;
    }
    GladiaSession *session = m_byId.value(sessionId);
    if (!session) {
        writeHttpResponse(
            socket, 404,
            gladiaErrorBody(404, request.url.path(), QStringLiteral("No such session")));
        return;
    }
    GladiaFaults faults = session->faults();
    faults.merge(body);
    session->setFaults(faults);
    writeHttpResponse(socket, 200, faults.toJson());
}

GladiaSession *GladiaEmulator::sessionByToken(const QString &token) const
{
    return m_byToken.value(token);
}

} // namespace roomscribe::test
