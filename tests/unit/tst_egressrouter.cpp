// The router with everything real around it in one process: the engine's
// ingest (RTMP and Track Egress endpoints), its Twirp client, room directory
// and webhook endpoint, against the fake LiveKit server with real media.
// Idempotent starts, a 429 that queues instead of failing, an explicit stop
// that wins over a start in flight and finishes with LiveKit gone, Track
// Egress following participants, stopping everything, and the hidden
// participant when no egress is left (a signalling drop; a speaker who
// starts publishing after it joined).

#include "fakelivekit.h"
#include "ingest/chunkconsumer.h"
#include "ingest/ingestserver.h"
#include "livekit/roomdirectory.h"
#include "media/opusrtpdecoder.h"
#include "routing/roomcontrol.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <QMutex>

#include <algorithm>
#include <memory>

using namespace roomscribe;
using namespace roomscribe::test;

namespace {

const QString kApiKey = QStringLiteral("APIrouter");
const QByteArray kApiSecret = "router-test-secret-long-enough-for-hs256";

// Every stream's 16 kHz audio by participant identity, from the streams' threads.
struct CapturedAudio
{
    mutable QMutex mutex;
    QHash<QString, QByteArray> pcm;
    QList<ingest::StreamLabel> streams; // as they were opened

    QList<ingest::StreamLabel> labels() const
    {
        QMutexLocker lock(&mutex);
        return streams;
    }

    QByteArray of(const QString &identity) const
    {
        QMutexLocker lock(&mutex);
        return pcm.value(identity);
    }
};

class CapturingConsumer final : public ingest::ChunkConsumer
{
public:
    CapturingConsumer(std::shared_ptr<CapturedAudio> audio, QString identity)
        : m_audio(std::move(audio)), m_identity(std::move(identity))
    {
    }
    void consumeChunk(const media::PcmChunk &chunk) override
    {
        QMutexLocker lock(&m_audio->mutex);
        m_audio->pcm[m_identity].append(chunk.pcm);
    }
    void finish(std::function<void()> done) override { done(); }

private:
    std::shared_ptr<CapturedAudio> m_audio;
    QString m_identity;
};

// What a receiver that lost nothing decodes from a track's Opus packets:
// the same packets as RTP (consecutive sequence numbers and timestamps)
// through the engine's own decoder.
QByteArray expectedDecode(const std::vector<QByteArray> &opusPackets)
{
    QByteArray pcm;
    media::OpusRtpStreamDecoder decoder(100,
                                        [&pcm](media::PcmChunk &&chunk) { pcm.append(chunk.pcm); });
    uint16_t sequence = 1000;
    uint32_t timestamp = 48000;
    for (const QByteArray &payload : opusPackets) {
        QByteArray rtp(12, '\0');
        rtp[0] = char(0x80);
        rtp[1] = char(media::OpusRtpStreamDecoder::kDefaultPayloadType);
        rtp[2] = char(sequence >> 8);
        rtp[3] = char(sequence & 0xff);
        for (int i = 0; i < 4; ++i)
            rtp[4 + i] = char(timestamp >> (24 - 8 * i));
        rtp[11] = 1;
        rtp.append(payload);
        decoder.feed(rtp.constData(), size_t(rtp.size()), 0);
        ++sequence;
        timestamp += 960;
    }
    decoder.flush();
    return pcm;
}

} // namespace

class TestEgressRouter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void startIsIdempotent();
    void resourceExhaustedQueues();
    void stopWinsOverStartInFlight();
    void stopFinishesWithLiveKitGone();
    void trackEgressFollowsParticipants();
    void stopAllStopsEveryEgress();
    void ledgerRecordsWhatRuns();
    void roomMethodOverridesDefault();
    void participantWhenBudgetSpent();
    void participantHearsLateSpeaker();

private:
    // An ingest that can join rooms as a hidden participant, in place of the
    // one init() made; its streams captured per speaker.
    std::shared_ptr<CapturedAudio> startParticipantIngest();
    // Empty if each speaker's stream is a prefix of the decode of the
    // packets the fake sent for that speaker (16000 bytes at least and, when
    // `whole`, all of it but what the stream still holds); otherwise what
    // is not.
    QString audioMismatch(const CapturedAudio &audio, const QString &room,
                          const QStringList &speakers, bool whole) const;
    void startControl(int egressLimit, routing::Method method,
                      const QHash<QString, routing::Method> &roomMethods = {});
    void join(const QString &room, const QString &identity);
    routing::RoomStatus statusOf(const QString &room) const;
    int activeEgresses() const;
    QJsonArray ledgerEntries() const;

    QTemporaryDir m_dir;
    QString m_sample;
    QString m_lateSample; // another voice, for a speaker who joins late
    std::unique_ptr<FakeLiveKit> m_fake;
    std::unique_ptr<ingest::IngestServer> m_ingest;
    std::unique_ptr<routing::RoomControl> m_control;
    QString m_ledgerPath;
};

