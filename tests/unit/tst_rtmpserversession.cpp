#include "ingest/rtmp/rtmpserversession.h"

#include <QTest>

#include <utility>
#include <vector>

using namespace roomscribe::rtmp;

namespace {

using State = RtmpServerSession::State;

constexpr int kHandshakeSize = 1536;

QByteArray pattern(int size, int seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        bytes[i] = char((i * 13 + seed * 101) & 0xff);
    return bytes;
}

Amf0Value str(const char *text)
{
    return Amf0Value::string(QString::fromUtf8(text));
}

Amf0Value num(double value)
{
    return Amf0Value::number(value);
}

// The publisher side, built from the same writer and AMF0 encoder. Each
// builder appends to the script; take() returns what was built.
class Client
{
public:
    QByteArray take() { return std::exchange(m_script, QByteArray()); }
    const QByteArray &c1() const { return m_c1; }

    Client &c0c1()
    {
        m_script += char(3) + m_c1;
        return *this;
    }
    Client &c2()
    {
        m_script += pattern(kHandshakeSize, 2);
        return *this;
    }
    Client &handshake() { return c0c1().c2(); }

    Client &message(uint32_t csid, MessageType type, uint32_t streamId, uint32_t timestamp,
                    const QByteArray &payload)
    {
        m_writer.writeMessage(m_script, csid, type, streamId, timestamp, payload);
        return *this;
    }

    Client &command(const std::vector<Amf0Value> &values, uint32_t streamId = 0)
    {
        return message(streamId == 0 ? 3 : 8, MessageType::CommandAmf0, streamId, 0,
                       encodeAmf0(values));
    }

    Client &setChunkSize(uint32_t size)
    {
        m_writer.writeSetChunkSize(m_script, size);
        return *this;
    }

    Client &connect(const char *app = "live")
    {
        return command({str("connect"), num(1),
                        Amf0Value::object(
                            {{QStringLiteral("app"), str(app)},
                             {QStringLiteral("type"), str("nonprivate")},
                             {QStringLiteral("flashVer"), str("FMLE/3.0 (compatible; FMSc/1.0)")},
                             {QStringLiteral("tcUrl"), str("rtmp://127.0.0.1:1935/live")}})});
    }

    Client &prepare()
    {
        return command({str("releaseStream"), num(2), Amf0Value::null(), str("key")})
            .command({str("FCPublish"), num(3), Amf0Value::null(), str("key")})
            .command({str("createStream"), num(4), Amf0Value::null()});
    }

    Client &publish(const char *name = "key?token=abc")
    {
        return command({str("publish"), num(5), Amf0Value::null(), str(name), str("live")}, 1);
    }

    Client &metadata()
    {
        return message(
            8, MessageType::DataAmf0, 1, 0,
            encodeAmf0({str("@setDataFrame"), str("onMetaData"),
                        Amf0Value::ecmaArray({{QStringLiteral("audiosamplerate"), num(44100)},
                                              {QStringLiteral("audiochannels"), num(2)},
                                              {QStringLiteral("audiocodecid"), num(10)}})}));
    }

    static QByteArray audioPayload(int index)
    {
        if (index == 0)
            return QByteArray::fromHex("af001210"); // AAC AudioSpecificConfig
        return QByteArray::fromHex("af01") + pattern(300 + index, index);
    }

    Client &audio(int index, uint32_t streamId = 1)
    {
        return message(4, MessageType::Audio, streamId, uint32_t(index) * 23, audioPayload(index));
    }

    Client &unpublish()
    {
        return command({str("FCUnpublish"), num(6), Amf0Value::null(), str("key")});
    }

    Client &deleteStream()
    {
        return command({str("deleteStream"), num(7), Amf0Value::null(), num(1)});
    }

private:
    QByteArray m_c1 = pattern(kHandshakeSize, 1);
    QByteArray m_script;
    RtmpChunkWriter m_writer;
};

class FakeDelegate : public RtmpServerSession::Delegate
{
public:
    struct Audio
    {
        uint32_t timestamp;
        QByteArray data;
        int64_t arrival_ns;
    };

