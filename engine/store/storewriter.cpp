#include "store/storewriter.h"

#include "core/logging.h"

#include <QSqlError>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace roomscribe::store {

static QString queryError(const QSqlQuery &query)
{
    return sqlErrorText(query.lastError());
}

static void appendJsonString(QString &out, const QString &text)
{
    out += u'"';
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'"':
            out += QLatin1String("\\\"");
            break;
        case u'\\':
            out += QLatin1String("\\\\");
            break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += u'"';
}

// [{"word":..,"start_ms":..,"end_ms":..,"confidence":..}, ...], written
// directly: QJsonDocument costs more than the rest of a row together, and
// the writer's CPU is what bounds finals/s.
static QString wordsJson(const std::vector<stt::SegmentWord> &words)
{
    QString out;
    out.reserve(qsizetype(words.size()) * 72 + 2);
    out += u'[';
    for (const stt::SegmentWord &word : words) {
        if (out.size() > 1)
            out += u',';
        out += QLatin1String("{\"word\":");
        appendJsonString(out, word.word);
        out += QLatin1String(",\"start_ms\":");
        out += QString::number(word.start_ms);
        out += QLatin1String(",\"end_ms\":");
        out += QString::number(word.end_ms);
        out += QLatin1String(",\"confidence\":");
        out += QString::number(std::isfinite(word.confidence) ? word.confidence : 0.0, 'g',
                               QLocale::FloatingPointShortest);
        out += u'}';
    }
    out += u']';
    return out;
}

static QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

StoreWriter::StoreWriter(const StoreConfig &config, const DatabaseTarget &target,
                         std::shared_ptr<StoreShared> shared)
    : m_config(config), m_target(target), m_shared(std::move(shared)), m_backoff(config.retry),
      m_flushTimer(this), m_retryTimer(this)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setTimerType(Qt::PreciseTimer);
    m_flushTimer.setInterval(m_config.flushInterval_ms);
    connect(&m_flushTimer, &QTimer::timeout, this, &StoreWriter::flush);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &StoreWriter::retry);
}

StoreWriter::~StoreWriter() = default;

void StoreWriter::start()
{
    m_db = std::make_unique<StoreConnection>(QStringLiteral("store-writer"));
    if (!connectDatabase())
        return;
    if (m_shared->journal.pending() > 0) {
        qCInfo(lcStore).noquote() << QStringLiteral("replaying %1 journaled items from %2")
                                         .arg(m_shared->journal.pending())
                                         .arg(m_shared->journal.path());
        postReplay();
    }
    wake();
}

bool StoreWriter::connectDatabase()
{
    if (m_db->isOpen())
        return true;
    ConnectionSettings settings;
    settings.busyTimeout_ms = m_config.busyTimeout_ms;
    settings.connectTimeout_s = m_config.connectTimeout_s;
    QString error;
    if (!m_db->open(m_target, settings, &error)) {
        onFailure(error);
        return false;
    }
    return true;
}

void StoreWriter::absorb()
{
    std::vector<StoreItem> taken;
    {
        // Counted as the writer's in the same step, so stats() never misses them.
        QMutexLocker lock(&m_shared->mutex);
        taken.swap(m_shared->queue);
        m_shared->stats.queued += qint64(taken.size());
    }
    for (StoreItem &item : taken)
        m_pending.push_back(std::move(item));
    const qint64 queued = qint64(m_pending.size());
    if (!m_warnedQueue && queued > m_config.warnQueued) {
        m_warnedQueue = true;
        qCWarning(lcStore).noquote()
            << QStringLiteral("%1 finals wait for %2%3")
                   .arg(queued)
                   .arg(m_target.describe(), m_retrying ? QStringLiteral(", which is failing")
                                                        : QStringLiteral(", which is slow"));
    } else if (m_warnedQueue && queued < m_config.warnQueued / 2) {
        m_warnedQueue = false;
    }
    // Memory stays bounded whether the database fails or only lags behind.
    spillOverflow();
}

void StoreWriter::wake()
{
    if (m_finished)
        return;
    absorb();
    if (m_retrying) {
        publishStats();
        return;
    }
    if (m_closing || m_pending.size() >= size_t(m_config.batchSize))
        postFlush();
    else if (!m_pending.empty() && !m_flushTimer.isActive() && !m_flushPosted)
        m_flushTimer.start();
    publishStats();
}

