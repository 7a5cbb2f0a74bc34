#include "stt/gladialivesession.h"

#include "core/clock.h"
#include "core/logging.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QWebSocket>

#include <algorithm>
#include <cmath>

namespace roomscribe::stt {

// Enough to see what goes wrong without flooding the log when a server
// sends nothing but garbage.
constexpr uint64_t kMalformedLogLimit = 10;

namespace {

QString seconds(int64_t milliseconds)
{
    return QString::number(double(milliseconds) / 1000, 'f', 1);
}

} // namespace

GladiaLiveSession::GladiaLiveSession(const GladiaConfig &config, QNetworkAccessManager *network,
                                     QObject *parent)
    : QObject(parent), m_config(config), m_network(network), m_retryTimer(this),
      m_connectTimer(this), m_stallTimer(this), m_stopTimer(this), m_backoff(config.backoff),
      m_ledger(config.bytesPerSecond(), config.bytesPerSecond() * config.bufferLimit_ms / 1000)
{
    for (QTimer *timer : {&m_retryTimer, &m_connectTimer, &m_stallTimer, &m_stopTimer})
        timer->setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &GladiaLiveSession::retryNow);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        dropConnection(QStringLiteral("WebSocket handshake timed out after %1 s")
                           .arg(seconds(m_config.connectTimeout_ms)));
    });
    connect(&m_stallTimer, &QTimer::timeout, this, [this] {
        dropConnection(
            QStringLiteral("no acknowledgement for %1 s").arg(seconds(m_config.stallTimeout_ms)));
    });
    connect(&m_stopTimer, &QTimer::timeout, this, [this] {
        end(SessionState::Finished,
            QStringLiteral("stop timed out after %1 s").arg(seconds(m_config.stopTimeout_ms)));
    });
}

