#include "trackegress.h"

#include "speechsample.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QWebSocket>

Q_DECLARE_LOGGING_CATEGORY(lcFakeLiveKit)

namespace roomscribe::test {

namespace {

constexpr int kPingInterval_ms = 30000;
constexpr int kCloseGrace_ms = 5000;
// After a stall of the event loop, at most this much audio is sent at once;
// older frames are dropped, as a live source would.
constexpr qint64 kMaxCatchUpFrames = 300;

} // namespace

TrackEgress::TrackEgress(const QUrl &url, SpeechSample *sample, bool muted, QObject *parent)
    : EgressMedia(parent), m_url(url), m_sample(sample), m_muted(muted)
{
    m_frameTimer.setTimerType(Qt::PreciseTimer);
    m_frameTimer.setInterval(kFrame_ms);
    connect(&m_frameTimer, &QTimer::timeout, this, &TrackEgress::sendDueFrames);
    m_pingTimer.setInterval(kPingInterval_ms);
    connect(&m_pingTimer, &QTimer::timeout, this, [this] { m_socket->ping(); });
    m_closeTimer.setSingleShot(true);
    m_closeTimer.setInterval(kCloseGrace_ms);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] { m_socket->abort(); });
}

TrackEgress::~TrackEgress()
{
    if (m_socket)
        m_socket->disconnect(this);
}

void TrackEgress::start()
{
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, &TrackEgress::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &TrackEgress::onDisconnected);
    // A refused connection ends with an error and no disconnected().
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this] {
        if (!m_open)
            onDisconnected();
    });
    QNetworkRequest request(m_url);
    request.setRawHeader("Content-Type", "audio/x-raw");
    m_socket->open(request);
}

void TrackEgress::onConnected()
{
    m_open = true;
    Q_EMIT running();
    if (m_muted) {
        m_socket->sendTextMessage(QStringLiteral("{\"muted\":true}"));
    }
    m_clock.start();
    m_frameTimer.start();
    m_pingTimer.start();
    sendDueFrames();
}

void TrackEgress::sendDueFrames()
{
    const qint64 due = m_clock.elapsed() / kFrame_ms + 1;
    if (due - m_framesElapsed > kMaxCatchUpFrames) {
        const qint64 skipped = due - m_framesElapsed - kMaxCatchUpFrames;
        m_framesElapsed += skipped;
        m_samplePosition += skipped * kFrameBytes;
    }
    const QByteArray speech = m_sample && m_sample->isReady() ? m_sample->pcm() : QByteArray();
    // Until the sample is ready, silence; then it plays from its start.
    const bool playing = !speech.isEmpty();
    for (; m_framesElapsed < due; ++m_framesElapsed) {
        QByteArray frame;
        if (playing && m_samplePosition < speech.size())
            frame = speech.mid(m_samplePosition, kFrameBytes);
        if (playing)
            m_samplePosition += kFrameBytes;
        if (m_muted)
            continue;
        frame.append(kFrameBytes - frame.size(), '\0');
        m_socket->sendBinaryMessage(frame);
        m_audioBytes += frame.size();
        ++m_audioFrames;
    }
}

void TrackEgress::setMuted(bool muted)
{
    if (m_muted == muted)
        return;
    m_muted = muted;
    if (m_open && !m_stopping) {
        m_socket->sendTextMessage(
            QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("muted"), muted}})
                                  .toJson(QJsonDocument::Compact)));
    }
}

void TrackEgress::stop()
{
    if (m_stopping || m_finished)
        return;
    m_stopping = true;
    m_frameTimer.stop();
    m_pingTimer.stop();
    if (m_open) {
        m_socket->close(QWebSocketProtocol::CloseCodeNormal);
        m_closeTimer.start();
    } else {
        // Still dialing: abandon the attempt.
        m_socket->abort();
        finish({});
    }
}

void TrackEgress::onDisconnected()
{
    m_frameTimer.stop();
    m_pingTimer.stop();
    m_closeTimer.stop();
    if (m_stopping) {
        finish({});
        return;
    }
    if (!m_open) {
        finish(
            QStringLiteral("could not connect to the WebSocket: %1").arg(m_socket->errorString()));
        return;
    }
    finish(QStringLiteral("the WebSocket was closed by the server (%1 %2)")
               .arg(int(m_socket->closeCode()))
               .arg(m_socket->closeReason()));
}

void TrackEgress::finish(const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_open = false;
    // Never from inside stop(): callers see ENDING before COMPLETE.
    QTimer::singleShot(0, this, [this, error] { Q_EMIT finished(error); });
}

} // namespace roomscribe::test