void TestEgressRouter::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_sample = makeSpeech(m_dir.path(), QStringLiteral("speech"), QStringLiteral("en"),
                          QStringLiteral("One two three, the router test speaks."), 48000, 2);
    QVERIFY(!m_sample.isEmpty());
    m_lateSample = makeSpeech(m_dir.path(), QStringLiteral("late"), QStringLiteral("en"),
                              QStringLiteral("Sorry I am late, four five six."), 48000, 2);
    QVERIFY(!m_lateSample.isEmpty());
}

void TestEgressRouter::init()
{
    m_fake = std::make_unique<FakeLiveKit>();
    m_fake->setCredentials(kApiKey, kApiSecret);
    QString error;
    QVERIFY2(m_fake->listen(&error), qPrintable(error));

    ingest::IngestConfig config;
    config.rtmpAddress = QHostAddress::LocalHost;
    config.rtmpPort = 0;
    config.trackAddress = QHostAddress::LocalHost;
    config.workers = 1;
    m_ingest = std::make_unique<ingest::IngestServer>(config);
    QVERIFY2(m_ingest->start(&error), qPrintable(error));
    m_ledgerPath =
        m_dir.filePath(QStringLiteral("ledger-%1.json").arg(QTest::currentTestFunction()));
}

void TestEgressRouter::cleanup()
{
    if (m_control) {
        QSignalSpy stopped(m_control.get(), &routing::RoomControl::stopped);
        m_control->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!stopped.isEmpty(), 30000);
    }
    m_control.reset();
    QSignalSpy ingestStopped(m_ingest.get(), &ingest::IngestServer::stopped);
    m_ingest->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!ingestStopped.isEmpty(), 30000);
    m_ingest.reset();
    m_fake.reset();
}

void TestEgressRouter::startControl(int egressLimit, routing::Method method,
                                    const QHash<QString, routing::Method> &roomMethods)
{
    routing::RoomControlConfig config;
    config.server.host = m_fake->url();
    config.server.apiKey = kApiKey;
    config.server.apiSecret = kApiSecret;
    config.server.transferTimeout = std::chrono::milliseconds(2000);
    config.rtmpPublicUrl =
        QUrl(QStringLiteral("rtmp://127.0.0.1:%1/live").arg(m_ingest->rtmpPort()));
    config.wsPublicUrl = QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_ingest->trackPort()));
    config.webhooks = true;
    config.webhookAddress = QHostAddress::LocalHost;
    config.pollInterval_ms = 300;
    config.router.egressLimit = egressLimit;
    config.router.defaultMethod = method;
    config.router.roomMethods = roomMethods;
    config.router.retry = {50, 2.0, 400};
    config.ledgerPath = m_ledgerPath;
    m_control = std::make_unique<routing::RoomControl>(config, m_ingest.get());
    QString error;
    QVERIFY2(m_control->start(&error), qPrintable(error));
    m_fake->setWebhookUrl(
        QUrl(QStringLiteral("http://127.0.0.1:%1/webhook").arg(m_control->webhookPort())));
}

void TestEgressRouter::join(const QString &room, const QString &identity)
{
    QString error;
    QVERIFY2(!m_fake->joinParticipant(room, {identity, identity, m_sample}, &error).isEmpty(),
             qPrintable(error));
}

routing::RoomStatus TestEgressRouter::statusOf(const QString &room) const
{
    for (const routing::RoomStatus &status : m_control->router()->rooms()) {
        if (status.room == room)
            return status;
    }
    return {};
}

int TestEgressRouter::activeEgresses() const
{
    int active = 0;
    for (const FakeEgress &egress : m_fake->egresses())
        active += livekit::isActive(egress.status) ? 1 : 0;
    return active;
}

QJsonArray TestEgressRouter::ledgerEntries() const
{
    QFile file(m_ledgerPath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll())[QStringLiteral("egresses")].toArray();
}