GladiaLiveSession::~GladiaLiveSession()
{
    closeSocket();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void GladiaLiveSession::start()
{
    if (m_state != SessionState::Invalid)
        return;
    m_started_ns = monotonicNow_ns();
    postInit();
}

QString GladiaLiveSession::name() const
{
    return m_sessionId.isEmpty() ? QStringLiteral("-") : m_sessionId;
}

QString GladiaLiveSession::describeBytes(int64_t bytes) const
{
    return QStringLiteral("%1 bytes (%2 ms)")
        .arg(bytes)
        .arg(bytes * 1000 / m_config.bytesPerSecond());
}

int64_t GladiaLiveSession::age_ms() const
{
    return m_started_ns ? (monotonicNow_ns() - m_started_ns) / 1000000 : 0;
}

void GladiaLiveSession::setState(SessionState state, const QString &detail, Log log)
{
    if (state == m_state && detail == m_detail)
        return;
    m_state = state;
    m_detail = detail;
    const QString text =
        stateName(state) + (detail.isEmpty() ? QString() : QStringLiteral(": ") + detail);
    if (log == Log::Problem)
        qCWarning(lcStt).noquote() << "session" << name() << text;
    else
        qCInfo(lcStt).noquote() << "session" << name() << text;
    Q_EMIT stateChanged(state, detail);
}

void GladiaLiveSession::postInit()
{
    setState(m_stopRequested ? SessionState::Stopping : SessionState::Initializing,
             QStringLiteral("creating the session"));
    QNetworkRequest request(gladiaInitUrl(m_config));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader(QByteArrayLiteral("x-gladia-key"), m_config.apiKey);
    request.setTransferTimeout(m_config.initTimeout_ms);
    m_reply = m_network->post(
        request, QJsonDocument(gladiaInitBody(m_config)).toJson(QJsonDocument::Compact));
    connect(m_reply, &QNetworkReply::finished, this, &GladiaLiveSession::onInitFinished);
}

void GladiaLiveSession::onInitFinished()
{
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    QString message = errorMessageOf(body);
    switch (initOutcomeFor(status)) {
    case InitOutcome::Created: {
        QString error;
        const std::optional<InitAnswer> answer = parseInitAnswer(body, &error);
        if (!answer) {
            ++m_initRetries;
            scheduleRetry(error);
            return;
        }
        m_sessionId = answer->id;
        m_url = answer->url;
        m_backoff.reset();
        qCInfo(lcStt).noquote()
            << "session" << name() << "created at"
            << m_url.adjusted(QUrl::RemoveQuery).toString(); // the query is a token
        openSocket();
        return;
    }
    case InitOutcome::Retry:
        ++m_initRetries;
        scheduleRetry(status
                          ? QStringLiteral("HTTP %1%2")
                                .arg(status)
                                .arg(message.isEmpty() ? QString() : QStringLiteral(": ") + message)
                          : reply->errorString());
        return;
    case InitOutcome::Fail:
    case InitOutcome::Invalid:
        if (message.isEmpty())
            message =
                QStringLiteral("HTTP %1 %2")
                    .arg(status)
                    .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
        end(SessionState::Failed, message);
        return;
    }
}

void GladiaLiveSession::scheduleRetry(const QString &reason)
{
    m_lastError = reason;
    if (!m_sessionId.isEmpty() && !m_stopRequested) {
        const int64_t now_ns = monotonicNow_ns();
        if (!m_unreachableSince_ns) {
            m_unreachableSince_ns = now_ns;
        } else if (now_ns - m_unreachableSince_ns >=
                   int64_t(m_config.reconnectGiveUp_ms) * 1000000) {
            end(SessionState::Finished,
                QStringLiteral("given up after %1 s without a connection: %2")
                    .arg(seconds((now_ns - m_unreachableSince_ns) / 1000000))
                    .arg(reason));
            return;
        }
    }
    const int delay_ms = m_backoff.nextDelay_ms();
    m_retryTimer.start(delay_ms);
    setState(m_stopRequested         ? SessionState::Stopping
             : m_sessionId.isEmpty() ? SessionState::Initializing
                                     : SessionState::Reconnecting,
             QStringLiteral("retry in %1 s: %2").arg(seconds(delay_ms)).arg(reason), Log::Problem);
}

void GladiaLiveSession::retryNow()
{
    m_retryTimer.stop();
    if (m_sessionId.isEmpty()) {
        postInit();
        return;
    }
    ++m_reconnects;
    openSocket();
}

void GladiaLiveSession::openSocket()
{
    closeSocket();
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, &GladiaLiveSession::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &GladiaLiveSession::onDisconnected);
    // Only the peer's close frame triggers it: this client never closes, it aborts.
    connect(m_socket, &QWebSocket::aboutToClose, this, [this] { m_closeFrameReceived = true; });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &GladiaLiveSession::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this,
            [this] { countMalformed(QStringLiteral("unexpected binary message")); });
    m_connectTimer.start(m_config.connectTimeout_ms);
    if (m_stopRequested)
        setState(SessionState::Stopping, QStringLiteral("connecting to deliver the last audio"));
    else if (m_reconnects == 0)
        setState(SessionState::Connecting, QString());
    else
        setState(SessionState::Reconnecting,
                 QStringLiteral("connecting (attempt %1)").arg(m_backoff.failures()));
    m_socket->open(m_url);
}

void GladiaLiveSession::onConnected()
{
    m_connectTimer.stop();
    m_socketOpen = true;
    m_unreachableSince_ns = 0;
    m_ledger.connectionOpened();
    if (m_droppedUnreported) {
        qCWarning(lcStt).noquote() << "session" << name()
                                   << QStringLiteral("dropped %1 of the oldest audio while Gladia "
                                                     "was not taking it")
                                          .arg(describeBytes(m_droppedUnreported));
        m_droppedUnreported = 0;
    }
    const int64_t resumeAt = m_ledger.acknowledgedBytes();
    if (m_stopRequested)
        setState(SessionState::Stopping, QStringLiteral("delivering the last audio"));
    else
        setState(SessionState::Streaming,
                 resumeAt ? QStringLiteral("resumed at byte %1").arg(resumeAt) : QString());
    flush();
    if (m_stopRequested)
        sendStop();
}

