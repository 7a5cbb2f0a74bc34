// WebhookServer on loopback, driven by a real QNetworkAccessManager (and a
// raw socket where HTTP itself is under test): signed webhooks as LiveKit
// sends them, every rejection, the method and size bounds, LiveKit's retries.

#include "livekit/webhookserver.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace roomscribe::livekit;

namespace {

const QString kKey = QStringLiteral("APIkey123");
const QByteArray kSecret = QByteArrayLiteral("a-secret-of-at-least-32-characters!!");
constexpr int kWait_ms = 10000;

QByteArray eventBody(const QString &id, const QByteArray &padding = {})
{
    return R"({"event":"participant_joined","id":")" + id.toUtf8() + R"(","createdAt":")" +
           QByteArray::number(QDateTime::currentSecsSinceEpoch()) +
           R"(","room":{"sid":"RM_1","name":"standup"},)"
           R"("participant":{"sid":"PA_1","identity":"alice","state":"JOINED"}})" +
           padding;
}

// The Authorization header as LiveKit sends it: a bare JWT whose sha256
// claim is the base64 SHA-256 of the body.
QByteArray signatureFor(const QByteArray &body, const QByteArray &secret = kSecret,
                        qint64 now_s = QDateTime::currentSecsSinceEpoch())
{
    TokenClaims claims = makeClaims(kKey, {}, now_s, std::chrono::seconds(300));
    claims.sha256 =
        QString::fromLatin1(QCryptographicHash::hash(body, QCryptographicHash::Sha256).toBase64());
    return createToken(claims, secret);
}

struct Answer
{
    int status = 0; // 0: no HTTP answer
    QByteArray body;
    QByteArray allow;
};

WebhookServerConfig config()
{
    WebhookServerConfig config;
    config.apiKey = kKey;
    config.apiSecret = kSecret;
    return config;
}

} // namespace

class TestWebhookServer : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

    QUrl urlOf(const WebhookServer &server) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1/livekit/webhook").arg(server.port()));
    }

    Answer send(const WebhookServer &server, const QByteArray &method, const QByteArray &body,
                const QByteArray &authorization = {})
    {
        QNetworkRequest request(urlOf(server));
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QStringLiteral("application/webhook+json"));
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        QNetworkReply *reply = method == "GET" ? m_network.get(request)
                                               : m_network.sendCustomRequest(request, method, body);
        const bool finished = QTest::qWaitFor([reply] { return reply->isFinished(); }, kWait_ms);
        Answer answer;
        if (finished) {
            answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            answer.body = reply->readAll();
            answer.allow = reply->rawHeader("Allow");
        }
        reply->deleteLater();
        return answer;
    }

    Answer post(const WebhookServer &server, const QByteArray &body,
                const QByteArray &authorization)
    {
        return send(server, "POST", body, authorization);
    }

