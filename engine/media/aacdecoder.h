#pragma once

#include <QString>

#include <cstddef>
#include <cstdint>

extern "C" {
struct AVCodecContext;
struct AVFrame;
struct AVPacket;
}

namespace roomscribe::media {

// libavcodec's native "aac" decoder (planar float output) fed raw AAC frames,
// configured by an AudioSpecificConfig. The packet and frame are reused, so
// steady-state decoding does not allocate here.
class AacDecoder
{
public:
    AacDecoder();
    ~AacDecoder();
    AacDecoder(const AacDecoder &) = delete;
    AacDecoder &operator=(const AacDecoder &) = delete;

    // (Re)opens the decoder; on failure it stays closed and errorText() says why.
    bool open(const uint8_t *audioSpecificConfig, size_t size);
    void close();
    bool isOpen() const { return m_context != nullptr; }

    // Submits one raw frame. Returns false if the decoder refused it (or the
    // frame is empty, which libavcodec would take for end of stream).
    bool send(const uint8_t *data, size_t size);
    // End of input: receive() then returns what the decoder still holds,
    // after which the decoder accepts new frames.
    void drain();
    // The next decoded frame, valid until the next call; nullptr when none.
    // A decode error reported here also yields nullptr and sets
    // lastReceiveFailed().
    const AVFrame *receive();
    bool lastReceiveFailed() const { return m_receiveFailed; }

    QString errorText() const { return m_errorText; }

private:
    AVCodecContext *m_context = nullptr;
    AVPacket *m_packet = nullptr;
    AVFrame *m_frame = nullptr;
    bool m_receiveFailed = false;
    QString m_errorText;
};

} // namespace roomscribe::media
