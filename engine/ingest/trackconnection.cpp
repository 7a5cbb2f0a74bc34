#include "ingest/trackconnection.h"

#include "core/clock.h"
#include "core/logging.h"
#include "ingest/ingestserver.h"
#include "ingest/ingeststream.h"
#include "ingest/streamregistry.h"
#include "ingest/trackingest.h"
#include "media/pcmchunk.h"
#include "media/pcmstreamdecoder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>

namespace roomscribe::ingest {

using media::PcmStreamDecoder;

constexpr int64_t kCloseWait_ns = 2'000'000'000;
// Enough of a bad text message to see what it was.
constexpr int kLoggedTextLength = 80;

TrackConnection::TrackConnection(TrackIngest *owner, QWebSocket *socket, QString token)
    : m_owner(owner), m_socket(socket), m_token(std::move(token)),
      m_peer(socket->peerAddress().toString() + u':' + QString::number(socket->peerPort()))
{
    // Larger messages are no egress's ~10 ms frames: Qt closes the connection
    // with code 1009 and a reason.
    m_socket->setMaxAllowedIncomingFrameSize(TrackIngest::kMaxMessage_bytes);
    m_socket->setMaxAllowedIncomingMessageSize(TrackIngest::kMaxMessage_bytes);
    QObject::connect(m_socket, &QWebSocket::binaryMessageReceived, m_socket,
                     [this](const QByteArray &data) { onBinary(data); });
    QObject::connect(m_socket, &QWebSocket::textMessageReceived, m_socket,
                     [this](const QString &text) { onText(text); });
    QObject::connect(m_socket, &QWebSocket::disconnected, m_socket, [this] { onDisconnected(); });
}

TrackConnection::~TrackConnection()
{
    detachStream();
    m_socket->disconnect();
    m_socket->deleteLater();
}

void TrackConnection::start()
{
    m_stream =
        m_owner->attachPublisher(this, QString::fromLatin1(IngestServer::kTrackApp), m_token);
    if (!m_stream) {
        m_owner->countRefused();
        closeWith(QWebSocketProtocol::CloseCodePolicyViolated,
                  QStringLiteral("unknown or closed track token"));
        return;
    }
    keepPace(monotonicNow_ns()); // the stream may be muted from an earlier connection
}

uint64_t TrackConnection::inputFrames() const
{
    return m_bytes / PcmStreamDecoder::kBytesPerFrame;
}

uint32_t TrackConnection::mediaTime_ms() const
{
    return uint32_t(inputFrames() * 1000 / PcmStreamDecoder::kInputSampleRate_Hz +
                    m_silenceSamples * 1000 / media::kOutputSampleRate_Hz);
}

void TrackConnection::onBinary(const QByteArray &data)
{
    if (m_state != State::Open || !m_stream)
        return;
    m_owner->countInput(size_t(data.size()));
    // Raw PCM always decodes.
    m_stream->onAudio(mediaTime_ms(), data.constData(), size_t(data.size()), monotonicNow_ns());
    m_bytes += uint64_t(data.size());
}

void TrackConnection::onText(const QString &text)
{
    if (m_state != State::Open || !m_stream)
        return;
    const QJsonValue muted = QJsonDocument::fromJson(text.toUtf8()).object().value(u"muted");
    if (!muted.isBool()) {
        qCWarning(lcIngest).noquote()
            << "track" << redactedKey(m_token) << "from" << m_peer
            << ": ignored a text message that is not {\"muted\":true|false}:"
            << text.left(kLoggedTextLength);
        return;
    }
    if (muted.toBool() == m_stream->isMuted())
        return;
    const int64_t now_ns = monotonicNow_ns();
    if (muted.toBool()) {
        m_stream->setMuted(true);
        keepPace(now_ns);
    } else {
        keepPace(now_ns); // the silence up to now
        m_stream->setMuted(false);
        m_pacing = false;
    }
    qCInfo(lcIngest).noquote() << "track" << redactedKey(m_token)
                               << (muted.toBool() ? "muted" : "unmuted");
}

void TrackConnection::keepPace(int64_t now_ns)
{
    if (m_state != State::Open || !m_stream || !m_stream->isMuted()) {
        m_pacing = false;
        return;
    }
    if (!m_pacing) {
        m_pacing = true;
        m_paceStart_ns = now_ns;
        m_paceStartFrames = inputFrames();
        m_paceStartSilence = m_silenceSamples;
        return;
    }
    // What the audio and silence since the pace started cover, in ns.
    const int64_t covered_ns = int64_t(inputFrames() - m_paceStartFrames) * 1'000'000'000 /
                                   PcmStreamDecoder::kInputSampleRate_Hz +
                               int64_t(m_silenceSamples - m_paceStartSilence) * 1'000'000'000 /
                                   media::kOutputSampleRate_Hz;
    const int64_t behind_ns = now_ns - m_paceStart_ns - covered_ns;
    const int64_t samples = behind_ns * media::kOutputSampleRate_Hz / 1'000'000'000;
    if (samples <= 0)
        return;
    m_stream->onSilence(mediaTime_ms(), size_t(samples), now_ns);
    m_silenceSamples += uint64_t(samples);
}

void TrackConnection::close(const QString &reason)
{
    closeWith(QWebSocketProtocol::CloseCodeNormal, reason);
}

void TrackConnection::closeWith(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    if (m_state != State::Open)
        return;
    qCInfo(lcIngest).noquote() << "Track Egress connection" << m_peer
                               << QStringLiteral("(track %1)").arg(redactedKey(m_token))
                               << "closed:" << reason;
    detachStream();
    m_state = State::Closing;
    m_closingDeadline_ns = monotonicNow_ns() + kCloseWait_ns;
    m_socket->close(code, reason);
}

void TrackConnection::abort()
{
    m_socket->abort(); // disconnected() follows if it was connected
    if (m_state != State::Closed)
        ended();
}

void TrackConnection::ended()
{
    detachStream();
    m_state = State::Closed;
    m_owner->forget(this);
}

void TrackConnection::onDisconnected()
{
    if (m_state == State::Open) {
        // The peer's close (end of the egress), or one Qt made (a protocol
        // error or an oversized message, with its code and reason).
        const QString reason = m_socket->closeReason();
        qCInfo(lcIngest).noquote()
            << "Track Egress connection" << m_peer
            << QStringLiteral("(track %1)").arg(redactedKey(m_token))
            << "ended:" << QStringLiteral("code %1").arg(int(m_socket->closeCode()))
            << (reason.isEmpty() ? m_socket->errorString() : reason);
    }
    ended();
}

void TrackConnection::detachStream()
{
    m_pacing = false;
    if (m_stream) {
        m_owner->detachPublisher(this, m_stream);
        m_stream = nullptr;
    }
}

} // namespace roomscribe::ingest
