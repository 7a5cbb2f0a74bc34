// SettingsController: fields, validation, save without a secret service,
// first run and restart state, and the connection tests against tiny HTTP
// servers that answer like LiveKit's Twirp API and Gladia's live init
// (shared/PROTOCOLS.md): success, and a 401 whose message must show verbatim.

#include "settings/consolesettings.h"
#include "settings/settingscontroller.h"
#include "livekit/accesstoken.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace roomscribe;
using namespace roomscribe::console;

namespace {

constexpr int kWait_ms = 20000;

struct HttpRequest
{
    QByteArray method;
    QByteArray path;                       // with the query
    QHash<QByteArray, QByteArray> headers; // names lower-case
    QByteArray body;
};

struct HttpResponse
{
    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
};

// Answers each request on its own connection with what the handler says, and keeps them all.
class TinyHttpServer : public QTcpServer
{
public:
    std::function<HttpResponse(const HttpRequest &)> handler;
    QList<HttpRequest> requests;

    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(serverPort()); }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto socket = new QTcpSocket(this);
        socket->setSocketDescriptor(descriptor);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            buffer->append(socket->readAll());
            const qsizetype headerEnd = buffer->indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            HttpRequest request;
            const QList<QByteArray> lines = buffer->left(headerEnd).split('\n');
            const QList<QByteArray> first = lines.first().trimmed().split(' ');
            request.method = first.value(0);
            request.path = first.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                           lines[i].mid(colon + 1).trimmed());
            }
            const int length = request.headers.value("content-length").toInt();
            if (buffer->size() < headerEnd + 4 + length)
                return;
            request.body = buffer->mid(headerEnd + 4, length);
            requests.append(request);
            const HttpResponse response = handler(request);
            socket->write("HTTP/1.1 " + QByteArray::number(response.status) +
                          " X\r\nContent-Type: " + response.contentType +
                          "\r\nContent-Length: " + QByteArray::number(response.body.size()) +
                          "\r\nConnection: close\r\n\r\n" + response.body);
            socket->disconnectFromHost();
        });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
};

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

bool waitIdle(SettingsController &controller)
{
    return QTest::qWaitFor([&] { return !controller.busy(); }, kWait_ms);
}

} // namespace

class TestSettingsController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void firstRunLoad();
    void validation();
    void saveWithoutSecretService();
    void liveKitTest();
    void liveKitUnauthorized();
    void liveKitUnreachable();
    void gladiaTest();
    void gladiaUnauthorized();

private:
    QTemporaryDir m_dir;
    TinyHttpServer m_server;
};

void TestSettingsController::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    // A bare session without a secret service, and nothing configured from outside.
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_dir.path()));
    for (const char *name : {"LIVEKIT_URL", "LIVEKIT_HTTP_URL", "LIVEKIT_API_KEY",
                             "LIVEKIT_API_SECRET", "GLADIA_API_KEY"})
        qunsetenv(name);
    QVERIFY(m_server.listen(QHostAddress::LocalHost));
}

void TestSettingsController::init()
{
    QFile::remove(QSettings(QStringLiteral("Roomscribe"), QStringLiteral("roomscribe")).fileName());
    m_server.requests.clear();
}

void TestSettingsController::firstRunLoad()
{
    SettingsController controller;
    QSignalSpy loaded(&controller, &SettingsController::loadFinished);
    controller.load();
    QVERIFY(controller.busy());
    QVERIFY(loaded.wait(kWait_ms));
    QVERIFY(!controller.busy());
    QVERIFY(controller.loaded());
    QVERIFY(controller.firstRun());
    QVERIFY(!controller.secretsAvailable());
    QCOMPARE(controller.errorText(), SettingsStore::noSecretServiceText());
    QVERIFY(controller.secretsHelp().startsWith(
        QStringLiteral("No secret service is available in this session")));
    QCOMPARE(controller.rtmpListen(), QStringLiteral("0.0.0.0:1935"));
    QCOMPARE(controller.defaultMethod(), QStringLiteral("auto"));
    QVERIFY(!controller.restartRequired());
}