    PublishDecision onPublish(const QString &app, const QString &streamKey) override
    {
        publishes.append(app + QLatin1Char('|') + streamKey);
        return decision;
    }
    void onAudio(uint32_t timestamp_ms, const char *data, size_t size, int64_t arrival_ns) override
    {
        audio.push_back({timestamp_ms, QByteArray(data, qsizetype(size)), arrival_ns});
    }
    void onUnpublish() override { ++unpublishes; }

    PublishDecision decision = PublishDecision::Accept;
    QStringList publishes;
    std::vector<Audio> audio;
    int unpublishes = 0;
};

struct Message
{
    MessageType type;
    uint32_t streamId;
    QByteArray payload;

    std::vector<Amf0Value> amf0() const
    {
        std::vector<Amf0Value> values;
        QString error;
        if (!decodeAmf0(payload.constData(), size_t(payload.size()), values, &error))
            qWarning() << "server sent bad AMF0:" << error;
        return values;
    }
    QString commandName() const
    {
        const auto values = amf0();
        return values.empty() ? QString() : values[0].toString();
    }
};

// Reads what the server sends: S0+S1+S2, then chunked messages.
class ServerOutput
{
public:
    void take(RtmpServerSession &session)
    {
        const QByteArray out = session.takeOutput();
        qsizetype pos = 0;
        while (handshake.size() < 1 + 2 * kHandshakeSize && pos < out.size())
            handshake.append(out[pos++]);
        while (pos < out.size()) {
            size_t consumed = 0;
            RtmpMessage message;
            const auto status =
                reader.read(out.constData() + pos, size_t(out.size() - pos), &consumed, &message);
            pos += qsizetype(consumed);
            QVERIFY2(status != RtmpChunkReader::Status::Error, qPrintable(reader.errorText()));
            if (status == RtmpChunkReader::Status::Message) {
                messages.push_back({message.type, message.streamId,
                                    QByteArray(message.data, qsizetype(message.size))});
            }
        }
    }

    std::vector<Message> takeMessages(RtmpServerSession &session)
    {
        take(session);
        return std::exchange(messages, {});
    }

    QByteArray handshake;
    std::vector<Message> messages;
    RtmpChunkReader reader;
};

bool feedBytewise(RtmpServerSession &session, const QByteArray &bytes, int64_t arrival_ns)
{
    bool open = true;
    for (char byte : bytes)
        open = session.feed(&byte, 1, arrival_ns);
    return open;
}

bool feed(RtmpServerSession &session, const QByteArray &bytes, int64_t arrival_ns = 1)
{
    return session.feed(bytes.constData(), size_t(bytes.size()), arrival_ns);
}

} // namespace

class TestRtmpServerSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullPublishAccepted();
    void wholeScriptByteAtATime();
    void appAndKeyAreCleaned();
    void audioOnlyWhilePublishing();
    void refusedPublish();
    void deferredPublishAccepted();
    void deferredPublishRefused();
    void deferredInputIsBounded();
    void completePublishWithoutDeferIsHarmless();
    void acknowledgementsPerWindow();
    void pingIsAnswered();
    void unsupportedVersion();
    void truncatedHandshakeWaits();
    void garbageAfterHandshake();
    void malformedCommand_data();
    void malformedCommand();
    void malformedDataMessageIsIgnored();
    void oversizedMessageFails();
    void unknownCommandIsIgnored();
    void amf3CommandEnvelope();
    void closeStreamThenRepublish();
    void deleteStreamWithoutPublish();
};

