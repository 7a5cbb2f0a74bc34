#include "fuzzcheck.h"
#include "media/opusrtpdecoder.h"

#include <cstddef>
#include <cstdint>

using namespace roomscribe::media;
using roomscribe::fuzz::check;

// The input is a run of RTP packets, each as a 16-bit big-endian length and
// its bytes. Nothing ends the stream, and every packet is counted once:
// decoded, dropped as late or skipped as corrupt.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t chunkSamples = 0;
    OpusRtpStreamDecoder decoder(
        100, [&](PcmChunk &&chunk) { chunkSamples += uint64_t(chunk.pcm.size()) / 2; });
    uint64_t fed = 0;
    size_t at = 0;
    while (at + 2 <= size) {
        const size_t length = std::min<size_t>(size_t(data[at]) << 8 | data[at + 1], size - at - 2);
        at += 2;
        check(decoder.feed(reinterpret_cast<const char *>(data + at), length, int64_t(fed)),
              "feed never fails");
        at += length;
        ++fed;
        check(decoder.packets() + decoder.latePackets() + decoder.corruptFrames() == fed,
              "every packet is counted once");
    }
    decoder.flush();
    check(chunkSamples == decoder.samplesOut(), "what is counted is what is chunked");
    return 0;
}
