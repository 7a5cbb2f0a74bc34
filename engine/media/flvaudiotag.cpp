#include "media/flvaudiotag.h"

namespace roomscribe::media {

namespace {

bool fail(QString *error, const QString &text)
{
    if (error)
        *error = text;
    return false;
}

} // namespace

bool parseFlvAudioTag(const uint8_t *data, size_t size, FlvAudioTag &tag, QString *error)
{
    tag = FlvAudioTag{};
    if (size < 1)
        return fail(error, QStringLiteral("empty FLV audio tag"));

    const uint8_t flags = data[0];
    tag.format = FlvSoundFormat((flags >> 4) + 1);
    tag.rate = FlvSoundRate(((flags >> 2) & 3) + 1);
    tag.size = FlvSoundSize(((flags >> 1) & 1) + 1);
    tag.type = FlvSoundType((flags & 1) + 1);
    if (tag.format != FlvSoundFormat::Aac)
        return fail(error, QStringLiteral("FLV audio is %1, only AAC is supported")
                               .arg(soundFormatName(tag.format)));

    if (size < 2)
        return fail(error, QStringLiteral("FLV AAC tag truncated: no AACPacketType"));
    if (data[1] > 1)
        return fail(error, QStringLiteral("FLV AAC tag has unknown AACPacketType %1").arg(data[1]));
    tag.aacPacketType = AacPacketType(data[1] + 1);
    tag.payload = data + 2;
    tag.payloadSize = size - 2;
    return true;
}

QString soundFormatName(FlvSoundFormat format)
{
    switch (format) {
    case FlvSoundFormat::Invalid:
        return QStringLiteral("invalid");
    case FlvSoundFormat::LinearPcmPlatformEndian:
        return QStringLiteral("linear PCM (platform endian)");
    case FlvSoundFormat::Adpcm:
        return QStringLiteral("ADPCM");
    case FlvSoundFormat::Mp3:
        return QStringLiteral("MP3");
    case FlvSoundFormat::LinearPcmLittleEndian:
        return QStringLiteral("linear PCM (little endian)");
    case FlvSoundFormat::Nellymoser16kMono:
        return QStringLiteral("Nellymoser 16 kHz mono");
    case FlvSoundFormat::Nellymoser8kMono:
        return QStringLiteral("Nellymoser 8 kHz mono");
    case FlvSoundFormat::Nellymoser:
        return QStringLiteral("Nellymoser");
    case FlvSoundFormat::G711ALaw:
        return QStringLiteral("G.711 A-law");
    case FlvSoundFormat::G711MuLaw:
        return QStringLiteral("G.711 mu-law");
    case FlvSoundFormat::Reserved:
        return QStringLiteral("reserved format 9");
    case FlvSoundFormat::Aac:
        return QStringLiteral("AAC");
    case FlvSoundFormat::Speex:
        return QStringLiteral("Speex");
    case FlvSoundFormat::Mp3_8k:
        return QStringLiteral("MP3 8 kHz");
    case FlvSoundFormat::DeviceSpecific:
        return QStringLiteral("device-specific sound");
    }
    return QStringLiteral("sound format %1").arg(int(format) - 1);
}

} // namespace roomscribe::media
