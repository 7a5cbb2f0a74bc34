#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <cstdint>
#include <optional>
#include <vector>

// The Gladia Live v2 wire rules as pure functions (shared/PROTOCOLS.md).
namespace roomscribe::stt {

// What a WebSocket close code means for the session.
enum class CloseAction {
    Invalid,
    Finish,    // 1000, 1001: the session is over
    Fail,      // 4400–4499: Gladia refuses the session; retrying cannot help
    Reconnect, // 1002–4399, 4500–9999: resume on the same URL
};
CloseAction closeActionFor(int closeCode);

// What an answer to POST /v2/live means.
enum class InitOutcome {
    Invalid,
    Created, // 2xx
    Retry,   // no answer, 408, 413, 429, 5xx
    Fail,    // any other status: 400, 401, 422…
};
// httpStatus 0: no HTTP answer at all (network error, time-out).
InitOutcome initOutcomeFor(int httpStatus);

// The `message` of a Gladia error body, verbatim (joined when it is a list);
// empty when the body has none.
QString errorMessageOf(const QByteArray &body);

struct InitAnswer
{
    QString id;
    QUrl url; // ws:// or wss://, used as is
};
// Empty and *error set when the body lacks a usable id and WebSocket URL.
std::optional<InitAnswer> parseInitAnswer(const QByteArray &body, QString *error);

enum class MessageType {
    Invalid,
    Transcript,
    SpeechStart,
    SpeechEnd,
    AudioChunkAck,
    StopRecordingAck,
    StartSession,
    StartRecording,
    EndRecording,
    EndSession,
    PostTranscript,
    PostFinalTranscript,
    Other, // a type this client does not use (translation, future kinds)
};

struct WordTiming
{
    QString word;
    double start_s = 0;
    double end_s = 0;
    double confidence = 0;
};

// One server message; only the fields of its type are set.
struct ServerMessage
{
    MessageType type = MessageType::Invalid;
    QString typeName;
    QString error; // the message's `error.message` (or `error` text) when it carries one

    // Transcript
    QString utteranceId;
    bool isFinal = false;
    double start_s = 0;
    double end_s = 0;
    int channel = 0;
    QString language;
    QString text;
    std::vector<WordTiming> words;

    // AudioChunkAck: acknowledged [byteStart, byteEnd) of session audio
    bool acknowledged = false;
    int64_t byteStart = 0;
    int64_t byteEnd = 0;

    // SpeechStart/SpeechEnd: time_s; StopRecordingAck/EndRecording: recording
    // duration in time_s and, for the ack, what is left to process.
    double time_s = 0;
    double leftToProcess_s = 0;
};
// Invalid and *error set when the text is not a message this client can read.
ServerMessage parseServerMessage(const QByteArray &text, QString *error);

} // namespace roomscribe::stt
