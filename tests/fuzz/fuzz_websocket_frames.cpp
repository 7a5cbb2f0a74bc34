#include "fuzzcheck.h"
#include "publish/websocketprotocol.h"

#include <vector>

using namespace roomscribe::publish;

using roomscribe::fuzz::check;

namespace {

struct Outcome
{
    std::vector<ClientFrameReader::Message> messages;
    ClientFrameReader::Status status = ClientFrameReader::Status::Invalid;
    uint16_t errorCode = 0;
};

// Feeds `input` in pieces of `piece` bytes (0: all at once), taking every
// message as it completes, and checks each one.
Outcome read(QByteArrayView input, qsizetype piece, qsizetype maxMessage_bytes)
{
    ClientFrameReader reader(maxMessage_bytes);
    Outcome outcome;
    qsizetype offset = 0;
    do {
        const qsizetype length = piece == 0 ? input.size() : qMin(piece, input.size() - offset);
        ClientFrameReader::Status status = reader.feed(input.sliced(offset, length));
        offset += length;
        while (status == ClientFrameReader::Status::Message) {
            const ClientFrameReader::Message &message = reader.message();
            switch (message.opcode) {
            case WsOpcode::Text:
            case WsOpcode::Binary:
                check(message.payload.size() <= maxMessage_bytes, "a message is bounded");
                break;
            case WsOpcode::Close:
                check(message.closeCode == 1005 ||
                          (message.closeCode >= 1000 && message.closeCode <= 4999),
                      "a close code is valid");
                [[fallthrough]];
            case WsOpcode::Ping:
            case WsOpcode::Pong:
                check(message.payload.size() <= 125, "a control payload is at most 125 bytes");
                break;
            case WsOpcode::Continuation:
                check(false, "a message is never a bare continuation");
            }
            outcome.messages.push_back(message);
            status = reader.next();
        }
        outcome.status = status;
    } while (offset < input.size() && outcome.status != ClientFrameReader::Status::Failed);
    if (outcome.status == ClientFrameReader::Status::Failed) {
        outcome.errorCode = reader.errorCode();
        check(outcome.errorCode >= 1002 && outcome.errorCode <= 1009, "a failure has a code");
        check(!reader.errorReason().isEmpty(), "a failure says why");
        check(reader.feed(encodeClientFrame(WsOpcode::Ping, "", 1)) ==
                  ClientFrameReader::Status::Failed,
              "a failure is final");
        // What the server then sends must be a valid close frame.
        const QByteArray close = encodeCloseFrame(outcome.errorCode, reader.errorReason());
        check(close.size() >= 4 && close.size() <= 127, "the close frame fits a control frame");
    }
    return outcome;
}

} // namespace

// The first byte chooses the message bound (high bit: 64 bytes, else 4096)
// and the size of the pieces the rest arrives in (low 7 bits; 0: one byte).
// However the bytes are split, the reader must see the same messages.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype maxMessage_bytes = data[0] & 0x80 ? 64 : 4096;
    const qsizetype piece = qMax(1, data[0] & 0x7f);
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const Outcome whole = read(input, 0, maxMessage_bytes);
    const Outcome split = read(input, piece, maxMessage_bytes);
    check(whole.status == split.status && whole.errorCode == split.errorCode,
          "splitting does not change the outcome");
    check(whole.messages.size() == split.messages.size(), "splitting keeps every message");
    for (size_t i = 0; i < whole.messages.size(); ++i)
        check(whole.messages[i].opcode == split.messages[i].opcode &&
                  whole.messages[i].payload == split.messages[i].payload &&
                  whole.messages[i].closeCode == split.messages[i].closeCode,
              "splitting keeps each message");
    return 0;
}
