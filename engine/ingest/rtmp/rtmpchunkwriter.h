#pragma once

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace roomscribe::rtmp {

// RTMP message type ids used by Roomscribe.
enum class MessageType : uint8_t {
    Invalid = 0,
    SetChunkSize = 1,
    Abort = 2,
    Acknowledgement = 3,
    UserControl = 4,
    WindowAckSize = 5,
    SetPeerBandwidth = 6,
    Audio = 8,
    Video = 9,
    DataAmf3 = 15,
    CommandAmf3 = 17,
    DataAmf0 = 18,
    CommandAmf0 = 20,
    Aggregate = 22,
};

// Splits messages into chunks at the current outgoing chunk size, choosing the
// most compact header type (0..3) from what the chunk stream sent last.
class RtmpChunkWriter
{
public:
    static constexpr uint32_t kDefaultChunkSize = 128;

    uint32_t chunkSize() const { return m_chunkSize; }
    // Sends Set Chunk Size (csid 2) and applies it to what follows.
    void writeSetChunkSize(QByteArray &out, uint32_t chunkSize);
    void writeMessage(QByteArray &out, uint32_t csid, MessageType type, uint32_t streamId,
                      uint32_t timestamp_ms, const char *payload, size_t size);
    void writeMessage(QByteArray &out, uint32_t csid, MessageType type, uint32_t streamId,
                      uint32_t timestamp_ms, const QByteArray &payload)
    {
        writeMessage(out, csid, type, streamId, timestamp_ms, payload.constData(),
                     size_t(payload.size()));
    }

private:
    struct ChunkStreamState
    {
        bool started = false;
        uint32_t streamId = 0;
        uint32_t length = 0;
        uint8_t type = 0;
        uint32_t timestamp = 0;
        uint32_t delta = 0;
    };
    uint32_t m_chunkSize = kDefaultChunkSize;
    std::unordered_map<uint32_t, ChunkStreamState> m_streams;
};

} // namespace roomscribe::rtmp
