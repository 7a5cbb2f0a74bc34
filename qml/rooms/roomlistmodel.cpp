#include "roomlistmodel.h"

#include "methodnames.h"

#include <QDateTime>
#include <QSet>

#include <algorithm>

namespace roomscribe::console {

namespace {

using routing::RoomPhase;

// Ages are shown in minutes; a refresh a few times a minute keeps them right.
constexpr int kAgeRefresh_ms = 10000;

qint64 ageOf(const RoomEntry &entry)
{
    if (entry.created_s <= 0)
        return -1;
    return std::max<qint64>(0, QDateTime::currentSecsSinceEpoch() - entry.created_s);
}

routing::Method methodOf(const routing::RoomStatus &status)
{
    return status.method != routing::Method::Invalid ? status.method : status.requestedMethod;
}

bool canStart(RoomPhase phase)
{
    return phase == RoomPhase::Invalid || phase == RoomPhase::Stopped;
}

bool canStop(RoomPhase phase)
{
    return phase == RoomPhase::WaitingForRoom || phase == RoomPhase::WaitingForSpeakers ||
           phase == RoomPhase::Queued || phase == RoomPhase::Starting ||
           phase == RoomPhase::Running;
}

} // namespace

RoomListModel::RoomListModel(QObject *parent) : KeyedRowsModel<RoomRow>(parent)
{
    m_ageTimer.setInterval(kAgeRefresh_ms);
    connect(&m_ageTimer, &QTimer::timeout, this, &RoomListModel::tickAges);
    connect(this, &QAbstractItemModel::rowsInserted, this, &RoomListModel::countChanged);
    connect(this, &QAbstractItemModel::rowsRemoved, this, &RoomListModel::countChanged);
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RoomRow &row = m_rows[size_t(index.row())];
    const RoomEntry &entry = row.entry;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return entry.name;
    case InLiveKitRole:
        return entry.inLiveKit;
    case ParticipantsRole:
        return entry.participants;
    case PublishersRole:
        return entry.publishers;
    case AgeRole:
        return ageOf(entry);
    case AgeTextRole: {
        const qint64 age_s = ageOf(entry);
        if (age_s < 0)
            return QString();
        if (age_s < 60)
            return tr("under a minute");
        if (age_s < 3600)
            return tr("%n min", nullptr, int(age_s / 60));
        return tr("%1 h %2 min").arg(age_s / 3600).arg(age_s % 3600 / 60);
    }
    case PhaseRole:
        return int(entry.status.phase);
    case StateTextRole:
        return row.stateText;
    case StateKindRole:
        return row.stateKind;
    case MethodRole:
        return routing::methodName(methodOf(entry.status));
    case MethodTextRole:
        return MethodNames::text(methodOf(entry.status));
    case DetailRole:
        return entry.status.detail;
    case EgressesRole:
        return entry.status.egresses;
    case QueuePositionRole:
        return entry.status.queuePosition;
    case RmsRole:
        return entry.rms_dBFS;
    case PeakRole:
        return entry.peak_dBFS;
    case PublishingStreamsRole:
        return entry.publishingStreams;
    case CanStartRole:
        return canStart(entry.status.phase);
    case CanStopRole:
        return canStop(entry.status.phase);
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomListModel::roleNames() const
{
    return {{NameRole, "name"},
            {InLiveKitRole, "inLiveKit"},
            {ParticipantsRole, "participants"},
            {PublishersRole, "publishers"},
            {AgeRole, "age_s"},
            {AgeTextRole, "ageText"},
            {PhaseRole, "phase"},
            {StateTextRole, "stateText"},
            {StateKindRole, "stateKind"},
            {MethodRole, "method"},
            {MethodTextRole, "methodText"},
            {DetailRole, "detail"},
            {EgressesRole, "egresses"},
            {QueuePositionRole, "queuePosition"},
            {RmsRole, "rms_dBFS"},
            {PeakRole, "peak_dBFS"},
            {PublishingStreamsRole, "publishingStreams"},
            {CanStartRole, "canStart"},
            {CanStopRole, "canStop"}};
}

QObject *RoomListModel::backend() const
{
    return m_backend;
}

void RoomListModel::setBackend(QObject *backend)
{
    if (!switchBackend(this, m_backend, backend))
        return;
    ConsoleBackend *console = m_backend;
    // Levels ride on roomsChanged too: the backend rebuilds the rooms after each stats.
    if (console) {
        connect(console, &ConsoleBackend::roomsChanged, this, &RoomListModel::refresh);
        connect(console, &ConsoleBackend::languageChanged, this, [this] {
            refresh();
            retranslateRows(this);
        });
    }
    refresh();
    Q_EMIT backendChanged();
}

void RoomListModel::refresh()
{
    if (m_backend)
        apply(m_backend->rooms(), m_backend->stats());
    else
        apply({}, {});
}

void RoomListModel::apply(const std::vector<RoomEntry> &rooms, const ingest::IngestStats &stats)
{
    QSet<QString> reconnecting;
    for (const ingest::StreamStats &stream : stats.streams) {
        if (stream.stt.state == stt::SessionState::Reconnecting)
            reconnecting.insert(stream.label.room.isEmpty() ? stream.key : stream.label.room);
    }
    const qint64 now_ms = QDateTime::currentMSecsSinceEpoch();
    std::vector<RoomRow> next;
    next.reserve(rooms.size());
    for (const RoomEntry &entry : rooms) {
        RoomRow row{entry, {}, {}};
        const QString &detail = entry.status.detail;
        switch (entry.status.phase) {
        case RoomPhase::Invalid:
            row.stateText = tr("Idle");
            row.stateKind = QStringLiteral("idle");
            break;
        case RoomPhase::WaitingForRoom:
            row.stateText = tr("Waiting for the room");
            row.stateKind = QStringLiteral("waiting");
            break;
        case RoomPhase::WaitingForSpeakers:
            row.stateText = tr("No one to transcribe");
            row.stateKind = QStringLiteral("waiting");
            break;
        case RoomPhase::Queued:
            if (entry.status.retryAt_ms > 0) {
                // Counts down as the list is refreshed with each stats collection.
                const int retryIn_s =
                    int(qMax<qint64>(1, (entry.status.retryAt_ms - now_ms + 999) / 1000));
                row.stateText = tr("Retrying in %n s", nullptr, retryIn_s);
                row.stateKind = QStringLiteral("failed");
            } else {
                row.stateText =
                    entry.status.queuePosition > 0
                        ? tr("Queued for egress budget (#%1)").arg(entry.status.queuePosition)
                        : tr("Queued for egress budget");
                row.stateKind = QStringLiteral("queued");
            }
            break;
        case RoomPhase::Starting:
            row.stateText = tr("Starting");
            row.stateKind = QStringLiteral("starting");
            break;
        case RoomPhase::Running:
            if (reconnecting.contains(entry.name)) {
                row.stateText = tr("Reconnecting to Gladia");
                row.stateKind = QStringLiteral("warning");
            } else {
                row.stateText = tr("Live");
                row.stateKind = QStringLiteral("live");
            }
            break;
        case RoomPhase::Stopping:
            row.stateText = tr("Stopping");
            row.stateKind = QStringLiteral("stopping");
            break;
        case RoomPhase::Stopped:
            // A stop the operator asked for says nothing; one the router had to make says why.
            row.stateText = detail.isEmpty() ? tr("Stopped") : tr("Failed: %1").arg(detail);
            row.stateKind = detail.isEmpty() ? QStringLiteral("idle") : QStringLiteral("failed");
            break;
        }
        next.push_back(std::move(row));
    }
    if (!std::is_sorted(next.begin(), next.end(),
                        [](const RoomRow &a, const RoomRow &b) { return a.key() < b.key(); })) {
        std::sort(next.begin(), next.end(),
                  [](const RoomRow &a, const RoomRow &b) { return a.key() < b.key(); });
    }
    syncRows(std::move(next), [](const RoomRow &old, const RoomRow &now) {
        const RoomEntry &a = old.entry;
        const RoomEntry &b = now.entry;
        QList<int> roles;
        if (a.inLiveKit != b.inLiveKit)
            roles << InLiveKitRole;
        if (a.participants != b.participants)
            roles << ParticipantsRole;
        if (a.publishers != b.publishers)
            roles << PublishersRole;
        if (a.created_s != b.created_s)
            roles << AgeRole << AgeTextRole;
        if (a.status.phase != b.status.phase)
            roles << PhaseRole << CanStartRole << CanStopRole;
        if (old.stateText != now.stateText)
            roles << StateTextRole;
        if (old.stateKind != now.stateKind)
            roles << StateKindRole;
        if (methodOf(a.status) != methodOf(b.status))
            roles << MethodRole << MethodTextRole;
        if (a.status.detail != b.status.detail)
            roles << DetailRole;
        if (a.status.egresses != b.status.egresses)
            roles << EgressesRole;
        if (a.status.queuePosition != b.status.queuePosition)
            roles << QueuePositionRole;
        if (a.rms_dBFS != b.rms_dBFS)
            roles << RmsRole;
        if (a.peak_dBFS != b.peak_dBFS)
            roles << PeakRole;
        if (a.publishingStreams != b.publishingStreams)
            roles << PublishingStreamsRole;
        return roles;
    });
    if (m_rows.empty())
        m_ageTimer.stop();
    else if (!m_ageTimer.isActive())
        m_ageTimer.start();
}

void RoomListModel::tickAges()
{
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {AgeRole, AgeTextRole});
}

} // namespace roomscribe::console
