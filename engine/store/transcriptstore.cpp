#include "store/transcriptstore.h"

#include "core/logging.h"
#include "store/storedatabase.h"
#include "store/storewriter.h"

#include <QUuid>

namespace roomscribe::store {

TranscriptStore::TranscriptStore(QObject *parent) : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("store-writer"));
    connect(&m_thread, &QThread::finished, this, [this] {
        if (m_closed.exchange(true))
            return;
        Q_EMIT closed();
    });
}

TranscriptStore::~TranscriptStore()
{
    if (!m_thread.isRunning())
        return;
    if (!m_closing && m_writer)
        QMetaObject::invokeMethod(m_writer, &StoreWriter::beginClose, Qt::QueuedConnection);
    // The writer gives up on the database after closeTimeout_ms.
    m_thread.wait();
}

bool TranscriptStore::open(const StoreConfig &config, QString *error)
{
    if (m_shared) {
        *error = QStringLiteral("the transcript store is already open");
        return false;
    }
    if (config.flushInterval_ms < 1 || config.batchSize < 1 || config.maxQueued < 1 ||
        config.closeTimeout_ms < 0) {
        *error = QStringLiteral("invalid store settings: the flush interval, batch size and "
                                "queue bound must be positive");
        return false;
    }
    DatabaseTarget target;
    if (!parseDatabaseUrl(config.database, &target, error))
        return false;
    {
        // Migrations run once, here, before the writer's connection exists.
        StoreConnection connection(QStringLiteral("store-open"));
        ConnectionSettings settings;
        settings.busyTimeout_ms = config.busyTimeout_ms;
        settings.connectTimeout_s = config.connectTimeout_s;
        if (!connection.open(target, settings, error) || !migrate(connection, error))
            return false;
    }
    m_config = config;
    m_target = target;
    const QString journal =
        config.journalPath.isEmpty() ? defaultJournalPath(target) : config.journalPath;
    m_shared = std::make_shared<StoreShared>(journal);
    m_writer = new StoreWriter(config, target, m_shared);
    m_shared->writer = m_writer;
    m_writer->moveToThread(&m_thread);
    connect(&m_thread, &QThread::started, m_writer, &StoreWriter::start);
    connect(&m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
    m_thread.start();
    qCInfo(lcStore).noquote()
        << QStringLiteral("transcripts are stored in %1").arg(target.describe());
    return true;
}

bool TranscriptStore::isOpen() const
{
    return m_shared && !m_closed;
}

QString TranscriptStore::journalPath() const
{
    return m_shared ? m_shared->journal.path() : QString();
}

// Hands an item to the writer, or to the journal once the writer is gone.
// The writer is woken when its queue stops being empty (to start the flush
// interval) and when a batch is full; posting under the mutex keeps the
// writer from finishing in between.
static void enqueue(StoreShared &shared, StoreItem &&item, int batchSize)
{
    {
        QMutexLocker lock(&shared.mutex);
        if (shared.writer) {
            shared.queue.push_back(std::move(item));
            const size_t size = shared.queue.size();
            if (size == 1 || size == size_t(batchSize))
                QMetaObject::invokeMethod(shared.writer, &StoreWriter::wake, Qt::QueuedConnection);
            return;
        }
    }
    QString error;
    if (!shared.journal.append(item, &error))
        qCCritical(lcStore).noquote() << error << "- a transcript item is lost";
}

void TranscriptStore::beginRoomSession(const QString &room)
{
    if (!m_shared) {
        qCWarning(lcStore) << "room session begun before the store is open: not recorded";
        return;
    }
    StoreItem item;
    item.kind = StoreItem::Kind::BeginSession;
    item.room = room;
    {
        QMutexLocker lock(&m_shared->mutex);
        if (m_shared->sessions.contains(room))
            return;
        const OpenSession session{QUuid::createUuid().toString(QUuid::WithoutBraces),
                                  QDateTime::currentDateTimeUtc()};
        m_shared->sessions.insert(room, session);
        item.sessionUid = session.uid;
        item.sessionStartedAt = session.startedAt;
    }
    enqueue(*m_shared, std::move(item), m_config.batchSize);
}

void TranscriptStore::endRoomSession(const QString &room)
{
    if (!m_shared)
        return;
    StoreItem item;
    item.kind = StoreItem::Kind::EndSession;
    item.room = room;
    {
        QMutexLocker lock(&m_shared->mutex);
        const auto it = m_shared->sessions.constFind(room);
        if (it == m_shared->sessions.cend())
            return;
        item.sessionUid = it->uid;
        item.sessionStartedAt = it->startedAt;
        m_shared->sessions.erase(it);
    }
    item.endedAt = QDateTime::currentDateTimeUtc();
    enqueue(*m_shared, std::move(item), m_config.batchSize);
}

void TranscriptStore::addFinal(const stt::TranscriptSegment &segment)
{
    if (!segment.isFinal)
        return;
    if (!m_shared) {
        qCWarning(lcStore) << "a final arrived before the store is open: not stored";
        return;
    }
    StoreItem item;
    item.kind = StoreItem::Kind::Final;
    item.room = segment.room;
    item.segment = segment;
    {
        QMutexLocker lock(&m_shared->mutex);
        auto it = m_shared->sessions.find(segment.room);
        if (it == m_shared->sessions.end()) {
            // The session starts when this final's stream began, so that the
            // final's room-session time is its stream time.
            const QDateTime startedAt =
                segment.wallClock.isValid()
                    ? segment.wallClock.toUTC().addMSecs(-qint64(segment.start_ms))
                    : QDateTime::currentDateTimeUtc();
            it = m_shared->sessions.insert(
                segment.room, {QUuid::createUuid().toString(QUuid::WithoutBraces), startedAt});
        }
        item.sessionUid = it->uid;
        item.sessionStartedAt = it->startedAt;
    }
    enqueue(*m_shared, std::move(item), m_config.batchSize);
}

StoreStats TranscriptStore::stats() const
{
    if (!m_shared)
        return {};
    StoreStats stats;
    {
        QMutexLocker lock(&m_shared->mutex);
        stats = m_shared->stats;
        stats.queued += qint64(m_shared->queue.size());
    }
    // After the writer has finished, items go straight to the journal.
    if (m_closed)
        stats.journaled = m_shared->journal.pending();
    return stats;
}

void TranscriptStore::close()
{
    if (!m_shared || std::exchange(m_closing, true))
        return;
    QMutexLocker lock(&m_shared->mutex);
    if (m_shared->writer)
        QMetaObject::invokeMethod(m_shared->writer, &StoreWriter::beginClose, Qt::QueuedConnection);
}

} // namespace roomscribe::store