void TestEgressRouter::startIsIdempotent()
{
    join(QStringLiteral("one"), QStringLiteral("ann"));
    join(QStringLiteral("one"), QStringLiteral("bob"));
    startControl(2, routing::Method::Auto);
    routing::EgressRouter *router = m_control->router();
    router->startRoom(QStringLiteral("one"));
    router->startRoom(QStringLiteral("one"));
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("one")).phase, routing::RoomPhase::Running,
                              15000);
    QCOMPARE(statusOf(QStringLiteral("one")).method, routing::Method::Composite);
    router->startRoom(QStringLiteral("one"));
    router->startRoom(QStringLiteral("one"), routing::Method::Track);
    // Several polls and webhooks later, still one egress.
    QTest::qWait(1000);
    QCOMPARE(m_fake->egressStartCount(), 1);
    QCOMPARE(statusOf(QStringLiteral("one")).egresses, 1);
    QCOMPARE(statusOf(QStringLiteral("one")).method, routing::Method::Composite);
}

void TestEgressRouter::resourceExhaustedQueues()
{
    // The engine believes in three; LiveKit allows one: the second start is
    // answered 429, which queues the room instead of failing it.
    m_fake->setEgressLimit(1);
    for (const char *room : {"first", "second"}) {
        join(QString::fromLatin1(room), QStringLiteral("ann"));
        join(QString::fromLatin1(room), QStringLiteral("bob"));
    }
    startControl(3, routing::Method::Composite);
    routing::EgressRouter *router = m_control->router();
    router->startRoom(QStringLiteral("first"));
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("first")).phase, routing::RoomPhase::Running,
                              15000);
    router->startRoom(QStringLiteral("second"));
    QTRY_VERIFY_WITH_TIMEOUT(m_fake->egressRefusedCount() >= 1, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(statusOf(QStringLiteral("second")).phase ==
                                     routing::RoomPhase::Queued &&
                                 router->budget().full,
                             15000);
    QVERIFY(statusOf(QStringLiteral("second")).detail.contains(QStringLiteral("limit")));

    // When the first room stops, LiveKit's list shows room again and the
    // second starts.
    router->stopRoom(QStringLiteral("first"));
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("first")).phase, routing::RoomPhase::Stopped,
                              15000);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("second")).phase, routing::RoomPhase::Running,
                              20000);
    QCOMPARE(m_fake->egressStartCount(), 2);
    QCOMPARE(activeEgresses(), 1);
}

void TestEgressRouter::stopWinsOverStartInFlight()
{
    join(QStringLiteral("brief"), QStringLiteral("ann"));
    join(QStringLiteral("brief"), QStringLiteral("bob"));
    startControl(2, routing::Method::Composite);
    routing::EgressRouter *router = m_control->router();
    // Stopped the moment its start is sent: the answer is still to come.
    bool stopped = false;
    QObject context;
    connect(router, &routing::EgressRouter::roomChanged, &context,
            [&](const routing::RoomStatus &status) {
                if (status.phase == routing::RoomPhase::Starting && !stopped) {
                    stopped = true;
                    router->stopRoom(status.room);
                }
            });
    router->startRoom(QStringLiteral("brief"));
    QTRY_VERIFY_WITH_TIMEOUT(stopped, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("brief")).phase, routing::RoomPhase::Stopped,
                              15000);
    QTRY_COMPARE_WITH_TIMEOUT(activeEgresses(), 0, 15000);
    QCOMPARE(m_fake->egressStartCount(), 1);
    // Stopped stays stopped.
    QTest::qWait(800);
    QCOMPARE(statusOf(QStringLiteral("brief")).phase, routing::RoomPhase::Stopped);
    QCOMPARE(m_fake->egressStartCount(), 1);
    QCOMPARE(ledgerEntries().size(), 0);
}

void TestEgressRouter::stopFinishesWithLiveKitGone()
{
    join(QStringLiteral("lost"), QStringLiteral("ann"));
    join(QStringLiteral("lost"), QStringLiteral("bob"));
    startControl(2, routing::Method::Composite);
    routing::EgressRouter *router = m_control->router();
    router->startRoom(QStringLiteral("lost"));
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("lost")).phase, routing::RoomPhase::Running,
                              15000);
    const QString egressId = m_fake->egresses().constFirst().egressId;
    m_fake.reset(); // LiveKit unreachable: its egress media stop with it
    router->stopRoom(QStringLiteral("lost"));
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("lost")).phase, routing::RoomPhase::Stopped,
                              15000);
    // Recorded to be stopped once LiveKit answers again.
    const QJsonArray entries = ledgerEntries();
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries[0][QStringLiteral("egress_id")].toString(), egressId);
    QVERIFY(entries[0][QStringLiteral("stop_pending")].toBool());
    // The fake is gone: nothing for cleanup() to stop.
    m_control.reset();
    m_fake = std::make_unique<FakeLiveKit>();
}