void GladiaLiveSession::flush()
{
    if (!m_socketOpen)
        return;
    const std::vector<QByteArray> writes = m_ledger.takeUnwritten(monotonicNow_ns());
    for (const QByteArray &bytes : writes)
        m_socket->sendBinaryMessage(bytes);
    if (!writes.empty() && !m_stallTimer.isActive())
        m_stallTimer.start(m_config.stallTimeout_ms);
}

void GladiaLiveSession::sendStop()
{
    m_socket->sendTextMessage(QStringLiteral(R"({"type":"stop_recording"})"));
}

void GladiaLiveSession::pushChunk(const media::PcmChunk &chunk)
{
    if (m_stopRequested || isEnded(m_state)) {
        if (!m_lateBytes)
            qCWarning(lcStt).noquote()
                << "session" << name() << "drops audio pushed after it stopped";
        m_lateBytes += chunk.pcm.size();
        return;
    }
    m_ledger.append(chunk);
    flush();
    enforceBufferLimit();
}

void GladiaLiveSession::enforceBufferLimit()
{
    int64_t dropped = m_ledger.dropBeyondLimit();
    if (m_ledger.overLimit()) {
        // A whole buffer written and not acknowledged: Gladia has stopped
        // taking audio on this connection. Only a new connection (resuming at
        // the acknowledged end) makes dropping the oldest of it exact.
        dropConnection(QStringLiteral("%1 s of audio written and not acknowledged")
                           .arg(seconds(m_config.bufferLimit_ms)));
        dropped += m_ledger.dropBeyondLimit();
    }
    if (!dropped)
        return;
    if (!m_droppedUnreported)
        qCWarning(lcStt).noquote()
            << "session" << name() << "buffer limit of" << seconds(m_config.bufferLimit_ms)
            << "s reached: dropping the oldest unacknowledged audio";
    m_droppedUnreported += dropped;
}

void GladiaLiveSession::closeSocket()
{
    m_connectTimer.stop();
    m_stallTimer.stop();
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
    m_socketOpen = false;
    m_closeFrameReceived = false;
    m_ledger.connectionClosed();
}

void GladiaLiveSession::dropConnection(const QString &reason)
{
    closeSocket();
    scheduleRetry(reason);
}

void GladiaLiveSession::onDisconnected()
{
    // Without a close frame (refused, reset, failed handshake) Qt still
    // reports 1000; that is an abnormal end (1006).
    const int code = m_closeFrameReceived ? int(m_socket->closeCode())
                                          : int(QWebSocketProtocol::CloseCodeAbnormalDisconnection);
    const QString closeReason = m_socket->closeReason();
    const QString reason = m_closeFrameReceived ? closeReason : m_socket->errorString();
    const bool wasOpen = m_socketOpen;
    closeSocket();
    const QString described = reason.isEmpty()
                                  ? QStringLiteral("close %1").arg(code)
                                  : QStringLiteral("close %1: %2").arg(code).arg(reason);
    switch (m_sessionEnded ? CloseAction::Finish : closeActionFor(code)) {
    case CloseAction::Finish:
        end(SessionState::Finished,
            m_stopRequested ? QString() : QStringLiteral("ended by Gladia (%1)").arg(described));
        return;
    case CloseAction::Fail:
        end(SessionState::Failed, closeReason.isEmpty() ? described : closeReason);
        return;
    case CloseAction::Reconnect:
    case CloseAction::Invalid:
        scheduleRetry(wasOpen ? QStringLiteral("connection lost (%1)").arg(described)
                              : QStringLiteral("cannot connect (%1)").arg(reason));
        return;
    }
}

