#include "fuzzcheck.h"

#include "livekit/signal/signalcodec.h"

#include <google/protobuf/stubs/logging.h>

using namespace roomscribe::livekit;

using roomscribe::fuzz::check;

// protobuf logs every string with invalid UTF-8 to stderr; that is a refusal
// decodeSignalResponse reports itself.
extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    google::protobuf::SetLogHandler(nullptr);
    return 0;
}

// Input: one WebSocket frame from the server, read as a SignalResponse and as
// a trickle's candidateInit JSON.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));

    QString error;
    const std::optional<SignalEvent> event = decodeSignalResponse(input, &error);
    check(event || !error.isEmpty(), "a refusal says why");
    if (event) {
        check(event->kind != SignalEvent::Kind::Invalid, "a decoded frame has a kind");
        if (event->kind == SignalEvent::Kind::Join)
            check(!event->join.self.sid.isEmpty() && event->join.pingInterval_s >= 0 &&
                      event->join.pingTimeout_s >= 0,
                  "a join has our sid and sane ping settings");
        if (event->kind == SignalEvent::Kind::Leave)
            check(event->leaveAction != LeaveAction::Invalid, "a leave has an action");
        if (event->kind == SignalEvent::Kind::Trickle) {
            // What was accepted survives our own encoding.
            IceCandidate again;
            QString againError;
            check(parseCandidateInit(candidateInitJson(event->candidate), &again, &againError) &&
                      again == event->candidate,
                  "an accepted candidate round-trips");
        }
    }

    IceCandidate candidate;
    QString candidateError;
    if (parseCandidateInit(input, &candidate, &candidateError)) {
        check(!candidate.candidate.contains(QLatin1Char('\n')) &&
                  !candidate.candidate.contains(QLatin1Char('\r')),
              "no line break reaches the SDP");
        check(candidate.sdpMLineIndex >= 0 && candidate.sdpMLineIndex <= 65535,
              "the m-line index is an unsigned short");
    } else {
        check(!candidateError.isEmpty(), "a refused candidate says why");
    }
    return 0;
}
