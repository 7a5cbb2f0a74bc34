#include "media/aacdecoder.h"

#include "media/averror.h"

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <climits>
#include <cstring>

namespace roomscribe::media {

AacDecoder::AacDecoder() : m_packet(av_packet_alloc()), m_frame(av_frame_alloc()) {}

AacDecoder::~AacDecoder()
{
    close();
    av_frame_free(&m_frame);
    av_packet_free(&m_packet);
}

bool AacDecoder::open(const uint8_t *audioSpecificConfig, size_t size)
{
    close();
    m_errorText.clear();
    if (!m_packet || !m_frame) {
        m_errorText = QStringLiteral("out of memory");
        return false;
    }
    const AVCodec *codec = avcodec_find_decoder_by_name("aac");
    if (!codec) {
        m_errorText = QStringLiteral("libavcodec has no \"aac\" decoder");
        return false;
    }
    if (size > INT_MAX - AV_INPUT_BUFFER_PADDING_SIZE) {
        m_errorText = QStringLiteral("AudioSpecificConfig too large");
        return false;
    }
    m_context = avcodec_alloc_context3(codec);
    if (m_context) {
        m_context->extradata =
            static_cast<uint8_t *>(av_mallocz(size + AV_INPUT_BUFFER_PADDING_SIZE));
        // One thread per decoder: with hundreds of streams per process,
        // per-stream worker threads would only add memory and switches.
        m_context->thread_count = 1;
    }
    if (!m_context || !m_context->extradata) {
        close();
        m_errorText = QStringLiteral("out of memory");
        return false;
    }
    memcpy(m_context->extradata, audioSpecificConfig, size);
    m_context->extradata_size = int(size);

    const int error = avcodec_open2(m_context, codec, nullptr);
    if (error < 0) {
        close();
        m_errorText = QStringLiteral("libavcodec rejected the AudioSpecificConfig: %1")
                          .arg(avErrorText(error));
        return false;
    }
    return true;
}

void AacDecoder::close()
{
    avcodec_free_context(&m_context);
    if (m_frame)
        av_frame_unref(m_frame);
}

bool AacDecoder::send(const uint8_t *data, size_t size)
{
    if (!m_context || size == 0 || size > INT_MAX) {
        m_errorText = m_context ? QStringLiteral("bad frame size %1").arg(size)
                                : QStringLiteral("decoder not open");
        return false;
    }
    // Not reference-counted: libavcodec copies the bytes into a padded buffer
    // of its own, which the input (a slice of a network buffer) lacks.
    m_packet->data = const_cast<uint8_t *>(data);
    m_packet->size = int(size);
    const int error = avcodec_send_packet(m_context, m_packet);
    m_packet->data = nullptr;
    m_packet->size = 0;
    if (error < 0) {
        m_errorText = avErrorText(error);
        return false;
    }
    return true;
}

void AacDecoder::drain()
{
    if (m_context)
        avcodec_send_packet(m_context, nullptr);
}

const AVFrame *AacDecoder::receive()
{
    m_receiveFailed = false;
    if (!m_context)
        return nullptr;
    const int error = avcodec_receive_frame(m_context, m_frame);
    if (error == 0)
        return m_frame;
    if (error == AVERROR_EOF) {
        avcodec_flush_buffers(m_context); // drained: accept input again
    } else if (error != AVERROR(EAGAIN)) {
        m_receiveFailed = true;
        m_errorText = avErrorText(error);
    }
    return nullptr;
}

} // namespace roomscribe::media
