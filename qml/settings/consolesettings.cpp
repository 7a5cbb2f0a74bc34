#include "consolesettings.h"

#include <QMetaObject>
#include <QSettings>
#include <qt6keychain/keychain.h>

#include <memory>

namespace roomscribe::console {

bool ConsoleSettings::isConfigured() const
{
    const bool liveKit =
        !liveKitUrl.isEmpty() && !liveKitApiKey.isEmpty() && !liveKitApiSecret.isEmpty();
    return liveKit || !gladiaApiKey.isEmpty();
}

bool ConsoleSettings::operator==(const ConsoleSettings &other) const
{
    return liveKitUrl == other.liveKitUrl && liveKitApiKey == other.liveKitApiKey &&
           liveKitApiSecret == other.liveKitApiSecret && gladiaApiKey == other.gladiaApiKey &&
           gladiaApiUrl == other.gladiaApiUrl && gladiaRegion == other.gladiaRegion &&
           languages == other.languages && defaultMethod == other.defaultMethod &&
           egressLimit == other.egressLimit && autoStart == other.autoStart &&
           rtmpListen == other.rtmpListen && wsListen == other.wsListen &&
           webhookListen == other.webhookListen && rtmpPublicUrl == other.rtmpPublicUrl &&
           wsPublicUrl == other.wsPublicUrl && database == other.database &&
           uiLanguage == other.uiLanguage;
}

namespace {

// The plain fields, by settings key. Secrets have no entry here on purpose.
struct PlainField
{
    const char *key;
    QString ConsoleSettings::*text = nullptr;
};

constexpr PlainField kTextFields[] = {
    {"livekit/url", &ConsoleSettings::liveKitUrl},
    {"livekit/apiKey", &ConsoleSettings::liveKitApiKey},
    {"livekit/rtmpPublicUrl", &ConsoleSettings::rtmpPublicUrl},
    {"livekit/wsPublicUrl", &ConsoleSettings::wsPublicUrl},
    {"livekit/webhookListen", &ConsoleSettings::webhookListen},
    {"routing/method", &ConsoleSettings::defaultMethod},
    {"gladia/url", &ConsoleSettings::gladiaApiUrl},
    {"gladia/region", &ConsoleSettings::gladiaRegion},
    {"network/rtmpListen", &ConsoleSettings::rtmpListen},
    {"network/wsListen", &ConsoleSettings::wsListen},
    {"store/database", &ConsoleSettings::database},
    {"ui/language", &ConsoleSettings::uiLanguage},
};

ConsoleSettings readPlain()
{
    const QSettings settings(QStringLiteral("Roomscribe"), QStringLiteral("roomscribe"));
    ConsoleSettings result;
    for (const PlainField &field : kTextFields) {
        const QString key = QString::fromLatin1(field.key);
        if (settings.contains(key))
            result.*field.text = settings.value(key).toString();
    }
    if (settings.contains(QStringLiteral("gladia/languages")))
        result.languages = settings.value(QStringLiteral("gladia/languages")).toStringList();
    result.egressLimit =
        settings.value(QStringLiteral("routing/egressLimit"), result.egressLimit).toInt();
    result.autoStart =
        settings.value(QStringLiteral("routing/autoStart"), result.autoStart).toBool();
    return result;
}

bool writePlain(const ConsoleSettings &values)
{
    QSettings settings(QStringLiteral("Roomscribe"), QStringLiteral("roomscribe"));
    for (const PlainField &field : kTextFields)
        settings.setValue(QString::fromLatin1(field.key), values.*field.text);
    settings.setValue(QStringLiteral("gladia/languages"), values.languages);
    settings.setValue(QStringLiteral("routing/egressLimit"), values.egressLimit);
    settings.setValue(QStringLiteral("routing/autoStart"), values.autoStart);
    settings.sync();
    return settings.status() == QSettings::NoError;
}

} // namespace

// Counts the keychain jobs of one read or write down to zero, keeping the first error.
class SettingsStore::SecretBatch
{
public:
    explicit SecretBatch(std::function<void(QString error)> done) : m_done(std::move(done)) {}

