#include "ingest/rtmp/rtmpchunkreader.h"
#include "ingest/rtmp/rtmpchunkwriter.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>

using namespace roomscribe::rtmp;

// The largest single allocation made through operator new while tracking is
// on: the reader's buffers are std::vectors, so this shows what it reserved.
namespace {
std::atomic<bool> g_trackAllocations{false};
std::atomic<size_t> g_largestAllocation{0};
} // namespace

void *operator new(std::size_t size)
{
    if (g_trackAllocations && size > g_largestAllocation)
        g_largestAllocation = size;
    if (void *memory = std::malloc(size ? size : 1))
        return memory;
    throw std::bad_alloc();
}

void *operator new[](std::size_t size)
{
    return operator new(size);
}

void operator delete(void *memory) noexcept
{
    std::free(memory);
}

void operator delete[](void *memory) noexcept
{
    std::free(memory);
}

void operator delete(void *memory, std::size_t) noexcept
{
    std::free(memory);
}

void operator delete[](void *memory, std::size_t) noexcept
{
    std::free(memory);
}

namespace {

struct Message
{
    MessageType type = MessageType::Invalid;
    uint32_t csid = 0;
    uint32_t streamId = 0;
    uint32_t timestamp = 0;
    QByteArray payload;
};

struct ReadResult
{
    std::vector<Message> messages;
    QString error; // empty unless the reader failed
};

QByteArray pattern(size_t size, int seed)
{
    QByteArray bytes(qsizetype(size), Qt::Uninitialized);
    for (size_t i = 0; i < size; ++i)
        bytes[qsizetype(i)] = char((i * 31 + size_t(seed) * 7) & 0xff);
    return bytes;
}

// Feeds bytes in pieces of `step`, each from an exactly sized heap copy.
ReadResult readAll(RtmpChunkReader &reader, const QByteArray &bytes, size_t step)
{
    ReadResult result;
    for (size_t pos = 0; pos < size_t(bytes.size()); pos += step) {
        const size_t size = std::min(step, size_t(bytes.size()) - pos);
        const auto piece = std::make_unique<char[]>(size);
        std::copy_n(bytes.constData() + pos, size, piece.get());
        size_t offset = 0;
        while (offset < size) {
            size_t consumed = 0;
            RtmpMessage message;
            const auto status =
                reader.read(piece.get() + offset, size - offset, &consumed, &message);
            offset += consumed;
            if (status == RtmpChunkReader::Status::Error) {
                result.error = reader.errorText();
                return result;
            }
            if (status == RtmpChunkReader::Status::Message) {
                result.messages.push_back({message.type, message.csid, message.streamId,
                                           message.timestamp_ms,
                                           QByteArray(message.data, qsizetype(message.size))});
            } else if (offset != size) {
                result.error = QStringLiteral("NeedMore left input unread");
                return result;
            }
        }
    }
    return result;
}

ReadResult readAll(const QByteArray &bytes, size_t step = SIZE_MAX,
                   RtmpChunkReader::Limits limits = {})
{
    RtmpChunkReader reader(limits);
    return readAll(reader, bytes, step);
}

QByteArray write(RtmpChunkWriter &writer, const Message &message)
{
    QByteArray out;
    writer.writeMessage(out, message.csid, message.type, message.streamId, message.timestamp,
                        message.payload);
    return out;
}

unsigned headerType(const QByteArray &chunk)
{
    return uint8_t(chunk[0]) >> 6;
}

bool sameMessages(const std::vector<Message> &actual, const std::vector<Message> &expected)
{
    if (actual.size() != expected.size()) {
        qWarning() << "got" << actual.size() << "messages, expected" << expected.size();
        return false;
    }
    for (size_t i = 0; i < actual.size(); ++i) {
        const Message &a = actual[i];
        const Message &e = expected[i];
        if (a.type != e.type || a.csid != e.csid || a.streamId != e.streamId ||
            a.timestamp != e.timestamp || a.payload != e.payload) {
            qWarning() << "message" << i << "differs: type" << int(a.type) << int(e.type) << "csid"
                       << a.csid << e.csid << "stream" << a.streamId << e.streamId << "timestamp"
                       << a.timestamp << e.timestamp << "size" << a.payload.size()
                       << e.payload.size();
            return false;
        }
    }
    return true;
}

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

// Set Chunk Size on csid 2 with an arbitrary value (the writer asserts
// valid ones).
QByteArray setChunkSizeMessage(const char *valueHex)
{
    return hex("02 000000 000004 01 00000000") + hex(valueHex);
}

} // namespace

