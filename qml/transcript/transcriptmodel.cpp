#include "transcriptmodel.h"

#include "consolebackend.h"

#include <QClipboard>
#include <QGuiApplication>

#include <algorithm>
#include <array>
#include <climits>
#include <map>

namespace roomscribe::console {

namespace {

const QString kMixStream = QStringLiteral("mix");

// Dark enough to read on a light base; views lighten them on a dark one.
constexpr std::array<QRgb, 10> kSpeakerPalette = {
    0x1f6fb2, // blue
    0xb3362b, // red
    0x2e7d32, // green
    0x8e44ad, // purple
    0xa84d00, // orange
    0x00796b, // teal
    0xad1457, // pink
    0x5d6b00, // olive
    0x3949ab, // indigo
    0x795548, // brown
};
constexpr QRgb kMixColor = 0x607080; // no speaker: a neutral grey

} // namespace

TranscriptModel::TranscriptModel(QObject *parent) : QAbstractListModel(parent) {}

TranscriptModel::~TranscriptModel() = default;

int TranscriptModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant TranscriptModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case SpeakerRole:
        return speakerLabel(row);
    case IsMixRole:
        return row.isMix;
    case SpeakerColorRole:
        return row.color;
    case Qt::DisplayRole:
    case TextRole:
        return row.text;
    case IsFinalRole:
        return row.isFinal;
    case LanguageRole:
        return row.language;
    case TimeRole:
        return row.time;
    case StartMsRole:
        return row.start_ms;
    case EndMsRole:
        return row.end_ms;
    case StreamRole:
        return row.stream;
    case IsMatchRole:
        return row.isMatch;
    case InferredRole:
        return row.inferred;
    default:
        return {};
    }
}

QHash<int, QByteArray> TranscriptModel::roleNames() const
{
    return {{SpeakerRole, "speaker"}, {IsMixRole, "isMix"},      {SpeakerColorRole, "speakerColor"},
            {TextRole, "text"},       {IsFinalRole, "isFinal"},  {LanguageRole, "language"},
            {TimeRole, "time"},       {StartMsRole, "start_ms"}, {EndMsRole, "end_ms"},
            {StreamRole, "stream"},   {IsMatchRole, "isMatch"},  {InferredRole, "inferred"}};
}

QObject *TranscriptModel::backend() const
{
    return m_backend.data();
}

void TranscriptModel::setBackend(QObject *backend)
{
    if (!switchBackend(this, m_backend, backend))
        return;
    ConsoleBackend *console = m_backend;
    if (m_backend) {
        connect(m_backend, &ConsoleBackend::segmentsArrived, this, &TranscriptModel::append);
        connect(m_backend, &ConsoleBackend::languageChanged, this,
                [this] { retranslateRows(this); });
    }
    reload();
    Q_EMIT backendChanged();
}

void TranscriptModel::setRoom(const QString &room)
{
    if (room == m_room)
        return;
    m_room = room;
    reload();
    Q_EMIT roomChanged();
}

void TranscriptModel::setSearchText(const QString &text)
{
    if (text == m_searchText)
        return;
    m_searchText = text;
    m_matchRows.clear();
    int firstChanged = INT_MAX;
    int lastChanged = -1;
    for (int i = 0; i < int(m_rows.size()); ++i) {
        Row &row = m_rows[size_t(i)];
        const bool match = matches(row);
        if (match)
            m_matchRows.push_back(i);
        if (match == row.isMatch)
            continue;
        row.isMatch = match;
        firstChanged = std::min(firstChanged, i);
        lastChanged = i;
    }
    // One signal for the span, not one per row: a search may touch thousands.
    if (lastChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged), index(lastChanged), {IsMatchRole});
    setCurrentMatch(-1);
    Q_EMIT searchTextChanged();
    Q_EMIT matchesChanged();
}

int TranscriptModel::currentMatchIndex() const
{
    const auto it = std::lower_bound(m_matchRows.begin(), m_matchRows.end(), m_currentMatchRow);
    if (it == m_matchRows.end() || *it != m_currentMatchRow)
        return -1;
    return int(it - m_matchRows.begin());
}

int TranscriptModel::nextMatch()
{
    if (m_matchRows.empty())
        return -1;
    const auto it = std::upper_bound(m_matchRows.begin(), m_matchRows.end(), m_currentMatchRow);
    setCurrentMatch(it == m_matchRows.end() ? m_matchRows.front() : *it);
    return m_currentMatchRow;
}

int TranscriptModel::previousMatch()
{
    if (m_matchRows.empty())
        return -1;
    const int before = m_currentMatchRow < 0 ? INT_MAX : m_currentMatchRow;
    const auto it = std::lower_bound(m_matchRows.begin(), m_matchRows.end(), before);
    setCurrentMatch(it == m_matchRows.begin() ? m_matchRows.back() : *(it - 1));
    return m_currentMatchRow;
}

