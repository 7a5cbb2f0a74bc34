#include "sessionlistmodel.h"

#include "storeworker.h"

#include <QLocale>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace roomscribe::console {

namespace {

QString durationText(qint64 seconds)
{
    if (seconds >= 3600)
        return SessionListModel::tr("%1 h %2 min")
            .arg(seconds / 3600)
            .arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    if (seconds >= 60)
        return SessionListModel::tr("%1 min %2 s")
            .arg(seconds / 60)
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return SessionListModel::tr("%1 s").arg(seconds);
}

// A room name made safe for a file name on any desktop system.
QString fileStem(const store::StoredSession &session)
{
    static const QRegularExpression unsafe(QStringLiteral(R"([\\/:*?"<>|\s]+)"));
    QString room = session.room;
    room.replace(unsafe, QStringLiteral("_"));
    return QStringLiteral("%1-%2").arg(
        room, session.startedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd_HHmm")));
}

} // namespace

SessionListModel::SessionListModel(QObject *parent)
    : QAbstractListModel(parent), m_store(std::make_unique<StoreThread>())
{
    connect(m_store->worker(), &StoreWorker::sessionsListed, this, &SessionListModel::onListed);
}

SessionListModel::~SessionListModel() = default;

int SessionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant SessionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case SessionIdRole:
        return row.session.id;
    case Qt::DisplayRole:
    case RoomRole:
        return row.session.room;
    case StartedRole:
        return row.started;
    case EndedRole:
        return row.ended;
    case LiveRole:
        return !row.session.endedAt.isValid();
    case DurationRole:
        return row.duration;
    case SegmentCountRole:
        return row.session.segments;
    case FileStemRole:
        return fileStem(row.session);
    default:
        return {};
    }
}

QHash<int, QByteArray> SessionListModel::roleNames() const
{
    return {{SessionIdRole, "sessionId"},
            {RoomRole, "room"},
            {StartedRole, "started"},
            {EndedRole, "ended"},
            {LiveRole, "live"},
            {DurationRole, "duration"},
            {SegmentCountRole, "segmentCount"},
            {FileStemRole, "fileStem"}};
}

int SessionListModel::latestRowOf(const QString &room) const
{
    // Rows are newest first: the first match is the latest.
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].session.room == room)
            return int(i);
    }
    return -1;
}

QVariantMap SessionListModel::get(int row) const
{
    QVariantMap values;
    if (row < 0 || row >= count())
        return values;
    const QHash<int, QByteArray> names = roleNames();
    for (auto it = names.begin(); it != names.end(); ++it)
        values.insert(QString::fromLatin1(it.value()), data(index(row), it.key()));
    return values;
}

void SessionListModel::setDatabase(const QString &database)
{
    if (m_database == database && m_loaded)
        return;
    m_database = database;
    Q_EMIT databaseChanged();
    refresh();
}

void SessionListModel::setRoomFilter(const QString &filter)
{
    if (m_roomFilter == filter)
        return;
    m_roomFilter = filter;
    Q_EMIT roomFilterChanged();
    showRows();
}

void SessionListModel::refresh()
{
    if (m_busy) {
        m_refreshAgain = true;
        return;
    }
    m_busy = true;
    Q_EMIT stateChanged();
    m_store->post(
        [worker = m_store->worker(), database = m_database] { worker->listSessions(database); });
}

void SessionListModel::onListed(const QString &database,
                                const QList<store::StoredSession> &sessions, const QString &error)
{
    m_busy = false;
    if (m_refreshAgain || database != m_database) {
        m_refreshAgain = false;
        refresh();
        return;
    }
    m_errorText = error;
    m_loaded = true;
    if (error.isEmpty())
        apply(sessions);
    Q_EMIT stateChanged();
}

void SessionListModel::apply(const QList<store::StoredSession> &sessions)
{
    m_all = sessions;
    std::stable_sort(m_all.begin(), m_all.end(),
                     [](const store::StoredSession &a, const store::StoredSession &b) {
                         if (a.startedAt != b.startedAt)
                             return a.startedAt > b.startedAt;
                         return a.id > b.id;
                     });
    showRows();
}

SessionListModel::Row SessionListModel::makeRow(const store::StoredSession &session) const
{
    Row row;
    row.session = session;
    const QLocale locale;
    row.started = locale.toString(session.startedAt.toLocalTime(), QLocale::ShortFormat);
    const bool live = !session.endedAt.isValid();
    row.ended =
        live ? tr("live") : locale.toString(session.endedAt.toLocalTime(), QLocale::ShortFormat);
    const QDateTime end = live ? QDateTime::currentDateTimeUtc() : session.endedAt;
    row.duration = durationText(std::max<qint64>(0, session.startedAt.secsTo(end)));
    return row;
}

// Moves the rows to the filtered sessions: vanished rows are removed, new
// ones inserted, kept ones changed in place (their order never changes).
void SessionListModel::showRows()
{
    std::vector<Row> next;
    QSet<qint64> nextIds;
    for (const store::StoredSession &session : std::as_const(m_all)) {
        if (m_roomFilter.isEmpty() || session.room.contains(m_roomFilter, Qt::CaseInsensitive)) {
            next.push_back(makeRow(session));
            nextIds.insert(session.id);
        }
    }
    const int before = count();
    for (int last = int(m_rows.size()) - 1; last >= 0; --last) {
        if (nextIds.contains(m_rows[size_t(last)].session.id))
            continue;
        int first = last;
        while (first > 0 && !nextIds.contains(m_rows[size_t(first - 1)].session.id))
            --first;
        beginRemoveRows({}, first, last);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        endRemoveRows();
        last = first;
    }
    for (size_t i = 0; i < next.size(); ++i) {
        if (i < m_rows.size() && m_rows[i].session.id == next[i].session.id) {
            Row &row = m_rows[i];
            QList<int> roles;
            if (row.ended != next[i].ended)
                roles << EndedRole << LiveRole;
            if (row.duration != next[i].duration)
                roles << DurationRole;
            if (row.session.segments != next[i].session.segments)
                roles << SegmentCountRole;
            if (row.started != next[i].started)
                roles << StartedRole;
            row = next[i];
            if (!roles.isEmpty())
                Q_EMIT dataChanged(index(int(i)), index(int(i)), roles);
            continue;
        }
        beginInsertRows({}, int(i), int(i));
        m_rows.insert(m_rows.begin() + qsizetype(i), next[i]);
        endInsertRows();
    }
    if (before != count() || totalCount() != m_lastTotal) {
        m_lastTotal = totalCount();
        Q_EMIT countChanged();
    }
}

} // namespace roomscribe::console
