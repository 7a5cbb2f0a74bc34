#include "ingest/rtmp/amf0.h"

#include <cstdio>
#include <cstdlib>

using namespace roomscribe::rtmp;

// Decodes arbitrary bytes; whatever decodes must re-encode to bytes that
// decode again and re-encode identically.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::vector<Amf0Value> values;
    QString error;
    if (!decodeAmf0(reinterpret_cast<const char *>(data), size, values, &error)) {
        if (error.isEmpty())
            std::abort(); // a failure must say why
        return 0;
    }
    const QByteArray encoded = encodeAmf0(values);
    std::vector<Amf0Value> again;
    if (!decodeAmf0(encoded.constData(), size_t(encoded.size()), again, &error)) {
        std::fprintf(stderr, "re-encoded values do not decode: %s\n", qPrintable(error));
        std::abort();
    }
    if (again.size() != values.size() || encodeAmf0(again) != encoded) {
        std::fprintf(stderr, "round trip is not stable\n");
        std::abort();
    }
    return 0;
}
