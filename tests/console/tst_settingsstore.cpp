// SettingsStore: plain fields round-trip through QSettings; secrets go only
// to the secret service. Without one (no session bus) the store says so in
// plain words and writes no secret anywhere. keychainRoundTrip needs a real
// secret service: tests/console/keychain_roundtrip.sh runs it in a private
// D-Bus session with gnome-keyring (ROOMSCRIBE_KEYCHAIN_TEST=1).

#include "settings/consolesettings.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace roomscribe::console;

namespace {

constexpr int kWait_ms = 20000;
const QString kSecret = QStringLiteral("lk-secret-5f1c2a");
const QString kGladiaKey = QStringLiteral("gladia-key-93bd77");

bool keychainMode()
{
    return qEnvironmentVariableIntValue("ROOMSCRIBE_KEYCHAIN_TEST") == 1;
}

ConsoleSettings sample()
{
    ConsoleSettings settings;
    settings.liveKitUrl = QStringLiteral("wss://demo.livekit.cloud");
    settings.liveKitApiKey = QStringLiteral("APIdemo");
    settings.liveKitApiSecret = kSecret;
    settings.gladiaApiKey = kGladiaKey;
    settings.gladiaApiUrl = QStringLiteral("http://127.0.0.1:9");
    settings.gladiaRegion = QStringLiteral("eu-west");
    settings.languages = {QStringLiteral("de"), QStringLiteral("fr")};
    settings.defaultMethod = QStringLiteral("track");
    settings.egressLimit = 7;
    settings.autoStart = true;
    settings.rtmpListen = QStringLiteral("127.0.0.1:1936");
    settings.wsListen = QStringLiteral("0.0.0.0:8765");
    settings.webhookListen = QStringLiteral("0.0.0.0:8080");
    settings.rtmpPublicUrl = QStringLiteral("rtmp://203.0.113.5:1936/live");
    settings.wsPublicUrl = QStringLiteral("wss://203.0.113.5:8765");
    settings.database = QStringLiteral("/tmp/somewhere/transcripts.sqlite");
    settings.uiLanguage = QStringLiteral("ru");
    return settings;
}

struct ReadResult
{
    bool done = false;
    ConsoleSettings settings;
    QString secretError;
};

struct WriteResult
{
    bool done = false;
    bool ok = false;
    QString error;
};

} // namespace

class TestSettingsStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void defaultsWhenNothingStored();
    void plainFieldsRoundTrip();
    void noSecretServiceStoresNoSecret();
    void keychainRoundTrip();

private:
    bool read(ReadResult *result);
    bool write(const ConsoleSettings &settings, WriteResult *result);
    QByteArray settingsFile() const;

    QTemporaryDir m_dir;
};

void TestSettingsStore::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
    if (!keychainMode()) {
        // A bare session: no session bus, so no secret service (GDBus would
        // otherwise find $XDG_RUNTIME_DIR/bus).
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_dir.path()));
    }
}

void TestSettingsStore::init()
{
    QFile::remove(QSettings(QStringLiteral("Roomscribe"), QStringLiteral("roomscribe")).fileName());
}

// False when the callback came from inside the call or not at all.
bool TestSettingsStore::read(ReadResult *result)
{
    SettingsStore store;
    store.read([result](ConsoleSettings settings, QString secretError) {
        *result = {true, std::move(settings), std::move(secretError)};
    });
    if (result->done)
        return false;
    return QTest::qWaitFor([result] { return result->done; }, kWait_ms);
}

bool TestSettingsStore::write(const ConsoleSettings &settings, WriteResult *result)
{
    SettingsStore store;
    store.write(settings, [result](bool ok, QString error) {
        *result = {true, ok, std::move(error)};
    });
    if (result->done)
        return false;
    return QTest::qWaitFor([result] { return result->done; }, kWait_ms);
}

