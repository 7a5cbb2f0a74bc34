#include "ingest/rtmp/rtmpserversession.h"

#include "core/logging.h"
#include "ingest/rtmp/rtmpwire.h"

#include <QRandomGenerator>

#include <algorithm>
#include <array>
#include <utility>

namespace roomscribe::rtmp {

namespace {

constexpr uint8_t kRtmpVersion = 3;
constexpr size_t kHandshakeSize = 1536; // C1, C2, S1, S2
constexpr uint32_t kControlCsid = 2;
constexpr uint32_t kCommandCsid = 3;
constexpr uint32_t kStreamCsid = 5;
constexpr uint32_t kStreamId = 1; // the one stream createStream hands out
constexpr uint32_t kWindowAckSize = 2500000;
constexpr uint8_t kPeerBandwidthDynamic = 2;
constexpr uint32_t kOutChunkSize = 4096;
constexpr uint16_t kStreamBegin = 0;
constexpr uint16_t kPingRequest = 6;
constexpr uint16_t kPingResponse = 7;
// Peer-supplied text quoted in errors and logs is cut to this length.
constexpr qsizetype kMaxQuotedLength = 64;

Amf0Value statusObject(const QString &level, const QString &code, const QString &description)
{
    return Amf0Value::object({{QStringLiteral("level"), Amf0Value::string(level)},
                              {QStringLiteral("code"), Amf0Value::string(code)},
                              {QStringLiteral("description"), Amf0Value::string(description)}});
}

// Type 15/17 messages put a format byte (0 = AMF0) before their AMF0 body.
bool amf0Body(const RtmpMessage &message, const char **data, size_t *size)
{
    *data = message.data;
    *size = message.size;
    if (message.type != MessageType::CommandAmf3 && message.type != MessageType::DataAmf3)
        return true;
    if (message.size == 0 || message.data[0] != 0)
        return false;
    ++*data;
    --*size;
    return true;
}

// A metadata field for the log: a number, a boolean or "-" when absent.
QString describe(const Amf0Value &value)
{
    switch (value.type()) {
    case Amf0Value::Type::Number:
        return QString::number(value.toNumber());
    case Amf0Value::Type::Boolean:
        return value.toBoolean() ? QStringLiteral("true") : QStringLiteral("false");
    default:
        return QStringLiteral("-");
    }
}

QString stripQuery(const QString &text)
{
    return text.section(QLatin1Char('?'), 0, 0);
}

} // namespace

RtmpServerSession::RtmpServerSession(Delegate *delegate, Limits limits)
    : m_delegate(delegate), m_limits(limits),
      m_reader(RtmpChunkReader::Limits{limits.maxMessageSize, limits.maxChunkStreams,
                                       RtmpChunkReader::kDefaultKeptTypes})
{
}

bool RtmpServerSession::feed(const char *data, size_t size, int64_t arrival_ns)
{
    if (!isOpen())
        return false;
    m_bytesReceived += size;
    process(data, size, arrival_ns);
    return finish();
}

bool RtmpServerSession::completePublish(bool accepted, int64_t arrival_ns)
{
    if (m_state != State::Deferred)
        return isOpen();
    answerPublish(accepted);
    const QByteArray pending = std::exchange(m_pending, QByteArray());
    process(pending.constData(), size_t(pending.size()), arrival_ns);
    return finish();
}

QByteArray RtmpServerSession::takeOutput()
{
    return std::exchange(m_output, QByteArray());
}

bool RtmpServerSession::isOpen() const
{
    return m_state != State::Closed && m_state != State::Failed;
}

bool RtmpServerSession::finish()
{
    if (!isOpen())
        return false;
    if (m_ackWindow > 0 && m_bytesReceived - m_ackedBytes >= m_ackWindow) {
        m_ackedBytes = m_bytesReceived;
        QByteArray payload;
        wire::appendU32(payload, uint32_t(m_bytesReceived));
        sendControl(MessageType::Acknowledgement, payload);
    }
    return true;
}

void RtmpServerSession::fail(const QString &error)
{
    m_state = State::Failed;
    m_errorText = error;
}

void RtmpServerSession::process(const char *data, size_t size, int64_t arrival_ns)
{
    size_t pos = 0;
    if (m_state == State::Handshake)
        pos = readHandshake(data, size, arrival_ns);
    while (pos < size && (m_state == State::Connecting || m_state == State::Publishing)) {
        size_t used = 0;
        RtmpMessage message;
        const RtmpChunkReader::Status status =
            m_reader.read(data + pos, size - pos, &used, &message);
        pos += used;
        if (status == RtmpChunkReader::Status::Error)
            fail(m_reader.errorText());
        else if (status == RtmpChunkReader::Status::Message)
            handleMessage(message, arrival_ns);
    }
    if (m_state != State::Deferred || pos == size)
        return;
    if (size_t(m_pending.size()) + (size - pos) > m_limits.maxPendingInput) {
        fail(QStringLiteral("more than %1 bytes arrived while the publish was deferred")
                 .arg(m_limits.maxPendingInput));
        return;
    }
    m_pending.append(data + pos, qsizetype(size - pos));
}

size_t RtmpServerSession::readHandshake(const char *data, size_t size, int64_t arrival_ns)
{
    size_t pos = 0;
    if (!m_awaitingC2) {
        // Reject a wrong version at once rather than after 1536 more bytes.
        if (m_handshake.isEmpty() && size > 0 && uint8_t(data[0]) != kRtmpVersion) {
            fail(QStringLiteral("handshake: unsupported RTMP version %1").arg(uint8_t(data[0])));
            return 0;
        }
        pos = std::min(size, 1 + kHandshakeSize - size_t(m_handshake.size()));
        m_handshake.append(data, qsizetype(pos));
        if (size_t(m_handshake.size()) < 1 + kHandshakeSize)
            return pos;

        // S0, S1 = our time + zeros + random, S2 = echo of C1. Zeros in S1's
        // version field tell digest-handshake clients not to verify us.
        wire::appendU8(m_output, kRtmpVersion);
        wire::appendU32(m_output, uint32_t(arrival_ns / 1000000));
        wire::appendU32(m_output, 0);
        std::array<quint32, (kHandshakeSize - 8) / 4> random;
        QRandomGenerator::global()->fillRange(random.data(), qsizetype(random.size()));
        m_output.append(reinterpret_cast<const char *>(random.data()), qsizetype(sizeof random));
        m_output.append(m_handshake.constData() + 1, qsizetype(kHandshakeSize));
        m_handshake = QByteArray();
        m_awaitingC2 = true;
        m_c2Remaining = kHandshakeSize;
    }
    // C2's content is not verified: digest-handshake clients send a digest
    // of S1 rather than an echo.
    const size_t take = std::min(m_c2Remaining, size - pos);
    m_c2Remaining -= take;
    if (m_c2Remaining == 0)
        m_state = State::Connecting;
    return pos + take;
}

void RtmpServerSession::handleMessage(const RtmpMessage &message, int64_t arrival_ns)
{
    const auto *bytes = reinterpret_cast<const uint8_t *>(message.data);
    switch (message.type) {
    case MessageType::WindowAckSize:
        if (message.size < 4) {
            fail(QStringLiteral("truncated Window Acknowledgement Size message"));
            return;
        }
        m_ackWindow = wire::readU32(bytes);
        return;
    case MessageType::UserControl:
        handleUserControl(message);
        return;
    case MessageType::CommandAmf0:
    case MessageType::CommandAmf3:
        handleCommand(message);
        return;
    case MessageType::DataAmf0:
    case MessageType::DataAmf3:
        handleData(message);
        return;
    case MessageType::Audio:
        // Audio before the publish is answered, or on another stream, has no
        // consumer; an empty tag carries nothing to decode.
        if (m_state == State::Publishing && message.streamId == m_publishStreamId &&
            message.size > 0) {
            m_delegate->onAudio(message.timestamp_ms, message.data, message.size, arrival_ns);
        }
        return;
    default:
        // Acknowledgement and Set Peer Bandwidth from a publisher change
        // nothing here.
        return;
    }
}

void RtmpServerSession::handleUserControl(const RtmpMessage &message)
{
    if (message.size < 2) {
        fail(QStringLiteral("truncated User Control message"));
        return;
    }
    const auto *bytes = reinterpret_cast<const uint8_t *>(message.data);
    if (wire::readU16(bytes) != kPingRequest)
        return;
    if (message.size < 6) {
        fail(QStringLiteral("truncated ping request"));
        return;
    }
    QByteArray payload;
    wire::appendU16(payload, kPingResponse);
    payload.append(message.data + 2, 4);
    sendControl(MessageType::UserControl, payload);
}

void RtmpServerSession::handleCommand(const RtmpMessage &message)
{
    const char *body;
    size_t size;
    if (!amf0Body(message, &body, &size)) {
        fail(QStringLiteral("command in AMF3 encoding"));
        return;
    }
    std::vector<Amf0Value> values;
    QString error;
    if (!decodeAmf0(body, size, values, &error)) {
        fail(error);
        return;
    }
    if (values.size() < 2 || values[0].type() != Amf0Value::Type::String ||
        values[1].type() != Amf0Value::Type::Number) {
        fail(QStringLiteral("command without a name and transaction id"));
        return;
    }
    const QString name = values[0].toString();
    const double transactionId = values[1].toNumber();
    qCDebug(lcRtmp) << "command" << name.left(kMaxQuotedLength);

    if (name == QLatin1String("connect")) {
        handleConnect(transactionId, values);
    } else if (!m_connected) {
        fail(QStringLiteral("command %1 before connect").arg(name.left(kMaxQuotedLength)));
    } else if (name == QLatin1String("releaseStream") || name == QLatin1String("FCPublish") ||
               name == QLatin1String("FCUnpublish")) {
        if (transactionId != 0)
            sendResult(transactionId, {Amf0Value::null()});
        if (name == QLatin1String("FCPublish")) {
            sendCommand(
                kCommandCsid, 0,
                {Amf0Value::string(QStringLiteral("onFCPublish")), Amf0Value::number(0),
                 Amf0Value::null(),
                 statusObject(QStringLiteral("status"), QStringLiteral("NetStream.Publish.Start"),
                              QStringLiteral("FCPublish"))});
        } else if (name == QLatin1String("FCUnpublish")) {
            endPublish();
        }
    } else if (name == QLatin1String("createStream")) {
        sendResult(transactionId, {Amf0Value::null(), Amf0Value::number(kStreamId)});
    } else if (name == QLatin1String("publish")) {
        handlePublish(message, values);
    } else if (name == QLatin1String("closeStream")) {
        endPublish();
    } else if (name == QLatin1String("deleteStream")) {
        // The peer is done with its stream: nothing more to expect.
        endPublish();
        m_state = State::Closed;
    }
    // Other commands are ignored, as nginx-rtmp does: an _error could make a
    // client treat an optional call as fatal.
}

void RtmpServerSession::handleConnect(double transactionId, const std::vector<Amf0Value> &values)
{
    if (m_connected) {
        fail(QStringLiteral("connect received twice"));
        return;
    }
    m_connected = true;
    // "live/?token=x" and "live/" both name the app "live".
    m_app = values.size() > 2 ? stripQuery(values[2].property(QStringLiteral("app")).toString())
                              : QString();
    while (m_app.endsWith(QLatin1Char('/')))
        m_app.chop(1);

    QByteArray payload;
    wire::appendU32(payload, kWindowAckSize);
    sendControl(MessageType::WindowAckSize, payload);
    wire::appendU8(payload, kPeerBandwidthDynamic);
    sendControl(MessageType::SetPeerBandwidth, payload);
    m_writer.writeSetChunkSize(m_output, kOutChunkSize);

    const Amf0Value properties = Amf0Value::object(
        {{QStringLiteral("fmsVer"), Amf0Value::string(QStringLiteral("FMS/3,0,1,123"))},
         {QStringLiteral("capabilities"), Amf0Value::number(31)}});
    Amf0Value information =
        statusObject(QStringLiteral("status"), QStringLiteral("NetConnection.Connect.Success"),
                     QStringLiteral("Connection succeeded."));
    information.setProperty(QStringLiteral("objectEncoding"), Amf0Value::number(0));
    sendResult(transactionId, {properties, information});
}

void RtmpServerSession::handlePublish(const RtmpMessage &message,
                                      const std::vector<Amf0Value> &values)
{
    if (m_state != State::Connecting) {
        fail(QStringLiteral("publish received while publishing"));
        return;
    }
    if (values.size() < 4 || values[3].type() != Amf0Value::Type::String) {
        fail(QStringLiteral("publish without a stream name"));
        return;
    }
    m_streamKey = stripQuery(values[3].toString());
    m_publishStreamId = message.streamId;
    switch (m_delegate->onPublish(m_app, m_streamKey)) {
    case PublishDecision::Accept:
        answerPublish(true);
        return;
    case PublishDecision::Defer:
        m_state = State::Deferred;
        return;
    case PublishDecision::Refuse:
    case PublishDecision::Invalid:
        answerPublish(false);
        return;
    }
}

void RtmpServerSession::answerPublish(bool accepted)
{
    if (!accepted) {
        sendStatus(QStringLiteral("error"), QStringLiteral("NetStream.Publish.BadName"),
                   QStringLiteral("Stream key refused."));
        m_state = State::Closed;
        m_errorText = QStringLiteral("stream key refused");
        return;
    }
    QByteArray payload;
    wire::appendU16(payload, kStreamBegin);
    wire::appendU32(payload, m_publishStreamId);
    sendControl(MessageType::UserControl, payload);
    sendStatus(QStringLiteral("status"), QStringLiteral("NetStream.Publish.Start"),
               QStringLiteral("Publishing started."));
    m_state = State::Publishing;
    qCDebug(lcRtmp) << "publishing to app" << m_app.left(kMaxQuotedLength);
}

void RtmpServerSession::endPublish()
{
    if (m_state != State::Publishing)
        return;
    m_state = State::Connecting;
    m_delegate->onUnpublish();
}

void RtmpServerSession::handleData(const RtmpMessage &message)
{
    const char *body;
    size_t size;
    std::vector<Amf0Value> values;
    QString error;
    if (!amf0Body(message, &body, &size)) {
        qCDebug(lcRtmp) << "ignoring a data message in AMF3 encoding";
        return;
    }
    if (!decodeAmf0(body, size, values, &error)) {
        qCDebug(lcRtmp) << "ignoring a malformed data message:" << error;
        return;
    }
    // @setDataFrame("onMetaData", {...}) or onMetaData({...}): only logged,
    // the audio tags themselves describe the stream.
    const auto metadata = std::find_if(values.begin(), values.end(), [](const Amf0Value &value) {
        return value.type() == Amf0Value::Type::Object ||
               value.type() == Amf0Value::Type::EcmaArray;
    });
    if (metadata == values.end())
        return;
    qCDebug(lcRtmp).noquote() << "metadata: audiosamplerate"
                              << describe(metadata->property(QStringLiteral("audiosamplerate")))
                              << "audiochannels"
                              << describe(metadata->property(QStringLiteral("audiochannels")))
                              << "stereo" << describe(metadata->property(QStringLiteral("stereo")));
}

void RtmpServerSession::sendControl(MessageType type, const QByteArray &payload)
{
    m_writer.writeMessage(m_output, kControlCsid, type, 0, 0, payload);
}

void RtmpServerSession::sendCommand(uint32_t csid, uint32_t streamId,
                                    const std::vector<Amf0Value> &values)
{
    m_writer.writeMessage(m_output, csid, MessageType::CommandAmf0, streamId, 0,
                          encodeAmf0(values));
}

void RtmpServerSession::sendResult(double transactionId, std::vector<Amf0Value> values)
{
    values.insert(values.begin(),
                  {Amf0Value::string(QStringLiteral("_result")), Amf0Value::number(transactionId)});
    sendCommand(kCommandCsid, 0, values);
}

void RtmpServerSession::sendStatus(const QString &level, const QString &code,
                                   const QString &description)
{
    sendCommand(kStreamCsid, m_publishStreamId,
                {Amf0Value::string(QStringLiteral("onStatus")), Amf0Value::number(0),
                 Amf0Value::null(), statusObject(level, code, description)});
}

} // namespace roomscribe::rtmp
