#include "fuzzinput.h"

#include "ingest/rtmp/rtmpserversession.h"

using namespace roomscribe::rtmp;

namespace {

class Delegate : public RtmpServerSession::Delegate
{
public:
    explicit Delegate(PublishDecision decision) : m_decision(decision) {}

    PublishDecision onPublish(const QString &, const QString &) override { return m_decision; }
    void onAudio(uint32_t, const char *data, size_t size, int64_t) override
    {
        // Touch every byte so the sanitizer checks the payload view.
        unsigned sum = 0;
        for (size_t i = 0; i < size; ++i)
            sum += uint8_t(data[i]);
        m_sink = m_sink + sum;
    }
    void onUnpublish() override {}

private:
    PublishDecision m_decision;
    volatile unsigned m_sink = 0;
};

} // namespace

// The first byte chooses where to split the rest into two feeds (low 7 bits)
// and whether the publish is deferred and then accepted (high bit). A valid
// handshake comes first so that the input reaches chunk parsing.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QByteArray handshake = fuzz::handshake();
    if (size == 0)
        return 0;
    const uint8_t control = data[0];
    const auto *input = reinterpret_cast<const char *>(data + 1);
    const size_t length = size - 1;
    const size_t split = length * (control & 0x7f) / 0x80;

    Delegate delegate(control & 0x80 ? PublishDecision::Defer : PublishDecision::Accept);
    RtmpServerSession::Limits limits;
    limits.maxMessageSize = 1u << 16;
    limits.maxPendingInput = 1u << 16;
    RtmpServerSession session(&delegate, limits);
    session.feed(handshake.constData(), size_t(handshake.size()), 0);
    if (session.feed(input, split, 1)) {
        session.completePublish(true, 2);
        session.feed(input + split, length - split, 3);
        session.completePublish(true, 4);
    }
    session.takeOutput();
    return 0;
}
