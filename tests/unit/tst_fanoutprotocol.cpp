// The fan-out's socket-free parts: WebSocket frames and handshake keys, the
// clients' tokens, the request decisions (every refusal), and the
// Prometheus text writer.

#include "core/latencyhistogram.h"
#include "publish/prometheustext.h"
#include "publish/publishrequest.h"
#include "publish/realtimetoken.h"
#include "publish/websocketprotocol.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QTest>

#include <cmath>

using namespace roomscribe;
using namespace roomscribe::publish;

namespace {

const QByteArray kSecret = QByteArrayLiteral("fan-out-secret-of-32-characters!!");
constexpr qint64 kNow_s = 1'800'000'000;

QByteArray tokenFor(const QStringList &rooms, qint64 expiresAt = kNow_s + 600,
                    const QByteArray &secret = kSecret)
{
    RealtimeClaims claims;
    claims.rooms = rooms;
    claims.expiresAt = expiresAt;
    return createRealtimeToken(claims, secret);
}

// A token with a payload written by hand, signed properly.
QByteArray signedPayload(const QByteArray &payloadJson, const QByteArray &alg = "HS256")
{
    constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
    const QByteArray input = QByteArray(R"({"alg":")" + alg + R"(","typ":"JWT"})").toBase64(kB64) +
                             '.' + payloadJson.toBase64(kB64);
    return input + '.' +
           QMessageAuthenticationCode::hash(input, kSecret, QCryptographicHash::Sha256)
               .toBase64(kB64);
}

livekit::HttpRequest upgradeRequest(const QByteArray &target, const QByteArray &authorization = {})
{
    livekit::HttpRequest request;
    request.method = "GET";
    request.target = target;
    request.headers = {{"host", "127.0.0.1"},
                       {"upgrade", "websocket"},
                       {"connection", "keep-alive, Upgrade"},
                       {"sec-websocket-version", "13"},
                       {"sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="}};
    if (!authorization.isEmpty())
        request.headers.append({"authorization", authorization});
    return request;
}

RequestDecision decide(const livekit::HttpRequest &request)
{
    return decideRequest(request, kSecret, kNow_s, std::chrono::seconds(30));
}

// Every message a reader yields for `bytes`, fed in pieces of `piece` bytes.
QList<ClientFrameReader::Message> readAll(const QByteArray &bytes, qsizetype piece,
                                          ClientFrameReader::Status *last = nullptr,
                                          qsizetype maxMessage_bytes = 1024)
{
    ClientFrameReader reader(maxMessage_bytes);
    QList<ClientFrameReader::Message> messages;
    ClientFrameReader::Status status = ClientFrameReader::Status::NeedMore;
    for (qsizetype offset = 0; offset < bytes.size(); offset += piece) {
        status =
            reader.feed(QByteArrayView(bytes).sliced(offset, qMin(piece, bytes.size() - offset)));
        while (status == ClientFrameReader::Status::Message) {
            messages.append(reader.message());
            status = reader.next();
        }
        if (status == ClientFrameReader::Status::Failed)
            break;
    }
    if (last)
        *last = status;
    return messages;
}

} // namespace

class TestFanoutProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acceptKeyMatchesRfcExample()
    {
        // RFC 6455, 1.3.
        QCOMPARE(webSocketAccept("dGhlIHNhbXBsZSBub25jZQ=="),
                 QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QVERIFY(isValidWebSocketKey("dGhlIHNhbXBsZSBub25jZQ=="));
        QVERIFY(!isValidWebSocketKey("dGhlIHNhbXBsZSBub25jZQ"));
        QVERIFY(!isValidWebSocketKey(QByteArray(24, '!')));
        QVERIFY(!isValidWebSocketKey(QByteArray("AAAAAAAAAAAAAAAAAAAAAAAAAAAA")));
    }

    void serverFramesUseTheShortestLength()
    {
        QCOMPARE(encodeServerFrame(WsOpcode::Text, "hi"), QByteArray("\x81\x02hi", 4));
        const QByteArray medium = encodeServerFrame(WsOpcode::Text, QByteArray(300, 'a'));
        QCOMPARE(medium.left(4), QByteArray("\x81\x7e\x01\x2c", 4));
        QCOMPARE(medium.size(), 4 + 300);
        const QByteArray large = encodeServerFrame(WsOpcode::Binary, QByteArray(70000, 'a'));
        QCOMPARE(large.left(10), QByteArray("\x82\x7f\x00\x00\x00\x00\x00\x01\x11\x70", 10));
        QCOMPARE(large.size(), 10 + 70000);
    }

    void closeFrameCutsReasonOnCharacterBoundary()
    {
        const QByteArray frame = encodeCloseFrame(1008, "client too slow");
        QCOMPARE(frame, QByteArray::fromHex("881103f0") + "client too slow");
        // 123 bytes of reason fit; "é" is two bytes and must not be split.
        const QByteArray reason = QByteArray(122, 'x') + QString(QStringLiteral("é")).toUtf8();
        const QByteArray cut = encodeCloseFrame(1000, reason);
        QCOMPARE(cut.size(), 2 + 2 + 122);
    }

    void readsMaskedFramesInAnyPieces_data()
    {
        QTest::addColumn<qsizetype>("piece");
        for (const qsizetype piece : {1, 2, 3, 7, 64, 100000})
            QTest::addRow("%lld", qlonglong(piece)) << piece;
    }

    void readsMaskedFramesInAnyPieces()
    {
        QFETCH(qsizetype, piece);
        const QByteArray bytes =
            encodeClientFrame(WsOpcode::Text, "hello", 0x01020304) +
            encodeClientFrame(WsOpcode::Ping, "p", 0xdeadbeef) +
            // A fragmented text message with a pong in the middle.
            encodeClientFrame(WsOpcode::Text, "frag", 0x11223344, false) +
            encodeClientFrame(WsOpcode::Pong, "", 0x55667788) +
            encodeClientFrame(WsOpcode::Continuation, QByteArray(300, 'm'), 0x99aabbcc, true) +
            encodeClientFrame(WsOpcode::Close, QByteArray::fromHex("03e8") + "bye", 0x0badf00d);
        ClientFrameReader::Status last;
        const QList<ClientFrameReader::Message> messages = readAll(bytes, piece, &last);
        QCOMPARE(last, ClientFrameReader::Status::NeedMore);
        QCOMPARE(messages.size(), 5);
        QCOMPARE(messages[0].opcode, WsOpcode::Text);
        QCOMPARE(messages[0].payload, QByteArray("hello"));
        QCOMPARE(messages[1].opcode, WsOpcode::Ping);
        QCOMPARE(messages[1].payload, QByteArray("p"));
        QCOMPARE(messages[2].opcode, WsOpcode::Pong);
        QCOMPARE(messages[3].opcode, WsOpcode::Text);
        QCOMPARE(messages[3].payload, "frag" + QByteArray(300, 'm'));
        QCOMPARE(messages[4].opcode, WsOpcode::Close);
        QCOMPARE(messages[4].closeCode, uint16_t(1000));
        QCOMPARE(messages[4].payload.mid(2), QByteArray("bye"));
    }

    void refusesMalformedClientFrames_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("code");
        QTest::addRow("unmasked") << encodeServerFrame(WsOpcode::Text, "x") << 1002;
        QByteArray reserved = encodeClientFrame(WsOpcode::Text, "x", 1);
        reserved[0] = char(reserved[0] | 0x40);
        QTest::addRow("reserved bit") << reserved << 1002;
        QByteArray opcode = encodeClientFrame(WsOpcode::Text, "x", 1);
        opcode[0] = char(0x83);
        QTest::addRow("unknown opcode") << opcode << 1002;
        QTest::addRow("fragmented ping")
            << encodeClientFrame(WsOpcode::Ping, "x", 1, false) << 1002;
        QTest::addRow("long ping")
            << encodeClientFrame(WsOpcode::Ping, QByteArray(126, 'x'), 1) << 1002;
        QTest::addRow("stray continuation")
            << encodeClientFrame(WsOpcode::Continuation, "x", 1) << 1002;
        QTest::addRow("message inside a message")
            << encodeClientFrame(WsOpcode::Text, "x", 1, false) +
                   encodeClientFrame(WsOpcode::Text, "y", 1)
            << 1002;
        QTest::addRow("too big") << encodeClientFrame(WsOpcode::Binary, QByteArray(1025, 'x'), 1)
                                 << 1009;
        QTest::addRow("too big in fragments")
            << encodeClientFrame(WsOpcode::Binary, QByteArray(600, 'x'), 1, false) +
                   encodeClientFrame(WsOpcode::Continuation, QByteArray(600, 'x'), 1)
            << 1009;
        QByteArray huge("\x82\xff\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 14);
        QTest::addRow("64-bit length with the top bit") << huge << 1002;
        QTest::addRow("bad UTF-8") << encodeClientFrame(WsOpcode::Text, "\xc3\x28", 1) << 1007;
        QTest::addRow("surrogate in UTF-8")
            << encodeClientFrame(WsOpcode::Text, "\xed\xa0\x80", 1) << 1007;
        QTest::addRow("one-byte close") << encodeClientFrame(WsOpcode::Close, "\x03", 1) << 1002;
        QTest::addRow("close code 1005")
            << encodeClientFrame(WsOpcode::Close, QByteArray("\x03\xed", 2), 1) << 1002;
        QTest::addRow("close reason not UTF-8")
            << encodeClientFrame(WsOpcode::Close, QByteArray("\x03\xe8\xff", 3), 1) << 1007;
    }

    void refusesMalformedClientFrames()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, code);
        ClientFrameReader reader(1024);
        ClientFrameReader::Status status = reader.feed(bytes);
        while (status == ClientFrameReader::Status::Message)
            status = reader.next();
        QCOMPARE(status, ClientFrameReader::Status::Failed);
        QCOMPARE(int(reader.errorCode()), code);
        QVERIFY(!reader.errorReason().isEmpty());
        QCOMPARE(reader.feed(encodeClientFrame(WsOpcode::Ping, "", 1)),
                 ClientFrameReader::Status::Failed);
    }

    void emptyCloseHasNoStatus()
    {
        const QList<ClientFrameReader::Message> messages =
            readAll(encodeClientFrame(WsOpcode::Close, "", 7), 1);
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages[0].closeCode, uint16_t(1005));
    }

    void tokenRoundTrip()
    {
        const auto one = verifyRealtimeToken(tokenFor({"standup"}), kSecret, kNow_s);
        QVERIFY2(one.ok(), qPrintable(one.reason));
        QCOMPARE(one.claims.rooms, QStringList{"standup"});
        QVERIFY(one.claims.grants("standup"));
        QVERIFY(!one.claims.grants("other"));

        const auto many = verifyRealtimeToken(tokenFor({"a", "b"}), kSecret, kNow_s);
        QVERIFY(many.ok());
        QCOMPARE(many.claims.rooms, (QStringList{"a", "b"}));

        // Both claims together name every room in them.
        const auto both = verifyRealtimeToken(signedPayload(R"({"room":"a","rooms":["b"],"exp":)" +
                                                            QByteArray::number(kNow_s + 5) + "}"),
                                              kSecret, kNow_s);
        QVERIFY(both.ok());
        QCOMPARE(both.claims.rooms, (QStringList{"a", "b"}));
    }

    void tokenRefusals_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<int>("status");
        const QByteArray exp = QByteArray::number(kNow_s + 600);
        QTest::addRow("other secret") << tokenFor({"r"}, kNow_s + 600, "another secret")
                                      << int(RealtimeTokenStatus::BadSignature);
        QByteArray altered = tokenFor({"r"});
        const QList<QByteArray> parts = altered.split('.');
        constexpr auto kB64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
        altered = parts[0] + '.' + QByteArray(R"({"room":"x","exp":)" + exp + "}").toBase64(kB64) +
                  '.' + parts[2];
        QTest::addRow("altered payload") << altered << int(RealtimeTokenStatus::BadSignature);
        QTest::addRow("expired") << tokenFor({"r"}, kNow_s - 31)
                                 << int(RealtimeTokenStatus::Expired);
        QTest::addRow("not yet valid")
            << signedPayload(R"({"room":"r","exp":)" + exp + R"(,"nbf":)" +
                             QByteArray::number(kNow_s + 100) + "}")
            << int(RealtimeTokenStatus::NotYetValid);
        QTest::addRow("no exp") << signedPayload(R"({"room":"r"})")
                                << int(RealtimeTokenStatus::Malformed);
        QTest::addRow("string exp")
            << signedPayload(R"({"room":"r","exp":"soon"})") << int(RealtimeTokenStatus::Malformed);
        QTest::addRow("no room") << signedPayload(R"({"exp":)" + exp + "}")
                                 << int(RealtimeTokenStatus::Malformed);
        QTest::addRow("room not a string") << signedPayload(R"({"room":5,"exp":)" + exp + "}")
                                           << int(RealtimeTokenStatus::Malformed);
        QTest::addRow("rooms not strings")
            << signedPayload(R"({"rooms":["a",1],"exp":)" + exp + "}")
            << int(RealtimeTokenStatus::Malformed);
        QTest::addRow("alg none") << signedPayload(R"({"room":"r","exp":)" + exp + "}", "none")
                                  << int(RealtimeTokenStatus::Malformed);
        QTest::addRow("two parts") << QByteArray("abc.def") << int(RealtimeTokenStatus::Malformed);
        QTest::addRow("four parts")
            << tokenFor({"r"}) + ".x" << int(RealtimeTokenStatus::Malformed);
        QTest::addRow("not base64")
            << QByteArray("a*b.c*d.e*f") << int(RealtimeTokenStatus::Malformed);
    }

    void tokenRefusals()
    {
        QFETCH(QByteArray, token);
        QFETCH(int, status);
        const RealtimeTokenVerification verification =
            verifyRealtimeToken(token, kSecret, kNow_s, std::chrono::seconds(30));
        QCOMPARE(int(verification.status), status);
        QVERIFY(!verification.reason.isEmpty());
        QVERIFY(!verification.reason.toUtf8().contains(token));
    }

    void emptySecretAcceptsNothing()
    {
        RealtimeClaims claims;
        claims.rooms = {"r"};
        claims.expiresAt = kNow_s + 60;
        QCOMPARE(verifyRealtimeToken(createRealtimeToken(claims, {}), {}, kNow_s).status,
                 RealtimeTokenStatus::BadSignature);
    }

    void upgradesWithTokenInQueryOrHeader()
    {
        const QByteArray token = tokenFor({"stand up"});
        RequestDecision decision =
            decide(upgradeRequest("/api/realtime/transcribe?room=stand+up&access_token=" + token));
        QCOMPARE(decision.kind, RequestKind::WebSocket);
        QCOMPARE(decision.room, QStringLiteral("stand up"));
        QCOMPARE(decision.acceptKey, QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QCOMPARE(decision.tokenExpiresAt, kNow_s + 600);

        decision =
            decide(upgradeRequest("/api/realtime/transcribe?room=stand%20up", "Bearer " + token));
        QCOMPARE(decision.kind, RequestKind::WebSocket);
        QCOMPARE(decision.room, QStringLiteral("stand up"));
        const QByteArray upgrade = upgradeResponse(decision.acceptKey);
        QVERIFY(upgrade.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
        QVERIFY(upgrade.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        QVERIFY(upgrade.endsWith("\r\n\r\n"));
    }

    void refusesRequests_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("dropHeader");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("reason");
        const QByteArray good = tokenFor({"r"});
        const QByteArray path = "/api/realtime/transcribe?room=r";
        QTest::addRow("no token") << path << QByteArray() << QByteArray("GET") << QByteArray()
                                  << 401 << QByteArray("missing access token");
        QTest::addRow("empty token") << path + "&access_token=" << QByteArray() << QByteArray("GET")
                                     << QByteArray() << 401 << QByteArray("missing access token");
        QTest::addRow("wrong room") << "/api/realtime/transcribe?room=x&access_token=" + good
                                    << QByteArray() << QByteArray("GET") << QByteArray() << 403
                                    << QByteArray("token does not grant this room");
        QTest::addRow("expired") << path << "Bearer " + tokenFor({"r"}, kNow_s - 3600)
                                 << QByteArray("GET") << QByteArray() << 401
                                 << QByteArray("invalid token: token expired");
        QTest::addRow("bad signature")
            << path + "&access_token=" + tokenFor({"r"}, kNow_s + 60, "wrong") << QByteArray()
            << QByteArray("GET") << QByteArray() << 401
            << QByteArray("invalid token: signature does not match");
        QTest::addRow("basic auth")
            << path << QByteArray("Basic dXNlcjpwYXNz") << QByteArray("GET") << QByteArray() << 401
            << QByteArray("Authorization is not a Bearer token");
        QTest::addRow("token twice")
            << path + "&access_token=" + good << "Bearer " + good << QByteArray("GET")
            << QByteArray() << 400
            << QByteArray("give the access token once: header or access_token");
        QTest::addRow("no room") << QByteArray("/api/realtime/transcribe") << "Bearer " + good
                                 << QByteArray("GET") << QByteArray() << 400
                                 << QByteArray("missing room parameter");
        QTest::addRow("two rooms") << path + "&room=s"
                                   << "Bearer " + good << QByteArray("GET") << QByteArray() << 400
                                   << QByteArray("room given more than once");
        QTest::addRow("POST") << path << "Bearer " + good << QByteArray("POST") << QByteArray()
                              << 405 << QByteArray("only GET is allowed");
        QTest::addRow("plain GET")
            << path << "Bearer " + good << QByteArray("GET") << QByteArray("upgrade") << 426
            << QByteArray("this endpoint is a WebSocket");
        QTest::addRow("no version")
            << path << "Bearer " + good << QByteArray("GET") << QByteArray("sec-websocket-version")
            << 426 << QByteArray("unsupported WebSocket version");
        QTest::addRow("no key") << path << "Bearer " + good << QByteArray("GET")
                                << QByteArray("sec-websocket-key") << 400
                                << QByteArray("malformed Sec-WebSocket-Key");
        QTest::addRow("unknown path")
            << QByteArray("/api/realtime") << "Bearer " + good << QByteArray("GET") << QByteArray()
            << 404 << QByteArray("no such endpoint");
        QTest::addRow("POST metrics")
            << QByteArray("/metrics") << QByteArray() << QByteArray("POST") << QByteArray() << 405
            << QByteArray("only GET is allowed");
    }

    void refusesRequests()
    {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, authorization);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, dropHeader);
        QFETCH(int, status);
        QFETCH(QByteArray, reason);
        livekit::HttpRequest request = upgradeRequest(target, authorization);
        request.method = method;
        request.headers.removeIf([&](const auto &header) { return header.first == dropHeader; });
        const RequestDecision decision = decide(request);
        QCOMPARE(decision.kind, RequestKind::Refused);
        QCOMPARE(decision.status, status);
        QCOMPARE(decision.reason, reason);
        if (status == 401)
            QVERIFY(decision.extraHeaders.startsWith("WWW-Authenticate: Bearer realm="));
    }

    void routesHealthAndMetrics()
    {
        livekit::HttpRequest request;
        request.method = "GET";
        request.target = "/health";
        QCOMPARE(decide(request).kind, RequestKind::Health);
        request.target = "/metrics?x=1";
        QCOMPARE(decide(request).kind, RequestKind::Metrics);

        const QByteArray response =
            httpResponse(200, kPrometheusContentType, "a 1\n", false, "X-Extra: 1\r\n");
        QCOMPARE(response, QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; "
                                      "charset=utf-8\r\nContent-Length: 4\r\nCache-Control: "
                                      "no-store\r\nX-Extra: 1\r\n\r\na 1\n"));
    }

    void prometheusFormatsValuesAndEscapes()
    {
        QCOMPARE(PrometheusText::formatValue(0), QByteArray("0"));
        QCOMPARE(PrometheusText::formatValue(12345678901.0), QByteArray("12345678901"));
        QCOMPARE(PrometheusText::formatValue(0.1), QByteArray("0.1"));
        QCOMPARE(PrometheusText::formatValue(-2.5e-7), QByteArray("-2.5e-07"));
        QCOMPARE(PrometheusText::formatValue(std::nan("")), QByteArray("NaN"));
        QCOMPARE(PrometheusText::formatValue(HUGE_VAL), QByteArray("+Inf"));
        QCOMPARE(PrometheusText::formatValue(-HUGE_VAL), QByteArray("-Inf"));
        QCOMPARE(PrometheusText::escapeLabelValue(u"a\\b\"c\nd é"),
                 QByteArray("a\\\\b\\\"c\\nd \xc3\xa9"));
        QVERIFY(PrometheusText::isValidMetricName("roomscribe:rate_5m"));
        QVERIFY(!PrometheusText::isValidMetricName("5m"));
        QVERIFY(!PrometheusText::isValidMetricName("a-b"));
        QVERIFY(PrometheusText::isValidLabelName("room"));
        QVERIFY(!PrometheusText::isValidLabelName("a:b"));
        QVERIFY(!PrometheusText::isValidLabelName("__name__"));
    }

    void prometheusWritesFamilies()
    {
        PrometheusText text;
        text.counter("requests_total", u"Requests, with a \\ and\na new line", 3);
        QVERIFY(text.family("rooms_streams", MetricType::Gauge, u"Streams per room"));
        text.sample(2, {{"room", QStringLiteral("a \"b\"")}, {"bad:label", QStringLiteral("x")}});
        text.sample(1, {{"room", QStringLiteral("c")}});
        QVERIFY(!text.family("requests_total", MetricType::Gauge, u"again"));
        text.sample(99); // belongs to no family: dropped
        QVERIFY(!text.family("bad-name", MetricType::Gauge, u"x"));
        LatencyHistogram histogram;
        for (int i = 1; i <= 100; ++i)
            histogram.record(i * 1000);
        QVERIFY(text.family("latency_seconds", MetricType::Summary, u"Latency"));
        text.latencySummary(histogram, 5.05, 100, {{"stage", QStringLiteral("stt")}});
        QVERIFY(text.family("empty_seconds", MetricType::Summary, u"Nothing yet"));
        text.latencySummary(LatencyHistogram(), 0, 0);

        auto seconds = [&histogram](double quantile) {
            return PrometheusText::formatValue(double(histogram.percentile_us(quantile)) / 1e6);
        };
        QCOMPARE(seconds(0.5).left(4), QByteArray("0.05"));
        const QByteArray expected = "# HELP requests_total Requests, with a \\\\ and\\na new line\n"
                                    "# TYPE requests_total counter\n"
                                    "requests_total 3\n"
                                    "# HELP rooms_streams Streams per room\n"
                                    "# TYPE rooms_streams gauge\n"
                                    "rooms_streams{room=\"a \\\"b\\\"\"} 2\n"
                                    "rooms_streams{room=\"c\"} 1\n"
                                    "# HELP latency_seconds Latency\n"
                                    "# TYPE latency_seconds summary\n"
                                    "latency_seconds{stage=\"stt\",quantile=\"0.5\"} " +
                                    seconds(0.5) +
                                    "\n"
                                    "latency_seconds{stage=\"stt\",quantile=\"0.9\"} " +
                                    seconds(0.9) +
                                    "\n"
                                    "latency_seconds{stage=\"stt\",quantile=\"0.99\"} " +
                                    seconds(0.99) +
                                    "\n"
                                    "latency_seconds_sum{stage=\"stt\"} 5.05\n"
                                    "latency_seconds_count{stage=\"stt\"} 100\n"
                                    "# HELP empty_seconds Nothing yet\n"
                                    "# TYPE empty_seconds summary\n"
                                    "empty_seconds{quantile=\"0.5\"} NaN\n"
                                    "empty_seconds{quantile=\"0.9\"} NaN\n"
                                    "empty_seconds{quantile=\"0.99\"} NaN\n"
                                    "empty_seconds_sum 0\n"
                                    "empty_seconds_count 0\n";
        QCOMPARE(text.text(), expected);
    }
};

QTEST_GUILESS_MAIN(TestFanoutProtocol)
#include "tst_fanoutprotocol.moc"
