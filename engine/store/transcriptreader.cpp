#include "store/transcriptreader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace roomscribe::store {

static QString readError(const QSqlQuery &query)
{
    return sqlErrorText(query.lastError());
}

TranscriptReader::TranscriptReader() : m_connection(QStringLiteral("store-reader")) {}

bool TranscriptReader::open(const QString &database, QString *error)
{
    DatabaseTarget target;
    if (!parseDatabaseUrl(database, &target, error))
        return false;
    ConnectionSettings settings;
    settings.create = false;
    if (!m_connection.open(target, settings, error))
        return false;
    const int version = readSchemaVersion(m_connection, error);
    if (version < 0)
        return false;
    if (version > sql::kSchemaVersion) {
        *error = QStringLiteral("the database %1 has schema version %2, newer than this "
                                "roomscribe understands (%3): use a newer roomscribe with it")
                     .arg(target.describe())
                     .arg(version)
                     .arg(sql::kSchemaVersion);
        return false;
    }
    // Older than this code: only an engine migrates (readers never write).
    if (version > 0 && version < sql::kSchemaVersion) {
        *error = QStringLiteral("the database %1 has schema version %2; start roomscribe on it "
                                "once to bring it to version %3")
                     .arg(target.describe())
                     .arg(version)
                     .arg(sql::kSchemaVersion);
        return false;
    }
    m_empty = version == 0;
    return true;
}

std::optional<QList<StoredSession>> TranscriptReader::listSessions(QString *error)
{
    QList<StoredSession> sessions;
    if (m_empty)
        return sessions;
    QSqlQuery query(m_connection.database());
    query.setForwardOnly(true);
    if (!query.exec(sql::listSessions())) {
        *error = QStringLiteral("cannot list the sessions of %1: %2")
                     .arg(databaseDescription(), readError(query));
        return std::nullopt;
    }
    while (query.next()) {
        StoredSession session;
        session.room = query.value(0).toString();
        session.id = query.value(1).toLongLong();
        session.startedAt = timestampFrom(query.value(2));
        session.endedAt = timestampFrom(query.value(3));
        session.segments = query.value(4).toLongLong();
        sessions.append(session);
    }
    return sessions;
}

LoadOutcome TranscriptReader::loadDocument(const QString &room, std::optional<qint64> sessionId,
                                           ExportDocument *document, QString *error)
{
    *document = ExportDocument();
    if (m_empty) {
        *error = QStringLiteral("no room \"%1\" in %2 (it holds no transcripts yet)")
                     .arg(room, databaseDescription());
        return LoadOutcome::UnknownRoom;
    }
    QSqlQuery query(m_connection.database());
    query.setForwardOnly(true);
    // One read transaction: the session and its segments as of one moment,
    // while a live engine keeps writing.
    QString failure;
    if (!m_connection.exec(QStringLiteral("BEGIN"), &failure)) {
        *error = QStringLiteral("cannot read %1: %2").arg(databaseDescription(), failure);
        return LoadOutcome::Failed;
    }
    const auto finish = [this](LoadOutcome outcome) {
        QString ignored;
        m_connection.exec(QStringLiteral("ROLLBACK"), &ignored);
        return outcome;
    };
    query.prepare(sessionId ? sql::sessionOfRoom() : sql::latestSessionOfRoom());
    query.addBindValue(room);
    if (sessionId)
        query.addBindValue(*sessionId);
    if (!query.exec()) {
        *error = QStringLiteral("cannot read %1: %2").arg(databaseDescription(), readError(query));
        return finish(LoadOutcome::Failed);
    }
    if (!query.next()) {
        query.finish();
        QSqlQuery exists(m_connection.database());
        exists.prepare(sql::roomExists());
        exists.addBindValue(room);
        if (!exists.exec()) {
            *error =
                QStringLiteral("cannot read %1: %2").arg(databaseDescription(), readError(exists));
            return finish(LoadOutcome::Failed);
        }
        if (!exists.next()) {
            *error = QStringLiteral("no room \"%1\" in %2").arg(room, databaseDescription());
            return finish(LoadOutcome::UnknownRoom);
        }
        *error = sessionId
                     ? QStringLiteral("room \"%1\" has no session %2").arg(room).arg(*sessionId)
                     : QStringLiteral("room \"%1\" has no sessions").arg(room);
        return finish(LoadOutcome::UnknownSession);
    }
    const qint64 id = query.value(0).toLongLong();
    document->room = room;
    document->sessionId = QString::number(id);
    document->startedAt = timestampFrom(query.value(1));
    document->endedAt = timestampFrom(query.value(2));
    query.finish();

    QSqlQuery segments(m_connection.database());
    segments.setForwardOnly(true);
    segments.prepare(sql::sessionSegments());
    segments.addBindValue(id);
    if (!segments.exec()) {
        *error =
            QStringLiteral("cannot read %1: %2").arg(databaseDescription(), readError(segments));
        return finish(LoadOutcome::Failed);
    }
    while (segments.next()) {
        ExportSegment segment;
        segment.stream = segments.value(0).toString();
        segment.speaker = segments.value(1).toString();
        segment.start_ms = segments.value(2).toLongLong();
        segment.end_ms = segments.value(3).toLongLong();
        const qint64 streamStart_ms = segments.value(4).toLongLong();
        segment.language = segments.value(5).toString();
        segment.text = segments.value(6).toString();
        // PostgreSQL gives a bool, SQLite 0 or 1.
        segment.speakerInferred = segments.value(8).toBool();
        // Words are stored in stream time, like the segment's own start_ms.
        const QJsonArray words =
            QJsonDocument::fromJson(segments.value(7).toString().toUtf8()).array();
        for (const QJsonValue &value : words) {
            const QJsonObject word = value.toObject();
            const qint64 shift = segment.start_ms - streamStart_ms;
            segment.words.append({word.value(u"word").toString(),
                                  std::max<qint64>(0, word.value(u"start_ms").toInteger() + shift),
                                  std::max<qint64>(0, word.value(u"end_ms").toInteger() + shift),
                                  word.value(u"confidence").toDouble()});
        }
        document->segments.append(segment);
    }
    return finish(LoadOutcome::Loaded);
}

} // namespace roomscribe::store