class TestRtmpChunk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void headerTypes();
    void basicHeaderForms_data();
    void basicHeaderForms();
    void extendedTimestampWireFormat();
    void extendedTimestampsRoundTrip();
    void timestampDeltasWrap();
    void typeThreeAfterTypeZeroAddsTheTimestamp();
    void interleavedChunkStreams();
    void setChunkSizeMidStream();
    void abortDropsPartialMessage();
    void invalidChunkSize_data();
    void invalidChunkSize();
    void hugeChunkSizeAllocatesLittle();
    void oversizedKeptMessage();
    void largeVideoSkippedUnbuffered();
    void headerBeforeTypeZero_data();
    void headerBeforeTypeZero();
    void newHeaderInsideMessage();
    void tooManyChunkStreams();
    void zeroLengthAndSkippedTypes();
    void singleChunkMessageIsNotCopied();
    void errorIsSticky();
};

void TestRtmpChunk::roundTrip_data()
{
    QTest::addColumn<uint32_t>("csid");
    QTest::addColumn<uint32_t>("chunkSize");
    QTest::addColumn<size_t>("step");
    for (uint32_t csid : {2u, 3u, 63u, 64u, 319u, 320u, 65599u}) {
        for (uint32_t chunkSize : {1u, 128u, 4096u, 0x7fffffffu}) {
            for (size_t step : {size_t(1), size_t(13), SIZE_MAX}) {
                QTest::addRow("csid %u chunk %u step %zu", csid, chunkSize,
                              step == SIZE_MAX ? 0 : step)
                    << csid << chunkSize << step;
            }
        }
    }
}

void TestRtmpChunk::roundTrip()
{
    QFETCH(uint32_t, csid);
    QFETCH(uint32_t, chunkSize);
    QFETCH(size_t, step);

    std::vector<Message> messages;
    uint32_t timestamp = 0;
    int seed = 0;
    for (size_t size : {0, 1, 127, 128, 129, 256, 700, 700, 700, 1000, 4096, 4097, 20000}) {
        const MessageType type = seed % 3 == 0   ? MessageType::Audio
                                 : seed % 3 == 1 ? MessageType::CommandAmf0
                                                 : MessageType::DataAmf0;
        // Steady 23 ms deltas with a few jumps exercise header types 1, 2 and 3.
        timestamp += seed % 4 == 3 ? 1000 : 23;
        messages.push_back(
            {type, csid, uint32_t(seed % 5 == 4 ? 7 : 1), timestamp, pattern(size, seed)});
        ++seed;
    }

    RtmpChunkWriter writer;
    QByteArray bytes;
    if (chunkSize != RtmpChunkWriter::kDefaultChunkSize)
        writer.writeSetChunkSize(bytes, chunkSize);
    QCOMPARE(writer.chunkSize(), chunkSize);
    for (const Message &message : messages)
        bytes += write(writer, message);

    RtmpChunkReader reader;
    const ReadResult result = readAll(reader, bytes, step);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(sameMessages(result.messages, messages));
    QCOMPARE(reader.chunkSize(), chunkSize);
    QCOMPARE(reader.bytesConsumed(), uint64_t(bytes.size()));
}

