#include "publisher.h"

#include "core/clock.h"

#include <QRandomGenerator>
#include <QUrl>

#include <algorithm>
#include <cstdio>

namespace roomscribe::bench {

using rtmp::Amf0Value;
using rtmp::MessageType;

namespace {

constexpr int kHandshakeSize = 1536;
constexpr uint8_t kRtmpVersion = 3;
constexpr uint32_t kChunkSize = 4096;
constexpr uint32_t kCommandCsid = 3;
constexpr uint32_t kAudioCsid = 4;
constexpr uint32_t kDataCsid = 5;
// Transaction ids of the commands sent, in the order they go out.
constexpr double kConnectTransaction = 1;
constexpr double kReleaseStreamTransaction = 2;
constexpr double kFCPublishTransaction = 3;
constexpr double kCreateStreamTransaction = 4;
constexpr double kPublishTransaction = 5;
constexpr double kFCUnpublishTransaction = 6;
constexpr double kDeleteStreamTransaction = 7;
// Past this much unsent data a stream stops queueing frames: the receiver is
// not keeping up, which shows as send lag instead of unbounded memory.
constexpr qint64 kMaxBacklogBytes = 256 * 1024;
constexpr int kDefaultRtmpPort = 1935;
constexpr int kAacCodecId = 10;
constexpr uint64_t kMaxLoggedFailures = 10;

// C0+C1: version, zero time, zero, then random bytes (the simple handshake).
const QByteArray &clientHello()
{
    static const QByteArray hello = [] {
        QByteArray bytes(1 + kHandshakeSize, '\0');
        bytes[0] = char(kRtmpVersion);
        for (int i = 9; i < bytes.size(); ++i)
            bytes[i] = char(QRandomGenerator::global()->bounded(256));
        return bytes;
    }();
    return hello;
}

rtmp::RtmpChunkReader::Limits replyReaderLimits()
{
    rtmp::RtmpChunkReader::Limits limits;
    limits.keptTypes = 1u << uint8_t(MessageType::CommandAmf0); // a publisher reads replies only
    return limits;
}

} // namespace

QString PublishTarget::tcUrl() const
{
    return QStringLiteral("rtmp://%1:%2/%3").arg(host).arg(port).arg(app);
}

bool PublishTarget::fromUrl(const QString &url, PublishTarget *target, QString *error)
{
    const QUrl parsed(url);
    const QStringList path = parsed.path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (!parsed.isValid() || parsed.scheme() != QLatin1String("rtmp") || parsed.host().isEmpty() ||
        path.size() != 2) {
        *error = QStringLiteral("expected rtmp://HOST[:PORT]/APP/KEY, got %1").arg(url);
        return false;
    }
    target->host = parsed.host();
    target->port = quint16(parsed.port(kDefaultRtmpPort));
    target->app = path[0];
    target->key = path[1];
    return true;
}

Publisher::Publisher(const PublishTarget &target, const FlvAudio &audio, LoadCounters *counters)
    : m_target(target), m_audio(audio), m_counters(counters), m_reader(replyReaderLimits())
{
    QObject::connect(&m_socket, &QTcpSocket::connected, &m_socket, [this] { onConnected(); });
    QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this] { onReadyRead(); });
    QObject::connect(&m_socket, &QTcpSocket::errorOccurred, &m_socket, [this] { onError(); });
    QObject::connect(&m_socket, &QTcpSocket::disconnected, &m_socket, [this] { onError(); });
}

Publisher::~Publisher()
{
    m_socket.disconnect();
    m_socket.abort();
}

void Publisher::start()
{
    m_state = State::Connecting;
    // Unbuffered: each write goes straight to the kernel, with no extra copy
    // and no write-notifier round trip through the event loop.
    m_socket.connectToHost(m_target.host, m_target.port,
                           QIODevice::ReadWrite | QIODevice::Unbuffered);
}

bool Publisher::isConnected() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

void Publisher::onConnected()
{
    // Audio frames are small and timed: Nagle would hold them back.
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_state = State::Handshake;
    send(clientHello());
}

void Publisher::onReadyRead()
{
    const QByteArray bytes = m_socket.readAll();
    if (m_state == State::Handshake) {
        m_handshakeInput.append(bytes);
        handleHandshake();
    } else {
        consume(bytes.constData(), size_t(bytes.size()));
    }
}

void Publisher::onError()
{
    if (m_state == State::Refused || m_state == State::Closed)
        return;
    fail(m_socket.errorString());
}