void StoreWriter::postFlush()
{
    m_flushTimer.stop();
    if (std::exchange(m_flushPosted, true))
        return;
    QMetaObject::invokeMethod(this, &StoreWriter::flush, Qt::QueuedConnection);
}

// Writes one batch, then comes back through the event loop for the next,
// so that close requests and wake-ups are seen between batches.
void StoreWriter::flush()
{
    m_flushPosted = false;
    m_flushTimer.stop();
    if (m_finished || m_retrying)
        return;
    if (closeDeadlinePassed())
        return finish();
    if (m_pending.empty())
        absorb();
    if (!m_db->isOpen() && !connectDatabase())
        return;
    if (m_pending.empty() && m_failing && m_shared->journal.pending() == 0) {
        // Connected, with nothing to write: nothing is failing any more.
        m_failing = false;
        qCInfo(lcStore).noquote()
            << QStringLiteral("%1 is reachable again").arg(m_target.describe());
    }
    if (!m_pending.empty()) {
        const size_t count = std::min(m_pending.size(), size_t(m_config.batchSize));
        std::vector<const StoreItem *> batch;
        batch.reserve(count);
        for (size_t i = 0; i < count; ++i)
            batch.push_back(&m_pending[i]);
        QString error;
        if (!writeItems(batch, &error))
            return onFailure(error);
        const qint64 finals = std::count_if(batch.begin(), batch.end(), [](const StoreItem *item) {
            return item->kind == StoreItem::Kind::Final;
        });
        m_pending.erase(m_pending.begin(), m_pending.begin() + qsizetype(count));
        m_stats.written += finals;
        afterWrite();
    }
    // What was taken before goes on at once; what arrived during the write
    // waits for a full batch or the interval, as any final does.
    if (m_pending.empty())
        absorb();
    publishStats();
    if (m_closing) {
        if (!m_pending.empty())
            postFlush();
        else if (!m_replayBroken && m_shared->journal.pending() > 0)
            postReplay();
        else
            finish();
    } else if (m_pending.size() >= size_t(m_config.batchSize)) {
        postFlush();
    } else if (!m_pending.empty()) {
        m_flushTimer.start();
    }
}

void StoreWriter::afterWrite()
{
    m_backoff.reset();
    if (std::exchange(m_failing, false))
        qCInfo(lcStore).noquote() << QStringLiteral("%1 takes writes again; %2 finals queued")
                                         .arg(m_target.describe())
                                         .arg(m_pending.size());
    if (!m_closing && !m_replayBroken && m_shared->journal.pending() > 0)
        postReplay();
}

size_t StoreWriter::queuedByCallers() const
{
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->queue.size();
}

void StoreWriter::postReplay()
{
    if (std::exchange(m_replayPosted, true))
        return;
    QMetaObject::invokeMethod(this, &StoreWriter::replayStep, Qt::QueuedConnection);
}

void StoreWriter::replayStep()
{
    m_replayPosted = false;
    if (m_finished || m_retrying || closeDeadlinePassed())
        return;
    if (!m_db->isOpen() && !connectDatabase())
        return;
    OverflowJournal::Chunk chunk;
    QString error;
    if (!m_shared->journal.read(m_config.batchSize, &chunk, &error)) {
        // Left for the next start; not tried again in this run.
        qCWarning(lcStore).noquote() << error;
        m_replayBroken = true;
        if (m_closing)
            postFlush();
        return;
    }
    std::vector<const StoreItem *> batch;
    batch.reserve(chunk.items.size());
    for (const StoreItem &item : chunk.items)
        batch.push_back(&item);
    if (!batch.empty() && !writeItems(batch, &error))
        return onFailure(error);
    const qint64 finals =
        std::count_if(chunk.items.begin(), chunk.items.end(),
                      [](const StoreItem &item) { return item.kind == StoreItem::Kind::Final; });
    m_shared->journal.markReplayed(chunk);
    m_stats.written += finals;
    m_stats.replayed += finals;
    afterWrite();
    publishStats();
    if (m_shared->journal.pending() == 0)
        qCInfo(lcStore).noquote()
            << QStringLiteral("the overflow journal is replayed (%1 finals)").arg(m_stats.replayed);
    // Live finals first when a batch of them waits; flush() comes back here.
    if (m_closing || m_pending.size() + queuedByCallers() >= size_t(m_config.batchSize))
        postFlush();
    else if (m_shared->journal.pending() > 0)
        postReplay();
}