void TestRtmpServerSession::fullPublishAccepted()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    Client client;
    ServerOutput output;
    QCOMPARE(session.state(), State::Handshake);

    QVERIFY(feed(session, client.c0c1().take()));
    output.take(session);
    QCOMPARE(output.handshake.size(), 1 + 2 * kHandshakeSize);
    QCOMPARE(output.handshake[0], char(3));
    QCOMPARE(output.handshake.mid(5, 4), QByteArray(4, '\0'));
    QCOMPARE(output.handshake.mid(1 + kHandshakeSize), client.c1());
    QCOMPARE(session.state(), State::Handshake);
    QVERIFY(feed(session, client.c2().take()));
    QCOMPARE(session.state(), State::Connecting);
    QVERIFY(!session.hasOutput());

    QVERIFY(feed(session, client.setChunkSize(4096).connect().take()));
    auto messages = output.takeMessages(session);
    QCOMPARE(messages.size(), size_t(3));
    QCOMPARE(messages[0].type, MessageType::WindowAckSize);
    QCOMPARE(messages[0].payload, QByteArray::fromHex("002625a0"));
    QCOMPARE(messages[1].type, MessageType::SetPeerBandwidth);
    QCOMPARE(messages[1].payload, QByteArray::fromHex("002625a0 02"));
    QCOMPARE(output.reader.chunkSize(), 4096u);
    QCOMPARE(messages[2].type, MessageType::CommandAmf0);
    const auto result = messages[2].amf0();
    QCOMPARE(result.size(), size_t(4));
    QCOMPARE(result[0].toString(), QStringLiteral("_result"));
    QCOMPARE(result[1].toNumber(), 1.0);
    QVERIFY(
        result[2].property(QStringLiteral("fmsVer")).toString().startsWith(QLatin1String("FMS/")));
    QCOMPARE(result[2].property(QStringLiteral("capabilities")).toNumber(), 31.0);
    QCOMPARE(result[3].property(QStringLiteral("level")).toString(), QStringLiteral("status"));
    QCOMPARE(result[3].property(QStringLiteral("code")).toString(),
             QStringLiteral("NetConnection.Connect.Success"));
    QVERIFY(!result[3].property(QStringLiteral("description")).toString().isEmpty());
    QCOMPARE(result[3].property(QStringLiteral("objectEncoding")).type(), Amf0Value::Type::Number);
    QCOMPARE(result[3].property(QStringLiteral("objectEncoding")).toNumber(), 0.0);
    QCOMPARE(session.app(), QStringLiteral("live"));

    QVERIFY(feed(session, client.prepare().take()));
    messages = output.takeMessages(session);
    QCOMPARE(messages.size(), size_t(4));
    QCOMPARE(messages[0].commandName(), QStringLiteral("_result"));
    QCOMPARE(messages[0].amf0()[1].toNumber(), 2.0);
    QCOMPARE(messages[1].commandName(), QStringLiteral("_result"));
    QCOMPARE(messages[1].amf0()[1].toNumber(), 3.0);
    QCOMPARE(messages[2].commandName(), QStringLiteral("onFCPublish"));
    QCOMPARE(messages[3].commandName(), QStringLiteral("_result"));
    QCOMPARE(messages[3].amf0()[1].toNumber(), 4.0);
    QCOMPARE(messages[3].amf0()[3].toNumber(), 1.0);
    QVERIFY(delegate.publishes.isEmpty());

    QVERIFY(feed(session, client.publish().take()));
    QCOMPARE(delegate.publishes, QStringList{QStringLiteral("live|key")});
    QCOMPARE(session.state(), State::Publishing);
    QCOMPARE(session.streamKey(), QStringLiteral("key"));
    messages = output.takeMessages(session);
    QCOMPARE(messages.size(), size_t(2));
    QCOMPARE(messages[0].type, MessageType::UserControl);
    QCOMPARE(messages[0].payload, QByteArray::fromHex("0000 00000001"));
    QCOMPARE(messages[1].commandName(), QStringLiteral("onStatus"));
    QCOMPARE(messages[1].streamId, 1u);
    QCOMPARE(messages[1].amf0()[3].property(QStringLiteral("code")).toString(),
             QStringLiteral("NetStream.Publish.Start"));

    client.metadata();
    for (int i = 0; i < 20; ++i)
        client.audio(i);
    QVERIFY(feed(session, client.take(), 4242));
    QCOMPARE(delegate.audio.size(), size_t(20));
    for (int i = 0; i < 20; ++i) {
        QCOMPARE(delegate.audio[size_t(i)].timestamp, uint32_t(i * 23));
        QCOMPARE(delegate.audio[size_t(i)].data, Client::audioPayload(i));
        QCOMPARE(delegate.audio[size_t(i)].arrival_ns, int64_t(4242));
    }
    QVERIFY(!session.hasOutput());

    QVERIFY(feed(session, client.unpublish().take()));
    QCOMPARE(delegate.unpublishes, 1);
    QCOMPARE(session.state(), State::Connecting);
    messages = output.takeMessages(session);
    QCOMPARE(messages.size(), size_t(1));
    QCOMPARE(messages[0].amf0()[1].toNumber(), 6.0);
    QVERIFY(!feed(session, client.deleteStream().take()));
    QCOMPARE(delegate.unpublishes, 1);
    QCOMPARE(session.state(), State::Closed);
    QVERIFY(session.errorText().isEmpty());
    QVERIFY(!feed(session, client.audio(21).take()));
    QCOMPARE(delegate.audio.size(), size_t(20));

    QVERIFY(session.bytesReceived() > uint64_t(1 + 2 * kHandshakeSize));
}

