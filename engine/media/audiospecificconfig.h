#pragma once

#include <QString>

#include <cstddef>
#include <cstdint>

namespace roomscribe::media {

// ISO/IEC 14496-3 audioObjectType; the names cover what an RTMP publisher may
// send, other values are kept as their number.
enum class AudioObjectType : uint8_t {
    Invalid = 0, // the spec's "NULL" object
    AacMain = 1,
    AacLc = 2,
    AacSsr = 3,
    AacLtp = 4,
    Sbr = 5,
    AacScalable = 6,
    ErAacLc = 17,
    ErAacLtp = 19,
    ErAacScalable = 20,
    ErBsac = 22,
    ErAacLd = 23,
    Ps = 29,
    ErAacEld = 39,
    Usac = 42,
};

// The fields of an AudioSpecificConfig that describe the stream. The parser
// reads what precedes any program_config_element and the sync extensions;
// libavcodec reads the full config (PCE, implicit SBR/PS) when it opens.
struct AudioSpecificConfig
{
    // The core coder: AAC-LC also for HE-AAC (whose 5 or 29 sets sbr/ps).
    AudioObjectType objectType = AudioObjectType::Invalid;
    int samplingFrequencyIndex = 0; // 15 = explicit frequency
    int sampleRate_Hz = 0;          // of the core coder
    // 0 = a program_config_element gives the layout; channels is then 0 and
    // the decoder reports the real count.
    int channelConfiguration = 0;
    int channels = 0;
    bool sbr = false;               // explicit SBR signalling (object type 5 or 29)
    bool ps = false;                // explicit parametric stereo (object type 29)
    int extensionSampleRate_Hz = 0; // SBR output rate, explicit signalling only
    // Core samples per frame from GASpecificConfig (1024 or 960; 512 or 480
    // for ER AAC LD); 0 for object types without one.
    int frameLength = 0;

    int outputSampleRate_Hz() const { return sbr ? extensionSampleRate_Hz : sampleRate_Hz; }
};

// Returns false with *error set (if given) when the config is truncated, uses
// object type 0, a reserved sampling frequency index (13, 14), an explicit
// frequency of 0 or a reserved channelConfiguration (8..10, 15).
// channelConfiguration 0 (layout in a PCE) is accepted.
bool parseAudioSpecificConfig(const uint8_t *data, size_t size, AudioSpecificConfig &asc,
                              QString *error);

QString objectTypeName(AudioObjectType type);
// E.g. "HE-AAC (AAC-LC + SBR), 24000 -> 48000 Hz, 2 channels".
QString describe(const AudioSpecificConfig &asc);

} // namespace roomscribe::media