    static void run(SettingsStore *store, QList<QKeychain::Job *> jobs,
                    std::function<void(QKeychain::Job *job)> onSuccess,
                    std::function<void(QString error)> done)
    {
        auto batch = std::make_shared<SecretBatch>(std::move(done));
        batch->m_pending = int(jobs.size());
        for (QKeychain::Job *job : jobs) {
            // Never the insecure plain-text fallback some backends offer.
            job->setInsecureFallback(false);
            job->setAutoDelete(true);
            QObject::connect(
                job, &QKeychain::Job::finished, store,
                [batch, onSuccess](QKeychain::Job *finished) { batch->take(finished, onSuccess); });
            job->start();
        }
    }

private:
    void take(QKeychain::Job *job, const std::function<void(QKeychain::Job *)> &onSuccess)
    {
        switch (job->error()) {
        case QKeychain::NoError:
            onSuccess(job);
            break;
        case QKeychain::EntryNotFound: // nothing stored yet, or nothing to delete
            break;
        case QKeychain::AccessDenied:
        case QKeychain::AccessDeniedByUser:
            keep(SettingsStore::tr("The secret service refused access to the keys: %1")
                     .arg(job->errorString()));
            break;
        default: // NoBackendAvailable, NotImplemented, OtherError: no usable secret service
            // Clearing a key that no secret service can hold is no failure.
            if (!qobject_cast<QKeychain::DeletePasswordJob *>(job))
                keep(SettingsStore::noSecretServiceText());
            break;
        }
        if (--m_pending == 0)
            m_done(m_error);
    }
    void keep(const QString &error)
    {
        if (m_error.isEmpty())
            m_error = error;
    }

    std::function<void(QString)> m_done;
    int m_pending = 0;
    QString m_error;
};

SettingsStore::SettingsStore(QObject *parent) : QObject(parent) {}

QString SettingsStore::noSecretServiceText()
{
    return tr("No secret service is available in this session, so keys cannot be stored. Set "
              "GLADIA_API_KEY and LIVEKIT_API_KEY/LIVEKIT_API_SECRET in the environment, or use "
              "--gladia-key-file.");
}

void SettingsStore::read(ReadCallback done)
{
    auto settings = std::make_shared<ConsoleSettings>(readPlain());
    auto liveKitSecret = new QKeychain::ReadPasswordJob(QLatin1String(kKeychainService), this);
    liveKitSecret->setKey(QLatin1String(kLiveKitSecretKey));
    auto gladiaKey = new QKeychain::ReadPasswordJob(QLatin1String(kKeychainService), this);
    gladiaKey->setKey(QLatin1String(kGladiaKeyKey));
    SecretBatch::run(
        this, {liveKitSecret, gladiaKey},
        [settings, liveKitSecret](QKeychain::Job *job) {
            const QString value = static_cast<QKeychain::ReadPasswordJob *>(job)->textData();
            (job == liveKitSecret ? settings->liveKitApiSecret : settings->gladiaApiKey) = value;
        },
        [this, settings, done = std::move(done)](const QString &error) {
            // Deferred: a job that fails at once must not call back inside read().
            QMetaObject::invokeMethod(
                this, [settings, done, error] { done(*settings, error); }, Qt::QueuedConnection);
        });
}

void SettingsStore::write(const ConsoleSettings &settings, WriteCallback done)
{
    const bool plainOk = writePlain(settings);
    QList<QKeychain::Job *> jobs;
    const std::pair<const char *, QString> secrets[] = {
        {kLiveKitSecretKey, settings.liveKitApiSecret}, {kGladiaKeyKey, settings.gladiaApiKey}};
    for (const auto &[key, value] : secrets) {
        QKeychain::Job *job = nullptr;
        if (value.isEmpty()) {
            job = new QKeychain::DeletePasswordJob(QLatin1String(kKeychainService), this);
        } else {
            auto writeJob = new QKeychain::WritePasswordJob(QLatin1String(kKeychainService), this);
            writeJob->setTextData(value);
            job = writeJob;
        }
        job->setKey(QLatin1String(key));
        jobs.append(job);
    }
    SecretBatch::run(
        this, jobs, [](QKeychain::Job *) {},
        [this, plainOk, done = std::move(done)](const QString &secretError) {
            QString error = secretError;
            if (!plainOk)
                error =
                    tr("The settings file could not be written: %1")
                        .arg(QSettings(QStringLiteral("Roomscribe"), QStringLiteral("roomscribe"))
                                 .fileName());
            QMetaObject::invokeMethod(
                this, [done, error] { done(error.isEmpty(), error); }, Qt::QueuedConnection);
        });
}

} // namespace roomscribe::console