void TestRtmpServerSession::wholeScriptByteAtATime()
{
    Client client;
    client.handshake().connect().prepare().publish().metadata();
    for (int i = 0; i < 10; ++i)
        client.audio(i);
    const QByteArray script = client.unpublish().deleteStream().take();

    FakeDelegate whole;
    RtmpServerSession wholeSession(&whole);
    QVERIFY(!feed(wholeSession, script));
    FakeDelegate bytewise;
    RtmpServerSession bytewiseSession(&bytewise);
    QVERIFY(!feedBytewise(bytewiseSession, script, 1));

    for (auto *session : {&wholeSession, &bytewiseSession}) {
        QCOMPARE(session->state(), State::Closed);
        QCOMPARE(session->bytesReceived(), uint64_t(script.size()));
    }
    QCOMPARE(bytewise.publishes, whole.publishes);
    QCOMPARE(bytewise.unpublishes, 1);
    QCOMPARE(bytewise.audio.size(), size_t(10));
    for (size_t i = 0; i < 10; ++i) {
        QCOMPARE(bytewise.audio[i].data, whole.audio[i].data);
        QCOMPARE(bytewise.audio[i].timestamp, whole.audio[i].timestamp);
    }
    ServerOutput wholeOutput;
    ServerOutput bytewiseOutput;
    const auto wholeMessages = wholeOutput.takeMessages(wholeSession);
    const auto bytewiseMessages = bytewiseOutput.takeMessages(bytewiseSession);
    QCOMPARE(bytewiseMessages.size(), wholeMessages.size());
    for (size_t i = 0; i < wholeMessages.size(); ++i)
        QCOMPARE(bytewiseMessages[i].payload, wholeMessages[i].payload);
}

void TestRtmpServerSession::appAndKeyAreCleaned()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    Client client;
    QVERIFY(
        feed(session,
             client.handshake().connect("live/?token=1").prepare().publish("abc?x=y&z").take()));
    QCOMPARE(session.app(), QStringLiteral("live"));
    QCOMPARE(session.streamKey(), QStringLiteral("abc"));
    QCOMPARE(delegate.publishes, QStringList{QStringLiteral("live|abc")});
}

