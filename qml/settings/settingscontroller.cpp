#include "settingscontroller.h"

#include "livekit/twirpclient.h"
#include "store/storeconfig.h"
#include "stt/gladiaconfig.h"

#include <QCoreApplication>
#include <QEvent>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrl>

namespace roomscribe::console {

namespace {

constexpr int kGladiaTimeout_ms = 15000;
constexpr int kLiveKitTimeout_ms = 10000;
constexpr int kMaxBodyChars = 300; // of an error body without a message field

bool isHostPort(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    return colon > 0 && ok && port <= 65535;
}

bool isUrl(const QString &text, std::initializer_list<QLatin1String> schemes)
{
    const QUrl url(text);
    if (!url.isValid() || url.host().isEmpty())
        return false;
    for (const QLatin1String scheme : schemes) {
        if (url.scheme() == scheme)
            return true;
    }
    return false;
}

// Whether the environment already gives the engine something to do (options.cpp reads these).
bool environmentConfigures()
{
    const bool liveKit = (qEnvironmentVariableIsSet("LIVEKIT_URL") ||
                          qEnvironmentVariableIsSet("LIVEKIT_HTTP_URL")) &&
                         qEnvironmentVariableIsSet("LIVEKIT_API_KEY") &&
                         qEnvironmentVariableIsSet("LIVEKIT_API_SECRET");
    return liveKit || !qEnvironmentVariableIsEmpty("GLADIA_API_KEY");
}

// Settings that only change what a restart builds: all but the interface language,
// which the console applies at once.
bool needsRestart(ConsoleSettings saved, const ConsoleSettings &running)
{
    saved.uiLanguage = running.uiLanguage;
    return saved != running;
}

} // namespace

SettingsController::SettingsController(QObject *parent)
    : QObject(parent), m_store(new SettingsStore(this)), m_network(new QNetworkAccessManager(this))
{
    // installTranslator() sends LanguageChange to the application object only.
    if (QCoreApplication::instance())
        QCoreApplication::instance()->installEventFilter(this);
}

SettingsController::~SettingsController() = default;

bool SettingsController::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::LanguageChange && watched == QCoreApplication::instance())
        Q_EMIT languageChanged();
    return QObject::eventFilter(watched, event);
}

void SettingsController::setSettings(const ConsoleSettings &settings)
{
    if (m_values == settings)
        return;
    m_values = settings;
    Q_EMIT fieldsChanged();
}

void SettingsController::beginCall()
{
    ++m_pendingCalls;
    Q_EMIT stateChanged();
}

void SettingsController::endCall()
{
    --m_pendingCalls;
    Q_EMIT stateChanged();
}

void SettingsController::load()
{
    m_errorText.clear();
    m_statusText.clear();
    beginCall();
    m_store->read([this](const ConsoleSettings &settings, const QString &secretError) {
        apply(settings, secretError);
        endCall();
        Q_EMIT loadFinished();
    });
}

void SettingsController::apply(const ConsoleSettings &settings, const QString &secretError)
{
    if (!m_loaded)
        m_startup = settings;
    m_loaded = true;
    m_secretsAvailable = secretError.isEmpty();
    m_errorText = secretError;
    m_firstRun = !settings.isConfigured() && !environmentConfigures();
    setSettings(settings);
    Q_EMIT stateChanged();
}

void SettingsController::apply(const QVariantMap &fields, const QString &secretError)
{
    for (auto it = fields.begin(); it != fields.end(); ++it)
        setProperty(it.key().toUtf8().constData(), it.value());
    apply(m_values, secretError);
}

