#include "latencymodel.h"

#include "consolebackend.h"

#include <QDateTime>
#include <QLocale>
#include <QMap>

#include <algorithm>

namespace roomscribe::console {

namespace {

const char *const kStageKeys[] = {"chunking",   "send",     "ackRoundTrip",
                                  "sttPartial", "sttFinal", "endToEnd"};

// The room a stream belongs to, as the engine names it in transcripts.
QString roomOf(const ingest::StreamStats &stream)
{
    return stream.label.room.isEmpty() ? stream.key : stream.label.room;
}

} // namespace

LatencyModel::LatencyModel(QObject *parent) : QAbstractListModel(parent) {}

LatencyModel::~LatencyModel() = default;

int LatencyModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant LatencyModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case RoomRole:
        return row.room;
    case StreamsRole:
        return row.streams;
    case StagesRole: {
        QVariantList stages;
        for (int stage = Chunking; stage < EndToEnd; ++stage) {
            const Percentiles &p = row.stages[size_t(stage)];
            stages.append(QVariantMap{
                {QStringLiteral("key"), QString::fromLatin1(kStageKeys[stage])},
                {QStringLiteral("name"), stageName(stage)},
                {QStringLiteral("p50_ms"), p.p50_ms},
                {QStringLiteral("p95_ms"), p.p95_ms},
                {QStringLiteral("samples"), p.samples},
                // What a final waits for, one after the other; the ack round
                // trip runs alongside send, a partial instead of the final.
                {QStringLiteral("path"), stage == Chunking || stage == Send || stage == SttFinal},
            });
        }
        return stages;
    }
    case E2eP50MsRole:
        return row.stages[EndToEnd].p50_ms;
    case E2eP95MsRole:
        return row.stages[EndToEnd].p95_ms;
    case E2eSamplesRole:
        return row.stages[EndToEnd].samples;
    case ReconnectsRole:
        return row.reconnects;
    case DroppedSecondsRole:
        return double(row.bytesDropped) / kBytesPerSecond;
    case HistoryRole:
        return row.history;
    case EventsRole:
        return row.events;
    default:
        return {};
    }
}

QHash<int, QByteArray> LatencyModel::roleNames() const
{
    return {{RoomRole, "room"},
            {StreamsRole, "streams"},
            {StagesRole, "stages"},
            {E2eP50MsRole, "e2eP50_ms"},
            {E2eP95MsRole, "e2eP95_ms"},
            {E2eSamplesRole, "e2eSamples"},
            {ReconnectsRole, "reconnects"},
            {DroppedSecondsRole, "droppedSeconds"},
            {HistoryRole, "history"},
            {EventsRole, "events"}};
}

QObject *LatencyModel::backend() const
{
    return m_backend.data();
}

void LatencyModel::setBackend(QObject *backend)
{
    if (!switchBackend(this, m_backend, backend))
        return;
    ConsoleBackend *console = m_backend;
    if (m_backend) {
        const auto applyLatest = [this] {
            applyStats(m_backend->stats(), QDateTime::currentMSecsSinceEpoch());
        };
        connect(m_backend, &ConsoleBackend::statsUpdated, this, applyLatest);
        connect(m_backend, &ConsoleBackend::segmentsArrived, this, &LatencyModel::applySegments);
        connect(m_backend, &ConsoleBackend::languageChanged, this,
                [this] { retranslateRows(this); });
        applyLatest();
    }
    Q_EMIT backendChanged();
}