void TestRtmpServerSession::audioOnlyWhilePublishing()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    Client client;
    QVERIFY(feed(session, client.handshake().connect().audio(1).prepare().audio(2).take()));
    QVERIFY(feed(session, client.publish()
                              .audio(3, 2)
                              .message(6, MessageType::Video, 1, 0, pattern(5000, 0))
                              .audio(4)
                              .take()));
    QCOMPARE(delegate.audio.size(), size_t(1));
    QCOMPARE(delegate.audio[0].data, Client::audioPayload(4));
    // An empty audio tag has nothing to decode.
    QVERIFY(feed(session, client.message(4, MessageType::Audio, 1, 200, QByteArray()).take()));
    QCOMPARE(delegate.audio.size(), size_t(1));
}

void TestRtmpServerSession::refusedPublish()
{
    FakeDelegate delegate;
    delegate.decision = PublishDecision::Refuse;
    RtmpServerSession session(&delegate);
    Client client;
    ServerOutput output;
    QVERIFY(feed(session, client.handshake().connect().prepare().take()));
    output.takeMessages(session);
    QVERIFY(!feed(session, client.publish().audio(0).take()));
    QCOMPARE(session.state(), State::Closed);
    QCOMPARE(session.errorText(), QStringLiteral("stream key refused"));
    QVERIFY(delegate.audio.empty());
    const auto messages = output.takeMessages(session);
    QCOMPARE(messages.size(), size_t(1));
    const auto status = messages[0].amf0();
    QCOMPARE(status[0].toString(), QStringLiteral("onStatus"));
    QCOMPARE(status[3].property(QStringLiteral("level")).toString(), QStringLiteral("error"));
    QCOMPARE(status[3].property(QStringLiteral("code")).toString(),
             QStringLiteral("NetStream.Publish.BadName"));
    QVERIFY(!feed(session, client.audio(1).take()));
    QCOMPARE(delegate.unpublishes, 0);
}

void TestRtmpServerSession::deferredPublishAccepted()
{
    FakeDelegate delegate;
    delegate.decision = PublishDecision::Defer;
    RtmpServerSession session(&delegate);
    Client client;
    ServerOutput output;
    QVERIFY(feed(session, client.handshake().connect().prepare().take()));
    output.takeMessages(session);

    QVERIFY(feed(session, client.publish().audio(0).audio(1).take(), 10));
    QCOMPARE(session.state(), State::Deferred);
    QCOMPARE(delegate.publishes.size(), 1);
    QVERIFY(!session.hasOutput());
    QVERIFY(feedBytewise(session, client.audio(2).audio(3).take(), 20));
    QVERIFY(delegate.audio.empty());

    QVERIFY(session.completePublish(true, 30));
    QCOMPARE(session.state(), State::Publishing);
    const auto messages = output.takeMessages(session);
    QCOMPARE(messages.size(), size_t(2));
    QCOMPARE(messages[0].payload, QByteArray::fromHex("0000 00000001"));
    QCOMPARE(messages[1].amf0()[3].property(QStringLiteral("code")).toString(),
             QStringLiteral("NetStream.Publish.Start"));
    QCOMPARE(delegate.audio.size(), size_t(4));
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(delegate.audio[size_t(i)].data, Client::audioPayload(i));
        QCOMPARE(delegate.audio[size_t(i)].arrival_ns, int64_t(30));
    }
    QVERIFY(feed(session, client.audio(4).take(), 40));
    QCOMPARE(delegate.audio.size(), size_t(5));
    QCOMPARE(delegate.audio[4].arrival_ns, int64_t(40));
    QCOMPARE(delegate.publishes.size(), 1);
}

