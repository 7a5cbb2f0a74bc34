// WebRtcSession against OpusWebRtcSender in one process over the machine's
// own interfaces: both tracks announced by their LiveKit msid, every packet
// delivered in order, the decoded audio byte-identical to decoding what was
// sent; a second offer adding a track; stop() in the middle of connecting.

#include "ingest/webrtc/webrtcsession.h"
#include "media/opusrtpdecoder.h"
#include "testsupport.h"
#include "webrtcsender.h"

#include <QtEndian>
#include <QtTest>

#include <cmath>

using namespace roomscribe;
using namespace roomscribe::ingest;
using roomscribe::test::OpusWebRtcSender;

namespace {

// 48 kHz mono speech from espeak-ng, or a tone where it is missing.
std::vector<int16_t> speech(const QString &directory, const QString &name, const QString &text)
{
    const QString wav = test::makeSpeech(directory, name, QStringLiteral("en"), text, 48000, 1);
    std::vector<int16_t> pcm = test::readPcm(wav);
    if (pcm.size() > 22) {
        pcm.erase(pcm.begin(), pcm.begin() + 22); // the WAV header
        return pcm;
    }
    pcm.resize(48000);
    for (size_t i = 0; i < pcm.size(); ++i)
        pcm[i] = int16_t(8000 * std::sin(2 * M_PI * 440 * double(i) / 48000));
    return pcm;
}

// RTP as the sender makes it, for decoding the sent packets directly.
QByteArray rtp(const QByteArray &opus, uint16_t sequence, uint32_t timestamp)
{
    QByteArray packet(12, 0);
    packet[0] = char(0x80);
    packet[1] = char(OpusWebRtcSender::kPayloadType);
    qToBigEndian<quint16>(sequence, packet.data() + 2);
    qToBigEndian<quint32>(timestamp, packet.data() + 4);
    return packet + opus;
}

QByteArray decodeAll(const std::vector<QByteArray> &packets)
{
    QByteArray pcm;
    media::OpusRtpStreamDecoder decoder(100, [&pcm](media::PcmChunk &&chunk) { pcm += chunk.pcm; });
    for (const QByteArray &packet : packets)
        decoder.feed(packet.constData(), size_t(packet.size()), 0);
    decoder.flush();
    return pcm;
}

// The two ends wired to each other, as the signalling would.
struct Call
{
    OpusWebRtcSender sender;
    WebRtcSession session{WebRtcSessionConfig{{}, 100, true, 111}};
    QStringList added, removed;
    QStringList failures;
    QHash<QString, std::vector<QByteArray>> received; // whole RTP packets
    int answers = 0;

    Call()
    {
        QObject::connect(&sender, &OpusWebRtcSender::offerReady, &session,
                         &WebRtcSession::setRemoteOffer);
        QObject::connect(&session, &WebRtcSession::answerReady, &sender,
                         [this](const QString &sdp) {
                             ++answers;
                             sender.setRemoteAnswer(sdp);
                         });
        QObject::connect(&sender, &OpusWebRtcSender::localCandidate, &session,
                         &WebRtcSession::addRemoteCandidate);
        QObject::connect(&session, &WebRtcSession::localCandidate, &sender,
                         &OpusWebRtcSender::addRemoteCandidate);
        QObject::connect(&session, &WebRtcSession::trackAdded, &session,
                         [this](const QString &sid, const QString &) { added << sid; });
        QObject::connect(&session, &WebRtcSession::trackRemoved, &session,
                         [this](const QString &sid) { removed << sid; });
        QObject::connect(&session, &WebRtcSession::failed, &session,
                         [this](const QString &why) { failures << why; });
        QObject::connect(&sender, &OpusWebRtcSender::failed, &session,
                         [this](const QString &why) { failures << why; });
        session.setPacketSink([this](const QString &sid, const char *data, size_t size, int64_t) {
            received[sid].emplace_back(data, qsizetype(size));
        });
    }
};

// The Opus payloads of RTP packets, and their order by sequence number.
std::vector<QByteArray> payloads(const std::vector<QByteArray> &packets, bool *inOrder)
{
    std::vector<QByteArray> out;
    *inOrder = true;
    for (size_t i = 0; i < packets.size(); ++i) {
        media::RtpPacketView view;
        QString error;
        if (!media::parseRtpPacket(packets[i].constData(), size_t(packets[i].size()), &view,
                                   &error))
            return {};
        if (i > 0) {
            media::RtpPacketView previous;
            media::parseRtpPacket(packets[i - 1].constData(), size_t(packets[i - 1].size()),
                                  &previous, &error);
            *inOrder = *inOrder && uint16_t(previous.sequenceNumber + 1) == view.sequenceNumber;
        }
        out.emplace_back(view.payload, qsizetype(view.payloadSize));
    }
    return out;
}

void checkTrack(const Call &call, const OpusWebRtcSender::Track &track)
{
    bool inOrder = false;
    const std::vector<QByteArray> got = payloads(call.received.value(track.trackSid), &inOrder);
    QVERIFY(inOrder);
    QCOMPARE(got.size(), track.opusPackets.size());
    QVERIFY(got == track.opusPackets);
    std::vector<QByteArray> sent;
    for (size_t i = 0; i < track.opusPackets.size(); ++i)
        sent.push_back(rtp(track.opusPackets[i], uint16_t(i), uint32_t(i * 960)));
    const QByteArray expected = decodeAll(sent);

    QVERIFY(!expected.isEmpty());
    QCOMPARE(decodeAll(call.received.value(track.trackSid)), expected);
}

} // namespace

class TestWebRtcSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_one = {QStringLiteral("PA_one"), QStringLiteral("TR_one"),
                 test::encodeOpusPackets(speech(m_dir.path(), QStringLiteral("one"),
                                                QStringLiteral("The quick brown fox.")))};
        m_two = {QStringLiteral("PA_two"), QStringLiteral("TR_two"),
                 test::encodeOpusPackets(speech(m_dir.path(), QStringLiteral("two"),
                                                QStringLiteral("Seven silver spoons.")))};
        QVERIFY(!m_one.opusPackets.empty() && !m_two.opusPackets.empty());
    }

    void twoTracks()
    {
        Call call;
        QString error;
        QVERIFY2(call.session.start(&error), qPrintable(error));
        QVERIFY2(call.sender.start({m_one, m_two}, &error), qPrintable(error));
        QSignalSpy finished(&call.sender, &OpusWebRtcSender::finished);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            call.received.value(m_one.trackSid).size() >= m_one.opusPackets.size() &&
                call.received.value(m_two.trackSid).size() >= m_two.opusPackets.size(),
            10000);
        QVERIFY2(call.failures.isEmpty(), qPrintable(call.failures.join(u'\n')));
        QCOMPARE(call.added, (QStringList{m_one.trackSid, m_two.trackSid}));
        checkTrack(call, m_one);
        checkTrack(call, m_two);
        call.session.stop();
        call.sender.stop();
    }

    void renegotiation()
    {
        Call call;
        QString error;
        QVERIFY2(call.session.start(&error), qPrintable(error));
        QVERIFY2(call.sender.start({m_one}, &error), qPrintable(error));
        QSignalSpy connected(&call.sender, &OpusWebRtcSender::connected);
        QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 1, 30000);
        call.sender.addTrack(m_two);
        QSignalSpy finished(&call.sender, &OpusWebRtcSender::finished);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            call.received.value(m_two.trackSid).size() >= m_two.opusPackets.size(), 10000);
        QVERIFY2(call.failures.isEmpty(), qPrintable(call.failures.join(u'\n')));
        QCOMPARE(call.answers, 2);
        QCOMPARE(call.added, (QStringList{m_one.trackSid, m_two.trackSid}));
        QVERIFY(call.removed.isEmpty());
        checkTrack(call, m_two);
    }

    void stopWhileConnecting()
    {
        Call call;
        QString error;
        QVERIFY2(call.session.start(&error), qPrintable(error));
        QVERIFY2(call.sender.start({m_one}, &error), qPrintable(error));
        QSignalSpy answers(&call.session, &WebRtcSession::answerReady);
        QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 1, 30000);
        call.session.stop();
        QSignalSpy candidates(&call.session, &WebRtcSession::localCandidate);
        QSignalSpy states(&call.session, &WebRtcSession::connectionStateChanged);
        QTest::qWait(200); // what was under way in GStreamer finds the session stopped
        QCOMPARE(candidates.size(), 0);
        QCOMPARE(states.size(), 0);
        QVERIFY(call.received.isEmpty());
        // And it starts again.
        QVERIFY2(call.session.start(&error), qPrintable(error));
    }

private:
    QTemporaryDir m_dir;
    OpusWebRtcSender::Track m_one, m_two;
};

QTEST_GUILESS_MAIN(TestWebRtcSession)
#include "tst_webrtcsession.moc"