QByteArray TestSettingsStore::settingsFile() const
{
    QFile file(QSettings(QStringLiteral("Roomscribe"), QStringLiteral("roomscribe")).fileName());
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void TestSettingsStore::defaultsWhenNothingStored()
{
    if (keychainMode())
        QSKIP("bare-session test");
    ReadResult result;
    QVERIFY(read(&result));
    QCOMPARE(result.settings, ConsoleSettings());
    QVERIFY(!result.settings.isConfigured());
    QCOMPARE(result.settings.languages, QStringList({"ru", "en"}));
    QCOMPARE(result.settings.rtmpListen, QStringLiteral("0.0.0.0:1935"));
    QCOMPARE(result.secretError, SettingsStore::noSecretServiceText());
}

void TestSettingsStore::plainFieldsRoundTrip()
{
    if (keychainMode())
        QSKIP("bare-session test");
    ConsoleSettings settings = sample();
    settings.liveKitApiSecret.clear();
    settings.gladiaApiKey.clear();
    // No secrets to keep: clearing them where no secret service exists is no failure.
    WriteResult written;
    QVERIFY(write(settings, &written));
    QVERIFY2(written.ok, qPrintable(written.error));
    ReadResult result;
    QVERIFY(read(&result));
    QCOMPARE(result.settings, settings);
    QVERIFY(!result.settings.isConfigured()); // LiveKit without its secret is not enough
}

void TestSettingsStore::noSecretServiceStoresNoSecret()
{
    if (keychainMode())
        QSKIP("bare-session test");
    const ConsoleSettings settings = sample();
    WriteResult written;
    QVERIFY(write(settings, &written));
    QVERIFY(!written.ok);
    QCOMPARE(written.error, SettingsStore::noSecretServiceText());
    QVERIFY(written.error.contains(QStringLiteral("GLADIA_API_KEY")));

    const QByteArray file = settingsFile();
    QVERIFY(file.contains("APIdemo")); // the plain fields were written
    QVERIFY(!file.contains(kSecret.toUtf8()));
    QVERIFY(!file.contains(kGladiaKey.toUtf8()));

    ReadResult result;
    QVERIFY(read(&result));
    QCOMPARE(result.secretError, SettingsStore::noSecretServiceText());
    QVERIFY(result.settings.liveKitApiSecret.isEmpty());
    QVERIFY(result.settings.gladiaApiKey.isEmpty());
    QCOMPARE(result.settings.liveKitApiKey, settings.liveKitApiKey);
    QCOMPARE(result.settings.egressLimit, 7);
}

void TestSettingsStore::keychainRoundTrip()
{
    if (!keychainMode())
        QSKIP("needs a secret service: run tests/console/keychain_roundtrip.sh");
    const ConsoleSettings settings = sample();
    WriteResult written;
    QVERIFY(write(settings, &written));
    QVERIFY2(written.ok, qPrintable(written.error));
    const QByteArray file = settingsFile();
    QVERIFY(!file.contains(kSecret.toUtf8()));
    QVERIFY(!file.contains(kGladiaKey.toUtf8()));

    ReadResult result;
    QVERIFY(read(&result));
    QVERIFY2(result.secretError.isEmpty(), qPrintable(result.secretError));
    QCOMPARE(result.settings, settings);
    QVERIFY(result.settings.isConfigured());

    // Emptied secrets are removed from the secret service.
    ConsoleSettings cleared = settings;
    cleared.liveKitApiSecret.clear();
    cleared.gladiaApiKey.clear();
    WriteResult clearing;
    QVERIFY(write(cleared, &clearing));
    QVERIFY2(clearing.ok, qPrintable(clearing.error));
    result = {};
    QVERIFY(read(&result));
    QVERIFY2(result.secretError.isEmpty(), qPrintable(result.secretError));
    QCOMPARE(result.settings, cleared);
}

QTEST_GUILESS_MAIN(TestSettingsStore)
#include "tst_settingsstore.moc"