void GladiaLiveSession::stop()
{
    if (m_stopRequested || isEnded(m_state))
        return;
    m_stopRequested = true;
    if (m_state == SessionState::Invalid || (m_sessionId.isEmpty() && !m_ledger.pushedBytes())) {
        end(SessionState::Finished, QStringLiteral("stopped before any audio reached Gladia"));
        return;
    }
    m_stopTimer.start(m_config.stopTimeout_ms);
    if (m_socketOpen) {
        setState(SessionState::Stopping, QStringLiteral("waiting for the last transcripts"));
        sendStop();
    } else if (m_retryTimer.isActive()) {
        retryNow(); // stop cuts the backoff short: its time is bounded by the stop timeout
    } else {
        setState(SessionState::Stopping, QStringLiteral("delivering the last audio"));
    }
}

void GladiaLiveSession::end(SessionState state, const QString &detail)
{
    m_retryTimer.stop();
    m_stopTimer.stop();
    closeSocket();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    // What Gladia has not acknowledged by now is not known to be delivered.
    const int64_t dropped = m_ledger.dropAll();
    if (dropped)
        qCWarning(lcStt).noquote()
            << "session" << name()
            << QStringLiteral("ends with %1 of audio unacknowledged").arg(describeBytes(dropped));
    const bool failed = state == SessionState::Failed;
    if (failed)
        m_lastError = detail;
    setState(state, detail, failed ? Log::Problem : Log::Info);
}

void GladiaLiveSession::countMalformed(const QString &what)
{
    ++m_malformed;
    if (m_malformed <= kMalformedLogLimit)
        qCWarning(lcStt).noquote()
            << "session" << name() << "ignores a malformed message:"
            << what + (m_malformed == kMalformedLogLimit
                           ? QStringLiteral(" (further ones are only counted)")
                           : QString());
}

void GladiaLiveSession::onTextMessage(const QString &text)
{
    QString error;
    const ServerMessage message = parseServerMessage(text.toUtf8(), &error);
    if (message.type == MessageType::Invalid) {
        countMalformed(error);
        return;
    }
    if (!message.error.isEmpty()) {
        ++m_serverErrors;
        m_lastError = message.error;
        qCWarning(lcStt).noquote() << "session" << name() << "Gladia reports an error ("
                                   << message.typeName << "):" << message.error;
    }
    switch (message.type) {
    case MessageType::AudioChunkAck:
        if (message.acknowledged)
            onAck(message);
        break;
    case MessageType::Transcript:
        onTranscript(message);
        break;
    case MessageType::StopRecordingAck:
        if (m_stopRequested)
            setState(SessionState::Stopping, QStringLiteral("Gladia is processing the last %1 s")
                                                 .arg(message.leftToProcess_s, 0, 'f', 1));
        break;
    case MessageType::EndSession:
        m_sessionEnded = true;
        break;
    case MessageType::SpeechStart:
    case MessageType::SpeechEnd:
        qCDebug(lcStt).noquote() << "session" << name() << message.typeName << "channel"
                                 << message.channel << "at" << message.time_s << "s";
        break;
    case MessageType::StartSession:
    case MessageType::StartRecording:
    case MessageType::EndRecording:
    case MessageType::PostTranscript:
    case MessageType::PostFinalTranscript:
    case MessageType::Other:
    case MessageType::Invalid:
        qCDebug(lcStt).noquote() << "session" << name() << message.typeName;
        break;
    }
}

void GladiaLiveSession::onAck(const ServerMessage &message)
{
    switch (
        m_ledger.acknowledge(message.byteStart, message.byteEnd, monotonicNow_ns(), &m_latencies)) {
    case AudioLedger::AckStatus::Invalid:
        countMalformed(
            QStringLiteral("acknowledgement of bytes [%1, %2) not sent on this connection")
                .arg(message.byteStart)
                .arg(message.byteEnd));
        break;
    case AudioLedger::AckStatus::Advanced:
        m_backoff.reset(); // the connection works
        if (m_ledger.inFlightBytes())
            m_stallTimer.start(m_config.stallTimeout_ms);
        else
            m_stallTimer.stop();
        break;
    case AudioLedger::AckStatus::Duplicate:
    case AudioLedger::AckStatus::Pending:
        break;
    }
}

