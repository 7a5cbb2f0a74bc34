#include "media/opusrtpdecoder.h"

#include "core/logging.h"

#include <opus/opus.h>

#include <QtEndian>

#include <algorithm>

namespace roomscribe::media {

namespace {

constexpr size_t kFixedHeaderSize = 12;
constexpr int64_t kMaxConcealmentSamples =
    int64_t(OpusRtpStreamDecoder::kSampleRate_Hz) * OpusRtpStreamDecoder::kMaxConcealment_ms / 1000;

} // namespace

bool rtpTimestamp(const char *data, size_t size, uint32_t *timestamp)
{
    constexpr size_t kOffset = 4; // after the flags, the payload type and the sequence number
    if (size < kOffset + sizeof(quint32))
        return false;
    *timestamp = qFromBigEndian<quint32>(data + kOffset);
    return true;
}

bool parseRtpPacket(const char *data, size_t size, RtpPacketView *packet, QString *error)
{
    const auto *bytes = reinterpret_cast<const uint8_t *>(data);
    if (size < kFixedHeaderSize) {
        *error =
            QStringLiteral("RTP packet of %1 bytes is shorter than its 12-byte header").arg(size);
        return false;
    }
    const int version = bytes[0] >> 6;
    if (version != 2) {
        *error = QStringLiteral("RTP version %1 (expected 2)").arg(version);
        return false;
    }
    const bool padding = bytes[0] & 0x20;
    const bool extension = bytes[0] & 0x10;
    const size_t csrcCount = bytes[0] & 0x0f;
    size_t offset = kFixedHeaderSize + 4 * csrcCount;
    if (offset > size) {
        *error = QStringLiteral("RTP packet of %1 bytes is shorter than its %2 CSRCs")
                     .arg(size)
                     .arg(csrcCount);
        return false;
    }
    if (extension) {
        if (offset + 4 > size) {
            *error = QStringLiteral("RTP packet ends inside its header extension");
            return false;
        }
        const size_t words = qFromBigEndian<quint16>(bytes + offset + 2);
        offset += 4 + 4 * words;
        if (offset > size) {
            *error =
                QStringLiteral("RTP header extension of %1 words runs past the packet").arg(words);
            return false;
        }
    }
    size_t end = size;
    if (padding) {
        const size_t paddingSize = bytes[size - 1];
        if (paddingSize == 0 || paddingSize > size - offset) {
            *error =
                QStringLiteral("RTP padding of %1 bytes does not fit the packet").arg(paddingSize);
            return false;
        }
        end -= paddingSize;
    }
    packet->payloadType = bytes[1] & 0x7f;
    packet->marker = bytes[1] & 0x80;
    packet->sequenceNumber = qFromBigEndian<quint16>(bytes + 2);
    rtpTimestamp(data, size, &packet->timestamp);
    packet->ssrc = qFromBigEndian<quint32>(bytes + 8);
    packet->payload = data + offset;
    packet->payloadSize = end - offset;
    return true;
}

OpusRtpStreamDecoder::OpusRtpStreamDecoder(int chunkDuration_ms, ChunkHandler onChunk,
                                           uint8_t payloadType)
    : StreamDecoder(chunkDuration_ms, std::move(onChunk)), m_payloadType(payloadType),
      m_resampler(*PolyphaseFilter::forInputRate(kSampleRate_Hz))
{
    int status = OPUS_OK;
    m_decoder = opus_decoder_create(kSampleRate_Hz, kChannels, &status);
    if (status != OPUS_OK)
        m_decoder = nullptr;
}

OpusRtpStreamDecoder::~OpusRtpStreamDecoder()
{
    if (m_decoder)
        opus_decoder_destroy(m_decoder);
}

void OpusRtpStreamDecoder::endInput()
{
    m_started = false;
}

bool OpusRtpStreamDecoder::decode(const char *data, size_t size, int64_t arrival_ns)
{
    if (!m_decoder)
        return fail(QStringLiteral("the Opus decoder could not be created"));
    RtpPacketView packet;
    QString error;
    if (!parseRtpPacket(data, size, &packet, &error)) {
        corrupt(error);
        return true;
    }
    if (packet.payloadType != m_payloadType) {
        corrupt(QStringLiteral("RTP payload type %1 (expected %2)")
                    .arg(packet.payloadType)
                    .arg(m_payloadType));
        return true;
    }
    const auto *payload = reinterpret_cast<const unsigned char *>(packet.payload);
    const opus_int32 payloadSize = opus_int32(packet.payloadSize);
    const int samples = packet.payloadSize == 0
                            ? OPUS_INVALID_PACKET
                            : opus_packet_get_nb_samples(payload, payloadSize, kSampleRate_Hz);
    if (samples <= 0 || samples > kMaxPacketSamples) {
        corrupt(QStringLiteral("an Opus packet of %1 bytes that does not parse")
                    .arg(packet.payloadSize));
        return true;
    }

    if (!m_started || packet.ssrc != m_ssrc) {
        restart(packet);
    } else {
        const int distance = int16_t(uint16_t(packet.sequenceNumber - m_expectedSequence));
        if (distance < -kMaxDropout || distance > kMaxDropout) {
            restart(packet);
        } else if (distance < 0) {
            ++m_latePackets;
            return true;
        } else if (distance > 0) {
            const int64_t gap = int32_t(packet.timestamp - m_expectedTimestamp);
            const int64_t fill = std::min(gap, int64_t(distance) * kMaxPacketSamples);
            if (fill > int64_t(kSampleRate_Hz) * kMaxGap_ms / 1000) {
                restart(packet);
                m_lostPackets += uint64_t(distance);
            } else {
                conceal(fill, uint64_t(distance), packet);
            }
            // Filled: should this packet not decode, only its own duration is missing.
            m_expectedSequence = packet.sequenceNumber;
            m_expectedTimestamp = packet.timestamp;
        }
    }

    m_decoded.resize(size_t(samples));
    const int decoded =
        opus_decode_float(m_decoder, payload, payloadSize, m_decoded.data(), samples, 0);
    if (decoded != samples) {
        // Its duration is concealed before the next packet.
        corrupt(QStringLiteral("Opus decoding failed: %1")
                    .arg(QString::fromUtf8(opus_strerror(decoded))));
        return true;
    }
    ++m_packets;
    m_expectedSequence = uint16_t(packet.sequenceNumber + 1);
    m_expectedTimestamp = packet.timestamp + uint32_t(samples);
    m_resampler.convert(m_decoded.data(), m_decoded.data(), m_decoded.size(), m_pcm);
    deliver(m_pcm, arrival_ns);
    return true;
}

void OpusRtpStreamDecoder::conceal(int64_t samples, uint64_t lost, const RtpPacketView &next)
{
    m_lostPackets += lost;
    if (samples <= 0)
        return; // the timestamps do not say how long: nothing to fill
    // libopus conceals whole 2.5 ms steps.
    constexpr int kStep = kSampleRate_Hz / 400;
    const int concealed = int(std::min(samples, kMaxConcealmentSamples)) / kStep * kStep;
    m_decoded.resize(size_t(concealed));
    int done = 0;
    if (concealed > 0 && lost == 1) {
        // The next packet's LBRR copy of this one, or concealment without it.
        done = opus_decode_float(m_decoder, reinterpret_cast<const unsigned char *>(next.payload),
                                 opus_int32(next.payloadSize), m_decoded.data(), concealed, 1);
    } else if (concealed > 0) {
        done = opus_decode_float(m_decoder, nullptr, 0, m_decoded.data(), concealed, 0);
    }
    std::fill(m_decoded.begin() + std::max(done, 0), m_decoded.end(), 0.f);
    m_resampler.convert(m_decoded.data(), m_decoded.data(), m_decoded.size(), m_pcm);
    // The rest as silence, a packet's length at a time to bound the memory.
    m_decoded.assign(size_t(kMaxPacketSamples), 0.f);
    for (int64_t left = samples - concealed; left > 0; left -= kMaxPacketSamples) {
        m_resampler.convert(m_decoded.data(), m_decoded.data(),
                            size_t(std::min<int64_t>(left, kMaxPacketSamples)), m_pcm);
    }
}

void OpusRtpStreamDecoder::restart(const RtpPacketView &packet)
{
    if (m_started)
        opus_decoder_ctl(m_decoder, OPUS_RESET_STATE);
    m_started = true;
    m_ssrc = packet.ssrc;
}

void OpusRtpStreamDecoder::corrupt(const QString &why)
{
    ++m_corruptPackets;
    qCDebug(lcMedia) << "skipping an RTP packet:" << why;
}

void OpusRtpStreamDecoder::drain(int64_t arrival_ns)
{
    m_resampler.flush(m_pcm);
    deliver(m_pcm, arrival_ns);
}

} // namespace roomscribe::media