void StoreWriter::retry()
{
    if (m_finished)
        return;
    if (!connectDatabase())
        return;
    // Connected: try the writes; a failure comes back to onFailure with a
    // longer delay, as the backoff is only reset by a committed batch.
    m_retrying = false;
    absorb();
    publishStats();
    if (m_pending.empty() && !m_closing && !m_replayBroken && m_shared->journal.pending() > 0)
        postReplay();
    else
        postFlush();
}

void StoreWriter::onFailure(const QString &error)
{
    if (m_db && m_db->isOpen()) {
        QString ignored;
        m_db->exec(QStringLiteral("ROLLBACK"), &ignored);
    }
    // Rows created in the failed transaction do not exist; nor, after a
    // reconnect, do prepared statements.
    m_roomIds.clear();
    m_sessionIds.clear();
    m_streams.clear();
    m_insertRoom.reset(), m_selectRoom.reset(), m_insertSession.reset(), m_selectSession.reset();
    m_endSession.reset(), m_insertStream.reset(), m_selectStream.reset(), m_insertFullBatch.reset();
    if (m_db)
        m_db->close();

    ++m_stats.failedFlushes;
    m_stats.lastError = error;
    m_retrying = true;
    m_failing = true;
    m_flushTimer.stop();
    absorb();
    int delay_ms = m_backoff.nextDelay_ms();
    if (m_closing) {
        const qint64 left_ms = m_config.closeTimeout_ms - m_closeClock.elapsed();
        if (left_ms <= 0) {
            qCWarning(lcStore).noquote()
                << QStringLiteral("%1 failed while closing: %2").arg(m_target.describe(), error);
            return finish();
        }
        delay_ms = int(std::min<qint64>(delay_ms, left_ms));
    }
    qCWarning(lcStore).noquote() << QStringLiteral("%1 failed (%2 queued, attempt %3 in %4 ms): %5")
                                        .arg(m_target.describe())
                                        .arg(m_pending.size())
                                        .arg(m_stats.failedFlushes + 1)
                                        .arg(delay_ms)
                                        .arg(error);
    m_retryTimer.start(delay_ms);
    publishStats();
}

void StoreWriter::spillOverflow()
{
    if (m_pending.size() <= size_t(m_config.maxQueued))
        return;
    if (!std::exchange(m_warnedOverflow, true))
        qCWarning(lcStore).noquote()
            << QStringLiteral("more than %1 finals wait for %2: the oldest go to the overflow "
                              "journal %3, to be written when the database catches up")
                   .arg(m_config.maxQueued)
                   .arg(m_target.describe(), m_shared->journal.path());
    spill(m_pending.size() - size_t(m_config.maxQueued));
}

// The oldest go: they have waited longest, and order does not matter to the
// rows they become.
void StoreWriter::spill(size_t count)
{
    if (count == 0)
        return;
    QString error;
    if (!m_shared->journal.append(m_pending, count, &error)) {
        // Kept in memory then: the only place left.
        qCCritical(lcStore).noquote()
            << error << "- keeping" << m_pending.size() << "finals in memory";
        return;
    }
    const qint64 finals =
        std::count_if(m_pending.begin(), m_pending.begin() + qsizetype(count),
                      [](const StoreItem &item) { return item.kind == StoreItem::Kind::Final; });
    m_pending.erase(m_pending.begin(), m_pending.begin() + qsizetype(count));
    m_stats.overflowed += finals;
}

void StoreWriter::beginClose()
{
    if (m_closing || m_finished)
        return;
    m_closing = true;
    m_closeClock.start();
    if (m_retrying) {
        // The next attempt, but within the time left.
        const int left_ms = std::max(0, m_config.closeTimeout_ms);
        if (m_retryTimer.remainingTime() > left_ms)
            m_retryTimer.start(left_ms);
        return;
    }
    postFlush();
}

bool StoreWriter::closeDeadlinePassed() const
{
    return m_closing && m_closeClock.elapsed() >= m_config.closeTimeout_ms;
}