void TestRtmpChunk::headerTypes()
{
    RtmpChunkWriter writer;
    std::vector<Message> messages = {
        {MessageType::Audio, 4, 1, 1000, pattern(300, 1)},    // first: type 0
        {MessageType::Audio, 4, 1, 1023, pattern(200, 2)},    // length changes: type 1
        {MessageType::Audio, 4, 1, 1046, pattern(200, 3)},    // same delta: type 3
        {MessageType::Audio, 4, 1, 1070, pattern(200, 4)},    // delta changes: type 2
        {MessageType::Audio, 4, 1, 1094, pattern(200, 5)},    // type 3 again
        {MessageType::DataAmf0, 4, 1, 1118, pattern(200, 6)}, // type changes: type 1
        {MessageType::DataAmf0, 4, 2, 1142, pattern(200, 7)}, // stream changes: type 0
        {MessageType::DataAmf0, 4, 2, 900, pattern(200, 8)},  // goes back: type 0
        {MessageType::DataAmf0, 4, 2, 1800, pattern(200, 9)}, // type 3 after type 0 adds 900
    };
    const unsigned expectedTypes[] = {0, 1, 3, 2, 3, 1, 0, 0, 3};
    QByteArray bytes;
    for (size_t i = 0; i < messages.size(); ++i) {
        const QByteArray chunks = write(writer, messages[i]);
        QCOMPARE(headerType(chunks), expectedTypes[i]);
        bytes += chunks;
    }
    // Continuation chunks are type 3: 300 bytes at 128 make 3 chunks.
    const QByteArray first = [&] {
        RtmpChunkWriter fresh;
        return write(fresh, messages[0]);
    }();
    QCOMPARE(first.size(), 12 + 128 + 1 + 128 + 1 + 44);
    QCOMPARE(uint8_t(first[12 + 128]), uint8_t(0xc4));
    QCOMPARE(uint8_t(first[12 + 128 + 1 + 128]), uint8_t(0xc4));

    const ReadResult result = readAll(bytes, 1);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(sameMessages(result.messages, messages));
}

void TestRtmpChunk::basicHeaderForms_data()
{
    QTest::addColumn<uint32_t>("csid");
    QTest::addColumn<QByteArray>("basicHeader");
    QTest::newRow("2") << 2u << hex("02");
    QTest::newRow("63") << 63u << hex("3f");
    QTest::newRow("64") << 64u << hex("00 00");
    QTest::newRow("319") << 319u << hex("00 ff");
    QTest::newRow("320") << 320u << hex("01 00 01");
    QTest::newRow("1000") << 1000u << hex("01 a8 03");
    QTest::newRow("65599") << 65599u << hex("01 ff ff");
}

void TestRtmpChunk::basicHeaderForms()
{
    QFETCH(uint32_t, csid);
    QFETCH(QByteArray, basicHeader);
    RtmpChunkWriter writer;
    const Message message{MessageType::Audio, csid, 1, 5, pattern(200, 0)};
    const QByteArray bytes = write(writer, message);
    QCOMPARE(bytes.left(basicHeader.size()).toHex(), basicHeader.toHex());
    // The continuation chunk's basic header has the same form, type 3.
    QByteArray continuation = basicHeader;
    continuation[0] = char(uint8_t(continuation[0]) | 0xc0);
    QCOMPARE(bytes.mid(basicHeader.size() + 11 + 128, basicHeader.size()).toHex(),
             continuation.toHex());
    const ReadResult result = readAll(bytes, 1);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(sameMessages(result.messages, {message}));
}

