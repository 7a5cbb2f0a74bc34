#include "livekit/httprequestreader.h"

namespace roomscribe::livekit {

namespace {

// RFC 9110 tchar: what a method or a header name may consist of.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return false;
    for (const char c : bytes) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Visible ASCII only: no spaces or control characters in a request target.
bool isVisible(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return false;
    for (const char c : bytes) {
        if (c <= ' ' || c == '\x7f')
            return false;
    }
    return true;
}

// A header value may hold tabs and spaces but no other control character:
// a stray CR or LF is how requests get smuggled past proxies.
bool isFieldValue(QByteArrayView bytes)
{
    for (const char c : bytes) {
        if ((c >= 0 && c < ' ' && c != '\t') || c == '\x7f')
            return false;
    }
    return true;
}

QByteArrayView trimmedOws(QByteArrayView bytes)
{
    while (!bytes.isEmpty() && (bytes.front() == ' ' || bytes.front() == '\t'))
        bytes = bytes.sliced(1);
    while (!bytes.isEmpty() && (bytes.back() == ' ' || bytes.back() == '\t'))
        bytes.chop(1);
    return bytes;
}

// Digits only, and few enough that the value fits easily; -1 otherwise.
qint64 contentLengthOf(QByteArrayView value)
{
    if (value.isEmpty() || value.size() > 18)
        return -1;
    qint64 length = 0;
    for (const char c : value) {
        if (c < '0' || c > '9')
            return -1;
        length = length * 10 + (c - '0');
    }
    return length;
}

bool hasToken(QByteArrayView list, QByteArrayView token)
{
    qsizetype start = 0;
    while (start <= list.size()) {
        qsizetype comma = list.indexOf(',', start);
        if (comma < 0)
            comma = list.size();
        if (trimmedOws(list.sliced(start, comma - start)).compare(token, Qt::CaseInsensitive) == 0)
            return true;
        start = comma + 1;
    }
    return false;
}

} // namespace

QList<QByteArray> HttpRequest::values(QByteArrayView lowerName) const
{
    QList<QByteArray> result;
    for (const auto &[name, value] : headers) {
        if (name == lowerName)
            result.append(value);
    }
    return result;
}

HttpRequestReader::HttpRequestReader(qsizetype maxBody_bytes, qsizetype maxHead_bytes)
    : m_maxBody_bytes(maxBody_bytes), m_maxHead_bytes(maxHead_bytes)
{
}

HttpRequestReader::Status HttpRequestReader::feed(QByteArrayView bytes)
{
    if (m_status == Status::Failed)
        return m_status;
    m_buffer.append(bytes);
    if (m_status == Status::Complete)
        return m_status;
    return m_status = parse();
}

HttpRequestReader::Status HttpRequestReader::next()
{
    if (m_status != Status::Complete)
        return m_status;
    m_request = HttpRequest();
    m_headDone = false;
    m_bodyLength = 0;
    return m_status = parse();
}

HttpRequestReader::Status HttpRequestReader::parse()
{
    if (!m_headDone) {
        // Empty lines before a request line are to be ignored (RFC 9112, 2.2).
        qsizetype skip = 0;
        while (m_buffer.size() >= skip + 2 && m_buffer[skip] == '\r' && m_buffer[skip + 1] == '\n')
            skip += 2;
        m_buffer.remove(0, skip);

        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_buffer.size() > m_maxHead_bytes)
                return fail(431, "request head too large");
            return Status::NeedMore;
        }
        if (end + 4 > m_maxHead_bytes)
            return fail(431, "request head too large");
        if (!parseHead(QByteArrayView(m_buffer).first(end)))
            return m_status;
        m_buffer.remove(0, end + 4);
        m_headDone = true;
    }
    if (m_buffer.size() < m_bodyLength)
        return Status::NeedMore;
    m_request.body = m_buffer.left(m_bodyLength);
    m_buffer.remove(0, m_bodyLength);
    return Status::Complete;
}

bool HttpRequestReader::parseHead(QByteArrayView head)
{
    qsizetype lineEnd = head.indexOf("\r\n");
    const QByteArrayView requestLine = lineEnd < 0 ? head : head.first(lineEnd);
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype secondSpace = firstSpace < 0 ? -1 : requestLine.indexOf(' ', firstSpace + 1);
    if (secondSpace < 0) {
        fail(400, "malformed request line");
        return false;
    }
    const QByteArrayView method = requestLine.first(firstSpace);
    const QByteArrayView target = requestLine.sliced(firstSpace + 1, secondSpace - firstSpace - 1);
    const QByteArrayView version = requestLine.sliced(secondSpace + 1);
    if (!isToken(method) || !isVisible(target)) {
        fail(400, "malformed request line");
        return false;
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        fail(400, "unsupported HTTP version");
        return false;
    }
    m_request.method = method.toByteArray();
    m_request.target = target.toByteArray();

    while (lineEnd >= 0) {
        const qsizetype start = lineEnd + 2;
        lineEnd = head.indexOf("\r\n", start);
        const QByteArrayView line =
            head.sliced(start, (lineEnd < 0 ? head.size() : lineEnd) - start);
        const qsizetype colon = line.indexOf(':');
        // A name must touch its colon; a leading space would be obsolete line folding.
        if (colon <= 0 || !isToken(line.first(colon))) {
            fail(400, "malformed header");
            return false;
        }
        const QByteArrayView value = trimmedOws(line.sliced(colon + 1));
        if (!isFieldValue(value)) {
            fail(400, "malformed header");
            return false;
        }
        if (m_request.headers.size() == kMaxHeaderCount) {
            fail(431, "too many headers");
            return false;
        }
        m_request.headers.append({line.first(colon).toByteArray().toLower(), value.toByteArray()});
    }

    // LiveKit sends its small bodies with a length; a chunked body is refused
    // rather than decoded, which keeps this reader small.
    if (!m_request.values("transfer-encoding").isEmpty()) {
        fail(501, "Transfer-Encoding is not supported; send Content-Length");
        return false;
    }
    const QList<QByteArray> lengths = m_request.values("content-length");
    const qint64 length = lengths.isEmpty() ? 0 : contentLengthOf(lengths.first());
    // Repeats must agree, or two readers of this stream could split it differently.
    if (length < 0 || lengths.count(lengths.value(0)) != lengths.size()) {
        fail(400, "malformed Content-Length");
        return false;
    }
    if (length > m_maxBody_bytes) {
        fail(413, "body too large");
        return false;
    }
    m_bodyLength = qsizetype(length);

    bool close = false;
    bool keepAlive = false;
    for (const QByteArray &connection : m_request.values("connection")) {
        close = close || hasToken(connection, "close");
        keepAlive = keepAlive || hasToken(connection, "keep-alive");
    }
    m_request.keepAlive = !close && (version == "HTTP/1.1" || keepAlive);
    return true;
}

HttpRequestReader::Status HttpRequestReader::fail(int status, const char *reason)
{
    m_status = Status::Failed;
    m_errorStatus = status;
    m_errorReason = reason;
    m_buffer.clear();
    return m_status;
}

QByteArray httpReasonPhrase(int status)
{
    switch (status) {
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Content Too Large";
    case 422:
        return "Unprocessable Entity";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

QByteArray httpStatusLine(int status)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status) + "\r\n";
}

} // namespace roomscribe::livekit
