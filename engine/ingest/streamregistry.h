#pragma once

#include <QHash>
#include <QMutex>
#include <QString>

#include <optional>
#include <vector>

namespace roomscribe::ingest {

// Keys are secrets: logs and stats show only enough of one to tell streams apart.
QString redactedKey(const QString &key);

// Which stream keys may publish, and which worker owns each stream. Consulted
// when a publisher names its key, never on the audio path, so a mutex is fine.
class StreamRegistry
{
public:
    explicit StreamRegistry(int workerCount);

    // 128 random bits, URL-safe: unguessable, so knowing one room's key says
    // nothing about another's.
    static QString generateKey();
    // Registers app/key and returns the worker that will own it (the least
    // loaded); std::nullopt when the key is already registered or malformed.
    std::optional<int> registerKey(const QString &app, const QString &key);
    std::optional<int> ownerOf(const QString &app, const QString &key) const;
    int count() const;

private:
    static QString pathOf(const QString &app, const QString &key) { return app + u'/' + key; }

    mutable QMutex m_mutex;
    QHash<QString, int> m_owners;
    std::vector<int> m_streamsPerWorker;
};

} // namespace roomscribe::ingest