void TestRtmpChunk::extendedTimestampWireFormat()
{
    RtmpChunkWriter writer;
    const QByteArray payload = pattern(300, 3);
    const QByteArray bytes = write(writer, {MessageType::Audio, 4, 1, 0x01000000, payload});
    const QByteArray expected = hex("04 ffffff 00012c 08 01000000 01000000") + payload.left(128) +
                                hex("c4 01000000") + payload.mid(128, 128) + hex("c4 01000000") +
                                payload.mid(256);
    QCOMPARE(bytes.toHex(), expected.toHex());

    // 0xFFFFFF itself needs the extended field; 0xFFFFFE does not.
    RtmpChunkWriter other;
    QCOMPARE(write(other, {MessageType::Audio, 5, 1, 0xfffffe, pattern(1, 0)}).size(), 12 + 1);
    RtmpChunkWriter third;
    QCOMPARE(write(third, {MessageType::Audio, 5, 1, 0xffffff, pattern(1, 0)}).size(), 12 + 4 + 1);
}

void TestRtmpChunk::extendedTimestampsRoundTrip()
{
    std::vector<Message> messages;
    int seed = 0;
    const uint32_t timestamps[] = {
        0xfffffe,
        0xffffff,
        0x1000000,
        0x1000000 + 40,
        0x1000000 + 80,
        0x1000000 + 120, // type 3 without the extended field
        0x3000000,       // delta 0x1ffff88: type 2 with an extended delta
        0x4ffff88,       // same delta: type 3 repeating the extended field
        0x6ffff10,       // and again
        0xfffffff0,      // type 2, extended
        0xfffffff8,      // type 2, small delta
        0x10,            // goes back (wrapped): type 0
    };
    for (uint32_t timestamp : timestamps) {
        for (uint32_t csid : {3u, 70u}) {
            messages.push_back(
                {MessageType::Audio, csid, 1, timestamp, pattern(seed % 2 ? 300 : 100, seed)});
            ++seed;
        }
    }
    RtmpChunkWriter writer;
    QByteArray bytes;
    QList<unsigned> csid3Types;
    for (const Message &message : messages) {
        const QByteArray chunks = write(writer, message);
        if (message.csid == 3)
            csid3Types.append(headerType(chunks));
        bytes += chunks;
    }
    QCOMPARE(csid3Types, QList<unsigned>({0, 2, 3, 2, 3, 3, 2, 3, 3, 2, 2, 0}));
    for (size_t step : {size_t(1), size_t(5), SIZE_MAX}) {
        const ReadResult result = readAll(bytes, step);
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QVERIFY(sameMessages(result.messages, messages));
    }
}

void TestRtmpChunk::timestampDeltasWrap()
{
    const QByteArray bytes = hex("04 ffffff 000002 08 01000000 fffffff0 aabb"
                                 "84 000020 ccdd"                    // type 2, delta 0x20
                                 "44 ffffff 000001 08 ffffffff ee"); // type 1, delta -1
    const ReadResult result = readAll(bytes, 1);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.messages.size(), size_t(3));
    QCOMPARE(result.messages[0].timestamp, 0xfffffff0u);
    QCOMPARE(result.messages[1].timestamp, 0x10u);
    QCOMPARE(result.messages[1].payload, hex("ccdd"));
    QCOMPARE(result.messages[2].timestamp, 0x0fu);
}

void TestRtmpChunk::typeThreeAfterTypeZeroAddsTheTimestamp()
{
    const QByteArray bytes = hex("04 000064 000002 08 01000000 0102"
                                 "c4 0304"
                                 "c4 0506");
    const ReadResult result = readAll(bytes);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.messages.size(), size_t(3));
    QCOMPARE(result.messages[0].timestamp, 100u);
    QCOMPARE(result.messages[1].timestamp, 200u);
    QCOMPARE(result.messages[2].timestamp, 300u);
    QCOMPARE(result.messages[2].payload, hex("0506"));
}