// Nothing is left, or the time is up: what is left goes to the journal.
void StoreWriter::finish()
{
    if (std::exchange(m_finished, true))
        return;
    m_flushTimer.stop();
    m_retryTimer.stop();
    std::vector<StoreItem> late;
    {
        QMutexLocker lock(&m_shared->mutex);
        m_shared->writer = nullptr;
        late.swap(m_shared->queue);
    }
    for (StoreItem &item : late)
        m_pending.push_back(std::move(item));
    if (!m_pending.empty()) {
        const size_t left = m_pending.size();
        spill(left);
        if (m_pending.empty())
            qCWarning(lcStore).noquote()
                << QStringLiteral("%1 items could not be written to %2 in time; they are in the "
                                  "overflow journal %3 and are written at the next start")
                       .arg(left)
                       .arg(m_target.describe(), m_shared->journal.path());
        else
            qCCritical(lcStore).noquote()
                << QStringLiteral("%1 finals are lost: neither %2 nor the overflow journal %3 "
                                  "took them")
                       .arg(m_pending.size())
                       .arg(m_target.describe(), m_shared->journal.path());
    }
    m_insertRoom.reset(), m_selectRoom.reset(), m_insertSession.reset(), m_selectSession.reset();
    m_endSession.reset(), m_insertStream.reset(), m_selectStream.reset(), m_insertFullBatch.reset();
    m_db.reset(); // on this thread, which the connection belongs to
    publishStats();
    thread()->quit();
}

void StoreWriter::publishStats()
{
    m_stats.queued = qint64(m_pending.size());
    m_stats.retrying = m_failing;
    m_stats.journaled = m_shared->journal.pending();
    QMutexLocker lock(&m_shared->mutex);
    m_shared->stats = m_stats;
}

QSqlQuery &StoreWriter::prepared(std::optional<QSqlQuery> &query, const QString &text)
{
    if (!query) {
        query.emplace(m_db->database());
        query->prepare(text);
    }
    return *query;
}

std::optional<qint64> StoreWriter::ensureRoom(const QString &room, QString *error)
{
    if (const auto it = m_roomIds.constFind(room); it != m_roomIds.cend())
        return *it;
    QSqlQuery &insert = prepared(m_insertRoom, sql::insertRoom());
    insert.bindValue(0, room);
    insert.bindValue(1, timestampText(QDateTime::currentDateTimeUtc()));
    if (!insert.exec()) {
        *error = queryError(insert);
        return std::nullopt;
    }
    QSqlQuery &select = prepared(m_selectRoom, sql::selectRoom());
    select.bindValue(0, room);
    if (!select.exec() || !select.next()) {
        *error = select.lastError().isValid() ? queryError(select)
                                              : QStringLiteral("room %1 vanished").arg(room);
        return std::nullopt;
    }
    const qint64 id = select.value(0).toLongLong();
    select.finish();
    m_roomIds.insert(room, id);
    return id;
}

std::optional<qint64> StoreWriter::ensureSession(const StoreItem &item, QString *error)
{
    if (const auto it = m_sessionIds.constFind(item.sessionUid); it != m_sessionIds.cend())
        return *it;
    const std::optional<qint64> roomId = ensureRoom(item.room, error);
    if (!roomId)
        return std::nullopt;
    QSqlQuery &insert = prepared(m_insertSession, sql::insertSession());
    insert.bindValue(0, item.sessionUid);
    insert.bindValue(1, *roomId);
    insert.bindValue(2, timestampText(item.sessionStartedAt));
    if (!insert.exec()) {
        *error = queryError(insert);
        return std::nullopt;
    }
    QSqlQuery &select = prepared(m_selectSession, sql::selectSession());
    select.bindValue(0, item.sessionUid);
    if (!select.exec() || !select.next()) {
        *error = select.lastError().isValid() ? queryError(select)
                                              : QStringLiteral("a room session vanished");
        return std::nullopt;
    }
    const qint64 id = select.value(0).toLongLong();
    select.finish();
    m_sessionIds.insert(item.sessionUid, id);
    return id;
}

