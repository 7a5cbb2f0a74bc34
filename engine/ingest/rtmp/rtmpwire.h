#pragma once

#include <QByteArray>

#include <cstddef>
#include <cstdint>

// Byte-level helpers shared by the RTMP and AMF0 codecs. RTMP is big-endian
// except for the message stream id in type 0 chunk headers.
namespace roomscribe::rtmp::wire {

constexpr uint32_t kExtendedTimestamp = 0xffffff;
constexpr uint32_t kMaxChunkSize = 0x7fffffff;
constexpr uint32_t kMinCsid = 2;
constexpr uint32_t kMaxCsid = 65599;
// Message header sizes of chunk header types 0..3.
constexpr size_t kMessageHeaderSizes[4] = {11, 7, 3, 0};

inline uint16_t readU16(const uint8_t *p)
{
    return uint16_t(p[0] << 8 | p[1]);
}

inline uint32_t readU24(const uint8_t *p)
{
    return uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | uint32_t(p[2]);
}

inline uint32_t readU32(const uint8_t *p)
{
    return uint32_t(p[0]) << 24 | readU24(p + 1);
}

inline uint32_t readU32Le(const uint8_t *p)
{
    return uint32_t(p[3]) << 24 | uint32_t(p[2]) << 16 | uint32_t(p[1]) << 8 | uint32_t(p[0]);
}

inline void appendU8(QByteArray &out, uint8_t value)
{
    out.append(char(value));
}

inline void appendU16(QByteArray &out, uint16_t value)
{
    const char bytes[2] = {char(value >> 8), char(value)};
    out.append(bytes, 2);
}

inline void appendU24(QByteArray &out, uint32_t value)
{
    const char bytes[3] = {char(value >> 16), char(value >> 8), char(value)};
    out.append(bytes, 3);
}

inline void appendU32(QByteArray &out, uint32_t value)
{
    const char bytes[4] = {char(value >> 24), char(value >> 16), char(value >> 8), char(value)};
    out.append(bytes, 4);
}

inline void appendU32Le(QByteArray &out, uint32_t value)
{
    const char bytes[4] = {char(value), char(value >> 8), char(value >> 16), char(value >> 24)};
    out.append(bytes, 4);
}

// Size of the basic header that starts with this byte: the low 6 bits hold the
// chunk stream id, or 0/1 for the 2/3-byte forms.
inline size_t basicHeaderSize(uint8_t first)
{
    switch (first & 0x3f) {
    case 0:
        return 2;
    case 1:
        return 3;
    default:
        return 1;
    }
}

inline uint32_t basicHeaderCsid(const uint8_t *p)
{
    switch (p[0] & 0x3f) {
    case 0:
        return 64 + uint32_t(p[1]);
    case 1:
        return 64 + uint32_t(p[1]) + (uint32_t(p[2]) << 8);
    default:
        return p[0] & 0x3fu;
    }
}

} // namespace roomscribe::rtmp::wire
