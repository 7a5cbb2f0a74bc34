#pragma once

#include "console/consolebackend.h"
#include "rooms/keyedrowsmodel.h"

#include <QDateTime>
#include <QPointer>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <deque>

namespace roomscribe::console {

// One room holding egresses.
struct EgressUsageRow
{
    QString room;
    routing::Method method = routing::Method::Invalid;
    int egresses = 0;
    const QString &key() const { return room; }
};

// Where the LiveKit egress budget goes: the rooms holding egresses (one row
// each, by name), the budget, the rooms queued for it and its last hour.
class EgressUsageModel : public KeyedRowsModel<EgressUsageRow>
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *backend READ backend WRITE setBackend NOTIFY backendChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int used READ used NOTIFY budgetChanged)
    Q_PROPERTY(int limit READ limit NOTIFY budgetChanged)
    Q_PROPERTY(int inFlight READ inFlight NOTIFY budgetChanged)
    Q_PROPERTY(bool full READ full NOTIFY budgetChanged)
    // "Budget full since 14:02:31"; empty while not full.
    Q_PROPERTY(QString fullSinceText READ fullSinceText NOTIFY budgetChanged)
    // Queued rooms' names, first in line first.
    Q_PROPERTY(QStringList queue READ queue NOTIFY queueChanged)
    Q_PROPERTY(int queueLength READ queueLength NOTIFY queueChanged)
    // Egresses held by rooms per method.
    Q_PROPERTY(int compositeCount READ compositeCount NOTIFY breakdownChanged)
    Q_PROPERTY(int trackCount READ trackCount NOTIFY breakdownChanged)
public:
    enum Role {
        RoomRole = Qt::UserRole + 1,
        MethodRole, // methodName()
        MethodTextRole,
        EgressesRole,
    };
    Q_ENUM(Role)

    static constexpr int kSampleInterval_ms = 10000;
    static constexpr int kHistorySamples = 360; // one hour

    explicit EgressUsageModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QObject *backend() const;
    void setBackend(QObject *backend);
    int count() const { return rowCount(); }
    int used() const { return m_budget.used; }
    int limit() const { return m_budget.limit; }
    int inFlight() const { return m_budget.inFlight; }
    bool full() const { return m_budget.full; }
    QString fullSinceText() const;
    QStringList queue() const { return m_queue; }
    int queueLength() const { return int(m_queue.size()); }
    int compositeCount() const { return m_compositeCount; }
    int trackCount() const { return m_trackCount; }

    // The samples of the last hour, oldest first: [{t: ms since epoch, used, limit}].
    Q_INVOKABLE QVariantList history() const;

    void apply(const std::vector<RoomEntry> &rooms, const routing::EgressBudget &budget,
               const QDateTime &fullSince);
    // Records the budget as it is now; the model's own timer calls it every kSampleInterval_ms.
    void addSample(qint64 time_ms);

Q_SIGNALS:
    void backendChanged();
    void countChanged();
    void budgetChanged();
    void queueChanged();
    void breakdownChanged();
    void historyChanged();

private:
    struct Sample
    {
        qint64 time_ms;
        int used;
        int limit;
    };

    void refresh();

    QPointer<ConsoleBackend> m_backend;
    routing::EgressBudget m_budget;
    QDateTime m_fullSince;
    QStringList m_queue;
    int m_compositeCount = 0;
    int m_trackCount = 0;
    std::deque<Sample> m_history;
    QTimer m_sampleTimer;
};

} // namespace roomscribe::console
