#pragma once

#include "consolesettings.h"

#include <QObject>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

class QNetworkAccessManager;
class QNetworkReply;

namespace roomscribe::console {

// The settings form's state for QML: every ConsoleSettings field as a
// property (all notified by fieldsChanged), load/save through SettingsStore,
// and connection tests against LiveKit (Twirp ListRooms) and Gladia (live
// session init) with the servers' own words on failure.
class SettingsController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString liveKitUrl READ liveKitUrl WRITE setLiveKitUrl NOTIFY fieldsChanged)
    Q_PROPERTY(QString liveKitApiKey READ liveKitApiKey WRITE setLiveKitApiKey NOTIFY fieldsChanged)
    Q_PROPERTY(QString liveKitApiSecret READ liveKitApiSecret WRITE setLiveKitApiSecret NOTIFY
                   fieldsChanged)
    Q_PROPERTY(QString gladiaApiKey READ gladiaApiKey WRITE setGladiaApiKey NOTIFY fieldsChanged)
    Q_PROPERTY(QString gladiaApiUrl READ gladiaApiUrl WRITE setGladiaApiUrl NOTIFY fieldsChanged)
    Q_PROPERTY(QString gladiaRegion READ gladiaRegion WRITE setGladiaRegion NOTIFY fieldsChanged)
    Q_PROPERTY(QStringList languages READ languages WRITE setLanguages NOTIFY fieldsChanged)
    Q_PROPERTY(QString defaultMethod READ defaultMethod WRITE setDefaultMethod NOTIFY fieldsChanged)
    Q_PROPERTY(int egressLimit READ egressLimit WRITE setEgressLimit NOTIFY fieldsChanged)
    Q_PROPERTY(bool autoStart READ autoStart WRITE setAutoStart NOTIFY fieldsChanged)
    Q_PROPERTY(QString rtmpListen READ rtmpListen WRITE setRtmpListen NOTIFY fieldsChanged)
    Q_PROPERTY(QString wsListen READ wsListen WRITE setWsListen NOTIFY fieldsChanged)
    Q_PROPERTY(QString webhookListen READ webhookListen WRITE setWebhookListen NOTIFY fieldsChanged)
    Q_PROPERTY(QString rtmpPublicUrl READ rtmpPublicUrl WRITE setRtmpPublicUrl NOTIFY fieldsChanged)
    Q_PROPERTY(QString wsPublicUrl READ wsPublicUrl WRITE setWsPublicUrl NOTIFY fieldsChanged)
    Q_PROPERTY(QString database READ database WRITE setDatabase NOTIFY fieldsChanged)
    Q_PROPERTY(QString uiLanguage READ uiLanguage WRITE setUiLanguage NOTIFY fieldsChanged)

    Q_PROPERTY(bool busy READ busy NOTIFY stateChanged)
    Q_PROPERTY(bool loaded READ loaded NOTIFY stateChanged)
    Q_PROPERTY(QString errorText READ errorText NOTIFY stateChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY stateChanged)
    Q_PROPERTY(bool secretsAvailable READ secretsAvailable NOTIFY stateChanged)
    Q_PROPERTY(QString secretsHelp READ secretsHelp NOTIFY languageChanged)
    Q_PROPERTY(bool firstRun READ firstRun NOTIFY stateChanged)
    Q_PROPERTY(bool restartRequired READ restartRequired NOTIFY stateChanged)
    Q_PROPERTY(QString liveKitTestText READ liveKitTestText NOTIFY testsChanged)
    Q_PROPERTY(bool liveKitTestOk READ liveKitTestOk NOTIFY testsChanged)
    Q_PROPERTY(QString gladiaTestText READ gladiaTestText NOTIFY testsChanged)
    Q_PROPERTY(bool gladiaTestOk READ gladiaTestOk NOTIFY testsChanged)
