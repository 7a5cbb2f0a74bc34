#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>

// The server side of RFC 6455, socket-free so that it can be fuzzed: the
// handshake's accept key, server frames (never masked) and an incremental
// reader of client frames (always masked). No extensions, no subprotocols.
namespace roomscribe::publish {

enum class WsOpcode : uint8_t {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// Close codes this server sends (RFC 6455, 7.4.1).
namespace closecode {
constexpr uint16_t kNormal = 1000;
constexpr uint16_t kGoingAway = 1001;
constexpr uint16_t kProtocolError = 1002;
constexpr uint16_t kInvalidPayload = 1007;
constexpr uint16_t kPolicyViolation = 1008;
constexpr uint16_t kMessageTooBig = 1009;
} // namespace closecode

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key.
QByteArray webSocketAccept(QByteArrayView key);
// A key must be the base64 of 16 bytes (RFC 6455, 4.2.1).
bool isValidWebSocketKey(QByteArrayView key);

// One unfragmented, unmasked frame: what a server sends.
QByteArray encodeServerFrame(WsOpcode opcode, QByteArrayView payload);
// A close frame; the reason is cut to fit the 125-byte control payload,
// never inside a UTF-8 sequence.
QByteArray encodeCloseFrame(uint16_t code, QByteArrayView reason);
// One masked frame, as a client sends it (for test and load clients).
QByteArray encodeClientFrame(WsOpcode opcode, QByteArrayView payload, uint32_t mask,
                             bool fin = true);

// Reads what a client sends: masked frames, data messages possibly fragmented
// with control frames in between. Bounded: a message over maxMessage_bytes
// fails the connection before its payload is buffered.
class ClientFrameReader
{
public:
    enum class Status {
        Invalid,
        NeedMore, // no complete message buffered yet
        Message,  // message() holds one; next() moves on
        Failed,   // close with errorCode()/errorReason(): the stream cannot be resynchronised
    };

    struct Message
    {
        WsOpcode opcode = WsOpcode::Continuation; // Text, Binary, Close, Ping or Pong
        QByteArray payload;                       // unmasked; a Close's code and reason
        uint16_t closeCode = 0; // Close: the code, or 1005 ("none") for an empty body
    };

    explicit ClientFrameReader(qsizetype maxMessage_bytes);

    Status feed(QByteArrayView bytes);
    Status next();

    Status status() const { return m_status; }
    const Message &message() const { return m_message; }
    uint16_t errorCode() const { return m_errorCode; }
    const QByteArray &errorReason() const { return m_errorReason; }

private:
    Status parse();
    Status fail(uint16_t code, const char *reason);

    qsizetype m_maxMessage_bytes;
    QByteArray m_buffer;
    qsizetype m_offset = 0; // bytes of m_buffer already consumed
    Status m_status = Status::NeedMore;
    Message m_message;
    // A fragmented data message in progress.
    bool m_inFragments = false;
    WsOpcode m_fragmentOpcode = WsOpcode::Continuation;
    QByteArray m_fragments;
    uint16_t m_errorCode = 0;
    QByteArray m_errorReason;
};

} // namespace roomscribe::publish
