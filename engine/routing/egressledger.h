#pragma once

#include "routing/routingtypes.h"
#include "routing/streamport.h"

#include <QHash>
#include <QString>

// The egresses this engine started, kept on disk so that a restarted engine
// can find them in ListEgress and go on receiving them instead of starting
// new ones (which would cost budget and leave the old ones running).
namespace roomscribe::routing {

struct EgressRecord
{
    QString egressId;
    Method method = Method::Invalid; // Composite or Track
    StreamEndpoint stream;           // the key the egress publishes with
    qint64 startedAt_ms = 0;         // unix time
    // The engine asked LiveKit to stop it and got no answer: a later run
    // stops it when LiveKit is reachable again.
    bool stopPending = false;
};

class EgressLedger
{
public:
    // An empty path keeps the ledger in memory only (nothing is adopted).
    explicit EgressLedger(QString path);

    QString path() const { return m_path; }
    // A missing file is an empty ledger; an unreadable one is an error.
    bool load(QString *error);
    QList<EgressRecord> records() const { return m_records.values(); }
    bool contains(const QString &egressId) const { return m_records.contains(egressId); }
    EgressRecord record(const QString &egressId) const { return m_records.value(egressId); }
    // Each change is written through at once (atomically, owner-only: the
    // file holds stream keys).
    void put(const EgressRecord &record);
    void remove(const QString &egressId);

private:
    void save();

    QString m_path;
    QHash<QString, EgressRecord> m_records;
};

} // namespace roomscribe::routing
