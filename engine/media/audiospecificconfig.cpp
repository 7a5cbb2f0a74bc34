#include "media/audiospecificconfig.h"

#include "media/bitreader.h"

namespace roomscribe::media {

namespace {

constexpr int kSamplingFrequencies_Hz[13] = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                             22050, 16000, 12000, 11025, 8000,  7350};
constexpr int kExplicitFrequencyIndex = 15;

// Channels per channelConfiguration; -1 = reserved (14496-3:2019 table 1.19).
constexpr int kChannelsPerConfiguration[16] = {0, 1, 2, 3, 4, 5, 6, 8, -1, -1, -1, 7, 8, 24, 8, -1};

bool fail(QString *error, const QString &text)
{
    if (error)
        *error = QStringLiteral("AudioSpecificConfig: ") + text;
    return false;
}

AudioObjectType readObjectType(BitReader &bits)
{
    uint32_t type = bits.read(5);
    if (type == 31)
        type = 32 + bits.read(6);
    return AudioObjectType(type);
}

// Returns 0 for a reserved index or an explicit frequency of 0.
int readSamplingFrequency(BitReader &bits, int &index)
{
    index = int(bits.read(4));
    if (index == kExplicitFrequencyIndex)
        return int(bits.read(24));
    return index < 13 ? kSamplingFrequencies_Hz[index] : 0;
}

// The object types whose config continues with GASpecificConfig.
bool hasGaSpecificConfig(AudioObjectType type)
{
    switch (int(type)) {
    case 1:
    case 2:
    case 3:
    case 4:
    case 6:
    case 7:
    case 17:
    case 19:
    case 20:
    case 21:
    case 22:
    case 23:
        return true;
    default:
        return false;
    }
}

} // namespace

bool parseAudioSpecificConfig(const uint8_t *data, size_t size, AudioSpecificConfig &asc,
                              QString *error)
{
    asc = AudioSpecificConfig{};
    BitReader bits(data, size);

    asc.objectType = readObjectType(bits);
    asc.sampleRate_Hz = readSamplingFrequency(bits, asc.samplingFrequencyIndex);
    asc.channelConfiguration = int(bits.read(4));
    if (asc.objectType == AudioObjectType::Sbr || asc.objectType == AudioObjectType::Ps) {
        asc.sbr = true;
        asc.ps = asc.objectType == AudioObjectType::Ps;
        int extensionIndex = 0;
        asc.extensionSampleRate_Hz = readSamplingFrequency(bits, extensionIndex);
        if (!bits.overrun() && asc.extensionSampleRate_Hz == 0)
            return fail(error, QStringLiteral("reserved or zero SBR sampling frequency (index %1)")
                                   .arg(extensionIndex));
        asc.objectType = readObjectType(bits);
        if (asc.objectType == AudioObjectType::ErBsac)
            bits.read(4); // extensionChannelConfiguration
    }
    if (hasGaSpecificConfig(asc.objectType)) {
        const bool frameLengthFlag = bits.readFlag();
        if (asc.objectType == AudioObjectType::ErAacLd)
            asc.frameLength = frameLengthFlag ? 480 : 512;
        else
            asc.frameLength = frameLengthFlag ? 960 : 1024;
    }

    if (bits.overrun())
        return fail(error, QStringLiteral("truncated (%1 bytes)").arg(size));
    if (asc.objectType == AudioObjectType::Invalid)
        return fail(error, QStringLiteral("audio object type 0"));
    if (asc.sampleRate_Hz == 0)
        return fail(error, QStringLiteral("reserved or zero sampling frequency (index %1)")
                               .arg(asc.samplingFrequencyIndex));
    asc.channels = kChannelsPerConfiguration[asc.channelConfiguration];
    if (asc.channels < 0) {
        asc.channels = 0;
        return fail(
            error,
            QStringLiteral("reserved channelConfiguration %1").arg(asc.channelConfiguration));
    }
    return true;
}

QString objectTypeName(AudioObjectType type)
{
    switch (type) {
    case AudioObjectType::Invalid:
        return QStringLiteral("invalid");
    case AudioObjectType::AacMain:
        return QStringLiteral("AAC Main");
    case AudioObjectType::AacLc:
        return QStringLiteral("AAC-LC");
    case AudioObjectType::AacSsr:
        return QStringLiteral("AAC SSR");
    case AudioObjectType::AacLtp:
        return QStringLiteral("AAC LTP");
    case AudioObjectType::Sbr:
        return QStringLiteral("SBR");
    case AudioObjectType::AacScalable:
        return QStringLiteral("AAC Scalable");
    case AudioObjectType::ErAacLc:
        return QStringLiteral("ER AAC-LC");
    case AudioObjectType::ErAacLtp:
        return QStringLiteral("ER AAC LTP");
    case AudioObjectType::ErAacScalable:
        return QStringLiteral("ER AAC Scalable");
    case AudioObjectType::ErBsac:
        return QStringLiteral("ER BSAC");
    case AudioObjectType::ErAacLd:
        return QStringLiteral("ER AAC LD");
    case AudioObjectType::Ps:
        return QStringLiteral("PS");
    case AudioObjectType::ErAacEld:
        return QStringLiteral("ER AAC ELD");
    case AudioObjectType::Usac:
        return QStringLiteral("USAC");
    }
    return QStringLiteral("audio object type %1").arg(int(type));
}

QString describe(const AudioSpecificConfig &asc)
{
    QString text;
    if (asc.ps)
        text = QStringLiteral("HE-AAC v2 (%1 + SBR + PS), %2 -> %3 Hz");
    else if (asc.sbr)
        text = QStringLiteral("HE-AAC (%1 + SBR), %2 -> %3 Hz");
    else
        text = QStringLiteral("%1, %2 Hz");
    text = text.arg(objectTypeName(asc.objectType)).arg(asc.sampleRate_Hz);
    if (asc.sbr)
        text = text.arg(asc.extensionSampleRate_Hz);
    if (asc.channelConfiguration == 0)
        return text + QStringLiteral(", channels from PCE");
    return text + QStringLiteral(", %1 channels").arg(asc.channels);
}

} // namespace roomscribe::media