void TestSettingsController::validation()
{
    SettingsController controller;
    QSignalSpy fields(&controller, &SettingsController::fieldsChanged);
    controller.setLiveKitUrl(QStringLiteral("ftp://example.org"));
    controller.setLiveKitUrl(QStringLiteral("ftp://example.org")); // unchanged: no signal
    QCOMPARE(fields.count(), 1);
    QSignalSpy saved(&controller, &SettingsController::saveFinished);
    controller.save();
    QCOMPARE(saved.count(), 1);
    QCOMPARE(saved.at(0).at(0).toBool(), false);
    QVERIFY(controller.errorText().contains(QStringLiteral("LiveKit URL")));
    QVERIFY(!QFile::exists(
        QSettings(QStringLiteral("Roomscribe"), QStringLiteral("roomscribe")).fileName()));

    controller.setLiveKitUrl(QStringLiteral("wss://demo.livekit.cloud"));
    QVERIFY(controller.validate().contains(QStringLiteral("API secret")));
    controller.setLiveKitApiKey(QStringLiteral("key"));
    controller.setLiveKitApiSecret(QStringLiteral("secret"));
    QVERIFY(controller.validate().isEmpty());
    controller.setRtmpListen(QStringLiteral("nowhere"));
    QVERIFY(controller.validate().contains(QStringLiteral("RTMP")));
    controller.setRtmpListen(QStringLiteral("0.0.0.0:1935"));
    controller.setDatabase(QStringLiteral("mysql://x"));
    QVERIFY(controller.validate().contains(QStringLiteral("database")));
    controller.setDatabase(QStringLiteral("postgresql://u@db.example:5432/rs"));
    controller.setGladiaRegion(QStringLiteral("mars"));
    QVERIFY(controller.validate().contains(QStringLiteral("region")));
    controller.setGladiaRegion(QStringLiteral("eu-west"));
    QVERIFY(controller.validate().isEmpty());
}

void TestSettingsController::saveWithoutSecretService()
{
    SettingsController controller;
    QSignalSpy loaded(&controller, &SettingsController::loadFinished);
    controller.load();
    QVERIFY(loaded.wait(kWait_ms));
    controller.setLiveKitUrl(QStringLiteral("https://demo.livekit.cloud"));
    controller.setLiveKitApiKey(QStringLiteral("APIkey"));
    controller.setLiveKitApiSecret(QStringLiteral("very-secret-value-1"));
    controller.setGladiaApiKey(QStringLiteral("gladia-secret-value-2"));
    controller.setEgressLimit(5);
    controller.setUiLanguage(QStringLiteral("ru"));
    QSignalSpy saved(&controller, &SettingsController::saveFinished);
    controller.save();
    QVERIFY(controller.busy());
    QVERIFY(saved.wait(kWait_ms));
    QCOMPARE(saved.at(0).at(0).toBool(), false);
    QVERIFY(!controller.secretsAvailable());
    QCOMPARE(controller.errorText(), SettingsStore::noSecretServiceText());
    QVERIFY(controller.restartRequired()); // the plain fields changed
    QVERIFY(!controller.firstRun());

    QFile file(QSettings(QStringLiteral("Roomscribe"), QStringLiteral("roomscribe")).fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray contents = file.readAll();
    QVERIFY(contents.contains("APIkey"));
    QVERIFY(!contents.contains("very-secret-value-1"));
    QVERIFY(!contents.contains("gladia-secret-value-2"));

    // A new controller reads the plain fields back, and no secrets.
    SettingsController again;
    QSignalSpy loadedAgain(&again, &SettingsController::loadFinished);
    again.load();
    QVERIFY(loadedAgain.wait(kWait_ms));
    QCOMPARE(again.egressLimit(), 5);
    QCOMPARE(again.uiLanguage(), QStringLiteral("ru"));
    QCOMPARE(again.liveKitApiKey(), QStringLiteral("APIkey"));
    QVERIFY(again.liveKitApiSecret().isEmpty());
    QVERIFY(again.firstRun()); // LiveKit without its secret configures nothing

    // Only the interface language changed since start-up: no restart needed.
    // The secret is not asked for: without a secret service it comes from the environment.
    again.setUiLanguage(QStringLiteral("en"));
    QSignalSpy savedAgain(&again, &SettingsController::saveFinished);
    again.save();
    QVERIFY(savedAgain.wait(kWait_ms));
    QCOMPARE(savedAgain.at(0).at(0).toBool(), true); // no secret to keep, nothing failed
    QCOMPARE(again.statusText(), QStringLiteral("Settings saved."));
    QVERIFY(!again.restartRequired());
}

void TestSettingsController::liveKitTest()
{
    m_server.handler = [](const HttpRequest &) {
        const QJsonObject room{{"sid", "RM_1"}, {"name", "alpha"}, {"num_participants", 2}};
        const QJsonObject other{{"sid", "RM_2"}, {"name", "beta"}, {"num_participants", 0}};
        return HttpResponse{200, json({{"rooms", QJsonArray{room, other}}})};
    };
    SettingsController controller;
    controller.setLiveKitUrl(m_server.url());
    controller.setLiveKitApiKey(QStringLiteral("APIkey"));
    controller.setLiveKitApiSecret(QStringLiteral("the-secret"));
    controller.testLiveKit();
    QVERIFY(controller.busy());
    QVERIFY(waitIdle(controller));
    QVERIFY(controller.liveKitTestOk());
    QCOMPARE(controller.liveKitTestText(), QStringLiteral("Connected: 2 rooms"));

    QCOMPARE(m_server.requests.size(), 1);
    const HttpRequest &request = m_server.requests.first();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.path, QByteArray("/twirp/livekit.RoomService/ListRooms"));
    const QByteArray authorization = request.headers.value("authorization");
    QVERIFY(authorization.startsWith("Bearer "));
    const livekit::TokenVerification token = livekit::verifyToken(
        authorization.mid(7),
        [](const QString &key) -> std::optional<QByteArray> {
            if (key == u"APIkey")
                return QByteArray("the-secret");
            return std::nullopt;
        },
        QDateTime::currentSecsSinceEpoch());
    QVERIFY2(token.ok(), qPrintable(token.reason));
    QCOMPARE(token.claims.video.roomList, std::optional<bool>(true));
}