void TestEgressRouter::trackEgressFollowsParticipants()
{
    join(QStringLiteral("panel"), QStringLiteral("ann"));
    startControl(2, routing::Method::Track);
    routing::EgressRouter *router = m_control->router();
    router->startRoom(QStringLiteral("panel"));
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("panel")).phase, routing::RoomPhase::Running,
                              15000);
    QCOMPARE(statusOf(QStringLiteral("panel")).egresses, 1);

    join(QStringLiteral("panel"), QStringLiteral("bob"));
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("panel")).egresses, 2, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(activeEgresses(), 2, 15000);

    // A third speaker finds the budget spent and waits, visibly.
    join(QStringLiteral("panel"), QStringLiteral("cat"));
    QTRY_VERIFY_WITH_TIMEOUT(statusOf(QStringLiteral("panel")).detail.contains(QStringLiteral("1")),
                             15000);
    QCOMPARE(statusOf(QStringLiteral("panel")).egresses, 2);

    // ann leaves: her egress ends, cat's starts.
    QString error;
    QVERIFY2(m_fake->leaveParticipant(QStringLiteral("panel"), QStringLiteral("ann"), &error),
             qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(
        ([this] {
            QStringList running;
            for (const FakeEgress &egress : m_fake->egresses()) {
                if (livekit::isActive(egress.status))
                    running.append(egress.participantIdentity);
            }
            running.sort();
            return running == QStringList{QStringLiteral("bob"), QStringLiteral("cat")};
        }()),
        20000);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("panel")).egresses, 2, 15000);
    QCOMPARE(m_fake->egressStartCount(), 3);
}

void TestEgressRouter::stopAllStopsEveryEgress()
{
    join(QStringLiteral("a"), QStringLiteral("ann"));
    join(QStringLiteral("a"), QStringLiteral("bob"));
    join(QStringLiteral("b"), QStringLiteral("cat"));
    startControl(2, routing::Method::Auto);
    routing::EgressRouter *router = m_control->router();
    router->startRoom(QStringLiteral("a"));
    router->startRoom(QStringLiteral("b"));
    QTRY_VERIFY_WITH_TIMEOUT(statusOf(QStringLiteral("a")).phase == routing::RoomPhase::Running &&
                                 statusOf(QStringLiteral("b")).phase == routing::RoomPhase::Running,
                             15000);
    QCOMPARE(statusOf(QStringLiteral("b")).method, routing::Method::Track);
    QCOMPARE(ledgerEntries().size(), 2);

    QSignalSpy stopped(m_control.get(), &routing::RoomControl::stopped);
    m_control->stop();
    QTRY_VERIFY_WITH_TIMEOUT(!stopped.isEmpty(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(activeEgresses(), 0, 15000);
    for (const FakeEgress &egress : m_fake->egresses())
        QCOMPARE(egress.status, livekit::EgressStatus::Complete);
    QCOMPARE(ledgerEntries().size(), 0);
    m_control.reset();
}

void TestEgressRouter::ledgerRecordsWhatRuns()
{
    join(QStringLiteral("kept"), QStringLiteral("ann"));
    startControl(2, routing::Method::Track);
    m_control->router()->startRoom(QStringLiteral("kept"));
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("kept")).phase, routing::RoomPhase::Running,
                              15000);
    const QJsonArray entries = ledgerEntries();
    QCOMPARE(entries.size(), 1);
    const FakeEgress egress = m_fake->egresses().constFirst();
    const QJsonObject entry = entries[0].toObject();
    QCOMPARE(entry[QStringLiteral("egress_id")].toString(), egress.egressId);
    QCOMPARE(entry[QStringLiteral("method")].toString(), QStringLiteral("track"));
    QCOMPARE(entry[QStringLiteral("participant")].toString(), QStringLiteral("ann"));
    QCOMPARE(entry[QStringLiteral("track_sid")].toString(), egress.trackSid);
    QCOMPARE(entry[QStringLiteral("url")].toString(), egress.websocketUrl);
    // It holds stream keys: its owner only.
    QCOMPARE(QFile::permissions(m_ledgerPath) & (QFile::ReadGroup | QFile::ReadOther),
             QFile::Permissions());
}