QString TranscriptModel::plainText(int firstRow, int lastRow) const
{
    if (lastRow < 0 || lastRow >= int(m_rows.size()))
        lastRow = int(m_rows.size()) - 1;
    firstRow = std::max(firstRow, 0);
    QStringList lines;
    for (int i = firstRow; i <= lastRow; ++i) {
        const Row &row = m_rows[size_t(i)];
        const QString speaker =
            row.inferred ? tr("%1 (inferred)").arg(speakerLabel(row)) : speakerLabel(row);
        lines << QStringLiteral("[%1] %2: %3").arg(row.time, speaker, row.text);
    }
    return lines.join(u'\n');
}

void TranscriptModel::copyToClipboard(int firstRow, int lastRow) const
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(plainText(firstRow, lastRow));
}

QColor TranscriptModel::speakerColor(const QString &speaker)
{
    // FNV-1a over the UTF-16 code units: qHash is seeded per process.
    quint32 hash = 2166136261u;
    for (const QChar c : speaker) {
        hash ^= c.unicode();
        hash *= 16777619u;
    }
    return QColor(kSpeakerPalette[hash % kSpeakerPalette.size()]);
}

void TranscriptModel::append(const QList<session::LiveSegment> &segments)
{
    const Counts before = counts();
    take(segments);
    notify(before);
}

void TranscriptModel::take(const QList<session::LiveSegment> &segments)
{
    std::vector<Row> added;
    std::map<int, QList<int>> changedRoles; // existing row → roles, ordered for the signals
    for (const session::LiveSegment &live : segments) {
        if (live.segment.room != m_room)
            continue;
        const QString key = keyOf(live.segment.stream, live.segment.utteranceId);
        const auto seq = m_seqOf.constFind(key);
        Row newer = rowOf(live);
        if (seq == m_seqOf.cend()) {
            m_seqOf.insert(key, m_firstSeq + qint64(m_rows.size() + added.size()));
            m_finalCount += newer.isFinal;
            added.push_back(std::move(newer));
            continue;
        }
        const size_t index = size_t(*seq - m_firstSeq);
        const bool existing = index < m_rows.size();
        Row &row = existing ? m_rows[index] : added[index - m_rows.size()];
        if (row.isFinal)
            continue; // a late partial or a repeated final: the final stands
        m_finalCount += newer.isFinal;
        const QList<int> roles = update(row, newer);
        if (existing && !roles.isEmpty())
            changedRoles[int(index)] += roles;
    }
    // Neighbouring rows with the same changes share a signal: the finals of
    // the rows above, arriving together, are one dataChanged rather than dozens.
    int runFirst = -1;
    int runLast = -1;
    QList<int> runRoles;
    const auto flush = [&] {
        if (runFirst >= 0)
            Q_EMIT dataChanged(index(runFirst), index(runLast), runRoles);
    };
    for (auto &[row, roles] : changedRoles) {
        const bool match = matches(m_rows[size_t(row)]);
        if (match != m_rows[size_t(row)].isMatch) {
            setMatch(row, match);
            roles << IsMatchRole;
        }
        std::sort(roles.begin(), roles.end());
        roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
        if (row == runLast + 1 && roles == runRoles) {
            runLast = row;
            continue;
        }
        flush();
        runFirst = runLast = row;
        runRoles = roles;
    }
    flush();
    if (!added.empty()) {
        const int first = count();
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (Row &row : added) {
            row.isMatch = matches(row);
            if (row.isMatch)
                m_matchRows.push_back(count());
            m_rows.push_back(std::move(row));
        }
        endInsertRows();
    }
    trim();
}

TranscriptModel::Counts TranscriptModel::counts() const
{
    return {count(), m_finalCount, matchCount()};
}

void TranscriptModel::notify(const Counts &before)
{
    if (count() != before.rows)
        Q_EMIT countChanged();
    if (m_finalCount != before.finals)
        Q_EMIT finalCountChanged();
    if (matchCount() != before.matches)
        Q_EMIT matchesChanged();
}

void TranscriptModel::appendSegment(const QVariantMap &segment)
{
    session::LiveSegment live;
    stt::TranscriptSegment &s = live.segment;
    s.room = segment.value(QStringLiteral("room")).toString();
    s.stream = segment.value(QStringLiteral("stream")).toString();
    s.utteranceId = segment.value(QStringLiteral("utteranceId")).toString();
    s.isFinal = segment.value(QStringLiteral("isFinal")).toBool();
    s.start_ms = segment.value(QStringLiteral("start_ms")).toLongLong();
    s.end_ms = segment.value(QStringLiteral("end_ms")).toLongLong();
    s.wallClock = segment.value(QStringLiteral("wallClock")).toDateTime().toUTC();
    s.speaker = segment.value(QStringLiteral("speaker")).toString();
    s.speakerInferred = segment.value(QStringLiteral("speakerInferred")).toBool();
    s.language = segment.value(QStringLiteral("language")).toString();
    s.text = segment.value(QStringLiteral("text")).toString();
    live.received_ms = segment.value(QStringLiteral("received_ms")).toLongLong();
    append({live});
}

