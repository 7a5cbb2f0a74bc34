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

std::optional<int> StreamRegistry::registerKey(const QString &app, const QString &key)
{
    // Keys travel in URLs and become file names: keep them to a safe alphabet.
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9_.-]{1,128}$"));
    if (!valid.match(key).hasMatch() || !valid.match(app).hasMatch() || key.startsWith(u'.'))
        return std::nullopt;
    QMutexLocker lock(&m_mutex);
    const QString path = pathOf(app, key);
    if (m_owners.contains(path))
        return std::nullopt;
    const auto least = std::min_element(m_streamsPerWorker.begin(), m_streamsPerWorker.end());
    const int worker = int(least - m_streamsPerWorker.begin());
    ++*least;
    m_owners.insert(path, worker);
    return worker;
}

std::optional<int> StreamRegistry::ownerOf(const QString &app, const QString &key) const
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_owners.constFind(pathOf(app, key));
    if (it == m_owners.constEnd())
        return std::nullopt;
    return *it;
}

int StreamRegistry::count() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_owners.size());
}

} // namespace roomscribe::ingest
