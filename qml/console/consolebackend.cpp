#include "consolebackend.h"

#include "ingest/ingestserver.h"
#include "livekit/roomdirectory.h"
#include "routing/roomcontrol.h"

#include <QCoreApplication>
#include <QEvent>

#include <algorithm>

namespace roomscribe::console {

ConsoleBackend::ConsoleBackend(ingest::IngestServer *ingest, routing::RoomControl *rooms,
                               session::TranscriptFeed *feed, QStringList publishUrls,
                               bool transcribing, QObject *parent)
    : QObject(parent), m_ingest(ingest), m_rooms(rooms), m_feed(feed),
      m_publishUrls(std::move(publishUrls)), m_transcribing(transcribing)
{
    m_roomsTimer.setSingleShot(true);
    m_roomsTimer.setInterval(kRoomsInterval_ms);
    connect(&m_roomsTimer, &QTimer::timeout, this, &ConsoleBackend::rebuildRooms);
    if (m_rooms) {
        routing::EgressRouter *router = m_rooms->router();
        const auto rooms = router->rooms();
        for (const routing::RoomStatus &status : rooms)
            m_statusOf.insert(status.room, status);
        m_budget = router->budget();
        connect(router, &routing::EgressRouter::roomChanged, this,
                [this](const routing::RoomStatus &status) {
                    m_statusOf.insert(status.room, status);
                    scheduleRooms();
                });
        connect(router, &routing::EgressRouter::budgetChanged, this,
                [this](const routing::EgressBudget &budget) {
                    if (budget.full && !m_budget.full)
                        m_budgetFullSince = QDateTime::currentDateTime();
                    else if (!budget.full)
                        m_budgetFullSince = QDateTime();
                    m_budget = budget;
                    Q_EMIT budgetChanged();
                });
        livekit::RoomDirectory *directory = m_rooms->directory();
        connect(directory, &livekit::RoomDirectory::roomAppeared, this,
                &ConsoleBackend::scheduleRooms);
        connect(directory, &livekit::RoomDirectory::roomGone, this, &ConsoleBackend::scheduleRooms);
        connect(directory, &livekit::RoomDirectory::participantsChanged, this,
                &ConsoleBackend::scheduleRooms);
    }
    if (m_ingest) {
        connect(m_ingest, &ingest::IngestServer::statsUpdated, this, &ConsoleBackend::onStats);
        connect(&m_statsTimer, &QTimer::timeout, m_ingest.data(),
                &ingest::IngestServer::requestStats);
        m_statsTimer.start(kStatsInterval_ms);
    }
    if (m_feed)
        connect(m_feed, &session::TranscriptFeed::segmentsReady, this, &ConsoleBackend::onSegments);
    // installTranslator() tells the application object alone.
    QCoreApplication::instance()->installEventFilter(this);
    rebuildRooms();
}

ConsoleBackend::~ConsoleBackend() = default;

bool ConsoleBackend::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::LanguageChange && watched == QCoreApplication::instance()) {
        ++m_languageRevision;
        Q_EMIT languageChanged();
    }
    return QObject::eventFilter(watched, event);
}

bool switchBackend(QObject *model, QPointer<ConsoleBackend> &current, QObject *candidate)
{
    auto *next = qobject_cast<ConsoleBackend *>(candidate);
    if (next == current)
        return false;
    if (current)
        QObject::disconnect(current, nullptr, model, nullptr);
    current = next;
    return true;
}

void retranslateRows(QAbstractItemModel *model)
{
    const int rows = model->rowCount();
    if (rows > 0)
        Q_EMIT model->dataChanged(model->index(0, 0), model->index(rows - 1, 0));
}

QStringList ConsoleBackend::methods() const
{
    return {routing::methodName(routing::Method::Auto),
            routing::methodName(routing::Method::Composite),
            routing::methodName(routing::Method::Track),
            routing::methodName(routing::Method::Participant)};
}

int ConsoleBackend::liveRoomCount() const
{
    return int(std::count_if(m_roomList.begin(), m_roomList.end(), [](const RoomEntry &entry) {
        return entry.status.phase == routing::RoomPhase::Running;
    }));
}

void ConsoleBackend::setEgressLimit(int limit)
{
    if (!m_rooms || limit < 0 || limit == m_budget.limit)
        return;
    m_rooms->router()->setEgressLimit(limit);
}

std::vector<session::LiveSegment> ConsoleBackend::transcriptOf(const QString &room) const
{
    return m_transcripts.value(room);
}

void ConsoleBackend::startRoom(const QString &room, const QString &method)
{
    if (!m_rooms || room.isEmpty())
        return;
    const std::optional<routing::Method> parsed =
        method.isEmpty() ? routing::Method::Invalid : routing::parseMethod(method);
    if (!parsed)
        return;
    m_rooms->router()->startRoom(room, *parsed);
}

void ConsoleBackend::stopRoom(const QString &room)
{
    if (m_rooms)
        m_rooms->router()->stopRoom(room);
}

void ConsoleBackend::scheduleRooms()
{
    if (!m_roomsTimer.isActive())
        m_roomsTimer.start();
}

void ConsoleBackend::rebuildRooms()
{
    QHash<QString, RoomEntry> byName;
    if (m_rooms) {
        const auto views = m_rooms->directory()->rooms();
        for (const livekit::RoomView &view : views) {
            RoomEntry &entry = byName[view.info.name];
            entry.name = view.info.name;
            entry.inLiveKit = true;
            entry.participants = view.info.numParticipants;
            entry.publishers = view.info.numPublishers;
            entry.created_s = view.info.creationTime;
        }
        for (auto it = m_statusOf.cbegin(); it != m_statusOf.cend(); ++it) {
            // A stopped room LiveKit no longer has is history, not a row.
            if (it->phase == routing::RoomPhase::Stopped && !byName.contains(it.key()))
                continue;
            RoomEntry &entry = byName[it.key()];
            entry.name = it.key();
            entry.status = *it;
        }
    }
    for (const ingest::StreamStats &stream : m_stats.streams) {
        const QString room = stream.label.room.isEmpty() ? stream.key : stream.label.room;
        auto it = byName.find(room);
        if (it == byName.end())
            continue; // a bare stream key: the streams list shows it
        ++it->streams;
        if (stream.publishing && !stream.muted) {
            ++it->publishingStreams;
            it->rms_dBFS = std::max(it->rms_dBFS, stream.rms_dBFS);
            it->peak_dBFS = std::max(it->peak_dBFS, stream.peak_dBFS);
        }
    }
    m_roomList.clear();
    m_roomList.reserve(byName.size());
    for (RoomEntry &entry : byName)
        m_roomList.push_back(std::move(entry));
    std::sort(m_roomList.begin(), m_roomList.end(),
              [](const RoomEntry &a, const RoomEntry &b) { return a.name < b.name; });
    Q_EMIT roomsChanged();
}

void ConsoleBackend::onStats(const ingest::IngestStats &stats)
{
    m_stats = stats;
    Q_EMIT statsUpdated();
    scheduleRooms(); // levels
}

void ConsoleBackend::onSegments(const QList<session::LiveSegment> &segments)
{
    for (const session::LiveSegment &live : segments) {
        std::vector<session::LiveSegment> &kept = m_transcripts[live.segment.room];
        kept.push_back(live);
        if (kept.size() > size_t(kKeptSegmentsPerRoom))
            kept.erase(kept.begin(), kept.begin() + kKeptSegmentsPerRoom / 10);
    }
    Q_EMIT segmentsArrived(segments);
}

} // namespace roomscribe::console
