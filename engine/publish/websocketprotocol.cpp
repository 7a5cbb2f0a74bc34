#include "publish/websocketprotocol.h"

#include <QCryptographicHash>

namespace roomscribe::publish {

namespace {

constexpr qsizetype kMaxControlPayload_bytes = 125;
constexpr uint16_t kNoStatusCode = 1005;

// Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
bool isValidUtf8(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const auto *end = p + bytes.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int extra = 0;
        uint32_t code = 0;
        uint32_t minimum = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            code = c & 0x1F;
            minimum = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            code = c & 0x0F;
            minimum = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            code = c & 0x07;
            minimum = 0x10000;
        } else {
            return false;
        }
        if (end - p <= extra)
            return false;
        for (int i = 1; i <= extra; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            code = (code << 6) | (p[i] & 0x3F);
        }
        if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return false;
        p += extra + 1;
    }
    return true;
}

// The codes a peer may put in a Close frame (RFC 6455 7.4 and the IANA registry).
bool isValidCloseCode(uint16_t code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

bool isKnownOpcode(uint8_t opcode)
{
    switch (WsOpcode(opcode)) {
    case WsOpcode::Continuation:
    case WsOpcode::Text:
    case WsOpcode::Binary:
    case WsOpcode::Close:
    case WsOpcode::Ping:
    case WsOpcode::Pong:
        return true;
    }
    return false;
}

void appendLength(QByteArray &out, uint8_t maskBit, qsizetype length)
{
    if (length < 126) {
        out.append(char(maskBit | uint8_t(length)));
    } else if (length <= 0xFFFF) {
        out.append(char(maskBit | 126));
        out.append(char(length >> 8));
        out.append(char(length & 0xFF));
    } else {
        out.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((uint64_t(length) >> shift) & 0xFF));
    }
}

} // namespace