void Publisher::handleHandshake()
{
    constexpr int kServerReplySize = 1 + 2 * kHandshakeSize; // S0+S1+S2
    if (m_handshakeInput.size() < kServerReplySize)
        return;
    QByteArray out = m_handshakeInput.mid(1, kHandshakeSize); // C2 echoes S1
    const QByteArray rest = m_handshakeInput.mid(kServerReplySize);
    m_handshakeInput.clear();

    m_writer.writeSetChunkSize(out, kChunkSize);
    const Amf0Value properties = Amf0Value::object({
        {QStringLiteral("app"), Amf0Value::string(m_target.app)},
        {QStringLiteral("type"), Amf0Value::string(QStringLiteral("nonprivate"))},
        {QStringLiteral("flashVer"), Amf0Value::string(QStringLiteral("FMLE/3.0"))},
        {QStringLiteral("tcUrl"), Amf0Value::string(m_target.tcUrl())},
    });
    m_writer.writeMessage(out, kCommandCsid, MessageType::CommandAmf0, 0, 0,
                          rtmp::encodeAmf0({Amf0Value::string(QStringLiteral("connect")),
                                            Amf0Value::number(kConnectTransaction), properties}));
    m_state = State::Connect;
    send(out);
    consume(rest.constData(), size_t(rest.size()));
}

void Publisher::consume(const char *data, size_t size)
{
    while (size > 0 && m_state != State::Failed && m_state != State::Refused &&
           m_state != State::Closed) {
        size_t consumed = 0;
        rtmp::RtmpMessage message;
        const rtmp::RtmpChunkReader::Status status = m_reader.read(data, size, &consumed, &message);
        if (status == rtmp::RtmpChunkReader::Status::Error) {
            fail(m_reader.errorText());
            return;
        }
        if (status != rtmp::RtmpChunkReader::Status::Message)
            return;
        data += consumed;
        size -= consumed;
        handleMessage(message.type, message.data, message.size);
    }
}

void Publisher::handleMessage(MessageType type, const char *payload, size_t size)
{
    if (type != MessageType::CommandAmf0)
        return;
    std::vector<Amf0Value> values;
    QString error;
    if (!rtmp::decodeAmf0(payload, size, values, &error)) {
        fail(QStringLiteral("bad command: %1").arg(error));
        return;
    }
    // Notifications such as onFCPublish may come without a transaction id.
    if (values.size() >= 2)
        handleCommand(values);
}

void Publisher::handleCommand(const std::vector<Amf0Value> &values)
{
    const QString name = values[0].toString();
    const double transaction = values[1].toNumber();
    const Amf0Value null = Amf0Value::null();
    const Amf0Value key = Amf0Value::string(m_target.key);
    if (name == QLatin1String("_error")) {
        // Answers to releaseStream/FCPublish may be errors on some servers.
        if (transaction == kPublishTransaction) {
            ++m_counters->refused;
            m_state = State::Refused;
            m_socket.disconnectFromHost();
        } else if (transaction == kConnectTransaction || transaction == kCreateStreamTransaction) {
            fail(QStringLiteral("_error answer to transaction %1").arg(transaction));
        }
    } else if (name == QLatin1String("_result") && transaction == kConnectTransaction &&
               m_state == State::Connect) {
        sendCommand(0, {Amf0Value::string(QStringLiteral("releaseStream")),
                        Amf0Value::number(kReleaseStreamTransaction), null, key});
        sendCommand(0, {Amf0Value::string(QStringLiteral("FCPublish")),
                        Amf0Value::number(kFCPublishTransaction), null, key});
        sendCommand(0, {Amf0Value::string(QStringLiteral("createStream")),
                        Amf0Value::number(kCreateStreamTransaction), null});
        m_state = State::CreateStream;
    } else if (name == QLatin1String("_result") && transaction == kCreateStreamTransaction &&
               m_state == State::CreateStream) {
        m_streamId = values.size() > 3 ? uint32_t(values[3].toNumber()) : 0;
        sendCommand(m_streamId, {Amf0Value::string(QStringLiteral("publish")),
                                 Amf0Value::number(kPublishTransaction), null, key,
                                 Amf0Value::string(QStringLiteral("live"))});
        m_state = State::Publish;
    } else if (name == QLatin1String("onStatus") && values.size() > 3 &&
               m_state == State::Publish) {
        const Amf0Value &info = values[3];
        if (info.property(QStringLiteral("level")).toString() == QLatin1String("error")) {
            ++m_counters->refused;
            m_state = State::Refused;
            m_socket.disconnectFromHost();
        } else if (info.property(QStringLiteral("code")).toString() ==
                   QLatin1String("NetStream.Publish.Start")) {
            startPublishing();
        }
    }
}