QString SettingsController::validate() const
{
    const ConsoleSettings &v = m_values;
    if (!v.liveKitUrl.isEmpty()) {
        if (!isUrl(v.liveKitUrl, {QLatin1String("http"), QLatin1String("https"),
                                  QLatin1String("ws"), QLatin1String("wss")}))
            return tr("The LiveKit URL must start with https://, http://, wss:// or ws://.");
        // Without a secret service the secret can only come from LIVEKIT_API_SECRET.
        if (v.liveKitApiKey.isEmpty() || (m_secretsAvailable && v.liveKitApiSecret.isEmpty()))
            return tr("LiveKit needs both the API key and the API secret.");
    }
    if (!v.gladiaApiUrl.isEmpty() &&
        !isUrl(v.gladiaApiUrl, {QLatin1String("http"), QLatin1String("https")}))
        return tr("The Gladia API URL must start with https:// or http://.");
    if (!v.gladiaRegion.isEmpty() && v.gladiaRegion != u"us-west" && v.gladiaRegion != u"eu-west")
        return tr("The Gladia region must be us-west or eu-west.");
    if (v.languages.isEmpty())
        return tr("Give at least one language code, such as ru or en.");
    if (v.defaultMethod != u"auto" && v.defaultMethod != u"composite" &&
        v.defaultMethod != u"track")
        return tr("The audio method must be auto, composite or track.");
    if (v.egressLimit < 0 || v.egressLimit > 10000)
        return tr("The egress limit must be between 0 and 10000.");
    if (!isHostPort(v.rtmpListen))
        return tr("The RTMP address must look like 0.0.0.0:1935.");
    if (!v.wsListen.isEmpty() && !isHostPort(v.wsListen))
        return tr("The WebSocket address must look like 0.0.0.0:8765, or be empty.");
    if (!v.webhookListen.isEmpty() && !isHostPort(v.webhookListen))
        return tr("The webhook address must look like 0.0.0.0:8080, or be empty.");
    if (!v.rtmpPublicUrl.isEmpty() && !isUrl(v.rtmpPublicUrl, {QLatin1String("rtmp")}))
        return tr("The public RTMP URL must look like rtmp://host:1935/live.");
    if (!v.wsPublicUrl.isEmpty() &&
        !isUrl(v.wsPublicUrl, {QLatin1String("ws"), QLatin1String("wss")}))
        return tr("The public WebSocket URL must look like wss://host:8765.");
    store::DatabaseTarget target;
    QString databaseError;
    if (!store::parseDatabaseUrl(v.database, &target, &databaseError))
        return tr("The database is not usable: %1").arg(databaseError);
    if (v.uiLanguage != u"" && v.uiLanguage != u"en" && v.uiLanguage != u"ru")
        return tr("The interface language must be English or Russian.");
    return {};
}

void SettingsController::save()
{
    m_statusText.clear();
    m_errorText = validate();
    if (!m_errorText.isEmpty()) {
        Q_EMIT stateChanged();
        Q_EMIT saveFinished(false);
        return;
    }
    beginCall();
    const ConsoleSettings saved = m_values;
    m_store->write(saved, [this, saved](bool ok, const QString &error) {
        m_errorText = error;
        m_secretsAvailable = error != SettingsStore::noSecretServiceText();
        m_statusText = ok ? tr("Settings saved.") : QString();
        if (m_loaded)
            m_restartRequired = needsRestart(saved, m_startup);
        m_firstRun = m_firstRun && !saved.isConfigured();
        endCall();
        Q_EMIT saveFinished(ok);
    });
}

void SettingsController::setLiveKitResult(bool ok, const QString &text)
{
    m_liveKitTestOk = ok;
    m_liveKitTestText = text;
    Q_EMIT testsChanged();
}

void SettingsController::setGladiaResult(bool ok, const QString &text)
{
    m_gladiaTestOk = ok;
    m_gladiaTestText = text;
    Q_EMIT testsChanged();
}