public:
    explicit SettingsController(QObject *parent = nullptr);
    ~SettingsController() override;

    QString liveKitUrl() const { return m_values.liveKitUrl; }
    void setLiveKitUrl(const QString &value) { set(&ConsoleSettings::liveKitUrl, value); }
    QString liveKitApiKey() const { return m_values.liveKitApiKey; }
    void setLiveKitApiKey(const QString &value) { set(&ConsoleSettings::liveKitApiKey, value); }
    QString liveKitApiSecret() const { return m_values.liveKitApiSecret; }
    void setLiveKitApiSecret(const QString &value)
    {
        set(&ConsoleSettings::liveKitApiSecret, value);
    }
    QString gladiaApiKey() const { return m_values.gladiaApiKey; }
    void setGladiaApiKey(const QString &value) { set(&ConsoleSettings::gladiaApiKey, value); }
    QString gladiaApiUrl() const { return m_values.gladiaApiUrl; }
    void setGladiaApiUrl(const QString &value) { set(&ConsoleSettings::gladiaApiUrl, value); }
    QString gladiaRegion() const { return m_values.gladiaRegion; }
    void setGladiaRegion(const QString &value) { set(&ConsoleSettings::gladiaRegion, value); }
    QStringList languages() const { return m_values.languages; }
    void setLanguages(const QStringList &value) { set(&ConsoleSettings::languages, value); }
    QString defaultMethod() const { return m_values.defaultMethod; }
    void setDefaultMethod(const QString &value) { set(&ConsoleSettings::defaultMethod, value); }
    int egressLimit() const { return m_values.egressLimit; }
    void setEgressLimit(int value) { set(&ConsoleSettings::egressLimit, value); }
    bool autoStart() const { return m_values.autoStart; }
    void setAutoStart(bool value) { set(&ConsoleSettings::autoStart, value); }
    QString rtmpListen() const { return m_values.rtmpListen; }
    void setRtmpListen(const QString &value) { set(&ConsoleSettings::rtmpListen, value); }
    QString wsListen() const { return m_values.wsListen; }
    void setWsListen(const QString &value) { set(&ConsoleSettings::wsListen, value); }
    QString webhookListen() const { return m_values.webhookListen; }
    void setWebhookListen(const QString &value) { set(&ConsoleSettings::webhookListen, value); }
    QString rtmpPublicUrl() const { return m_values.rtmpPublicUrl; }
    void setRtmpPublicUrl(const QString &value) { set(&ConsoleSettings::rtmpPublicUrl, value); }
    QString wsPublicUrl() const { return m_values.wsPublicUrl; }
    void setWsPublicUrl(const QString &value) { set(&ConsoleSettings::wsPublicUrl, value); }
    QString database() const { return m_values.database; }
    void setDatabase(const QString &value) { set(&ConsoleSettings::database, value); }
    QString uiLanguage() const { return m_values.uiLanguage; }
    void setUiLanguage(const QString &value) { set(&ConsoleSettings::uiLanguage, value); }

    bool busy() const { return m_pendingCalls > 0; }
    bool loaded() const { return m_loaded; }
    QString errorText() const { return m_errorText; }
    QString statusText() const { return m_statusText; }
    bool secretsAvailable() const { return m_secretsAvailable; }
    QString secretsHelp() const { return SettingsStore::noSecretServiceText(); }
    bool firstRun() const { return m_firstRun; }
    bool restartRequired() const { return m_restartRequired; }
    QString liveKitTestText() const { return m_liveKitTestText; }
    bool liveKitTestOk() const { return m_liveKitTestOk; }
    QString gladiaTestText() const { return m_gladiaTestText; }
    bool gladiaTestOk() const { return m_gladiaTestOk; }

    // The form as it stands, for C++ (the lead applies it after the first run).
    ConsoleSettings settings() const { return m_values; }
    void setSettings(const ConsoleSettings &settings);
    // Empty when the form can be saved; else what to fix, for the operator.
    QString validate() const;

    // Takes what a SettingsStore::read() gave, as load() does: the console
    // can hand its start-up read to the form instead of asking the secret
    // service twice. The QML form takes the fields by property name.
    void apply(const ConsoleSettings &settings, const QString &secretError);
    Q_INVOKABLE void apply(const QVariantMap &fields, const QString &secretError);

    Q_INVOKABLE void load();
    Q_INVOKABLE void save();
    Q_INVOKABLE void testLiveKit();
    Q_INVOKABLE void testGladia();

Q_SIGNALS:
    void fieldsChanged();
    void stateChanged();
    void testsChanged();
    void languageChanged();
    void loadFinished();
    void saveFinished(bool ok);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    template <typename T> void set(T ConsoleSettings::*field, const T &value)
    {
        if (m_values.*field == value)
            return;
        m_values.*field = value;
        Q_EMIT fieldsChanged();
    }
    void beginCall();
    void endCall();
    void setLiveKitResult(bool ok, const QString &text);
    void setGladiaResult(bool ok, const QString &text);
    void closeGladiaSession(const QUrl &initUrl, const QString &sessionId, int initStatus);

    SettingsStore *m_store;
    QNetworkAccessManager *m_network;
    ConsoleSettings m_values;
    ConsoleSettings m_startup; // as first loaded: what the running engine was given
    int m_pendingCalls = 0;
    bool m_loaded = false;
    QString m_errorText;
    QString m_statusText;
    bool m_secretsAvailable = true;
    bool m_firstRun = false;
    bool m_restartRequired = false;
    QString m_liveKitTestText;
    bool m_liveKitTestOk = false;
    QString m_gladiaTestText;
    bool m_gladiaTestOk = false;
};

} // namespace roomscribe::console