void LatencyModel::applyStats(const ingest::IngestStats &stats, qint64 now_ms)
{
    m_now_ms = now_ms;
    QMap<QString, std::vector<const ingest::StreamStats *>> streamsOf; // sorted like the rows
    for (const ingest::StreamStats &stream : stats.streams)
        streamsOf[roomOf(stream)].push_back(&stream);
    const int oldCount = count();

    for (int i = count() - 1; i >= 0; --i) {
        if (streamsOf.contains(m_rows[size_t(i)].room))
            continue;
        beginRemoveRows({}, i, i);
        m_rows.erase(m_rows.begin() + i);
        endRemoveRows();
    }

    for (auto it = streamsOf.cbegin(); it != streamsOf.cend(); ++it) {
        const auto at =
            std::lower_bound(m_rows.begin(), m_rows.end(), it.key(),
                             [](const Row &row, const QString &room) { return row.room < room; });
        const int index = int(at - m_rows.begin());
        const bool isNew = at == m_rows.end() || at->room != it.key();
        Row fresh;
        Row &row = isNew ? fresh : *at;
        if (isNew) {
            row.room = it.key();
            row.slots = std::make_unique<std::array<Slot, kSlots>>();
        }

        Slot &slot = slotOf(row, now_ms);
        quint64 reconnects = 0;
        quint64 bytesDropped = 0;
        for (const ingest::StreamStats *stream : *it) {
            const stt::StageLatencies &stt = stream->stt.latencies;
            slot.stages[Chunking].merge(stream->chunkFill);
            slot.stages[Send].merge(stt.send);
            slot.stages[AckRoundTrip].merge(stt.ackRoundTrip);
            slot.stages[SttPartial].merge(stt.sttPartial);
            slot.stages[SttFinal].merge(stt.sttFinal);
            reconnects += stream->stt.reconnects;
            bytesDropped += stream->stt.bytesDropped;
        }

        QList<int> roles = refresh(row);
        if (row.streams != int(it->size())) {
            row.streams = int(it->size());
            roles << StreamsRole;
        }
        const qsizetype eventsBefore = row.events.size();
        bool eventAdded = false;
        // Counters only grow while a stream lives; a new stream starts them
        // over, which is no event.
        if (!isNew && reconnects > row.reconnects) {
            addEvent(row, QStringLiteral("reconnect"),
                     tr("Gladia reconnected: %n attempt(s)", "", int(reconnects - row.reconnects)));
            eventAdded = true;
        }
        if (!isNew && bytesDropped > row.bytesDropped) {
            const double seconds = double(bytesDropped - row.bytesDropped) / kBytesPerSecond;
            addEvent(row, QStringLiteral("drop"),
                     tr("%1 s of audio dropped").arg(QLocale().toString(seconds, 'f', 1)));
            eventAdded = true;
        }
        if (reconnects != row.reconnects) {
            row.reconnects = reconnects;
            roles << ReconnectsRole;
        }
        if (bytesDropped != row.bytesDropped) {
            row.bytesDropped = bytesDropped;
            roles << DroppedSecondsRole;
        }
        const qsizetype historyBefore = row.history.size();
        closeSlots(row);
        if (row.history.size() != historyBefore)
            roles << HistoryRole;
        if (eventAdded || row.events.size() != eventsBefore)
            roles << EventsRole;

        if (isNew) {
            beginInsertRows({}, index, index);
            m_rows.insert(m_rows.begin() + index, std::move(fresh));
            endInsertRows();
        } else if (!roles.isEmpty()) {
            Q_EMIT dataChanged(this->index(index), this->index(index), roles);
        }
    }
    if (count() != oldCount)
        Q_EMIT countChanged();
    Q_EMIT updated();
}

void LatencyModel::applySegments(const QList<session::LiveSegment> &segments)
{
    std::vector<int> touched;
    for (const session::LiveSegment &live : segments) {
        const stt::TranscriptSegment &segment = live.segment;
        if (!segment.isFinal || !segment.wallClock.isValid())
            continue;
        const int index = rowOf(segment.room);
        if (index < 0)
            continue;
        // The utterance's last audio arrived its duration after its first.
        const qint64 audioEnd_ms =
            segment.wallClock.toMSecsSinceEpoch() + (segment.end_ms - segment.start_ms);
        const qint64 e2e_ms = std::max<qint64>(0, live.received_ms - audioEnd_ms);
        // Into the slot of the last stats: the window is read at that time.
        slotOf(m_rows[size_t(index)], m_now_ms).stages[EndToEnd].record(e2e_ms * 1000);
        if (std::find(touched.begin(), touched.end(), index) == touched.end())
            touched.push_back(index);
    }
    for (int index : touched) {
        const QList<int> roles = refresh(m_rows[size_t(index)]);
        if (!roles.isEmpty())
            Q_EMIT dataChanged(this->index(index), this->index(index), roles);
    }
}

