#include "media/flvaudiotag.h"

#include <QSet>
#include <QtTest>

using namespace roomscribe::media;

Q_DECLARE_METATYPE(FlvSoundFormat)
Q_DECLARE_METATYPE(FlvSoundRate)
Q_DECLARE_METATYPE(FlvSoundSize)
Q_DECLARE_METATYPE(FlvSoundType)

class TstFlvAudio : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aacSequenceHeader();
    void aacRawFrame();
    void aacEmptyRawFrame();
    void headerFields_data();
    void headerFields();
    void notAac_data();
    void notAac();
    void empty();
    void truncatedAac();
    void unknownAacPacketType();
    void formatNames();
};

static bool parse(const QByteArray &bytes, FlvAudioTag &tag, QString *error)
{
    return parseFlvAudioTag(reinterpret_cast<const uint8_t *>(bytes.constData()),
                            size_t(bytes.size()), tag, error);
}

void TstFlvAudio::aacSequenceHeader()
{
    const QByteArray bytes = QByteArray::fromHex("af001210");
    FlvAudioTag tag;
    QString error;
    QVERIFY(parse(bytes, tag, &error));
    QVERIFY(error.isEmpty());
    QCOMPARE(tag.format, FlvSoundFormat::Aac);
    QCOMPARE(tag.rate, FlvSoundRate::Rate44kHz);
    QCOMPARE(tag.size, FlvSoundSize::Bits16);
    QCOMPARE(tag.type, FlvSoundType::Stereo);
    QCOMPARE(tag.aacPacketType, AacPacketType::SequenceHeader);
    QCOMPARE(static_cast<const void *>(tag.payload),
             static_cast<const void *>(bytes.constData() + 2));
    QCOMPARE(tag.payloadSize, size_t(2));
}

void TstFlvAudio::aacRawFrame()
{
    const QByteArray bytes = QByteArray::fromHex("af01211234567890");
    FlvAudioTag tag;
    QVERIFY(parse(bytes, tag, nullptr));
    QCOMPARE(tag.aacPacketType, AacPacketType::Raw);
    QCOMPARE(QByteArray(reinterpret_cast<const char *>(tag.payload), qsizetype(tag.payloadSize)),
             QByteArray::fromHex("211234567890"));
}

void TstFlvAudio::aacEmptyRawFrame()
{
    // Well-formed, nothing to decode: the caller decides what that means.
    FlvAudioTag tag;
    QVERIFY(parse(QByteArray::fromHex("af01"), tag, nullptr));
    QCOMPARE(tag.aacPacketType, AacPacketType::Raw);
    QCOMPARE(tag.payloadSize, size_t(0));
}

void TstFlvAudio::headerFields_data()
{
    QTest::addColumn<int>("flags");
    QTest::addColumn<FlvSoundRate>("rate");
    QTest::addColumn<FlvSoundSize>("size");
    QTest::addColumn<FlvSoundType>("type");
    // Only AAC parses, so these vary the low nibble under format 10.
    QTest::newRow("5.5k 8bit mono")
        << 0xa0 << FlvSoundRate::Rate5_5kHz << FlvSoundSize::Bits8 << FlvSoundType::Mono;
    QTest::newRow("11k 16bit mono")
        << 0xa6 << FlvSoundRate::Rate11kHz << FlvSoundSize::Bits16 << FlvSoundType::Mono;
    QTest::newRow("22k 8bit stereo")
        << 0xa9 << FlvSoundRate::Rate22kHz << FlvSoundSize::Bits8 << FlvSoundType::Stereo;
    QTest::newRow("44k 16bit stereo")
        << 0xaf << FlvSoundRate::Rate44kHz << FlvSoundSize::Bits16 << FlvSoundType::Stereo;
}

void TstFlvAudio::headerFields()
{
    QFETCH(int, flags);
    QFETCH(FlvSoundRate, rate);
    QFETCH(FlvSoundSize, size);
    QFETCH(FlvSoundType, type);
    QByteArray bytes;
    bytes.append(char(flags)).append(char(1)).append(char(0x21));
    FlvAudioTag tag;
    QVERIFY(parse(bytes, tag, nullptr));
    QCOMPARE(tag.format, FlvSoundFormat::Aac);
    QCOMPARE(tag.rate, rate);
    QCOMPARE(tag.size, size);
    QCOMPARE(tag.type, type);
}

void TstFlvAudio::notAac_data()
{
    QTest::addColumn<int>("flags");
    QTest::addColumn<FlvSoundFormat>("format");
    QTest::addColumn<QString>("name");
    QTest::newRow("mp3") << 0x2f << FlvSoundFormat::Mp3 << "MP3";
    QTest::newRow("pcm") << 0x3e << FlvSoundFormat::LinearPcmLittleEndian << "linear PCM";
    QTest::newRow("speex") << 0xb2 << FlvSoundFormat::Speex << "Speex";
    QTest::newRow("nellymoser") << 0x6e << FlvSoundFormat::Nellymoser << "Nellymoser";
    QTest::newRow("undefined 13") << 0xd0 << FlvSoundFormat(13 + 1) << "sound format 13";
}

void TstFlvAudio::notAac()
{
    QFETCH(int, flags);
    QFETCH(FlvSoundFormat, format);
    QFETCH(QString, name);
    QByteArray bytes;
    bytes.append(char(flags)).append("\x01\x02\x03", 3);
    FlvAudioTag tag;
    QString error;
    QVERIFY(!parse(bytes, tag, &error));
    QCOMPARE(tag.format, format);
    QVERIFY2(error.contains(name) && error.contains(QLatin1String("only AAC")), qPrintable(error));
    QCOMPARE(tag.aacPacketType, AacPacketType::Invalid);
    QCOMPARE(tag.payload, nullptr);
}

void TstFlvAudio::empty()
{
    FlvAudioTag tag;
    QString error;
    QVERIFY(!parseFlvAudioTag(nullptr, 0, tag, &error));
    QVERIFY2(error.contains(QLatin1String("empty")), qPrintable(error));
    QCOMPARE(tag.format, FlvSoundFormat::Invalid);
}

void TstFlvAudio::truncatedAac()
{
    FlvAudioTag tag;
    QString error;
    QVERIFY(!parse(QByteArray::fromHex("af"), tag, &error));
    QVERIFY2(error.contains(QLatin1String("truncated")), qPrintable(error));
    QCOMPARE(tag.format, FlvSoundFormat::Aac);
    QCOMPARE(tag.aacPacketType, AacPacketType::Invalid);
}

void TstFlvAudio::unknownAacPacketType()
{
    FlvAudioTag tag;
    QString error;
    QVERIFY(!parse(QByteArray::fromHex("af021210"), tag, &error));
    QVERIFY2(error.contains(QLatin1String("AACPacketType 2")), qPrintable(error));
    QCOMPARE(tag.aacPacketType, AacPacketType::Invalid);
}

void TstFlvAudio::formatNames()
{
    QSet<QString> names;
    for (int code = 0; code < 16; ++code)
        names.insert(soundFormatName(FlvSoundFormat(code + 1)));
    QCOMPARE(names.size(), 16);
    QCOMPARE(soundFormatName(FlvSoundFormat::Aac), QStringLiteral("AAC"));
}

QTEST_APPLESS_MAIN(TstFlvAudio)
#include "tst_flvaudio.moc"
