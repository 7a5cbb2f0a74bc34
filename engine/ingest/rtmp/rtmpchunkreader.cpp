#include "ingest/rtmp/rtmpchunkreader.h"

#include "ingest/rtmp/rtmpwire.h"

#include <algorithm>
#include <cstring>

namespace roomscribe::rtmp {

namespace {

// A buffer that grew past this for a rare big message is released rather than
// kept for the connection's lifetime; it is also the most reserved up front.
constexpr size_t kRetainedCapacity = 64 * 1024;

bool isKept(uint8_t type, uint32_t keptTypes)
{
    // The reader itself needs the payloads of Set Chunk Size and Abort.
    if (type == uint8_t(MessageType::SetChunkSize) || type == uint8_t(MessageType::Abort))
        return true;
    return type < 32 && (keptTypes >> type & 1) != 0;
}

} // namespace

RtmpChunkReader::RtmpChunkReader(Limits limits) : m_limits(limits) {}

int RtmpChunkReader::streamIndex(uint32_t csid) const
{
    for (size_t i = 0; i < m_streams.size(); ++i) {
        if (m_streams[i].csid == csid)
            return int(i);
    }
    return -1;
}

bool RtmpChunkReader::fail(const QString &error)
{
    m_failed = true;
    m_errorText = error;
    return false;
}

size_t RtmpChunkReader::headerSize() const
{
    const unsigned fmt = m_header[0] >> 6;
    const size_t basic = wire::basicHeaderSize(m_header[0]);
    const size_t size = basic + wire::kMessageHeaderSizes[fmt];
    if (m_headerLength < size)
        return size;
    bool extended;
    if (fmt < 3) {
        extended = wire::readU24(m_header + basic) == wire::kExtendedTimestamp;
    } else {
        const int index = streamIndex(wire::basicHeaderCsid(m_header));
        extended = index >= 0 && m_streams[size_t(index)].extended;
    }
    return size + (extended ? 4 : 0);
}

bool RtmpChunkReader::applyHeader()
{
    const unsigned fmt = m_header[0] >> 6;
    const size_t basic = wire::basicHeaderSize(m_header[0]);
    const uint32_t csid = wire::basicHeaderCsid(m_header);
    const uint8_t *fields = m_header + basic;

    int index = streamIndex(csid);
    if (index < 0) {
        if (fmt != 0) {
            return fail(QStringLiteral("chunk stream %1: type %2 header before any type 0 header")
                            .arg(csid)
                            .arg(fmt));
        }
        if (m_streams.size() >= size_t(std::max(m_limits.maxChunkStreams, 0)))
            return fail(QStringLiteral("more than %1 chunk streams").arg(m_limits.maxChunkStreams));
        m_streams.emplace_back();
        m_streams.back().csid = csid;
        index = int(m_streams.size() - 1);
    }
    m_current = size_t(index);
    ChunkStream &stream = m_streams[m_current];
    const bool continuation = stream.received > 0;
    if (continuation && fmt != 3) {
        return fail(
            QStringLiteral("chunk stream %1: type %2 header inside a message").arg(csid).arg(fmt));
    }

    if (fmt < 3) {
        const uint32_t field = wire::readU24(fields);
        stream.extended = field == wire::kExtendedTimestamp;
        const uint32_t value =
            stream.extended ? wire::readU32(fields + wire::kMessageHeaderSizes[fmt]) : field;
        if (fmt <= 1) {
            stream.length = wire::readU24(fields + 3);
            stream.type = fields[6];
        }
        if (fmt == 0) {
            stream.streamId = wire::readU32Le(fields + 7);
            stream.timestamp = value;
        } else {
            stream.timestamp += value;
        }
        // After a type 0 header, a type 3 header adds the type 0 timestamp.
        stream.delta = value;
    } else if (!continuation) {
        // The repeated extended field of a type 3 header is the delta it adds.
        if (stream.extended)
            stream.delta = wire::readU32(fields);
        stream.timestamp += stream.delta;
    }

    if (!continuation) {
        stream.keep = isKept(stream.type, m_limits.keptTypes);
        if (stream.keep && stream.length > m_limits.maxMessageSize) {
            return fail(QStringLiteral("message of %1 bytes exceeds limit %2")
                            .arg(stream.length)
                            .arg(m_limits.maxMessageSize));
        }
    }
    m_chunkRemaining = std::min(m_chunkSize, stream.length - stream.received);
    return true;
}

bool RtmpChunkReader::applyControl(const ChunkStream &stream, const char *payload)
{
    const auto *bytes = reinterpret_cast<const uint8_t *>(payload);
    if (stream.type == uint8_t(MessageType::SetChunkSize)) {
        if (stream.length < 4)
            return fail(QStringLiteral("truncated Set Chunk Size message"));
        const uint32_t chunkSize = wire::readU32(bytes);
        if (chunkSize == 0 || chunkSize > wire::kMaxChunkSize)
            return fail(QStringLiteral("invalid chunk size %1").arg(chunkSize));
        m_chunkSize = chunkSize;
        return true;
    }
    if (stream.length < 4)
        return fail(QStringLiteral("truncated Abort message"));
    const int aborted = streamIndex(wire::readU32(bytes));
    if (aborted >= 0)
        m_streams[size_t(aborted)].received = 0;
    return true;
}

RtmpChunkReader::Status RtmpChunkReader::read(const char *data, size_t size, size_t *consumed,
                                              RtmpMessage *message)
{
    size_t pos = 0;
    Status status = Status::NeedMore;
    while (!m_failed) {
        if (!m_inPayload) {
            if (pos == size)
                break;
            // The header's size grows as its fields become known.
            size_t need = m_headerLength == 0 ? 1 : headerSize();
            while (m_headerLength < need && pos < size) {
                const size_t take = std::min(need - m_headerLength, size - pos);
                std::memcpy(m_header + m_headerLength, data + pos, take);
                m_headerLength += take;
                pos += take;
                need = headerSize();
            }
            if (m_headerLength < need)
                break;
            m_headerLength = 0;
            if (!applyHeader())
                break;
            m_inPayload = true;
        }

        ChunkStream &stream = m_streams[m_current];
        const size_t take = std::min<size_t>(m_chunkRemaining, size - pos);
        const char *payload = nullptr;
        if (stream.keep) {
            if (stream.received == 0 && take == stream.length) {
                // The whole message is in this chunk and in the input: no copy.
                payload = data + pos;
            } else {
                if (stream.received == 0) {
                    if (stream.buffer.capacity() > kRetainedCapacity)
                        std::vector<char>().swap(stream.buffer);
                    stream.buffer.clear();
                    stream.buffer.reserve(std::min<size_t>(stream.length, kRetainedCapacity));
                }
                stream.buffer.insert(stream.buffer.end(), data + pos, data + pos + take);
                payload = stream.buffer.data();
            }
        }
        stream.received += uint32_t(take);
        m_chunkRemaining -= uint32_t(take);
        pos += take;
        if (m_chunkRemaining > 0)
            break;
        m_inPayload = false;
        if (stream.received < stream.length)
            continue;

        stream.received = 0;
        const auto type = MessageType(stream.type);
        if (type == MessageType::SetChunkSize || type == MessageType::Abort) {
            applyControl(stream, payload);
            continue;
        }
        if (!stream.keep)
            continue;
        message->type = type;
        message->csid = stream.csid;
        message->streamId = stream.streamId;
        message->timestamp_ms = stream.timestamp;
        message->data = payload;
        message->size = stream.length;
        status = Status::Message;
        break;
    }
    if (m_failed)
        status = Status::Error;
    *consumed = pos;
    m_bytesConsumed += pos;
    return status;
}

} // namespace roomscribe::rtmp