void TestSettingsController::liveKitUnauthorized()
{
    m_server.handler = [](const HttpRequest &) {
        return HttpResponse{
            401, json({{"code", "unauthenticated"}, {"msg", "invalid API key: APIkey"}})};
    };
    SettingsController controller;
    controller.setLiveKitUrl(m_server.url());
    controller.setLiveKitApiKey(QStringLiteral("APIkey"));
    controller.setLiveKitApiSecret(QStringLiteral("wrong"));
    controller.testLiveKit();
    QVERIFY(waitIdle(controller));
    QVERIFY(!controller.liveKitTestOk());
    QCOMPARE(controller.liveKitTestText(),
             QStringLiteral("HTTP 401 (unauthenticated): invalid API key: APIkey"));
}

void TestSettingsController::liveKitUnreachable()
{
    SettingsController controller;
    controller.testLiveKit(); // nothing entered
    QVERIFY(!controller.busy());
    QVERIFY(!controller.liveKitTestOk());
    QVERIFY(controller.liveKitTestText().contains(QStringLiteral("first")));

    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    controller.setLiveKitUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    controller.setLiveKitApiKey(QStringLiteral("k"));
    controller.setLiveKitApiSecret(QStringLiteral("s"));
    controller.testLiveKit();
    QVERIFY(waitIdle(controller));
    QVERIFY(!controller.liveKitTestOk());
    QVERIFY2(controller.liveKitTestText().startsWith(QStringLiteral("No answer from LiveKit")),
             qPrintable(controller.liveKitTestText()));
}

void TestSettingsController::gladiaTest()
{
    m_server.handler = [this](const HttpRequest &request) {
        if (request.method == "POST")
            return HttpResponse{201, json({{"id", "sess-42"},
                                           {"created_at", "2024-05-01T10:00:00Z"},
                                           {"url", m_server.url() + "/v2/live?token=t"}})};
        return HttpResponse{202, {}};
    };
    SettingsController controller;
    controller.setGladiaApiUrl(m_server.url());
    controller.setGladiaApiKey(QStringLiteral("gk-123"));
    controller.setGladiaRegion(QStringLiteral("eu-west"));
    controller.setLanguages({QStringLiteral("de")});
    QSignalSpy tests(&controller, &SettingsController::testsChanged);
    controller.testGladia();
    QVERIFY(controller.busy());
    QVERIFY(waitIdle(controller));
    QVERIFY(controller.gladiaTestOk());
    QVERIFY2(controller.gladiaTestText().contains(QStringLiteral("closed")),
             qPrintable(controller.gladiaTestText()));

    QCOMPARE(m_server.requests.size(), 2);
    const HttpRequest &init = m_server.requests.at(0);
    QCOMPARE(init.path, QByteArray("/v2/live?region=eu-west"));
    QCOMPARE(init.headers.value("x-gladia-key"), QByteArray("gk-123"));
    const QJsonObject body = QJsonDocument::fromJson(init.body).object();
    QCOMPARE(body.value("language_config").toObject().value("languages").toArray(),
             QJsonArray({"de"}));
    // The session the init opened is closed right away.
    const HttpRequest &stop = m_server.requests.at(1);
    QCOMPARE(stop.method, QByteArray("DELETE"));
    QCOMPARE(stop.path, QByteArray("/v2/live/sess-42"));
    QCOMPARE(stop.headers.value("x-gladia-key"), QByteArray("gk-123"));
}

void TestSettingsController::gladiaUnauthorized()
{
    m_server.handler = [](const HttpRequest &) {
        return HttpResponse{401, json({{"timestamp", "2024-05-01T10:00:00Z"},
                                       {"path", "/v2/live"},
                                       {"request_id", "G-1"},
                                       {"statusCode", 401},
                                       {"message", "Invalid or missing API key"}})};
    };
    SettingsController controller;
    controller.setGladiaApiUrl(m_server.url());
    controller.setGladiaApiKey(QStringLiteral("bad"));
    controller.testGladia();
    QVERIFY(waitIdle(controller));
    QVERIFY(!controller.gladiaTestOk());
    QCOMPARE(controller.gladiaTestText(), QStringLiteral("HTTP 401: Invalid or missing API key"));
    QCOMPARE(m_server.requests.size(), 1); // nothing to close
}

QTEST_GUILESS_MAIN(TestSettingsController)
#include "tst_settingscontroller.moc"
