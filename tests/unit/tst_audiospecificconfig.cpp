#include "media/audiospecificconfig.h"
#include "media/bitreader.h"

#include <QtTest>

using namespace roomscribe::media;

Q_DECLARE_METATYPE(AudioObjectType)

class TstAudioSpecificConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bitReader();
    void bitReaderOverrun();
    void knownConfigs_data();
    void knownConfigs();
    void rejected_data();
    void rejected();
    void description_data();
    void description();
};

static bool parse(const QByteArray &bytes, AudioSpecificConfig &asc, QString *error)
{
    return parseAudioSpecificConfig(reinterpret_cast<const uint8_t *>(bytes.constData()),
                                    size_t(bytes.size()), asc, error);
}

void TstAudioSpecificConfig::bitReader()
{
    const uint8_t bytes[] = {0xa5, 0x0f, 0xf0, 0x12, 0x34, 0x56};
    BitReader bits(bytes, sizeof bytes);
    QCOMPARE(bits.read(0), 0u);
    QCOMPARE(bits.read(1), 1u);
    QCOMPARE(bits.read(3), 2u);    // 010
    QCOMPARE(bits.read(8), 0x50u); // 0101 0000 across the byte boundary
    QVERIFY(bits.readFlag());
    QCOMPARE(bits.position(), size_t(13));
    QCOMPARE(bits.read(32), 0xfe02468au); // 111 1111 0000 0001 0010 0011 0100 0101 0
    QCOMPARE(bits.bitsLeft(), size_t(3));
    QVERIFY(!bits.overrun());
}

void TstAudioSpecificConfig::bitReaderOverrun()
{
    const uint8_t bytes[] = {0xff};
    BitReader bits(bytes, sizeof bytes);
    QCOMPARE(bits.read(6), 0x3fu);
    QCOMPARE(bits.read(3), 0u); // only 2 bits left: nothing is returned
    QVERIFY(bits.overrun());
    QCOMPARE(bits.bitsLeft(), size_t(0));
    QCOMPARE(bits.read(1), 0u);
    QVERIFY(bits.overrun());

    BitReader tooWide(bytes, sizeof bytes);
    QCOMPARE(tooWide.read(33), 0u);
    QVERIFY(tooWide.overrun());
    BitReader empty(nullptr, 0);
    QCOMPARE(empty.read(1), 0u);
    QVERIFY(empty.overrun());
}

void TstAudioSpecificConfig::knownConfigs_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<AudioObjectType>("objectType");
    QTest::addColumn<int>("frequencyIndex");
    QTest::addColumn<int>("sampleRate");
    QTest::addColumn<int>("channelConfiguration");
    QTest::addColumn<int>("channels");
    QTest::addColumn<bool>("sbr");
    QTest::addColumn<bool>("ps");
    QTest::addColumn<int>("outputSampleRate");
    QTest::addColumn<int>("frameLength");

    const auto lc = AudioObjectType::AacLc;
    // Fields: objectType(5) frequencyIndex(4) channelConfiguration(4)
    // [SBR: extensionFrequencyIndex(4) objectType(5)] frameLengthFlag(1) ...
    QTest::newRow("AAC-LC 44.1k stereo") << QByteArray::fromHex("1210") << lc << 4 << 44100 << 2
                                         << 2 << false << false << 44100 << 1024;
    QTest::newRow("AAC-LC 48k stereo") << QByteArray::fromHex("1190") << lc << 3 << 48000 << 2 << 2
                                       << false << false << 48000 << 1024;
    QTest::newRow("AAC-LC 48k mono") << QByteArray::fromHex("1188") << lc << 3 << 48000 << 1 << 1
                                     << false << false << 48000 << 1024;
    // Trailing backward-compatible SBR sync extension (0x2b7, no SBR): ignored.
    QTest::newRow("AAC-LC + sync extension") << QByteArray::fromHex("121056e500") << lc << 4
                                             << 44100 << 2 << 2 << false << false << 44100 << 1024;
    QTest::newRow("AAC-LC 960") << QByteArray::fromHex("1214") << lc << 4 << 44100 << 2 << 2
                                << false << false << 44100 << 960;
    QTest::newRow("AAC Main") << QByteArray::fromHex("0a10") << AudioObjectType::AacMain << 4
                              << 44100 << 2 << 2 << false << false << 44100 << 1024;
    // 5 | 7 (22050) | 2 | 4 (44100) | 2 | 000
    QTest::newRow("HE-AAC 22.05->44.1k stereo")
        << QByteArray::fromHex("2b920800") << lc << 7 << 22050 << 2 << 2 << true << false << 44100
        << 1024;
    // 5 | 6 (24000) | 2 | 3 (48000) | 2 | 000
    QTest::newRow("HE-AAC 24->48k stereo") << QByteArray::fromHex("2b118800") << lc << 6 << 24000
                                           << 2 << 2 << true << false << 48000 << 1024;
    // 29 | 6 (24000) | 1 | 3 (48000) | 2 | 000
    QTest::newRow("HE-AACv2 24->48k") << QByteArray::fromHex("eb098800") << lc << 6 << 24000 << 1
                                      << 1 << true << true << 48000 << 1024;
    // 2 | 15 | 44100 (24 bits) | 2 | 000
    QTest::newRow("explicit frequency") << QByteArray::fromHex("1780562210") << lc << 15 << 44100
                                        << 2 << 2 << false << false << 44100 << 1024;
    // 31 + 6-bit 10 = 42 | 3 | 2: no GASpecificConfig, so no frame length.
    QTest::newRow("escaped object type (USAC)")
        << QByteArray::fromHex("f94640") << AudioObjectType::Usac << 3 << 48000 << 2 << 2 << false
        << false << 48000 << 0;
    // 23 | 3 | 1 | frameLengthFlag 1
    QTest::newRow("ER AAC LD 480") << QByteArray::fromHex("b98c") << AudioObjectType::ErAacLd << 3
                                   << 48000 << 1 << 1 << false << false << 48000 << 480;
    QTest::newRow("7.1") << QByteArray::fromHex("11b8") << lc << 3 << 48000 << 7 << 8 << false
                         << false << 48000 << 1024;
    // channelConfiguration 0: a program_config_element follows, left to libavcodec.
    QTest::newRow("PCE") << QByteArray::fromHex("1200") << lc << 4 << 44100 << 0 << 0 << false
                         << false << 44100 << 1024;
}

