#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <vector>

namespace roomscribe::bench {

// The AAC audio of an FLV file, kept whole in memory so that every simulated
// publisher replays the same bytes without touching the disk again.
class FlvAudio
{
public:
    struct Frame
    {
        uint32_t timestamp_ms = 0;
        int offset = 0; // into data(): an FLV audio tag body (flags byte first)
        int size = 0;
    };

    // Reads the file; fails unless it holds an AAC sequence header and frames.
    bool load(const QString &path, QString *error);

    const QByteArray &data() const { return m_data; }
    const Frame &sequenceHeader() const { return m_sequenceHeader; }
    const std::vector<Frame> &frames() const { return m_frames; }
    // Added to the timestamps at each replay of the file, so they keep rising.
    uint32_t loopPeriod_ms() const { return m_loopPeriod_ms; }
    int sampleRate() const { return m_sampleRate; }
    int channels() const { return m_channels; }

private:
    QByteArray m_data;
    Frame m_sequenceHeader;
    std::vector<Frame> m_frames;
    uint32_t m_loopPeriod_ms = 0;
    int m_sampleRate = 0;
    int m_channels = 0;
};

} // namespace roomscribe::bench
