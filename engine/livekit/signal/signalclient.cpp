#include "livekit/signal/signalclient.h"

#include "core/logging.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QWebSocket>

#include <cmath>

namespace roomscribe::livekit {

namespace {

// Queued answers and candidates while resuming; a well-behaved peer produces
// a handful, so more means something is looping.
constexpr qsizetype kMaxQueuedFrames = 256;

// The HTTP status of a refused WebSocket upgrade. Qt 6.4's QWebSocket only
// reports it in its error text ("… Unhandled http status code: 401 (…)").
int httpStatus(const QString &errorString)
{
    static const QRegularExpression pattern(QStringLiteral("status code: (\\d{3})"));
    const QRegularExpressionMatch match = pattern.match(errorString);
    return match.hasMatch() ? match.captured(1).toInt() : 0;
}

qint64 now_ms()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// The URL without its query, which holds the token.
QString forLog(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveQuery).toString();
}

} // namespace

SignalClient::SignalClient(SignalClientConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_backoff(m_config.reconnect),
      m_connectTimer(this), m_retryTimer(this), m_pingTimer(this), m_pongTimer(this)
{
    m_connectTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    m_pongTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        drop(QStringLiteral("no answer within %1 ms").arg(m_config.connectTimeout_ms),
             retryAfterFailure());
    });
    connect(&m_retryTimer, &QTimer::timeout, this, [this] { dial(m_next); });
    connect(&m_pingTimer, &QTimer::timeout, this, &SignalClient::sendPing);
    connect(&m_pongTimer, &QTimer::timeout, this, [this] {
        drop(QStringLiteral("no pong within %1 ms").arg(m_pingTimeout_ms), Attempt::Resume);
    });
}

SignalClient::~SignalClient()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void SignalClient::join()
{
    if (m_state != State::Idle) {
        qCWarning(lcLiveKitSignal) << "join() ignored in state" << m_state;
        return;
    }
    dial(Attempt::Join);
}

void SignalClient::rejoin()
{
    if (m_state == State::Closed)
        return;
    m_pingTimer.stop();
    m_pongTimer.stop();
    dial(Attempt::Join);
}

void SignalClient::sendAnswer(const QString &sdp)
{
    sendOrQueue(encodeAnswer(sdp));
}

void SignalClient::sendCandidate(const IceCandidate &candidate)
{
    sendOrQueue(encodeTrickle(candidate));
}

void SignalClient::leave()
{
    if (m_state == State::Closed)
        return;
    const bool connected = m_state == State::Joined && m_socket;
    if (connected)
        m_socket->sendBinaryMessage(encodeLeave());
    finish(QStringLiteral("left"), connected);
}

void SignalClient::dial(Attempt attempt)
{
    closeSocket(false);
    m_retryTimer.stop();
    m_retryAt_ms = 0;
    if (attempt == Attempt::Resume && m_participantSid.isEmpty())
        attempt = Attempt::Join;
    if (attempt == Attempt::Join) {
        // Both belong to the session being replaced.
        m_participantSid.clear();
        m_queued.clear();
    }

    const QByteArray token = !m_refreshedToken.isEmpty() ? m_refreshedToken
                             : m_config.tokenSource      ? m_config.tokenSource()
                                                         : QByteArray();
    const QUrl url = signalUrl(m_config.livekitUrl, token,
                               attempt == Attempt::Resume ? m_participantSid : QString(),
                               m_config.autoSubscribe);
    if (!url.isValid()) {
        finish(QStringLiteral("LiveKit URL %1 is not http(s) or ws(s)")
                   .arg(m_config.livekitUrl.toString()),
               false);
        return;
    }

    const State target = attempt == Attempt::Join ? State::Connecting : State::Resuming;
    setState(target,
             attempt == Attempt::Join ? QStringLiteral("Joining") : QStringLiteral("Resuming"));
    if (m_state != target)
        return; // a slot called leave()

    qCInfo(lcLiveKitSignal).noquote()
        << (attempt == Attempt::Join ? "joining via" : "resuming via") << forLog(url);
    ++m_connection;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingFrameSize(kMaxSignalFrameBytes);
    m_socket->setMaxAllowedIncomingMessageSize(kMaxSignalFrameBytes);
    connect(m_socket, &QWebSocket::connected, this, &SignalClient::onConnected);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &SignalClient::onFrame);
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this] {
        const QString error = QStringLiteral("text frame; LiveKit signals in binary frames");
        qCWarning(lcLiveKitSignal).noquote() << error;
        const quint64 connection = m_connection;
        Q_EMIT protocolError(error);
        if (connection == m_connection)
            drop(error, retryAfterFailure());
    });
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &SignalClient::onSocketError);
    connect(m_socket, &QWebSocket::disconnected, this, &SignalClient::onDisconnected);
    m_connectTimer.start(m_config.connectTimeout_ms);
    m_socket->open(url);
}

