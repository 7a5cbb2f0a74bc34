#include "ingest/rtmp/rtmpchunkwriter.h"

#include "ingest/rtmp/rtmpwire.h"

#include <QtGlobal>

#include <algorithm>

namespace roomscribe::rtmp {

namespace {

void appendBasicHeader(QByteArray &out, unsigned fmt, uint32_t csid)
{
    const auto fmtBits = uint8_t(fmt << 6);
    if (csid < 64) {
        wire::appendU8(out, fmtBits | uint8_t(csid));
    } else if (csid < 64 + 256) {
        wire::appendU8(out, fmtBits);
        wire::appendU8(out, uint8_t(csid - 64));
    } else {
        wire::appendU8(out, fmtBits | 1);
        wire::appendU8(out, uint8_t(csid - 64));
        wire::appendU8(out, uint8_t((csid - 64) >> 8));
    }
}

} // namespace

void RtmpChunkWriter::writeSetChunkSize(QByteArray &out, uint32_t chunkSize)
{
    Q_ASSERT(chunkSize >= 1 && chunkSize <= wire::kMaxChunkSize);
    QByteArray payload;
    wire::appendU32(payload, chunkSize);
    writeMessage(out, 2, MessageType::SetChunkSize, 0, 0, payload);
    m_chunkSize = chunkSize;
}

void RtmpChunkWriter::writeMessage(QByteArray &out, uint32_t csid, MessageType type,
                                   uint32_t streamId, uint32_t timestamp_ms, const char *payload,
                                   size_t size)
{
    Q_ASSERT(csid >= wire::kMinCsid && csid <= wire::kMaxCsid);
    Q_ASSERT(size <= 0xffffff);
    ChunkStreamState &state = m_streams[csid];
    const auto length = uint32_t(size);
    const auto typeId = uint8_t(type);

    unsigned fmt;
    if (!state.started || streamId != state.streamId || timestamp_ms < state.timestamp)
        fmt = 0;
    else if (length != state.length || typeId != state.type)
        fmt = 1;
    else if (timestamp_ms - state.timestamp != state.delta)
        fmt = 2;
    else
        fmt = 3;

    // Type 0 carries the timestamp itself, which a following type 3 header
    // then adds as its delta.
    const uint32_t value = fmt == 0 ? timestamp_ms : timestamp_ms - state.timestamp;
    state.started = true;
    state.streamId = streamId;
    state.length = length;
    state.type = typeId;
    state.timestamp = timestamp_ms;
    state.delta = value;
    const bool extended = value >= wire::kExtendedTimestamp;

    const size_t chunks = size == 0 ? 1 : (size - 1) / m_chunkSize + 1;
    out.reserve(out.size() + qsizetype(size + 18 + (chunks - 1) * 7));

    appendBasicHeader(out, fmt, csid);
    if (fmt < 3)
        wire::appendU24(out, extended ? wire::kExtendedTimestamp : value);
    if (fmt < 2) {
        wire::appendU24(out, length);
        wire::appendU8(out, typeId);
    }
    if (fmt == 0)
        wire::appendU32Le(out, streamId);
    if (extended)
        wire::appendU32(out, value);

    size_t offset = 0;
    for (;;) {
        const size_t take = std::min<size_t>(m_chunkSize, size - offset);
        out.append(payload + offset, qsizetype(take));
        offset += take;
        if (offset >= size)
            break;
        // Continuation chunks repeat the extended timestamp, as FFmpeg and
        // GStreamer write and read it.
        appendBasicHeader(out, 3, csid);
        if (extended)
            wire::appendU32(out, value);
    }
}

} // namespace roomscribe::rtmp