void TestRtmpChunk::interleavedChunkStreams()
{
    // Two 300-byte messages at chunk size 128, chunks alternating.
    RtmpChunkWriter writer;
    const Message audio{MessageType::Audio, 4, 1, 40, pattern(300, 1)};
    const Message command{MessageType::CommandAmf0, 3, 0, 0, pattern(300, 2)};
    const QByteArray a = write(writer, audio);
    const QByteArray c = write(writer, command);
    auto chunk = [](const QByteArray &bytes, int index) {
        const int starts[] = {0, 12 + 128, 12 + 128 + 1 + 128, 12 + 128 + 1 + 128 + 1 + 44};
        return bytes.mid(starts[index], starts[index + 1] - starts[index]);
    };
    QByteArray bytes;
    for (int i = 0; i < 3; ++i)
        bytes += chunk(a, i) + chunk(c, i);
    for (size_t step : {size_t(1), SIZE_MAX}) {
        const ReadResult result = readAll(bytes, step);
        QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
        QVERIFY(sameMessages(result.messages, {audio, command}));
    }
}

void TestRtmpChunk::setChunkSizeMidStream()
{
    RtmpChunkWriter writer;
    const Message before{MessageType::Audio, 4, 1, 0, pattern(300, 1)};
    const Message after{MessageType::Audio, 4, 1, 23, pattern(3000, 2)};
    QByteArray bytes = write(writer, before);
    writer.writeSetChunkSize(bytes, 1000);
    const qsizetype afterStart = bytes.size();
    bytes += write(writer, after);
    // 3000 bytes at 1000 per chunk: header, 1000, 1 + 1000, 1 + 1000.
    QCOMPARE(bytes.size() - afterStart, 8 + 3000 + 2);

    RtmpChunkReader reader;
    const ReadResult result = readAll(reader, bytes, 7);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(sameMessages(result.messages, {before, after}));
    QCOMPARE(reader.chunkSize(), 1000u);
}

void TestRtmpChunk::abortDropsPartialMessage()
{
    RtmpChunkWriter writer;
    const QByteArray big = write(writer, {MessageType::Audio, 4, 1, 0, pattern(300, 1)});
    const Message next{MessageType::Audio, 4, 1, 50, pattern(10, 2)};
    QByteArray bytes = big.left(12 + 128);                 // first chunk only
    bytes += hex("02 000000 000004 02 00000000 00000004"); // Abort csid 4
    bytes += hex("04 000032 00000a 08 01000000") + next.payload;
    bytes += hex("02 000000 000004 02 00000000 00000063"); // Abort of an unknown csid
    const ReadResult result = readAll(bytes, 1);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(sameMessages(result.messages, {next}));

    QCOMPARE(readAll(hex("02 000000 000002 02 00000000 0000")).error,
             QStringLiteral("truncated Abort message"));
}

void TestRtmpChunk::invalidChunkSize_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");
    QTest::newRow("0") << setChunkSizeMessage("00000000") << QStringLiteral("invalid chunk size 0");
    QTest::newRow("0x80000000") << setChunkSizeMessage("80000000")
                                << QStringLiteral("invalid chunk size 2147483648");
    QTest::newRow("0xffffffff") << setChunkSizeMessage("ffffffff")
                                << QStringLiteral("invalid chunk size 4294967295");
    QTest::newRow("truncated") << hex("02 000000 000003 01 00000000 000080")
                               << QStringLiteral("truncated Set Chunk Size message");
}

void TestRtmpChunk::invalidChunkSize()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);
    for (size_t step : {size_t(1), SIZE_MAX}) {
        const ReadResult result = readAll(bytes, step);
        QCOMPARE(result.error, error);
        QVERIFY(result.messages.empty());
    }
}

void TestRtmpChunk::hugeChunkSizeAllocatesLittle()
{
    RtmpChunkWriter writer;
    const Message small{MessageType::Audio, 4, 1, 0, pattern(600, 1)};
    const Message large{MessageType::Audio, 4, 1, 23, pattern(200000, 2)};
    QByteArray bytes = setChunkSizeMessage("7fffffff");
    bytes += hex("04 000000 000258 08 01000000") + small.payload;
    bytes += hex("04 000017 030d40 08 01000000") + large.payload;

    RtmpChunkReader reader;
    g_largestAllocation = 0;
    g_trackAllocations = true;
    const ReadResult result = readAll(reader, bytes, 4096);
    g_trackAllocations = false;
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(reader.chunkSize(), 0x7fffffffu);
    QVERIFY(sameMessages(result.messages, {small, large}));
    // The 200000-byte message needs its own buffer; nothing near 2 GiB.
    QVERIFY2(g_largestAllocation < 1000000, qPrintable(QString::number(g_largestAllocation)));
}