void TstAudioSpecificConfig::knownConfigs()
{
    QFETCH(QByteArray, bytes);
    QFETCH(AudioObjectType, objectType);
    QFETCH(int, frequencyIndex);
    QFETCH(int, sampleRate);
    QFETCH(int, channelConfiguration);
    QFETCH(int, channels);
    QFETCH(bool, sbr);
    QFETCH(bool, ps);
    QFETCH(int, outputSampleRate);
    QFETCH(int, frameLength);

    AudioSpecificConfig asc;
    QString error;
    QVERIFY2(parse(bytes, asc, &error), qPrintable(error));
    QCOMPARE(asc.objectType, objectType);
    QCOMPARE(asc.samplingFrequencyIndex, frequencyIndex);
    QCOMPARE(asc.sampleRate_Hz, sampleRate);
    QCOMPARE(asc.channelConfiguration, channelConfiguration);
    QCOMPARE(asc.channels, channels);
    QCOMPARE(asc.sbr, sbr);
    QCOMPARE(asc.ps, ps);
    QCOMPARE(asc.extensionSampleRate_Hz, sbr ? outputSampleRate : 0);
    QCOMPARE(asc.outputSampleRate_Hz(), outputSampleRate);
    QCOMPARE(asc.frameLength, frameLength);
}

void TstAudioSpecificConfig::rejected_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << QByteArray() << "truncated";
    QTest::newRow("one byte") << QByteArray::fromHex("12") << "truncated";
    QTest::newRow("explicit frequency truncated") << QByteArray::fromHex("1780") << "truncated";
    QTest::newRow("escaped object type truncated") << QByteArray::fromHex("f8") << "truncated";
    QTest::newRow("SBR truncated") << QByteArray::fromHex("2b11") << "truncated";
    QTest::newRow("object type 0") << QByteArray::fromHex("0210") << "object type 0";
    QTest::newRow("frequency index 13") << QByteArray::fromHex("1690") << "index 13";
    QTest::newRow("frequency index 14") << QByteArray::fromHex("1710") << "index 14";
    QTest::newRow("explicit frequency 0") << QByteArray::fromHex("1780000010") << "index 15";
    QTest::newRow("SBR frequency index 13") << QByteArray::fromHex("2b168800") << "SBR";
    QTest::newRow("channelConfiguration 8")
        << QByteArray::fromHex("11c0") << "channelConfiguration 8";
    QTest::newRow("channelConfiguration 15")
        << QByteArray::fromHex("11f8") << "channelConfiguration 15";
}

void TstAudioSpecificConfig::rejected()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);
    AudioSpecificConfig asc;
    QString error;
    QVERIFY(!parse(bytes, asc, &error));
    QVERIFY2(error.startsWith(QLatin1String("AudioSpecificConfig: ")) && error.contains(reason),
             qPrintable(error));
    QVERIFY(!parse(bytes, asc, nullptr));
}

void TstAudioSpecificConfig::description_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("text");
    QTest::newRow("LC") << QByteArray::fromHex("1210") << "AAC-LC, 44100 Hz, 2 channels";
    QTest::newRow("HE") << QByteArray::fromHex("2b118800")
                        << "HE-AAC (AAC-LC + SBR), 24000 -> 48000 Hz, 2 channels";
    QTest::newRow("HEv2") << QByteArray::fromHex("eb098800")
                          << "HE-AAC v2 (AAC-LC + SBR + PS), 24000 -> 48000 Hz, 1 channels";
    QTest::newRow("PCE") << QByteArray::fromHex("1200") << "AAC-LC, 44100 Hz, channels from PCE";
    QTest::newRow("unnamed object type")
        << QByteArray::fromHex("f80640") << "audio object type 32, 48000 Hz, 2 channels";
}

void TstAudioSpecificConfig::description()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, text);
    AudioSpecificConfig asc;
    QVERIFY(parse(bytes, asc, nullptr));
    QCOMPARE(describe(asc), text);
}

QTEST_APPLESS_MAIN(TstAudioSpecificConfig)
#include "tst_audiospecificconfig.moc"