void SignalClient::onConnected()
{
    qCDebug(lcLiveKitSignal) << "WebSocket open, waiting for the server's answer";
}

void SignalClient::onFrame(const QByteArray &frame)
{
    QString error;
    const std::optional<SignalEvent> event = decodeSignalResponse(frame, &error);
    if (!event) {
        qCWarning(lcLiveKitSignal).noquote() << "bad frame from LiveKit:" << error;
        const quint64 connection = m_connection;
        Q_EMIT protocolError(error);
        // A Resuming attempt answered with nonsense is a refused resume.
        if (connection == m_connection)
            drop(error, m_state == State::Resuming ? Attempt::Join : retryAfterFailure());
        return;
    }

    switch (m_state) {
    case State::Connecting:
        if (event->kind == SignalEvent::Kind::Join) {
            m_participantSid = event->join.self.sid;
            m_pingInterval_ms = event->join.pingInterval_s * 1000;
            m_pingTimeout_ms = event->join.pingTimeout_s * 1000;
            qCInfo(lcLiveKitSignal).noquote()
                << "joined room" << event->join.roomName << "as" << m_participantSid;
            const quint64 connection = m_connection;
            enterJoined(QStringLiteral("Joined"));
            if (connection == m_connection)
                Q_EMIT joined(event->join);
        } else if (event->kind == SignalEvent::Kind::Leave) {
            handleLeave(*event);
        } else {
            const QString error = QStringLiteral("first message is not a join");
            const quint64 connection = m_connection;
            Q_EMIT protocolError(error);
            if (connection == m_connection)
                drop(error, Attempt::Join);
        }
        return;
    case State::Resuming:
        if (event->kind == SignalEvent::Kind::Reconnect) {
            qCInfo(lcLiveKitSignal) << "signalling resumed";
            const quint64 connection = m_connection;
            enterJoined(QStringLiteral("Resumed"));
            if (connection != m_connection)
                return;
            for (const QByteArray &queued : std::as_const(m_queued))
                m_socket->sendBinaryMessage(queued);
            m_queued.clear();
            Q_EMIT resumed();
        } else if (event->kind == SignalEvent::Kind::Leave) {
            handleLeave(*event);
        } else {
            drop(QStringLiteral("resume refused (no reconnect answer)"), Attempt::Join);
        }
        return;
    case State::Joined:
        handleEvent(*event);
        return;
    default:
        return;
    }
}

void SignalClient::handleEvent(const SignalEvent &event)
{
    using Kind = SignalEvent::Kind;
    switch (event.kind) {
    case Kind::Offer:
        Q_EMIT offerReceived(event.sdp);
        return;
    case Kind::Trickle:
        Q_EMIT remoteCandidate(event.candidate);
        return;
    case Kind::Update:
        Q_EMIT participantsUpdated(event.participants);
        return;
    case Kind::Leave:
        handleLeave(event);
        return;
    case Kind::Mute:
        Q_EMIT trackMuted(event.trackSid, event.muted);
        return;
    case Kind::SpeakersChanged:
        Q_EMIT speakersChanged(event.speakers);
        return;
    case Kind::RefreshToken:
        m_refreshedToken = event.token;
        return;
    case Kind::TrackUnpublished:
        Q_EMIT trackUnpublished(event.trackSid);
        return;
    case Kind::Pong:
        if (m_pingTimeout_ms > 0)
            m_pongTimer.start(m_pingTimeout_ms);
        if (event.lastPingTimestamp_ms > 0)
            m_rtt_ms = std::max<qint64>(0, now_ms() - event.lastPingTimestamp_ms);
        return;
    case Kind::SubscriptionResponse:
        if (event.subscriptionError != 0)
            qCWarning(lcLiveKitSignal).noquote() << "subscription to" << event.trackSid
                                                 << "failed, error" << event.subscriptionError;
        return;
    case Kind::RoomUpdate:
        return;
    case Kind::Answer:
    case Kind::Join:
    case Kind::Reconnect:
    case Kind::Invalid:
        // Nothing this client asked for; harmless.
        qCDebug(lcLiveKitSignal) << "ignoring message of kind" << int(event.kind);
        return;
    }
}