void TestRtmpServerSession::deferredPublishRefused()
{
    FakeDelegate delegate;
    delegate.decision = PublishDecision::Defer;
    RtmpServerSession session(&delegate);
    Client client;
    ServerOutput output;
    QVERIFY(feed(session, client.handshake().connect().prepare().publish().audio(0).take()));
    output.takeMessages(session);
    QVERIFY(!session.completePublish(false, 5));
    QCOMPARE(session.state(), State::Closed);
    QCOMPARE(session.errorText(), QStringLiteral("stream key refused"));
    const auto messages = output.takeMessages(session);
    QCOMPARE(messages.size(), size_t(1));
    QCOMPARE(messages[0].amf0()[3].property(QStringLiteral("code")).toString(),
             QStringLiteral("NetStream.Publish.BadName"));
    QVERIFY(delegate.audio.empty());
}

void TestRtmpServerSession::deferredInputIsBounded()
{
    FakeDelegate delegate;
    delegate.decision = PublishDecision::Defer;
    RtmpServerSession::Limits limits;
    limits.maxPendingInput = 700;
    RtmpServerSession session(&delegate, limits);
    Client client;
    QVERIFY(feed(session, client.handshake().connect().prepare().publish().audio(1).take()));
    QVERIFY(feed(session, client.audio(2).take()));
    QVERIFY(!feed(session, client.audio(3).take()));
    QCOMPARE(session.state(), State::Failed);
    QCOMPARE(session.errorText(),
             QStringLiteral("more than 700 bytes arrived while the publish was deferred"));
    QVERIFY(!session.completePublish(true, 0));
    QVERIFY(delegate.audio.empty());
}

void TestRtmpServerSession::completePublishWithoutDeferIsHarmless()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    Client client;
    QVERIFY(session.completePublish(true, 0));
    QCOMPARE(session.state(), State::Handshake);
    QVERIFY(!session.hasOutput());
    QVERIFY(feed(session, client.handshake().connect().prepare().publish().take()));
    session.takeOutput();
    QVERIFY(session.completePublish(false, 0));
    QCOMPARE(session.state(), State::Publishing);
    QVERIFY(!session.hasOutput());
}

void TestRtmpServerSession::acknowledgementsPerWindow()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    Client client;
    ServerOutput output;
    QByteArray windowSize;
    windowSize.append(QByteArray::fromHex("00001388")); // 5000
    QVERIFY(feed(session, client.handshake()
                              .connect()
                              .message(2, MessageType::WindowAckSize, 0, 0, windowSize)
                              .prepare()
                              .publish()
                              .take()));
    uint64_t lastAck = 0;
    int acks = 0;
    // Each feed answers with one Acknowledgement once a window has filled.
    auto checkAcks = [&] {
        std::vector<Message> found;
        for (const Message &message : output.takeMessages(session)) {
            if (message.type == MessageType::Acknowledgement)
                found.push_back(message);
        }
        const bool due = session.bytesReceived() - lastAck >= 5000;
        QCOMPARE(found.size(), size_t(due ? 1 : 0));
        if (due) {
            QCOMPARE(found[0].payload.toHex().toUInt(nullptr, 16),
                     uint32_t(session.bytesReceived()));
            lastAck = session.bytesReceived();
            ++acks;
        }
    };
    checkAcks();
    for (int i = 0; i < 100; ++i) {
        QVERIFY(feed(session, client.audio(i).take()));
        checkAcks();
        if (QTest::currentTestFailed())
            return;
    }
    QVERIFY2(acks >= 5, qPrintable(QString::number(acks)));
    QCOMPARE(delegate.audio.size(), size_t(100));
}

void TestRtmpServerSession::pingIsAnswered()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    Client client;
    ServerOutput output;
    QVERIFY(feed(session, client.handshake().take()));
    output.take(session);
    QVERIFY(
        feed(session,
             client.message(2, MessageType::UserControl, 0, 0, QByteArray::fromHex("0006 12345678"))
                 .take()));
    auto messages = output.takeMessages(session);
    QCOMPARE(messages.size(), size_t(1));
    QCOMPARE(messages[0].type, MessageType::UserControl);
    QCOMPARE(messages[0].payload, QByteArray::fromHex("0007 12345678"));
    // Other events (Set Buffer Length here) need no answer.
    QVERIFY(feed(session, client
                              .message(2, MessageType::UserControl, 0, 0,
                                       QByteArray::fromHex("0003 00000001 00000bb8"))
                              .take()));
    QVERIFY(!session.hasOutput());
    QVERIFY(!feed(
        session, client.message(2, MessageType::UserControl, 0, 0, QByteArray::fromHex("0006 1234"))
                     .take()));
    QCOMPARE(session.errorText(), QStringLiteral("truncated ping request"));
}

