#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

// A bounded, incremental HTTP/1.1 request reader for the webhook endpoint:
// socket-free so that it can be fuzzed. It reads what LiveKit sends (a
// request with Content-Length) and refuses the rest with the status to answer.
namespace roomscribe::livekit {

struct HttpRequest
{
    QByteArray method;
    QByteArray target;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed
    QByteArray body;                              // the raw bytes, as received
    bool keepAlive = true;                        // HTTP/1.1 without "Connection: close"

    // Every value of the header `lowerName`, in order.
    QList<QByteArray> values(QByteArrayView lowerName) const;
};

class HttpRequestReader
{
public:
    static constexpr qsizetype kDefaultMaxHead_bytes = 16 * 1024;
    static constexpr int kMaxHeaderCount = 100;

    enum class Status {
        Invalid,
        NeedMore, // no complete request buffered yet
        Complete, // request() holds one; next() moves on to what follows it
        Failed,   // answer errorStatus() and close: the stream cannot be resynchronised
    };

    explicit HttpRequestReader(qsizetype maxBody_bytes,
                               qsizetype maxHead_bytes = kDefaultMaxHead_bytes);

    // Buffers the bytes and reads as far as they go. Bytes after a failure are dropped.
    Status feed(QByteArrayView bytes);
    // Drops the complete request and reads the next one from what is buffered.
    Status next();

    Status status() const { return m_status; }
    const HttpRequest &request() const { return m_request; }
    // After Failed: 400, 413, 431 or 501, and a short reason for the client.
    int errorStatus() const { return m_errorStatus; }
    const QByteArray &errorReason() const { return m_errorReason; }

private:
    Status parse();
    bool parseHead(QByteArrayView head);
    Status fail(int status, const char *reason);

    qsizetype m_maxBody_bytes;
    qsizetype m_maxHead_bytes;
    QByteArray m_buffer;
    Status m_status = Status::NeedMore;
    bool m_headDone = false;
    qsizetype m_bodyLength = 0;
    HttpRequest m_request;
    int m_errorStatus = 0;
    QByteArray m_errorReason;
};

// The reason phrase of `status` (RFC 9110), "Error" for one not listed:
// shared by every HTTP answer the engine and the fakes write.
QByteArray httpReasonPhrase(int status);
// "HTTP/1.1 <status> <reason>\r\n", the first line of an answer.
QByteArray httpStatusLine(int status);

} // namespace roomscribe::livekit