QString TranscriptModel::keyOf(const QString &stream, const QString &utteranceId)
{
    return stream + QChar(0x1f) + utteranceId;
}

QString TranscriptModel::speakerLabel(const Row &row)
{
    if (!row.speaker.isEmpty())
        return row.speaker;
    // The room mix carries no attribution: say so rather than guess a name.
    return row.isMix ? tr("Room mix") : tr("Unknown speaker");
}

TranscriptModel::Row TranscriptModel::rowOf(const session::LiveSegment &live) const
{
    const stt::TranscriptSegment &segment = live.segment;
    Row row;
    row.stream = segment.stream;
    row.utteranceId = segment.utteranceId;
    row.isMix = segment.stream == kMixStream;
    row.speaker = segment.speaker;
    row.inferred = segment.speakerInferred && !segment.speaker.isEmpty();
    row.color = segment.speaker.isEmpty() ? QColor(kMixColor) : speakerColor(segment.speaker);
    row.text = segment.text;
    row.language = segment.language;
    const QDateTime when = segment.wallClock.isValid()
                               ? segment.wallClock
                               : QDateTime::fromMSecsSinceEpoch(live.received_ms);
    row.time = when.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    row.start_ms = segment.start_ms;
    row.end_ms = segment.end_ms;
    row.isFinal = segment.isFinal;
    return row;
}

QList<int> TranscriptModel::update(Row &row, const Row &newer)
{
    QList<int> roles;
    const auto take = [&roles](auto &field, const auto &value, int role) {
        if (field == value)
            return;
        field = value;
        roles << role;
    };
    take(row.speaker, newer.speaker, SpeakerRole);
    take(row.inferred, newer.inferred, InferredRole);
    take(row.color, newer.color, SpeakerColorRole);
    take(row.text, newer.text, TextRole);
    take(row.isFinal, newer.isFinal, IsFinalRole);
    take(row.language, newer.language, LanguageRole);
    take(row.time, newer.time, TimeRole);
    take(row.start_ms, newer.start_ms, StartMsRole);
    take(row.end_ms, newer.end_ms, EndMsRole);
    return roles;
}

bool TranscriptModel::matches(const Row &row) const
{
    return !m_searchText.isEmpty() && row.text.contains(m_searchText, Qt::CaseInsensitive);
}

void TranscriptModel::reload()
{
    const Counts before = counts();
    beginResetModel();
    m_rows.clear();
    m_seqOf.clear();
    m_firstSeq = 0;
    m_finalCount = 0;
    m_matchRows.clear();
    endResetModel();
    setCurrentMatch(-1);
    if (m_backend && !m_room.isEmpty()) {
        const std::vector<session::LiveSegment> kept = m_backend->transcriptOf(m_room);
        take(QList<session::LiveSegment>(kept.begin(), kept.end()));
    }
    notify(before);
}

void TranscriptModel::trim()
{
    if (count() <= kMaxRows)
        return;
    // Drop a tenth more than needed, so trimming happens once per many batches.
    const int removed = count() - kMaxRows + kMaxRows / 10;
    beginRemoveRows({}, 0, removed - 1);
    for (int i = 0; i < removed; ++i) {
        const Row &row = m_rows[size_t(i)];
        m_seqOf.remove(keyOf(row.stream, row.utteranceId));
        m_finalCount -= row.isFinal;
    }
    m_rows.erase(m_rows.begin(), m_rows.begin() + removed);
    m_firstSeq += removed;
    const auto kept = std::lower_bound(m_matchRows.begin(), m_matchRows.end(), removed);
    m_matchRows.erase(m_matchRows.begin(), kept);
    for (int &row : m_matchRows)
        row -= removed;
    endRemoveRows();
    setCurrentMatch(m_currentMatchRow < removed ? -1 : m_currentMatchRow - removed);
}

void TranscriptModel::setMatch(int row, bool match)
{
    m_rows[size_t(row)].isMatch = match;
    const auto it = std::lower_bound(m_matchRows.begin(), m_matchRows.end(), row);
    if (match)
        m_matchRows.insert(it, row);
    else
        m_matchRows.erase(it);
}

void TranscriptModel::setCurrentMatch(int row)
{
    if (row == m_currentMatchRow)
        return;
    m_currentMatchRow = row;
    Q_EMIT currentMatchChanged();
}

} // namespace roomscribe::console