void TestEgressRouter::roomMethodOverridesDefault()
{
    // Two speakers would get a composite; the operator pinned the room to tracks.
    join(QStringLiteral("pinned"), QStringLiteral("ann"));
    join(QStringLiteral("pinned"), QStringLiteral("bob"));
    startControl(2, routing::Method::Auto, {{QStringLiteral("pinned"), routing::Method::Track}});
    m_control->router()->startRoom(QStringLiteral("pinned"));
    QTRY_VERIFY_WITH_TIMEOUT(statusOf(QStringLiteral("pinned")).phase ==
                                     routing::RoomPhase::Running &&
                                 statusOf(QStringLiteral("pinned")).egresses == 2,
                             15000);
    QCOMPARE(statusOf(QStringLiteral("pinned")).method, routing::Method::Track);
    QCOMPARE(statusOf(QStringLiteral("pinned")).requestedMethod, routing::Method::Track);
    for (const FakeEgress &egress : m_fake->egresses())
        QCOMPARE(egress.kind, livekit::EgressKind::Track);
}

void TestEgressRouter::participantWhenBudgetSpent()
{
    const std::shared_ptr<CapturedAudio> audio = startParticipantIngest();
    QVERIFY(audio);

    // Three speakers, no egress left: auto takes the room as a participant.
    const QStringList speakers{QStringLiteral("ann"), QStringLiteral("bob"), QStringLiteral("cid")};
    for (const QString &speaker : speakers)
        join(QStringLiteral("quiet"), speaker);
    m_fake->setEgressLimit(0);
    startControl(0, routing::Method::Auto);
    m_control->router()->startRoom(QStringLiteral("quiet"));
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("quiet")).phase, routing::RoomPhase::Running,
                              30000);
    QCOMPARE(statusOf(QStringLiteral("quiet")).method, routing::Method::Participant);

    // Each speaker's stream is exactly the decode of that speaker's packets:
    // what has arrived so far is a prefix of it.
    QTRY_VERIFY_WITH_TIMEOUT(audio->of(QStringLiteral("ann")).size() >= 16000, 30000);
    QString mismatch = audioMismatch(*audio, QStringLiteral("quiet"), speakers, false);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));

    // The signalling drops mid-call: the session resumes, the media never
    // stopped, and every speaker's audio arrives whole and exact.
    QCOMPARE(m_fake->dropSignalling(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!m_fake->rtcSessions().isEmpty() &&
                                 m_fake->rtcSessions().constFirst().resumes == 1 &&
                                 m_fake->rtcSessions().constFirst().signallingConnected,
                             30000);
    QTRY_VERIFY2_WITH_TIMEOUT(
        (mismatch = audioMismatch(*audio, QStringLiteral("quiet"), speakers, true)).isEmpty(),
        qPrintable(mismatch), 30000);
    QCOMPARE(statusOf(QStringLiteral("quiet")).method, routing::Method::Participant);
    QCOMPARE(m_fake->egressStartCount(), 0);
    QVERIFY2(m_fake->rtcViolations().isEmpty(),
             qPrintable(m_fake->rtcViolations().join(QStringLiteral("; "))));

    // A stop leaves the room and finishes.
    m_control->router()->stopRoom(QStringLiteral("quiet"));
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(QStringLiteral("quiet")).phase, routing::RoomPhase::Stopped,
                              30000);
    QVERIFY2(m_fake->rtcViolations().isEmpty(),
             qPrintable(m_fake->rtcViolations().join(QStringLiteral("; "))));
}