std::optional<StoreWriter::StreamRow>
StoreWriter::ensureStream(qint64 sessionId, const StoreItem &item, QString *error)
{
    const stt::TranscriptSegment &segment = item.segment;
    const QPair<qint64, QString> key(sessionId, segment.stream);
    if (const auto it = m_streams.constFind(key); it != m_streams.cend())
        return *it;
    const QString method = streamMethod(segment.stream);
    const QDateTime startedAt = segment.wallClock.isValid()
                                    ? segment.wallClock.toUTC().addMSecs(-segment.start_ms)
                                    : QDateTime();
    QSqlQuery &insert = prepared(m_insertStream, sql::insertStream());
    insert.bindValue(0, sessionId);
    insert.bindValue(1, segment.stream);
    insert.bindValue(2, method);
    // A track is one participant's; a mix has many speakers.
    insert.bindValue(3, method == u"track" ? textOrNull(segment.speaker)
                                           : QVariant(QMetaType::fromType<QString>()));
    insert.bindValue(4, startedAt.isValid() ? QVariant(timestampText(startedAt))
                                            : QVariant(QMetaType::fromType<QString>()));
    if (!insert.exec()) {
        *error = queryError(insert);
        return std::nullopt;
    }
    QSqlQuery &select = prepared(m_selectStream, sql::selectStream());
    select.bindValue(0, sessionId);
    select.bindValue(1, segment.stream);
    if (!select.exec() || !select.next()) {
        *error =
            select.lastError().isValid() ? queryError(select) : QStringLiteral("a stream vanished");
        return std::nullopt;
    }
    StreamRow row;
    row.id = select.value(0).toLongLong();
    select.finish();
    row.startedAt = startedAt;
    m_streams.insert(key, row);
    return row;
}

bool StoreWriter::writeItems(const std::vector<const StoreItem *> &items, QString *error)
{
    if (!m_db->exec(sql::beginWrite(m_target.backend), error))
        return false;
    std::vector<QVariant> values;
    values.reserve(items.size() * sql::kSegmentColumns);
    int rows = 0;
    for (const StoreItem *item : items) {
        const std::optional<qint64> sessionId = ensureSession(*item, error);
        if (!sessionId)
            return false;
        if (item->kind == StoreItem::Kind::EndSession) {
            QSqlQuery &end = prepared(m_endSession, sql::endSession());
            end.bindValue(0, timestampText(item->endedAt));
            end.bindValue(1, *sessionId);
            if (!end.exec()) {
                *error = queryError(end);
                return false;
            }
            continue;
        }
        if (item->kind != StoreItem::Kind::Final)
            continue;
        const std::optional<StreamRow> stream = ensureStream(*sessionId, *item, error);
        if (!stream)
            return false;
        const stt::TranscriptSegment &segment = item->segment;
        // Room-session time: from the wall clock when the audio arrived;
        // without one, from when the stream began, or the stream's own time.
        const qint64 sessionStart = item->sessionStartedAt.toMSecsSinceEpoch();
        qint64 start_ms = segment.start_ms;
        if (segment.wallClock.isValid())
            start_ms = segment.wallClock.toMSecsSinceEpoch() - sessionStart;
        else if (stream->startedAt.isValid())
            start_ms = stream->startedAt.toMSecsSinceEpoch() + segment.start_ms - sessionStart;
        start_ms = std::max<qint64>(0, start_ms);
        const qint64 end_ms = start_ms + std::max<qint64>(0, segment.end_ms - segment.start_ms);
        values.push_back(stream->id);
        values.push_back(segment.utteranceId);
        values.push_back(textOrNull(segment.session));
        values.push_back(qint64(segment.start_ms));
        values.push_back(qint64(segment.end_ms));
        values.push_back(start_ms);
        values.push_back(end_ms);
        values.push_back(segment.wallClock.isValid() ? QVariant(timestampText(segment.wallClock))
                                                     : QVariant(QMetaType::fromType<QString>()));
        values.push_back(segment.channel);
        values.push_back(textOrNull(segment.speaker));
        values.push_back(segment.speakerInferred);
        values.push_back(textOrNull(segment.language));
        values.push_back(segment.text);
        values.push_back(wordsJson(segment.words));
        ++rows;
    }
    if (rows > 0) {
        std::optional<QSqlQuery> adHoc;
        QSqlQuery &insert = rows == m_config.batchSize
                                ? prepared(m_insertFullBatch, sql::insertSegments(rows))
                                : prepared(adHoc, sql::insertSegments(rows));
        for (size_t i = 0; i < values.size(); ++i)
            insert.bindValue(int(i), values[i]);
        if (!insert.exec()) {
            *error = queryError(insert);
            return false;
        }
    }
    return m_db->exec(QStringLiteral("COMMIT"), error);
}

} // namespace roomscribe::store