void TestRtmpServerSession::unsupportedVersion()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    QByteArray bytes = Client().handshake().take();
    bytes[0] = char(6);
    QVERIFY(!feed(session, bytes));
    QCOMPARE(session.state(), State::Failed);
    QCOMPARE(session.errorText(), QStringLiteral("handshake: unsupported RTMP version 6"));
    QVERIFY(!session.hasOutput());
    QVERIFY(!feed(session, bytes));
}

void TestRtmpServerSession::truncatedHandshakeWaits()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    Client client;
    const QByteArray handshake = client.handshake().take();
    QVERIFY(feed(session, handshake.left(1000)));
    QVERIFY(!session.hasOutput());
    QCOMPARE(session.state(), State::Handshake);
    QVERIFY(feed(session, handshake.mid(1000, 537)));
    QCOMPARE(session.takeOutput().size(), 1 + 2 * kHandshakeSize);
    QVERIFY(feed(session, handshake.mid(1537, 1535)));
    QCOMPARE(session.state(), State::Handshake);
    QVERIFY(!session.hasOutput());
    QVERIFY(feed(session, handshake.right(1)));
    QCOMPARE(session.state(), State::Connecting);
    QVERIFY(!session.hasOutput());
    QCOMPARE(session.bytesReceived(), uint64_t(handshake.size()));
}

void TestRtmpServerSession::garbageAfterHandshake()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    QVERIFY(!feed(session, Client().handshake().take() + QByteArray(64, char(0xff))));
    QCOMPARE(session.state(), State::Failed);
    QCOMPARE(session.errorText(),
             QStringLiteral("chunk stream 63: type 3 header before any type 0 header"));
}

void TestRtmpServerSession::malformedCommand_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("error");
    QTest::newRow("truncated string") << QByteArray::fromHex("02 0007 636f6e6e65")
                                      << QStringLiteral("AMF0: truncated string at offset 0");
    QTest::newRow("bad marker") << QByteArray::fromHex(
                                       "02 0007 636f6e6e656374 00 3ff0000000000000 04")
                                << QStringLiteral("AMF0: unsupported marker 4 at offset 19");
    QTest::newRow("no transaction id")
        << encodeAmf0({str("connect"), str("1")})
        << QStringLiteral("command without a name and transaction id");
    QTest::newRow("empty") << QByteArray()
                           << QStringLiteral("command without a name and transaction id");
    QTest::newRow("before connect") << encodeAmf0({str("createStream"), num(2)})
                                    << QStringLiteral("command createStream before connect");
}

void TestRtmpServerSession::malformedCommand()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, error);
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    Client client;
    QVERIFY(!feed(session,
                  client.handshake().message(3, MessageType::CommandAmf0, 0, 0, payload).take()));
    QCOMPARE(session.state(), State::Failed);
    QCOMPARE(session.errorText(), error);
}

void TestRtmpServerSession::malformedDataMessageIsIgnored()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    Client client;
    QVERIFY(
        feed(session, client.handshake()
                          .connect()
                          .prepare()
                          .publish()
                          .message(8, MessageType::DataAmf0, 1, 0, QByteArray::fromHex("02 00ff"))
                          .message(8, MessageType::DataAmf3, 1, 0, QByteArray::fromHex("11"))
                          .message(8, MessageType::DataAmf0, 1, 0, encodeAmf0({num(1)}))
                          .audio(0)
                          .take()));
    QCOMPARE(session.state(), State::Publishing);
    QCOMPARE(delegate.audio.size(), size_t(1));
}