QByteArray webSocketAccept(QByteArrayView key)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(key);
    hash.addData(QByteArrayView("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    return hash.result().toBase64();
}

bool isValidWebSocketKey(QByteArrayView key)
{
    if (key.size() != 24)
        return false;
    const auto decoded =
        QByteArray::fromBase64Encoding(key.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    return decoded && decoded.decoded.size() == 16;
}

QByteArray encodeServerFrame(WsOpcode opcode, QByteArrayView payload)
{
    QByteArray out;
    out.reserve(payload.size() + 10);
    out.append(char(0x80 | uint8_t(opcode)));
    appendLength(out, 0, payload.size());
    out.append(payload);
    return out;
}

QByteArray encodeCloseFrame(uint16_t code, QByteArrayView reason)
{
    qsizetype length = qMin(reason.size(), kMaxControlPayload_bytes - 2);
    // Back off to the start of a UTF-8 sequence when the cut falls inside one.
    if (length < reason.size()) {
        while (length > 0 && (uint8_t(reason[length]) & 0xC0) == 0x80)
            --length;
    }
    QByteArray payload;
    payload.append(char(code >> 8));
    payload.append(char(code & 0xFF));
    payload.append(reason.first(length));
    return encodeServerFrame(WsOpcode::Close, payload);
}

QByteArray encodeClientFrame(WsOpcode opcode, QByteArrayView payload, uint32_t mask, bool fin)
{
    QByteArray out;
    out.reserve(payload.size() + 14);
    out.append(char((fin ? 0x80 : 0) | uint8_t(opcode)));
    appendLength(out, 0x80, payload.size());
    const char key[4] = {char(mask >> 24), char(mask >> 16), char(mask >> 8), char(mask)};
    out.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(char(payload[i] ^ key[i % 4]));
    return out;
}

ClientFrameReader::ClientFrameReader(qsizetype maxMessage_bytes)
    : m_maxMessage_bytes(maxMessage_bytes)
{
}

ClientFrameReader::Status ClientFrameReader::feed(QByteArrayView bytes)
{
    if (m_status == Status::Failed)
        return m_status;
    if (m_offset > 0) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(bytes);
    if (m_status == Status::Message)
        return m_status;
    return m_status = parse();
}

ClientFrameReader::Status ClientFrameReader::next()
{
    if (m_status != Status::Message)
        return m_status;
    m_message = Message();
    return m_status = parse();
}

ClientFrameReader::Status ClientFrameReader::parse()
{
    for (;;) {
        const auto *data = reinterpret_cast<const uint8_t *>(m_buffer.constData()) + m_offset;
        const qsizetype available = m_buffer.size() - m_offset;
        if (available < 2)
            return Status::NeedMore;
        const bool fin = data[0] & 0x80;
        const uint8_t opcode = data[0] & 0x0F;
        const bool masked = data[1] & 0x80;
        const uint8_t length7 = data[1] & 0x7F;
        if (data[0] & 0x70)
            return fail(closecode::kProtocolError, "reserved bits set");
        if (!isKnownOpcode(opcode))
            return fail(closecode::kProtocolError, "unknown opcode");
        if (!masked)
            return fail(closecode::kProtocolError, "client frames must be masked");
        const bool control = opcode & 0x8;
        if (control && (!fin || length7 > kMaxControlPayload_bytes))
            return fail(closecode::kProtocolError, "malformed control frame");

        qsizetype header = 2;
        uint64_t length = length7;
        if (length7 == 126) {
            if (available < 4)
                return Status::NeedMore;
            length = (uint64_t(data[2]) << 8) | data[3];
            header = 4;
        } else if (length7 == 127) {
            if (available < 10)
                return Status::NeedMore;
            length = 0;
            for (int i = 2; i < 10; ++i)
                length = (length << 8) | data[i];
            if (length >> 63)
                return fail(closecode::kProtocolError, "malformed frame length");
            header = 10;
        }
        if (!control) {
            if (opcode == uint8_t(WsOpcode::Continuation) && !m_inFragments)
                return fail(closecode::kProtocolError, "continuation without a message");
            if (opcode != uint8_t(WsOpcode::Continuation) && m_inFragments)
                return fail(closecode::kProtocolError, "new message inside a fragmented one");
            // Compare without adding first: length may be near 2^63.
            if (length > uint64_t(m_maxMessage_bytes - m_fragments.size()))
                return fail(closecode::kMessageTooBig, "message too big");
        }
        header += 4; // the masking key
        if (available < header || uint64_t(available - header) < length)
            return Status::NeedMore;

        const uint8_t *key = data + header - 4;
        QByteArray payload(qsizetype(length), Qt::Uninitialized);
        for (qsizetype i = 0; i < payload.size(); ++i)
            payload[i] = char(data[header + i] ^ key[i % 4]);
        m_offset += header + qsizetype(length);

        if (control) {
            m_message.opcode = WsOpcode(opcode);
            if (m_message.opcode == WsOpcode::Close) {
                if (payload.size() == 1)
                    return fail(closecode::kProtocolError, "malformed close frame");
                m_message.closeCode = kNoStatusCode;
                if (payload.size() >= 2) {
                    m_message.closeCode =
                        uint16_t((uint8_t(payload[0]) << 8) | uint8_t(payload[1]));
                    if (!isValidCloseCode(m_message.closeCode))
                        return fail(closecode::kProtocolError, "invalid close code");
                    if (!isValidUtf8(QByteArrayView(payload).sliced(2)))
                        return fail(closecode::kInvalidPayload, "close reason is not UTF-8");
                }
            }
            m_message.payload = std::move(payload);
            return Status::Message;
        }

        if (opcode != uint8_t(WsOpcode::Continuation))
            m_fragmentOpcode = WsOpcode(opcode);
        if (!fin) {
            m_inFragments = true;
            m_fragments.append(payload);
            continue;
        }
        if (m_inFragments) {
            m_fragments.append(payload);
            payload = std::move(m_fragments);
            m_fragments = QByteArray();
            m_inFragments = false;
        }
        if (m_fragmentOpcode == WsOpcode::Text && !isValidUtf8(payload))
            return fail(closecode::kInvalidPayload, "text message is not UTF-8");
        m_message.opcode = m_fragmentOpcode;
        m_message.payload = std::move(payload);
        return Status::Message;
    }
}

ClientFrameReader::Status ClientFrameReader::fail(uint16_t code, const char *reason)
{
    m_status = Status::Failed;
    m_errorCode = code;
    m_errorReason = reason;
    m_buffer.clear();
    m_offset = 0;
    m_fragments.clear();
    return m_status;
}

} // namespace roomscribe::publish
