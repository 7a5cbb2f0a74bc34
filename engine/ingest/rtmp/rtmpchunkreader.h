#pragma once

#include "ingest/rtmp/rtmpchunkwriter.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace roomscribe::rtmp {

// One complete message. The payload view stays valid until the next call to
// RtmpChunkReader::read() and may point into that call's input.
struct RtmpMessage
{
    MessageType type = MessageType::Invalid; // may hold ids outside the enum
    uint32_t csid = 0;
    uint32_t streamId = 0;
    uint32_t timestamp_ms = 0; // absolute, wraps at 2^32
    const char *data = nullptr;
    size_t size = 0;
};

// Incremental parser of the chunk stream that follows the handshake. Input may
// be split at any byte. Set Chunk Size and Abort are applied here and not
// returned; other kept types are returned whole; the rest are skipped unbuffered.
class RtmpChunkReader
{
public:
    // Bit n set = messages of type id n are returned (ids >= 32 never are).
    static constexpr uint32_t kDefaultKeptTypes = 1u << 1 | 1u << 2 | 1u << 3 | 1u << 4 | 1u << 5 |
                                                  1u << 6 | 1u << 8 | 1u << 15 | 1u << 17 |
                                                  1u << 18 | 1u << 20;

    struct Limits
    {
        uint32_t maxMessageSize = 1u << 20; // kept messages only
        int maxChunkStreams = 64;
        uint32_t keptTypes = kDefaultKeptTypes;
    };

    enum class Status {
        Invalid = 0,
        NeedMore, // all input consumed, no message completed
        Message,  // *message is filled; input after *consumed is unread
        Error,    // errorText() says why; every later call fails too
    };

    explicit RtmpChunkReader(Limits limits);
    RtmpChunkReader() : RtmpChunkReader(Limits{}) {}

    // Parses data[0, size) until a kept message completes or the input ends.
    Status read(const char *data, size_t size, size_t *consumed, RtmpMessage *message);

    uint32_t chunkSize() const { return m_chunkSize; }
    uint64_t bytesConsumed() const { return m_bytesConsumed; }
    QString errorText() const { return m_errorText; }

private:
    // Basic header (up to 3) + message header (up to 11) + extended timestamp.
    static constexpr size_t kMaxHeaderSize = 18;

    struct ChunkStream
    {
        uint32_t csid = 0;
        uint32_t streamId = 0;
        uint32_t length = 0;
        uint8_t type = 0;
        bool keep = false;
        // The last type 0/1/2 header carried an extended timestamp, so type 3
        // chunks on this stream carry one too.
        bool extended = false;
        uint32_t timestamp = 0;
        uint32_t delta = 0;    // what a type 3 header starting a message adds
        uint32_t received = 0; // payload bytes of the message in progress
        std::vector<char> buffer;
    };

    // Bytes the header in m_header needs, as far as its known bytes tell.
    size_t headerSize() const;
    bool applyHeader();
    // Set Chunk Size or Abort, complete in payload.
    bool applyControl(const ChunkStream &stream, const char *payload);
    int streamIndex(uint32_t csid) const; // -1 when not tracked
    bool fail(const QString &error);

    Limits m_limits;
    uint32_t m_chunkSize = RtmpChunkWriter::kDefaultChunkSize;
    std::vector<ChunkStream> m_streams;
    size_t m_current = 0;          // index of the stream whose chunk is being read
    uint32_t m_chunkRemaining = 0; // payload bytes left in the current chunk
    bool m_inPayload = false;
    uint8_t m_header[kMaxHeaderSize];
    size_t m_headerLength = 0;
    uint64_t m_bytesConsumed = 0;
    bool m_failed = false;
    QString m_errorText;
};

} // namespace roomscribe::rtmp