void TestRtmpServerSession::oversizedMessageFails()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    QVERIFY(!feed(session, Client().handshake().take() +
                               QByteArray::fromHex("04 000000 4c4b40 08 01000000")));
    QCOMPARE(session.errorText(), QStringLiteral("message of 5000000 bytes exceeds limit 1048576"));

    RtmpServerSession::Limits limits;
    limits.maxMessageSize = 200;
    RtmpServerSession small(&delegate, limits);
    Client client;
    QVERIFY(!feed(small, client.handshake().connect().prepare().publish().audio(1).take()));
    QCOMPARE(small.errorText(), QStringLiteral("message of 303 bytes exceeds limit 200"));
}

void TestRtmpServerSession::unknownCommandIsIgnored()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    Client client;
    QVERIFY(feed(session, client.handshake().connect().take()));
    session.takeOutput();
    QVERIFY(
        feed(session, client.command({str("getStreamLength"), num(9), Amf0Value::null()}).take()));
    QVERIFY(feed(session, client.command({str("_checkbw"), num(0)}).take()));
    QVERIFY(!session.hasOutput());
    QCOMPARE(session.state(), State::Connecting);
}

void TestRtmpServerSession::amf3CommandEnvelope()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    Client client;
    ServerOutput output;
    QVERIFY(feed(session, client.handshake().connect().take()));
    output.takeMessages(session);
    QVERIFY(
        feed(session, client
                          .message(3, MessageType::CommandAmf3, 0, 0,
                                   QByteArray(1, '\0') +
                                       encodeAmf0({str("createStream"), num(4), Amf0Value::null()}))
                          .take()));
    const auto messages = output.takeMessages(session);
    QCOMPARE(messages.size(), size_t(1));
    QCOMPARE(messages[0].amf0()[3].toNumber(), 1.0);
    QVERIFY(!feed(
        session,
        client.message(3, MessageType::CommandAmf3, 0, 0, QByteArray::fromHex("11 02")).take()));
    QCOMPARE(session.errorText(), QStringLiteral("command in AMF3 encoding"));
}

void TestRtmpServerSession::closeStreamThenRepublish()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    Client client;
    QVERIFY(feed(session, client.handshake().connect().prepare().publish().audio(0).take()));
    QVERIFY(
        feed(session,
             client.command({str("closeStream"), num(0), Amf0Value::null()}, 1).audio(1).take()));
    QCOMPARE(delegate.unpublishes, 1);
    QCOMPARE(session.state(), State::Connecting);
    QCOMPARE(delegate.audio.size(), size_t(1));
    // A later FCUnpublish does not report the end twice.
    QVERIFY(feed(session, client.unpublish().take()));
    QCOMPARE(delegate.unpublishes, 1);
    // The connection may publish again.
    QVERIFY(feed(session, client.publish("second").audio(2).take()));
    QCOMPARE(delegate.publishes.size(), 2);
    QCOMPARE(session.streamKey(), QStringLiteral("second"));
    QCOMPARE(delegate.audio.size(), size_t(2));
    QVERIFY(!feed(session, client.deleteStream().take()));
    QCOMPARE(delegate.unpublishes, 2);
}

void TestRtmpServerSession::deleteStreamWithoutPublish()
{
    FakeDelegate delegate;
    RtmpServerSession session(&delegate);
    Client client;
    QVERIFY(!feed(session, client.handshake().connect().deleteStream().take()));
    QCOMPARE(session.state(), State::Closed);
    QCOMPARE(delegate.unpublishes, 0);
    QVERIFY(session.hasOutput());
}

QTEST_APPLESS_MAIN(TestRtmpServerSession)
#include "tst_rtmpserversession.moc"
