#pragma once

#include <QString>

#include <cstddef>
#include <cstdint>

namespace roomscribe::media {

// FLV AUDIODATA header fields (video_file_format_spec_v10, E.4.2). Each enum
// value is the field's code + 1, so that Invalid can be 0.
enum class FlvSoundFormat : uint8_t {
    Invalid = 0,
    LinearPcmPlatformEndian = 0 + 1,
    Adpcm = 1 + 1,
    Mp3 = 2 + 1,
    LinearPcmLittleEndian = 3 + 1,
    Nellymoser16kMono = 4 + 1,
    Nellymoser8kMono = 5 + 1,
    Nellymoser = 6 + 1,
    G711ALaw = 7 + 1,
    G711MuLaw = 8 + 1,
    Reserved = 9 + 1,
    Aac = 10 + 1,
    Speex = 11 + 1,
    // 12 and 13 are undefined
    Mp3_8k = 14 + 1,
    DeviceSpecific = 15 + 1,
};

enum class FlvSoundRate : uint8_t {
    Invalid = 0,
    Rate5_5kHz,
    Rate11kHz,
    Rate22kHz,
    Rate44kHz,
};

enum class FlvSoundSize : uint8_t {
    Invalid = 0,
    Bits8,
    Bits16,
};

enum class FlvSoundType : uint8_t {
    Invalid = 0,
    Mono,
    Stereo,
};

enum class AacPacketType : uint8_t {
    Invalid = 0,
    SequenceHeader, // payload is an AudioSpecificConfig
    Raw,            // payload is one raw AAC frame
};

// A parsed FLV audio tag body. payload points into the parsed buffer.
struct FlvAudioTag
{
    FlvSoundFormat format = FlvSoundFormat::Invalid;
    // For AAC these are fixed (44 kHz, 16 bit, stereo) and say nothing about
    // the stream: the AudioSpecificConfig does.
    FlvSoundRate rate = FlvSoundRate::Invalid;
    FlvSoundSize size = FlvSoundSize::Invalid;
    FlvSoundType type = FlvSoundType::Invalid;
    AacPacketType aacPacketType = AacPacketType::Invalid;
    const uint8_t *payload = nullptr;
    size_t payloadSize = 0;
};

// Parses an FLV audio tag body (the bytes after the 11-byte tag header, as an
// RTMP audio message carries them). Only AAC is accepted: anything else, a
// truncated body or an unknown AACPacketType returns false with *error set (if
// given); the header fields parsed so far are left in tag.
bool parseFlvAudioTag(const uint8_t *data, size_t size, FlvAudioTag &tag, QString *error);

QString soundFormatName(FlvSoundFormat format);

} // namespace roomscribe::media