void TestRtmpChunk::oversizedKeptMessage()
{
    // 5000000 = 0x4c4b40: the header alone is enough to refuse it.
    const ReadResult result = readAll(hex("04 000000 4c4b40 08 01000000"), 1);
    QCOMPARE(result.error, QStringLiteral("message of 5000000 bytes exceeds limit 1048576"));

    RtmpChunkReader::Limits limits;
    limits.maxMessageSize = 100;
    RtmpChunkWriter writer;
    QCOMPARE(readAll(write(writer, {MessageType::CommandAmf0, 3, 0, 0, pattern(101, 0)}), SIZE_MAX,
                     limits)
                 .error,
             QStringLiteral("message of 101 bytes exceeds limit 100"));
    RtmpChunkWriter fresh;
    QVERIFY(readAll(write(fresh, {MessageType::CommandAmf0, 3, 0, 0, pattern(100, 0)}), SIZE_MAX,
                    limits)
                .error.isEmpty());
}

void TestRtmpChunk::largeVideoSkippedUnbuffered()
{
    RtmpChunkWriter writer;
    QByteArray bytes;
    writer.writeSetChunkSize(bytes, 65536);
    const QByteArray video = pattern(0xffffff, 1);
    writer.writeMessage(bytes, 6, MessageType::Video, 1, 0, video);
    writer.writeMessage(bytes, 6, MessageType::Aggregate, 1, 0, pattern(5000000, 2));
    writer.writeMessage(bytes, 6, MessageType(99), 1, 0, pattern(70000, 3));
    const Message audio{MessageType::Audio, 4, 1, 10, pattern(400, 4)};
    bytes += write(writer, audio);

    RtmpChunkReader reader;
    g_largestAllocation = 0;
    g_trackAllocations = true;
    const ReadResult result = readAll(reader, bytes, 65536);
    g_trackAllocations = false;
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QVERIFY(sameMessages(result.messages, {audio}));
    QVERIFY2(g_largestAllocation < 100000, qPrintable(QString::number(g_largestAllocation)));
}

void TestRtmpChunk::headerBeforeTypeZero_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error");
    QTest::newRow("type 3") << hex("c5 00")
                            << QStringLiteral(
                                   "chunk stream 5: type 3 header before any type 0 header");
    QTest::newRow("type 2") << hex("85 000010 00")
                            << QStringLiteral(
                                   "chunk stream 5: type 2 header before any type 0 header");
    QTest::newRow("type 1, 3-byte csid")
        << hex("41 0000 000010 000001 08 00")
        << QStringLiteral("chunk stream 64: type 1 header before any type 0 header");
}

void TestRtmpChunk::headerBeforeTypeZero()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);
    QCOMPARE(readAll(bytes, 1).error, error);
}

void TestRtmpChunk::newHeaderInsideMessage()
{
    RtmpChunkWriter writer;
    QByteArray bytes = write(writer, {MessageType::Audio, 4, 1, 0, pattern(300, 1)}).left(140);
    bytes += hex("84 000017 00");
    QCOMPARE(readAll(bytes).error,
             QStringLiteral("chunk stream 4: type 2 header inside a message"));
}

