#include "ingest/streamregistry.h"

#include <QRandomGenerator>
#include <QRegularExpression>

#include <algorithm>

namespace roomscribe::ingest {

QString redactedKey(const QString &key)
{
    return key.left(4) + QStringLiteral("…");
}

StreamRegistry::StreamRegistry(int workerCount)
    : m_streamsPerWorker(size_t(std::max(workerCount, 1)), 0)
{
}

QString StreamRegistry::generateKey()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray raw(reinterpret_cast<const char *>(words), sizeof(words));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool StreamRegistry::isValid(const QString &app, const QString &key)
{
    // Keys travel in URLs and become file names: keep them to a safe alphabet.
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9_.-]{1,128}$"));
    return valid.match(key).hasMatch() && valid.match(app).hasMatch() && !key.startsWith(u'.');
}

bool StreamRegistry::insert(const QString &app, const QString &key,
                            const Registration &registration)
{
    const QString path = pathOf(app, key);
    if (m_registrations.contains(path))
        return false;
    m_registrations.insert(path, registration);
    if (isWorker(registration.owner))
        ++m_streamsPerWorker[size_t(registration.owner)];
    return true;
}

std::optional<int> StreamRegistry::registerKey(const QString &app, const QString &key,
                                               const StreamLabel &label)
{
    if (!isValid(app, key))
        return std::nullopt;
    QMutexLocker lock(&m_mutex);
    const auto least = std::min_element(m_streamsPerWorker.begin(), m_streamsPerWorker.end());
    const int worker = int(least - m_streamsPerWorker.begin());
    if (!insert(app, key, Registration{worker, label}))
        return std::nullopt;
    return worker;
}

bool StreamRegistry::registerKeyFor(const QString &app, const QString &key,
                                    const StreamLabel &label, int owner)
{
    if (!isValid(app, key))
        return false;
    QMutexLocker lock(&m_mutex);
    return insert(app, key, Registration{owner, label});
}

std::optional<StreamRegistry::Registration> StreamRegistry::find(const QString &app,
                                                                 const QString &key) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_registrations.constFind(pathOf(app, key));
    if (it == m_registrations.constEnd())
        return std::nullopt;
    return *it;
}

std::optional<StreamRegistry::Registration> StreamRegistry::remove(const QString &app,
                                                                   const QString &key)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_registrations.find(pathOf(app, key));
    if (it == m_registrations.end())
        return std::nullopt;
    const Registration registration = *it;
    m_registrations.erase(it);
    if (isWorker(registration.owner))
        --m_streamsPerWorker[size_t(registration.owner)];
    return registration;
}

int StreamRegistry::count() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_registrations.size());
}

} // namespace roomscribe::ingest