private Q_SLOTS:
    void acceptsSignedWebhook()
    {
        WebhookServer server(config());
        QString error;
        QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        QVERIFY(server.port() != 0);
        QSignalSpy events(&server, &WebhookServer::eventReceived);

        const QByteArray body = eventBody(QStringLiteral("EV_1"));
        const Answer answer = post(server, body, signatureFor(body));
        QCOMPARE(answer.status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, kWait_ms);
        const auto event = events.at(0).at(0).value<WebhookEvent>();
        QCOMPARE(event.type, WebhookEventType::ParticipantJoined);
        QCOMPARE(event.id, QStringLiteral("EV_1"));
        QCOMPARE(event.room->name, QStringLiteral("standup"));
        QCOMPARE(event.participant->identity, QStringLiteral("alice"));
        QCOMPARE(server.stats().accepted, quint64(1));
        QCOMPARE(server.stats().rejected, quint64(0));
    }

    void rejectsUnverified_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<QByteArray>("reason");

        const QByteArray body = eventBody(QStringLiteral("EV_2"));
        QByteArray tampered = body;
        tampered.replace("alice", "mallory");
        const qint64 now = QDateTime::currentSecsSinceEpoch();

        QTest::newRow("no authorization") << body << QByteArray() << QByteArray("no Authorization");
        QTest::newRow("bearer prefix")
            << body << "Bearer " + signatureFor(body) << QByteArray("undecodable JWT part");
        QTest::newRow("wrong secret")
            << body << signatureFor(body, "another-secret-of-32-characters!!!")
            << QByteArray("signature does not match");
        QTest::newRow("tampered body")
            << tampered << signatureFor(body) << QByteArray("body digest does not match");
        QTest::newRow("expired") << body << signatureFor(body, kSecret, now - 1000)
                                 << QByteArray("token expired");
        QTest::newRow("not a webhook")
            << QByteArray("{}") << signatureFor("{}") << QByteArray("not a WebhookEvent");
    }

    void rejectsUnverified()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, authorization);
        QFETCH(QByteArray, reason);

        WebhookServer server(config());
        QString error;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, &error));
        QSignalSpy events(&server, &WebhookServer::eventReceived);

        const Answer answer = post(server, body, authorization);
        QCOMPARE(answer.status, 401);
        QVERIFY2(answer.body.contains(reason), answer.body.constData());
        QVERIFY(!answer.body.contains(kSecret));
        QCOMPARE(server.stats().rejected, quint64(1));
        QCOMPARE(server.stats().accepted, quint64(0));

        // The same connection still serves a good request afterwards.
        const QByteArray good = eventBody(QStringLiteral("EV_good"));
        QCOMPARE(post(server, good, signatureFor(good)).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, kWait_ms);
        QCOMPARE(events.at(0).at(0).value<WebhookEvent>().id, QStringLiteral("EV_good"));
    }

    void refusesOtherMethods()
    {
        WebhookServer server(config());
        QString error;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, &error));
        QSignalSpy events(&server, &WebhookServer::eventReceived);

        Answer answer = send(server, "GET", {});
        QCOMPARE(answer.status, 405);
        QCOMPARE(answer.allow, QByteArray("POST"));

        const QByteArray body = eventBody(QStringLiteral("EV_3"));
        answer = send(server, "PUT", body, signatureFor(body));
        QCOMPARE(answer.status, 405);
        QCOMPARE(server.stats().rejected, quint64(2));
        QCOMPARE(events.size(), 0);
    }

    void boundsTheBody()
    {
        WebhookServer server(config());
        QString error;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, &error));
        QSignalSpy events(&server, &WebhookServer::eventReceived);
        const qsizetype bound = config().maxBody_bytes;

        // Exactly at the bound: whitespace after the JSON is still the signed body.
        QByteArray body = eventBody(QStringLiteral("EV_big"));
        body = eventBody(QStringLiteral("EV_big"), QByteArray(bound - body.size(), ' '));
        QCOMPARE(body.size(), bound);
        QCOMPARE(post(server, body, signatureFor(body)).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 1, kWait_ms);

        body += ' ';
        const Answer answer = post(server, body, signatureFor(body));
        QCOMPARE(answer.status, 413);
        QCOMPARE(server.stats().rejected, quint64(1));
        QCOMPARE(events.size(), 1);
    }

    void closesAfterAnOversizedHead()
    {
        WebhookServerConfig small = config();
        small.requestTimeout = std::chrono::milliseconds(200);
        WebhookServer server(small);
        QString error;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, &error));

        // A declared length far over the bound is refused before any body is read.
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, server.port());
        QVERIFY(socket.waitForConnected(kWait_ms));
        socket.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000\r\n\r\n");
        QByteArray received;
        QVERIFY(QTest::qWaitFor(
            [&] {
                received += socket.readAll();
                return socket.state() == QAbstractSocket::UnconnectedState;
            },
            kWait_ms));
        received += socket.readAll();
        QVERIFY2(received.startsWith("HTTP/1.1 413 "), received.constData());
        QVERIFY(received.contains("Connection: close\r\n"));
    }

    void refusesMalformedRequests_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("statusLine");

        QTest::newRow("garbage") << QByteArray("hello\r\n\r\n") << QByteArray("HTTP/1.1 400 ");
        QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                                               "\r\n5\r\nhello\r\n0\r\n\r\n")
                                 << QByteArray("HTTP/1.1 501 ");
        QTest::newRow("two lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")
            << QByteArray("HTTP/1.1 400 ");
        QTest::newRow("huge head") << "POST / HTTP/1.1\r\nX: " + QByteArray(20000, 'a') + "\r\n\r\n"
                                   << QByteArray("HTTP/1.1 431 ");
    }

    void refusesMalformedRequests()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, statusLine);

        WebhookServer server(config());
        QString error;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, &error));
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, server.port());
        QVERIFY(socket.waitForConnected(kWait_ms));
        socket.write(request);
        QByteArray received;
        QVERIFY(QTest::qWaitFor(
            [&] {
                received += socket.readAll();
                return received.contains("\r\n\r\n");
            },
            kWait_ms));
        QVERIFY2(received.startsWith(statusLine), received.constData());
        QVERIFY(received.contains("Connection: close\r\n"));
        QCOMPARE(server.stats().rejected, quint64(1));
    }

    void answersPipelinedRequestsInOrder()
    {
        WebhookServer server(config());
        QString error;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, &error));
        QSignalSpy events(&server, &WebhookServer::eventReceived);

        auto request = [](const QByteArray &body, const QByteArray &authorization) {
            return "POST /hook HTTP/1.1\r\nHost: x\r\nAuthorization: " + authorization +
                   "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        };
        const QByteArray first = eventBody(QStringLiteral("EV_p1"));
        const QByteArray second = eventBody(QStringLiteral("EV_p2"));
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, server.port());
        QVERIFY(socket.waitForConnected(kWait_ms));
        // Written a byte at a time would be slow; split mid-request instead.
        const QByteArray both = request(first, signatureFor(first)) + request(second, "bad") +
                                request(second, signatureFor(second));
        socket.write(both.left(both.size() / 2 + 7));
        socket.flush();
        QTest::qWait(50);
        socket.write(both.mid(both.size() / 2 + 7));
        QByteArray received;
        QVERIFY(QTest::qWaitFor(
            [&] {
                received += socket.readAll();
                return received.count("HTTP/1.1 ") == 3;
            },
            kWait_ms));
        const qsizetype ok1 = received.indexOf("HTTP/1.1 200 ");
        const qsizetype bad = received.indexOf("HTTP/1.1 401 ");
        const qsizetype ok2 = received.lastIndexOf("HTTP/1.1 200 ");
        QVERIFY2(ok1 >= 0 && ok1 < bad && bad < ok2, received.constData());
        QVERIFY(!received.contains("Connection: close"));
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(1).at(0).value<WebhookEvent>().id, QStringLiteral("EV_p2"));
    }

    void acknowledgesRetriesOnce()
    {
        WebhookServer server(config());
        QString error;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, &error));
        QSignalSpy events(&server, &WebhookServer::eventReceived);

        const QByteArray body = eventBody(QStringLiteral("EV_retry"));
        QCOMPARE(post(server, body, signatureFor(body)).status, 200);
        // LiveKit's retry carries the same id, possibly under a fresh token.
        QCOMPARE(post(server, body, signatureFor(body)).status, 200);
        const QByteArray other = eventBody(QStringLiteral("EV_other"));
        QCOMPARE(post(server, other, signatureFor(other)).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 2, kWait_ms);
        QCOMPARE(events.at(0).at(0).value<WebhookEvent>().id, QStringLiteral("EV_retry"));
        QCOMPARE(events.at(1).at(0).value<WebhookEvent>().id, QStringLiteral("EV_other"));
        QCOMPARE(server.stats().accepted, quint64(3));
        QCOMPARE(server.stats().duplicates, quint64(1));

        // An unsigned request is not taken for a retry.
        QCOMPARE(post(server, body, "bad").status, 401);
        QCOMPARE(server.stats().duplicates, quint64(1));
    }

    void closesFromASlot()
    {
        WebhookServer server(config());
        QString error;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0, &error));
        QSignalSpy events(&server, &WebhookServer::eventReceived);
        connect(&server, &WebhookServer::eventReceived, &server, [&server] { server.close(); });

        const QByteArray body = eventBody(QStringLiteral("EV_last"));
        QCOMPARE(post(server, body, signatureFor(body)).status, 200);
        QCOMPARE(events.size(), 1);
        QCOMPARE(post(server, body, signatureFor(body)).status, 0); // nobody listens
    }

    void needsCredentialsAndAFreeAddress()
    {
        WebhookServer unconfigured(WebhookServerConfig{});
        QString error;
        QVERIFY(!unconfigured.listen(QHostAddress::LocalHost, 0, &error));
        QVERIFY(!error.isEmpty());

        WebhookServer first(config());
        QVERIFY(first.listen(QHostAddress::LocalHost, 0, &error));
        WebhookServer second(config());
        error.clear();
        QVERIFY(!second.listen(QHostAddress::LocalHost, first.port(), &error));
        QVERIFY(error.contains(QString::number(first.port())));
    }
};

QTEST_GUILESS_MAIN(TestWebhookServer)
#include "tst_webhookserver.moc"