void SettingsController::testLiveKit()
{
    if (m_values.liveKitUrl.isEmpty() || m_values.liveKitApiKey.isEmpty() ||
        m_values.liveKitApiSecret.isEmpty()) {
        setLiveKitResult(false, tr("Enter the LiveKit URL, API key and API secret first."));
        return;
    }
    livekit::ServerConfig config;
    config.host = QUrl(m_values.liveKitUrl);
    config.apiKey = m_values.liveKitApiKey;
    config.apiSecret = m_values.liveKitApiSecret.toUtf8();
    config.transferTimeout = std::chrono::milliseconds(kLiveKitTimeout_ms);
    auto client = new livekit::TwirpClient(config, this);
    setLiveKitResult(false, tr("Connecting…"));
    beginCall();
    client->listRooms([this, client](const livekit::TwirpResult<QList<livekit::Room>> &result) {
        client->deleteLater();
        if (result.ok()) {
            setLiveKitResult(true, tr("Connected: %n rooms", "", int(result.value.size())));
        } else if (result.error->httpStatus == 0) {
            setLiveKitResult(false, tr("No answer from LiveKit: %1").arg(result.error->message));
        } else if (result.error->code.isEmpty()) {
            setLiveKitResult(
                false, tr("HTTP %1: %2").arg(result.error->httpStatus).arg(result.error->message));
        } else {
            setLiveKitResult(false, tr("HTTP %1 (%2): %3")
                                        .arg(result.error->httpStatus)
                                        .arg(result.error->code, result.error->message));
        }
        endCall();
    });
}

void SettingsController::testGladia()
{
    if (m_values.gladiaApiKey.isEmpty()) {
        setGladiaResult(false, tr("Enter the Gladia API key first."));
        return;
    }
    stt::GladiaConfig config;
    if (!m_values.gladiaApiUrl.isEmpty())
        config.apiUrl = QUrl(m_values.gladiaApiUrl);
    config.region = m_values.gladiaRegion;
    if (!m_values.languages.isEmpty())
        config.languages = m_values.languages;
    const QUrl initUrl = stt::gladiaInitUrl(config);
    QNetworkRequest request(initUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    request.setRawHeader("x-gladia-key", m_values.gladiaApiKey.toUtf8());
    request.setTransferTimeout(kGladiaTimeout_ms);
    QNetworkReply *reply = m_network->post(
        request, QJsonDocument(stt::gladiaInitBody(config)).toJson(QJsonDocument::Compact));
    setGladiaResult(false, tr("Connecting…"));
    beginCall();
    connect(reply, &QNetworkReply::finished, this, [this, reply, initUrl] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        const QJsonObject answer = QJsonDocument::fromJson(body).object();
        if (status >= 200 && status < 300) {
            // The init opened a live session: close it so that it neither
            // counts against the plan's concurrent sessions nor waits for audio.
            closeGladiaSession(initUrl, answer.value(QLatin1String("id")).toString(), status);
            return;
        }
        if (status == 0) {
            setGladiaResult(false, tr("No answer from Gladia: %1").arg(reply->errorString()));
        } else {
            QString message = answer.value(QLatin1String("message")).toString();
            if (message.isEmpty())
                message = QString::fromUtf8(body).simplified().left(kMaxBodyChars);
            if (message.isEmpty())
                message = reply->errorString();
            setGladiaResult(false, tr("HTTP %1: %2").arg(status).arg(message));
        }
        endCall();
    });
}

void SettingsController::closeGladiaSession(const QUrl &initUrl, const QString &sessionId,
                                            int initStatus)
{
    if (sessionId.isEmpty()) {
        setGladiaResult(true, tr("The key works (HTTP %1).").arg(initStatus));
        endCall();
        return;
    }
    QUrl url = initUrl;
    url.setQuery(QString());
    url.setPath(url.path() + u'/' + QString::fromUtf8(QUrl::toPercentEncoding(sessionId)));
    QNetworkRequest request(url);
    request.setRawHeader("x-gladia-key", m_values.gladiaApiKey.toUtf8());
    request.setTransferTimeout(kGladiaTimeout_ms);
    QNetworkReply *reply = m_network->deleteResource(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply, initStatus] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 200 && status < 300)
            setGladiaResult(
                true,
                tr("The key works (HTTP %1); the test session was closed again.").arg(initStatus));
        else
            setGladiaResult(true, tr("The key works (HTTP %1), but the test session it opened "
                                     "could not be closed (%2).")
                                      .arg(initStatus)
                                      .arg(status ? QStringLiteral("HTTP %1").arg(status)
                                                  : reply->errorString()));
        endCall();
    });
}

} // namespace roomscribe::console
