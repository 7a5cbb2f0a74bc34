// OpusRtpStreamDecoder: handmade RTP of libopus packets, decoded byte for
// byte as libopus plus the engine's resampler decode them by hand — in
// order, with gaps (concealment of exactly the missing duration), a single
// loss recovered from in-band FEC, duplicates and reordering dropped, RTP
// padding/extension/CSRCs, and malformed packets skipped.

#include "media/opusrtpdecoder.h"
#include "webrtcsender.h"

#include <opus/opus.h>

#include <QtEndian>
#include <QtTest>

#include <cmath>
#include <set>

using namespace roomscribe;
using namespace roomscribe::media;

namespace {

constexpr int kFrame = 960;

std::vector<int16_t> chirp(int samples)
{
    std::vector<int16_t> pcm(size_t(samples), 0);
    for (int i = 0; i < samples; ++i) {
        const double t = double(i) / 48000;
        pcm[size_t(i)] = int16_t(9000 * std::sin(2 * M_PI * (200 + 400 * t) * t));
    }
    return pcm;
}

QByteArray rtp(const QByteArray &opus, uint16_t sequence, uint32_t timestamp, uint8_t pt = 111)
{
    QByteArray packet(12, 0);
    packet[0] = char(0x80);
    packet[1] = char(pt);
    qToBigEndian<quint16>(sequence, packet.data() + 2);
    qToBigEndian<quint32>(timestamp, packet.data() + 4);
    qToBigEndian<quint32>(0xabcdef01u, packet.data() + 8);
    return packet + opus;
}

struct Decoded
{
    QByteArray pcm;
    OpusRtpStreamDecoder decoder{100, [this](PcmChunk &&chunk) {
                                     pcm += chunk.pcm;
                                 }};

    void feed(const QByteArray &packet)
    {
        QVERIFY(decoder.feed(packet.constData(), size_t(packet.size()), 0));
    }
};

// libopus and the resampler by hand. `lost` packets are concealed (PLC), or
// recovered from the next packet's FEC when `fec` and alone.
QByteArray reference(const std::vector<QByteArray> &opus, const std::set<size_t> &lost = {},
                     bool fec = false)
{
    int status = 0;
    OpusDecoder *decoder = opus_decoder_create(48000, 1, &status);
    PolyphaseResampler resampler(*PolyphaseFilter::forInputRate(48000));
    std::vector<int16_t> out;
    std::vector<float> pcm(kFrame * 6);
    size_t pendingLoss = 0;
    for (size_t i = 0; i < opus.size(); ++i) {
        if (lost.count(i)) {
            ++pendingLoss;
            continue;
        }
        const auto *data = reinterpret_cast<const unsigned char *>(opus[i].constData());
        int concealed = 0;
        if (pendingLoss == 1 && fec) {
            concealed =
                opus_decode_float(decoder, data, opus_int32(opus[i].size()), pcm.data(), kFrame, 1);
        } else if (pendingLoss > 0) {
            concealed = opus_decode_float(decoder, nullptr, 0, pcm.data(),
                                          int(std::min<size_t>(pendingLoss * kFrame, 5760)), 0);
        }
        resampler.convert(pcm.data(), pcm.data(), size_t(std::max(concealed, 0)), out);
        pendingLoss = 0;
        const int n =
            opus_decode_float(decoder, data, opus_int32(opus[i].size()), pcm.data(), kFrame, 0);
        resampler.convert(pcm.data(), pcm.data(), size_t(n), out);
    }
    resampler.flush(out);
    opus_decoder_destroy(decoder);
    return QByteArray(reinterpret_cast<const char *>(out.data()), qsizetype(out.size() * 2));
}

} // namespace

class TestOpusRtpDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_opus = test::encodeOpusPackets(chirp(48000));
        m_fecOpus = test::encodeOpusPackets(chirp(48000), 32000, true);
        QCOMPARE(m_opus.size(), size_t(50));
        QVERIFY(m_fecOpus != m_opus);
    }

    void inOrder()
    {
        Decoded d;
        for (size_t i = 0; i < m_opus.size(); ++i)
            d.feed(rtp(m_opus[i], uint16_t(65530 + i), uint32_t(i * kFrame))); // wraps
        d.decoder.flush();
        QCOMPARE(d.pcm, reference(m_opus));
        QCOMPARE(d.decoder.packets(), uint64_t(50));
        QCOMPARE(d.decoder.lostPackets(), uint64_t(0));
        QCOMPARE(d.pcm.size(), qsizetype(16000 * 2));
    }

    void gapConcealed()
    {
        Decoded d;
        for (size_t i = 0; i < m_opus.size(); ++i) {
            if (i == 10 || i == 11 || i == 12)
                continue;
            d.feed(rtp(m_opus[i], uint16_t(i), uint32_t(i * kFrame)));
        }
        d.decoder.flush();
        QCOMPARE(d.decoder.lostPackets(), uint64_t(3));
        QCOMPARE(d.pcm.size(), qsizetype(16000 * 2)); // the missing 60 ms filled exactly
        QCOMPARE(d.pcm, reference(m_opus, {10, 11, 12}));
    }

    void longGapBecomesSilence()
    {
        // 10 packets (200 ms) lost: 120 ms concealed, 80 ms of silence.
        Decoded d;
        std::set<size_t> lost;
        for (size_t i = 0; i < m_opus.size(); ++i) {
            if (i >= 20 && i < 30) {
                lost.insert(i);
                continue;
            }
            d.feed(rtp(m_opus[i], uint16_t(i), uint32_t(i * kFrame)));
        }
        d.decoder.flush();
        QCOMPARE(d.decoder.lostPackets(), uint64_t(10));
        QCOMPARE(d.pcm.size(), qsizetype(16000 * 2));
    }

    void singleLossFromFec()
    {
        Decoded d;
        for (size_t i = 0; i < m_fecOpus.size(); ++i) {
            if (i != 25)
                d.feed(rtp(m_fecOpus[i], uint16_t(i), uint32_t(i * kFrame)));
        }
        d.decoder.flush();
        QCOMPARE(d.decoder.lostPackets(), uint64_t(1));
        const QByteArray withFec = reference(m_fecOpus, {25}, true);
        QCOMPARE(d.pcm, withFec);
        QVERIFY(withFec != reference(m_fecOpus, {25}, false)); // the FEC made a difference
    }

    void duplicatesAndReorderingDropped()
    {
        Decoded d;
        for (size_t i = 0; i < m_opus.size(); ++i) {
            d.feed(rtp(m_opus[i], uint16_t(i), uint32_t(i * kFrame)));
            if (i == 5)
                d.feed(rtp(m_opus[i], uint16_t(i), uint32_t(i * kFrame))); // duplicate
            if (i == 8)
                d.feed(rtp(m_opus[3], 3, 3 * kFrame)); // late
        }
        d.decoder.flush();
        QCOMPARE(d.decoder.latePackets(), uint64_t(2));
        QCOMPARE(d.pcm, reference(m_opus));
    }

    void headerVariants()
    {
        // CSRCs, a header extension and padding around the same payloads.
        Decoded d;
        for (size_t i = 0; i < m_opus.size(); ++i) {
            QByteArray packet = rtp(m_opus[i], uint16_t(i), uint32_t(i * kFrame));
            const QByteArray header = packet.left(12);
            const QByteArray payload = packet.mid(12);
            QByteArray csrcs(8, 'c');
            QByteArray extension = QByteArray::fromHex("bede0001") + QByteArray(4, 'x');
            QByteArray padded = header + csrcs + extension + payload + QByteArray(3, 0) + '\x04';
            padded[0] = char(0x80 | 0x20 | 0x10 | 2);
            d.feed(padded);
        }
        d.decoder.flush();
        QCOMPARE(d.decoder.corruptFrames(), uint64_t(0));
        QCOMPARE(d.pcm, reference(m_opus));
    }

    void malformedSkipped()
    {
        const QByteArray good = rtp(m_opus[0], 0, 0);
        QByteArray version1 = good;
        version1[0] = char(0x40);
        QByteArray csrcPastEnd = good.left(14);
        csrcPastEnd[0] = char(0x8f);
        QByteArray extensionPastEnd = good.left(16) + QByteArray::fromHex("bede00ff");
        extensionPastEnd[0] = char(0x90);
        QByteArray paddingTooLong = good;
        paddingTooLong[0] = char(0xa0);
        paddingTooLong[paddingTooLong.size() - 1] = char(0xff);
        const QByteArray cases[] = {
            QByteArray(),
            good.left(11),
            version1,
            csrcPastEnd,
            extensionPastEnd,
            paddingTooLong,
            rtp(m_opus[0], 0, 0, 96),
            good.left(12) /* no payload */,
        };
        Decoded d;
        for (const QByteArray &bad : cases)
            d.feed(bad);
        QCOMPARE(d.decoder.corruptFrames(), uint64_t(std::size(cases)));
        QVERIFY(d.decoder.errorText().isEmpty());
        // The stream goes on as if they had not come.
        for (size_t i = 0; i < m_opus.size(); ++i)
            d.feed(rtp(m_opus[i], uint16_t(i), uint32_t(i * kFrame)));
        d.decoder.flush();
        QCOMPARE(d.pcm, reference(m_opus));

        RtpPacketView view;
        QString error;
        QVERIFY(!parseRtpPacket(version1.constData(), size_t(version1.size()), &view, &error));
        QVERIFY(error.contains(QLatin1String("version 1")));
    }

private:
    std::vector<QByteArray> m_opus, m_fecOpus;
};

QTEST_GUILESS_MAIN(TestOpusRtpDecoder)
#include "tst_opusrtpdecoder.moc"
