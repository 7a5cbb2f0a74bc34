#include "egressusagemodel.h"

#include "rooms/methodnames.h"

#include <QLocale>

#include <algorithm>

namespace roomscribe::console {

EgressUsageModel::EgressUsageModel(QObject *parent) : KeyedRowsModel<EgressUsageRow>(parent)
{
    m_sampleTimer.setInterval(kSampleInterval_ms);
    connect(&m_sampleTimer, &QTimer::timeout, this,
            [this] { addSample(QDateTime::currentMSecsSinceEpoch()); });
    connect(this, &QAbstractItemModel::rowsInserted, this, &EgressUsageModel::countChanged);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &EgressUsageModel::countChanged);
}

QVariant EgressUsageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EgressUsageRow &row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case RoomRole:
        return row.room;
    case MethodRole:
        return routing::methodName(row.method);
    case MethodTextRole:
        return MethodNames::text(row.method);
    case EgressesRole:
        return row.egresses;
    default:
        return {};
    }
}

QHash<int, QByteArray> EgressUsageModel::roleNames() const
{
    return {{RoomRole, "room"},
            {MethodRole, "method"},
            {MethodTextRole, "methodText"},
            {EgressesRole, "egresses"}};
}

QObject *EgressUsageModel::backend() const
{
    return m_backend;
}

void EgressUsageModel::setBackend(QObject *backend)
{
    if (!switchBackend(this, m_backend, backend))
        return;
    ConsoleBackend *console = m_backend;
    if (console) {
        connect(console, &ConsoleBackend::roomsChanged, this, &EgressUsageModel::refresh);
        connect(console, &ConsoleBackend::budgetChanged, this, &EgressUsageModel::refresh);
        connect(console, &ConsoleBackend::languageChanged, this, [this] {
            refresh();
            retranslateRows(this);
            Q_EMIT budgetChanged(); // fullSinceText
        });
    }
    refresh();
    if (console) {
        addSample(QDateTime::currentMSecsSinceEpoch()); // the plot starts with a point
        m_sampleTimer.start();
    } else {
        m_sampleTimer.stop();
    }
    Q_EMIT backendChanged();
}

QString EgressUsageModel::fullSinceText() const
{
    if (!m_budget.full)
        return QString();
    if (!m_fullSince.isValid())
        return tr("Budget full");
    return tr("Budget full since %1")
        .arg(QLocale().toString(m_fullSince.time(), QStringLiteral("HH:mm:ss")));
}

QVariantList EgressUsageModel::history() const
{
    QVariantList samples;
    samples.reserve(qsizetype(m_history.size()));
    for (const Sample &sample : m_history) {
        samples.append(QVariantMap{{QStringLiteral("t"), sample.time_ms},
                                   {QStringLiteral("used"), sample.used},
                                   {QStringLiteral("limit"), sample.limit}});
    }
    return samples;
}

void EgressUsageModel::refresh()
{
    if (m_backend)
        apply(m_backend->rooms(), m_backend->budget(), m_backend->budgetFullSince());
    else
        apply({}, {}, {});
}

void EgressUsageModel::apply(const std::vector<RoomEntry> &rooms,
                             const routing::EgressBudget &budget, const QDateTime &fullSince)
{
    std::vector<EgressUsageRow> next;
    std::vector<const routing::RoomStatus *> queued;
    int composite = 0;
    int track = 0;
    for (const RoomEntry &entry : rooms) {
        const routing::RoomStatus &status = entry.status;
        if (status.phase == routing::RoomPhase::Queued)
            queued.push_back(&status);
        if (status.egresses <= 0)
            continue;
        const routing::Method method =
            status.method != routing::Method::Invalid ? status.method : status.requestedMethod;
        next.push_back({entry.name, method, status.egresses});
        if (method == routing::Method::Composite)
            composite += status.egresses;
        else if (method == routing::Method::Track)
            track += status.egresses;
    }
    std::sort(next.begin(), next.end(),
              [](const EgressUsageRow &a, const EgressUsageRow &b) { return a.room < b.room; });
    syncRows(std::move(next), [](const EgressUsageRow &old, const EgressUsageRow &now) {
        QList<int> roles;
        if (old.method != now.method)
            roles << MethodRole << MethodTextRole;
        if (old.egresses != now.egresses)
            roles << EgressesRole;
        return roles;
    });

    // A room retrying a failed start has no place in line yet: it goes last.
    std::stable_sort(queued.begin(), queued.end(),
                     [](const routing::RoomStatus *a, const routing::RoomStatus *b) {
                         const int pa = a->queuePosition > 0 ? a->queuePosition : INT_MAX;
                         const int pb = b->queuePosition > 0 ? b->queuePosition : INT_MAX;
                         return pa < pb;
                     });
    QStringList queue;
    queue.reserve(qsizetype(queued.size()));
    for (const routing::RoomStatus *status : queued)
        queue.append(status->room);
    if (queue != m_queue) {
        m_queue = queue;
        Q_EMIT queueChanged();
    }
    if (composite != m_compositeCount || track != m_trackCount) {
        m_compositeCount = composite;
        m_trackCount = track;
        Q_EMIT breakdownChanged();
    }
    if (budget.limit != m_budget.limit || budget.used != m_budget.used ||
        budget.inFlight != m_budget.inFlight || budget.full != m_budget.full ||
        fullSince != m_fullSince) {
        m_budget = budget;
        m_fullSince = fullSince;
        Q_EMIT budgetChanged();
    }
}

void EgressUsageModel::addSample(qint64 time_ms)
{
    m_history.push_back({time_ms, m_budget.used, m_budget.limit});
    while (m_history.size() > size_t(kHistorySamples))
        m_history.pop_front();
    Q_EMIT historyChanged();
}

} // namespace roomscribe::console
