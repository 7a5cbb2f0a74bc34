#include "flvaudio.h"

#include <QFile>

namespace roomscribe::bench {

namespace {

constexpr int kFlvHeaderMinSize = 9;
constexpr int kTagHeaderSize = 11;
constexpr int kPreviousTagSizeSize = 4;
constexpr uint8_t kTagTypeAudio = 8;
constexpr uint8_t kSoundFormatAac = 10;
constexpr uint8_t kAacSequenceHeader = 0;
constexpr uint8_t kAacRaw = 1;
constexpr int kAacSamplesPerFrame = 1024;

uint32_t readBe(const char *p, int bytes)
{
    uint32_t value = 0;
    for (int i = 0; i < bytes; ++i)
        value = (value << 8) | uint8_t(p[i]);
    return value;
}

// Sampling rate and channel count from an AudioSpecificConfig (ISO 14496-3).
bool parseAudioSpecificConfig(const char *p, int size, int *sampleRate, int *channels)
{
    static const int kRates[] = {96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                 22050, 16000, 12000, 11025, 8000,  7350};
    if (size < 2)
        return false;
    const uint32_t bits = readBe(p, 2);
    const uint32_t rateIndex = (bits >> 7) & 0x0f;
    if (rateIndex >= sizeof(kRates) / sizeof(kRates[0]))
        return false;
    *sampleRate = kRates[rateIndex];
    *channels = int((bits >> 3) & 0x0f);
    return *channels > 0;
}

} // namespace

bool FlvAudio::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return false;
    }
    const QByteArray bytes = file.readAll();
    const char *p = bytes.constData();
    const int size = int(bytes.size());
    if (size < kFlvHeaderMinSize || !bytes.startsWith("FLV")) {
        *error = QStringLiteral("not an FLV file");
        return false;
    }
    int pos = int(readBe(p + 5, 4)) + kPreviousTagSizeSize;
    m_data.clear();
    m_frames.clear();
    m_sequenceHeader = {};
    while (pos + kTagHeaderSize <= size) {
        const uint8_t tagType = uint8_t(p[pos]) & 0x1f;
        const int dataSize = int(readBe(p + pos + 1, 3));
        const uint32_t timestamp = readBe(p + pos + 4, 3) | (uint32_t(uint8_t(p[pos + 7])) << 24);
        const int body = pos + kTagHeaderSize;
        if (body + dataSize > size)
            break; // a truncated last tag: keep what came before
        pos = body + dataSize + kPreviousTagSizeSize;
        if (tagType != kTagTypeAudio || dataSize < 2 || (uint8_t(p[body]) >> 4) != kSoundFormatAac)
            continue;
        const Frame frame{timestamp, int(m_data.size()), dataSize};
        const uint8_t packetType = uint8_t(p[body + 1]);
        if (packetType == kAacSequenceHeader && m_sequenceHeader.size == 0) {
            if (!parseAudioSpecificConfig(p + body + 2, dataSize - 2, &m_sampleRate, &m_channels)) {
                *error = QStringLiteral("unreadable AAC AudioSpecificConfig");
                return false;
            }
            m_sequenceHeader = frame;
        } else if (packetType == kAacRaw) {
            m_frames.push_back(frame);
        } else {
            continue;
        }
        m_data.append(p + body, dataSize);
    }
    if (m_sequenceHeader.size == 0 || m_frames.empty()) {
        *error = QStringLiteral("no AAC sequence header or no AAC frames");
        return false;
    }
    // The file's true length from its sample count: FLV timestamps are rounded
    // to milliseconds, and the replays must not drift against the audio.
    const uint32_t first = m_frames.front().timestamp_ms;
    for (Frame &frame : m_frames)
        frame.timestamp_ms -= first;
    m_loopPeriod_ms =
        uint32_t(qRound64(double(m_frames.size()) * kAacSamplesPerFrame * 1000.0 / m_sampleRate));
    return true;
}

} // namespace roomscribe::bench