void Publisher::startPublishing()
{
    const Amf0Value metadata = Amf0Value::ecmaArray({
        {QStringLiteral("duration"), Amf0Value::number(0)},
        {QStringLiteral("audiocodecid"), Amf0Value::number(kAacCodecId)},
        {QStringLiteral("audiosamplerate"), Amf0Value::number(m_audio.sampleRate())},
        {QStringLiteral("audiosamplesize"), Amf0Value::number(16)},
        {QStringLiteral("stereo"), Amf0Value::boolean(m_audio.channels() == 2)},
    });
    QByteArray out;
    m_writer.writeMessage(
        out, kDataCsid, MessageType::DataAmf0, m_streamId, 0,
        rtmp::encodeAmf0({Amf0Value::string(QStringLiteral("@setDataFrame")),
                          Amf0Value::string(QStringLiteral("onMetaData")), metadata}));
    const FlvAudio::Frame &header = m_audio.sequenceHeader();
    m_writer.writeMessage(out, kAudioCsid, MessageType::Audio, m_streamId, 0,
                          m_audio.data().constData() + header.offset, size_t(header.size));
    send(out);
    m_state = State::Publishing;
    m_publishStart_ns = monotonicNow_ns();
}

int64_t Publisher::nextDue_ns() const
{
    return m_publishStart_ns + int64_t(nextTimestamp_ms()) * 1000000;
}

uint32_t Publisher::nextTimestamp_ms() const
{
    return m_loops * m_audio.loopPeriod_ms() + m_audio.frames()[m_nextFrame].timestamp_ms;
}

void Publisher::sendDue(int64_t now_ns, QByteArray &scratch)
{
    // Most ticks find nothing due: return before asking the socket anything.
    if (m_state != State::Publishing || nextDue_ns() > now_ns)
        return;
    const std::vector<FlvAudio::Frame> &frames = m_audio.frames();
    const qint64 backlog = m_socket.bytesToWrite();
    scratch.resize(0);
    for (int64_t due = nextDue_ns(); due <= now_ns; due = nextDue_ns()) {
        if (backlog + scratch.size() > kMaxBacklogBytes)
            break;
        const FlvAudio::Frame &frame = frames[m_nextFrame];
        m_writer.writeMessage(scratch, kAudioCsid, MessageType::Audio, m_streamId,
                              nextTimestamp_ms(), m_audio.data().constData() + frame.offset,
                              size_t(frame.size));
        m_counters->maxSendLag_ns = std::max(m_counters->maxSendLag_ns, now_ns - due);
        ++m_counters->messagesSent;
        if (++m_nextFrame == frames.size()) {
            m_nextFrame = 0;
            ++m_loops;
        }
    }
    if (!scratch.isEmpty())
        send(scratch);
}

int64_t Publisher::pendingLag_ns(int64_t now_ns) const
{
    if (m_state != State::Publishing)
        return 0;
    return std::max<int64_t>(0, now_ns - nextDue_ns());
}

void Publisher::stop()
{
    if (m_state == State::Publishing) {
        const Amf0Value null = Amf0Value::null();
        sendCommand(0, {Amf0Value::string(QStringLiteral("FCUnpublish")),
                        Amf0Value::number(kFCUnpublishTransaction), null,
                        Amf0Value::string(m_target.key)});
        sendCommand(0, {Amf0Value::string(QStringLiteral("deleteStream")),
                        Amf0Value::number(kDeleteStreamTransaction), null,
                        Amf0Value::number(m_streamId)});
    }
    if (m_state != State::Failed && m_state != State::Refused)
        m_state = State::Closed;
    m_socket.disconnectFromHost();
}

void Publisher::sendCommand(uint32_t streamId, const std::vector<Amf0Value> &values)
{
    QByteArray out;
    m_writer.writeMessage(out, kCommandCsid, MessageType::CommandAmf0, streamId, 0,
                          rtmp::encodeAmf0(values));
    send(out);
}

void Publisher::send(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_counters->bytesSent += uint64_t(bytes.size());
}

void Publisher::fail(const QString &reason)
{
    if (m_state == State::Failed)
        return;
    // The first few reasons explain a failed run; thousands would drown them.
    if (m_counters->failed < kMaxLoggedFailures)
        std::fprintf(stderr, "roomscribe-loadgen: %s (stream key not shown): %s\n",
                     qPrintable(m_target.tcUrl()), qPrintable(reason));
    ++m_counters->failed;
    m_state = State::Failed;
    m_socket.abort();
}

} // namespace roomscribe::bench