std::shared_ptr<CapturedAudio> TestEgressRouter::startParticipantIngest()
{
    QSignalSpy ingestStopped(m_ingest.get(), &ingest::IngestServer::stopped);
    m_ingest->stop();
    if (!QTest::qWaitFor([&] { return !ingestStopped.isEmpty(); }))
        return nullptr;
    auto audio = std::make_shared<CapturedAudio>();
    ingest::IngestConfig config;
    config.rtmpAddress = QHostAddress::LocalHost;
    config.rtmpPort = 0;
    config.workers = 1;
    config.participant.livekitUrl = m_fake->url();
    config.participant.apiKey = kApiKey;
    config.participant.apiSecret = kApiSecret;
    config.consumerFactory = [audio](const QString &, const QString &,
                                     const ingest::StreamLabel &label) {
        {
            QMutexLocker lock(&audio->mutex);
            audio->streams.append(label);
        }
        std::vector<std::unique_ptr<ingest::ChunkConsumer>> consumers;
        consumers.push_back(std::make_unique<CapturingConsumer>(audio, label.participant));
        return consumers;
    };
    m_ingest = std::make_unique<ingest::IngestServer>(config);
    QString error;
    if (!m_ingest->start(&error)) {
        qWarning().noquote() << "the participant ingest does not start:" << error;
        return nullptr;
    }
    return audio;
}

QString TestEgressRouter::audioMismatch(const CapturedAudio &audio, const QString &room,
                                        const QStringList &speakers, bool whole) const
{
    // The samples are short: the whole of each, but the chunk the stream
    // still holds until it ends.
    constexpr qsizetype kHeld_bytes = 2 * 3200;
    for (const QString &speaker : speakers) {
        const QByteArray expected = expectedDecode(m_fake->opusPackets(room, speaker));
        const QByteArray received = audio.of(speaker);
        if (received.size() < 16000 || !expected.startsWith(received) ||
            (whole && (expected.size() < 32000 || received.size() < expected.size() - kHeld_bytes)))
            return QStringLiteral("%1: %2 of %3 bytes%4")
                .arg(speaker)
                .arg(received.size())
                .arg(expected.size())
                .arg(expected.startsWith(received) ? QString() : QStringLiteral(", not a prefix"));
    }
    return {};
}

void TestEgressRouter::participantHearsLateSpeaker()
{
    const std::shared_ptr<CapturedAudio> audio = startParticipantIngest();
    QVERIFY(audio);
    const QString room = QStringLiteral("latecomer");
    const QStringList early{QStringLiteral("ann"), QStringLiteral("bob")};
    for (const QString &speaker : early)
        join(room, speaker);
    m_fake->setEgressLimit(0);
    startControl(0, routing::Method::Auto);
    m_control->router()->startRoom(room);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(room).phase, routing::RoomPhase::Running, 30000);
    QCOMPARE(statusOf(room).method, routing::Method::Participant);
    QTRY_VERIFY_WITH_TIMEOUT(audio->of(QStringLiteral("ann")).size() >= 16000, 30000);

    // Dan starts publishing after the engine joined: LiveKit renegotiates the
    // subscriber PeerConnection, and he gets a stream of his own.
    const QString late = QStringLiteral("dan");
    QString error;
    QVERIFY2(!m_fake->joinParticipant(room, {late, late, m_lateSample}, &error).isEmpty(),
             qPrintable(error));
    const QString lateTrack = m_fake->microphoneTrackSid(room, late);
    const QStringList speakers = early + QStringList{late};
    QString mismatch;
    QTRY_VERIFY2_WITH_TIMEOUT((mismatch = audioMismatch(*audio, room, speakers, true)).isEmpty(),
                              qPrintable(mismatch), 60000);
    QVERIFY(expectedDecode(m_fake->opusPackets(room, late)) !=
            expectedDecode(m_fake->opusPackets(room, early.first())));

    const QList<ingest::StreamLabel> labels = audio->labels();
    QCOMPARE(labels.size(), speakers.size());
    const auto lateLabel = std::find_if(labels.cbegin(), labels.cend(), [&](const auto &label) {
        return label.trackSid == lateTrack;
    });
    QVERIFY(lateLabel != labels.cend());
    QCOMPARE(lateLabel->participant, late);
    QCOMPARE(lateLabel->room, room);
    QCOMPARE(m_fake->rtcSessions().size(), 1);
    QCOMPARE(m_fake->rtcSessions().constFirst().trackSids.size(), speakers.size());
    QCOMPARE(m_fake->egressStartCount(), 0);
    QVERIFY2(m_fake->rtcViolations().isEmpty(),
             qPrintable(m_fake->rtcViolations().join(QStringLiteral("; "))));

    m_control->router()->stopRoom(room);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(room).phase, routing::RoomPhase::Stopped, 30000);
    QVERIFY2(m_fake->rtcViolations().isEmpty(),
             qPrintable(m_fake->rtcViolations().join(QStringLiteral("; "))));
}

QTEST_GUILESS_MAIN(TestEgressRouter)
#include "tst_egressrouter.moc"
