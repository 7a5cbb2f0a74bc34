#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace roomscribe::console {

// What the console remembers between runs; each field mirrors a command-line
// option or environment variable (app/options.cpp), which win over it.
struct ConsoleSettings
{
    QString liveKitUrl;       // --livekit-url / LIVEKIT_URL
    QString liveKitApiKey;    // LIVEKIT_API_KEY
    QString liveKitApiSecret; // LIVEKIT_API_SECRET; kept in the secret service only
    QString gladiaApiKey;     // GLADIA_API_KEY; kept in the secret service only
    QString gladiaApiUrl;     // --gladia-url; empty: https://api.gladia.io
    QString gladiaRegion;     // --gladia-region: "", "us-west", "eu-west"
    QStringList languages{QStringLiteral("ru"), QStringLiteral("en")}; // --languages
    QString defaultMethod = QStringLiteral("auto");                    // --method
    int egressLimit = 2;                                               // --egress-limit
    bool autoStart = false;                                            // --auto
    QString rtmpListen = QStringLiteral("0.0.0.0:1935");               // --rtmp-listen
    QString wsListen;                                                  // --ws-listen; empty: off
    QString webhookListen; // --webhook-listen; empty: off
    QString rtmpPublicUrl; // --rtmp-public-url
    QString wsPublicUrl;   // --ws-public-url
    QString database;      // --db: a SQLite path or postgresql://…; empty: the default file
    QString uiLanguage;    // "" (system locale), "en", "ru"

    // Enough to do something useful: LiveKit credentials or a Gladia key.
    bool isConfigured() const;
    bool operator==(const ConsoleSettings &other) const;
    bool operator!=(const ConsoleSettings &other) const { return !(*this == other); }
};

// Reads and writes ConsoleSettings: plain fields in QSettings ("Roomscribe",
// "roomscribe"), the two secrets only in the desktop's secret service through
// QtKeychain. Without a secret service the secrets are not stored at all
// (never in the settings file). Works before any QML exists; callbacks run
// on this object's thread from its event loop, never inside the call.
class SettingsStore : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kKeychainService = "roomscribe";
    static constexpr const char *kLiveKitSecretKey = "livekit-api-secret";
    static constexpr const char *kGladiaKeyKey = "gladia-api-key";

    explicit SettingsStore(QObject *parent = nullptr);

    // secretError is empty when both secrets were read (or are simply not stored yet).
    using ReadCallback = std::function<void(ConsoleSettings settings, QString secretError)>;
    using WriteCallback = std::function<void(bool ok, QString error)>;

    void read(ReadCallback done);
    // The plain fields are written even when the secrets cannot be; ok is then false.
    void write(const ConsoleSettings &settings, WriteCallback done);

    // What the operator should do when the secrets cannot be stored.
    static QString noSecretServiceText();

private:
    // Runs each keychain job of one read or write, then done(error) once all have finished.
    class SecretBatch;
};

} // namespace roomscribe::console
