#include "fuzzcheck.h"
#include "livekit/httprequestreader.h"

#include <vector>

using namespace roomscribe::livekit;

using roomscribe::fuzz::check;

namespace {

struct Outcome
{
    std::vector<HttpRequest> requests;
    HttpRequestReader::Status status = HttpRequestReader::Status::Invalid;
    int errorStatus = 0;
};

bool sameRequest(const HttpRequest &a, const HttpRequest &b)
{
    return a.method == b.method && a.target == b.target && a.headers == b.headers &&
           a.body == b.body && a.keepAlive == b.keepAlive;
}

// Feeds `input` in pieces of `piece` bytes (0: all at once), taking every
// request as it completes, and checks each one.
Outcome read(QByteArrayView input, qsizetype piece, qsizetype maxBody_bytes)
{
    HttpRequestReader reader(maxBody_bytes);
    Outcome outcome;
    qsizetype offset = 0;
    do {
        const qsizetype length = piece == 0 ? input.size() : qMin(piece, input.size() - offset);
        HttpRequestReader::Status status = reader.feed(input.sliced(offset, length));
        offset += length;
        while (status == HttpRequestReader::Status::Complete) {
            const HttpRequest &request = reader.request();
            check(request.body.size() <= maxBody_bytes, "the body is bounded");
            check(!request.method.isEmpty() && !request.target.isEmpty(),
                  "a request has a method and a target");
            check(request.headers.size() <= HttpRequestReader::kMaxHeaderCount,
                  "the header count is bounded");
            for (const auto &[name, value] : request.headers) {
                check(!name.isEmpty() && name == name.toLower() && !name.contains(':'),
                      "header names are lower-case tokens");
                check(!value.contains('\r') && !value.contains('\n'), "values hold no CR or LF");
            }
            outcome.requests.push_back(request);
            status = reader.next();
        }
        outcome.status = status;
    } while (offset < input.size() && outcome.status != HttpRequestReader::Status::Failed);
    if (outcome.status == HttpRequestReader::Status::Failed) {
        outcome.errorStatus = reader.errorStatus();
        check(!reader.errorReason().isEmpty(), "a failure says why");
        check(reader.feed("GET / HTTP/1.1\r\n\r\n") == HttpRequestReader::Status::Failed,
              "a failure is final");
    }
    return outcome;
}

} // namespace

// The first byte chooses the body bound (high bit: 64 bytes, else 4096) and
// the size of the pieces the rest arrives in (low 7 bits; 0: one byte).
// However the bytes are split, the reader must see the same requests.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype maxBody_bytes = data[0] & 0x80 ? 64 : 4096;
    const qsizetype piece = qMax(1, data[0] & 0x7f);
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const Outcome whole = read(input, 0, maxBody_bytes);
    const Outcome split = read(input, piece, maxBody_bytes);
    check(whole.status == split.status && whole.errorStatus == split.errorStatus,
          "splitting does not change the outcome");
    check(whole.requests.size() == split.requests.size(), "splitting keeps every request");
    for (size_t i = 0; i < whole.requests.size(); ++i)
        check(sameRequest(whole.requests[i], split.requests[i]), "splitting keeps each request");
    return 0;
}
