#pragma once

#include "ingest/streamlabel.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <optional>
#include <vector>

namespace roomscribe::ingest {

// Keys are secrets: logs and stats show only enough of one to tell streams apart.
QString redactedKey(const QString &key);

// Which stream keys may publish, whose audio each carries, and which owner
// thread (an RTMP worker, or the Track Egress endpoint) holds each stream.
// Consulted when a publisher names its key, never on the audio path, so a
// mutex is fine.
class StreamRegistry
{
public:
    struct Registration
    {
        int owner = -1;
        StreamLabel label;
    };

    // Owners 0..workerCount-1 share the streams registerKey() balances.
    explicit StreamRegistry(int workerCount);

    // 128 random bits, URL-safe: unguessable, so knowing one room's key says
    // nothing about another's.
    static QString generateKey();
    // Registers app/key and returns the worker that will own it (the least
    // loaded); std::nullopt when the key is already registered or malformed.
    std::optional<int> registerKey(const QString &app, const QString &key,
                                   const StreamLabel &label = {});
    // Registers app/key for an owner outside the balanced workers; false
    // when the key is already registered or malformed.
    bool registerKeyFor(const QString &app, const QString &key, const StreamLabel &label,
                        int owner);
    std::optional<Registration> find(const QString &app, const QString &key) const;
    // Forgets app/key (it can no longer publish) and returns what it was.
    std::optional<Registration> remove(const QString &app, const QString &key);
    int count() const;

private:
    static QString pathOf(const QString &app, const QString &key) { return app + u'/' + key; }
    static bool isValid(const QString &app, const QString &key);
    bool isWorker(int owner) const
    {
        return owner >= 0 && size_t(owner) < m_streamsPerWorker.size();
    }
    // With m_mutex held.
    bool insert(const QString &app, const QString &key, const Registration &registration);

    mutable QMutex m_mutex;
    QHash<QString, Registration> m_registrations;
    std::vector<int> m_streamsPerWorker;
};

} // namespace roomscribe::ingest