void SignalClient::handleLeave(const SignalEvent &event)
{
    switch (event.leaveAction) {
    case LeaveAction::Resume:
        drop(QStringLiteral("LiveKit asked to resume"), Attempt::Resume);
        return;
    case LeaveAction::Reconnect:
        drop(QStringLiteral("LiveKit asked for a new join"), Attempt::Join);
        return;
    case LeaveAction::Disconnect:
    case LeaveAction::Invalid:
        finish(QStringLiteral("LiveKit ended the session (reason %1)").arg(event.leaveReason),
               true);
        return;
    }
}

void SignalClient::onSocketError(QAbstractSocket::SocketError error)
{
    const QString text = m_socket ? m_socket->errorString() : QString();
    const int status = httpStatus(text);
    qCWarning(lcLiveKitSignal).noquote() << "WebSocket error" << error << text;
    if (m_state == State::Resuming && status > 0) {
        drop(QStringLiteral("resume refused (HTTP %1)").arg(status), Attempt::Join);
    } else if (m_state == State::Connecting && (status == 401 || status == 403)) {
        finish(QStringLiteral("LiveKit refused the join (HTTP %1)").arg(status), false);
    } else {
        drop(text, retryAfterFailure());
    }
}

void SignalClient::onDisconnected()
{
    const QString reason = m_socket ? m_socket->closeReason() : QString();
    drop(reason.isEmpty() ? QStringLiteral("connection closed")
                          : QStringLiteral("connection closed: %1").arg(reason),
         retryAfterFailure());
}

SignalClient::Attempt SignalClient::retryAfterFailure() const
{
    return m_state == State::Connecting ? Attempt::Join : Attempt::Resume;
}

void SignalClient::enterJoined(const QString &detail)
{
    m_connectTimer.stop();
    m_backoff.reset();
    m_retryAt_ms = 0;
    if (m_pingInterval_ms > 0)
        m_pingTimer.start(m_pingInterval_ms);
    if (m_pingTimeout_ms > 0)
        m_pongTimer.start(m_pingTimeout_ms);
    setState(State::Joined, detail);
}

void SignalClient::drop(const QString &why, Attempt next)
{
    closeSocket(false);
    m_pingTimer.stop();
    m_pongTimer.stop();
    if (next == Attempt::Resume && m_participantSid.isEmpty())
        next = Attempt::Join;
    m_next = next;
    const int delay_ms = m_backoff.nextDelay_ms();
    m_retryAt_ms = now_ms() + delay_ms;
    m_retryTimer.start(delay_ms);
    const QString detail =
        QStringLiteral("%1 in %2 s: %3")
            .arg(next == Attempt::Resume ? QStringLiteral("Resuming") : QStringLiteral("Rejoining"))
            .arg(int(std::ceil(delay_ms / 1000.0)))
            .arg(why);
    qCWarning(lcLiveKitSignal).noquote() << detail;
    setState(State::WaitingToReconnect, detail);
}

void SignalClient::sendPing()
{
    if (m_socket && m_state == State::Joined)
        m_socket->sendBinaryMessage(encodePingReq(now_ms(), m_rtt_ms));
}

void SignalClient::sendOrQueue(const QByteArray &frame)
{
    if (m_state == State::Joined && m_socket) {
        m_socket->sendBinaryMessage(frame);
        return;
    }
    const bool resuming = m_state == State::Resuming ||
                          (m_state == State::WaitingToReconnect && m_next == Attempt::Resume);
    if (resuming && m_queued.size() < kMaxQueuedFrames)
        m_queued.append(frame);
    else
        qCDebug(lcLiveKitSignal) << "dropping a request in state" << m_state;
}

void SignalClient::closeSocket(bool graceful)
{
    m_connectTimer.stop();
    if (!m_socket)
        return;
    ++m_connection;
    QWebSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    if (graceful) {
        // Let the LeaveRequest and the close frame go out before the socket goes.
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(m_config.connectTimeout_ms, socket, &QObject::deleteLater);
        socket->close();
    } else {
        socket->abort();
        socket->deleteLater();
    }
}

void SignalClient::finish(const QString &reason, bool graceful)
{
    if (m_state == State::Closed)
        return;
    closeSocket(graceful);
    m_retryTimer.stop();
    m_pingTimer.stop();
    m_pongTimer.stop();
    m_retryAt_ms = 0;
    m_queued.clear();
    qCInfo(lcLiveKitSignal).noquote() << "closed:" << reason;
    setState(State::Closed, reason);
    Q_EMIT closed(reason);
}

void SignalClient::setState(State state, const QString &detail)
{
    if (m_state == state && m_detail == detail)
        return;
    m_state = state;
    m_detail = detail;
    Q_EMIT stateChanged(state, detail);
}

} // namespace roomscribe::livekit