QString LatencyModel::stageName(int stage)
{
    switch (stage) {
    case Chunking:
        return tr("Chunking");
    case Send:
        return tr("Send");
    case AckRoundTrip:
        return tr("Ack round trip");
    case SttPartial:
        return tr("STT partial");
    case SttFinal:
        return tr("STT final");
    default:
        return tr("End to end");
    }
}

LatencyModel::Slot &LatencyModel::slotOf(Row &row, qint64 t_ms)
{
    const qint64 number = t_ms / kSlot_ms;
    Slot &slot = (*row.slots)[size_t(number % kSlots)];
    if (slot.number != number) {
        for (LatencyHistogram &histogram : slot.stages)
            histogram.clear();
        slot.number = number;
    }
    return slot;
}

QList<int> LatencyModel::refresh(Row &row)
{
    const qint64 now = m_now_ms / kSlot_ms;
    QList<int> roles;
    for (int stage = 0; stage < StageCount; ++stage) {
        LatencyHistogram window;
        for (const Slot &slot : *row.slots) {
            const LatencyHistogram &histogram = slot.stages[size_t(stage)];
            if (slot.number > now - kSlots && slot.number <= now && histogram.count() > 0)
                window.merge(histogram);
        }
        const Percentiles percentiles{window.percentile_us(0.5) / 1000.0,
                                      window.percentile_us(0.95) / 1000.0, qint64(window.count())};
        if (percentiles == row.stages[size_t(stage)])
            continue;
        row.stages[size_t(stage)] = percentiles;
        if (stage != EndToEnd) {
            if (!roles.contains(StagesRole))
                roles << StagesRole;
        } else {
            roles << E2eP50MsRole << E2eP95MsRole << E2eSamplesRole;
        }
    }
    return roles;
}

void LatencyModel::closeSlots(Row &row)
{
    const qint64 now = m_now_ms / kSlot_ms;
    std::vector<const Slot *> closed;
    for (const Slot &slot : *row.slots) {
        if (slot.number > row.historySlot && slot.number < now)
            closed.push_back(&slot);
    }
    std::sort(closed.begin(), closed.end(),
              [](const Slot *a, const Slot *b) { return a->number < b->number; });
    for (const Slot *slot : closed) {
        const LatencyHistogram &e2e = slot->stages[EndToEnd];
        if (e2e.count() == 0)
            continue;
        row.history.append(
            QVariantMap{{QStringLiteral("t"), slot->number * kSlot_ms},
                        {QStringLiteral("e2e_ms"), e2e.percentile_us(0.5) / 1000.0},
                        {QStringLiteral("e2eP95_ms"), e2e.percentile_us(0.95) / 1000.0}});
    }
    row.historySlot = now - 1;
    const qint64 oldest_ms = m_now_ms - kHistory_ms;
    const auto expired = [oldest_ms](const QVariant &point) {
        return point.toMap().value(QStringLiteral("t")).toLongLong() < oldest_ms;
    };
    while (!row.history.isEmpty() && expired(row.history.first()))
        row.history.removeFirst();
    while (!row.events.isEmpty() && (expired(row.events.first()) || row.events.size() > kMaxEvents))
        row.events.removeFirst();
}

void LatencyModel::addEvent(Row &row, const QString &kind, const QString &text)
{
    row.events.append(QVariantMap{{QStringLiteral("t"), m_now_ms},
                                  {QStringLiteral("kind"), kind},
                                  {QStringLiteral("text"), text}});
}

int LatencyModel::rowOf(const QString &room) const
{
    const auto at =
        std::lower_bound(m_rows.begin(), m_rows.end(), room,
                         [](const Row &row, const QString &name) { return row.room < name; });
    return at != m_rows.end() && at->room == room ? int(at - m_rows.begin()) : -1;
}

} // namespace roomscribe::console