void TestRtmpChunk::tooManyChunkStreams()
{
    RtmpChunkReader::Limits limits;
    limits.maxChunkStreams = 3;
    RtmpChunkWriter writer;
    QByteArray bytes;
    for (uint32_t csid = 3; csid < 6; ++csid)
        writer.writeMessage(bytes, csid, MessageType::Audio, 1, 0, pattern(10, 0));
    QCOMPARE(readAll(bytes, SIZE_MAX, limits).messages.size(), size_t(3));
    writer.writeMessage(bytes, 6, MessageType::Audio, 1, 0, pattern(10, 0));
    const ReadResult result = readAll(bytes, SIZE_MAX, limits);
    QCOMPARE(result.error, QStringLiteral("more than 3 chunk streams"));
    QCOMPARE(result.messages.size(), size_t(3));
}

void TestRtmpChunk::zeroLengthAndSkippedTypes()
{
    RtmpChunkWriter writer;
    QByteArray bytes;
    writer.writeMessage(bytes, 4, MessageType::Audio, 1, 0, QByteArray());
    writer.writeMessage(bytes, 4, MessageType::Audio, 1, 10, QByteArray());
    writer.writeMessage(bytes, 5, MessageType::Video, 1, 10, pattern(500, 1));
    writer.writeMessage(bytes, 5, MessageType(7), 1, 20, pattern(5, 1));
    writer.writeMessage(bytes, 5, MessageType::Acknowledgement, 0, 20, pattern(4, 2));
    writer.writeMessage(bytes, 5, MessageType::Audio, 1, 30, pattern(5, 3));

    ReadResult result = readAll(bytes, 1);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.messages.size(), size_t(4));
    QCOMPARE(result.messages[0].payload, QByteArray());
    QCOMPARE(result.messages[1].timestamp, 10u);
    QCOMPARE(result.messages[2].type, MessageType::Acknowledgement);
    QCOMPARE(result.messages[3].timestamp, 30u);

    // Only audio kept: control messages other than Set Chunk Size and Abort
    // are skipped, and those two still apply.
    RtmpChunkReader::Limits audioOnly;
    audioOnly.keptTypes = 1u << 8;
    writer.writeSetChunkSize(bytes, 2);
    writer.writeMessage(bytes, 5, MessageType::Audio, 1, 40, pattern(5, 4));
    RtmpChunkReader reader(audioOnly);
    result = readAll(reader, bytes, 3);
    QVERIFY2(result.error.isEmpty(), qPrintable(result.error));
    QCOMPARE(result.messages.size(), size_t(4));
    QCOMPARE(result.messages[3].payload, pattern(5, 4));
    QCOMPARE(reader.chunkSize(), 2u);
}

void TestRtmpChunk::singleChunkMessageIsNotCopied()
{
    RtmpChunkWriter writer;
    const QByteArray bytes = write(writer, {MessageType::Audio, 4, 1, 0, pattern(100, 1)});
    RtmpChunkReader reader;
    size_t consumed = 0;
    RtmpMessage message;
    QCOMPARE(reader.read(bytes.constData(), size_t(bytes.size()), &consumed, &message),
             RtmpChunkReader::Status::Message);
    QCOMPARE(consumed, size_t(bytes.size()));
    QVERIFY(message.data == bytes.constData() + 12);
    QCOMPARE(message.size, size_t(100));
}

void TestRtmpChunk::errorIsSticky()
{
    RtmpChunkReader reader;
    const QByteArray bad = hex("c5 00");
    size_t consumed = 0;
    RtmpMessage message;
    QCOMPARE(reader.read(bad.constData(), 2, &consumed, &message), RtmpChunkReader::Status::Error);
    QCOMPARE(consumed, size_t(1));
    RtmpChunkWriter writer;
    const QByteArray good = write(writer, {MessageType::Audio, 4, 1, 0, pattern(10, 1)});
    QCOMPARE(reader.read(good.constData(), size_t(good.size()), &consumed, &message),
             RtmpChunkReader::Status::Error);
    QCOMPARE(consumed, size_t(0));
    QCOMPARE(reader.bytesConsumed(), uint64_t(1));
    QVERIFY(!reader.errorText().isEmpty());
}

QTEST_APPLESS_MAIN(TestRtmpChunk)
#include "tst_rtmpchunk.moc"