int64_t GladiaLiveSession::sessionBytesAt(double seconds) const
{
    if (!(seconds > 0))
        return 0;
    return std::llround(seconds * m_config.sampleRate_Hz) * m_config.frameBytes();
}

int64_t GladiaLiveSession::streamMsOf(int64_t inputOffset) const
{
    return (m_streamOffset_bytes + inputOffset) * 1000 / m_config.bytesPerSecond();
}

void GladiaLiveSession::onTranscript(const ServerMessage &message)
{
    const int64_t now_ns = monotonicNow_ns();
    const int64_t endByte = sessionBytesAt(message.end_s);
    const int64_t inputStart =
        m_ledger.inputOffsetOf(sessionBytesAt(message.start_s), AudioLedger::Edge::Start);
    const int64_t inputEnd =
        std::max(inputStart, m_ledger.inputOffsetOf(endByte, AudioLedger::Edge::End));

    TranscriptSegment segment;
    segment.session = m_sessionId;
    segment.utteranceId = message.utteranceId;
    segment.isFinal = message.isFinal;
    segment.start_ms = streamMsOf(inputStart);
    segment.end_ms = streamMsOf(inputEnd);
    if (const std::optional<int64_t> arrival = m_ledger.arrivalAt(inputStart))
        segment.wallClock =
            QDateTime::currentDateTimeUtc().addMSecs(-(now_ns - *arrival) / 1000000);
    segment.channel = message.channel;
    segment.language = message.language;
    segment.text = message.text.trimmed();
    for (const WordTiming &word : message.words)
        segment.words.push_back(
            {word.word.trimmed(),
             streamMsOf(
                 m_ledger.inputOffsetOf(sessionBytesAt(word.start_s), AudioLedger::Edge::Start)),
             streamMsOf(m_ledger.inputOffsetOf(sessionBytesAt(word.end_s), AudioLedger::Edge::End)),
             word.confidence});

    ++(message.isFinal ? m_finals : m_partials);
    // Gladia's times are rounded: an end a hair past the audio it has means its last byte.
    const int64_t lastByteEnd = std::min(endByte, m_ledger.pushedBytes() - m_ledger.droppedBytes());
    if (const std::optional<int64_t> written = m_ledger.writeTimeBefore(lastByteEnd)) {
        if (now_ns >= *written)
            (message.isFinal ? m_latencies.sttFinal : m_latencies.sttPartial)
                .record((now_ns - *written) / 1000);
    }
    Q_EMIT transcript(segment);
}

GladiaStats GladiaLiveSession::takeStats()
{
    GladiaStats stats;
    stats.state = m_state;
    stats.detail = m_detail;
    stats.sessionId = m_sessionId;
    stats.sessions = m_sessionId.isEmpty() ? 0 : 1;
    stats.bytesPushed = uint64_t(m_ledger.pushedBytes() + m_lateBytes);
    stats.bytesSent = uint64_t(m_ledger.writtenBytes());
    stats.bytesResent = uint64_t(m_ledger.resentBytes());
    stats.bytesAcknowledged = uint64_t(m_ledger.acknowledgedBytes());
    stats.bytesBuffered = uint64_t(m_ledger.bufferedBytes());
    stats.bytesDropped = uint64_t(m_ledger.droppedBytes() + m_lateBytes);
    stats.reconnects = m_reconnects;
    stats.initRetries = m_initRetries;
    stats.partials = m_partials;
    stats.finals = m_finals;
    stats.malformedMessages = m_malformed;
    stats.serverErrors = m_serverErrors;
    stats.lastError = m_lastError;
    stats.latencies = m_latencies;
    m_latencies.clear();
    return stats;
}

} // namespace roomscribe::stt
