#include "storeworker.h"

#include "store/storeconfig.h"

#include <QFileInfo>
#include <QSaveFile>

namespace roomscribe::console {

namespace {

// Written in pieces so that progress moves and cancel() is heard within one piece.
constexpr qint64 kWriteChunk_bytes = 256 * 1024;
// Where the write starts on the progress bar: reading and rendering come before it.
constexpr double kLoadedProgress = 0.3;
constexpr double kRenderedProgress = 0.4;

} // namespace

StoreWorker::StoreWorker(std::shared_ptr<std::atomic<bool>> cancelled)
    : m_cancelled(std::move(cancelled))
{
}

StoreWorker::~StoreWorker() = default;

store::TranscriptReader *StoreWorker::reader(const QString &database, QString *error, bool *missing)
{
    *missing = false;
    store::DatabaseTarget target;
    if (!store::parseDatabaseUrl(database, &target, error))
        return nullptr;
    if (target.backend == store::Backend::Sqlite && !QFileInfo::exists(target.path)) {
        m_reader.reset();
        *missing = true;
        return nullptr;
    }
    if (m_reader && m_database == database)
        return m_reader.get();
    m_reader = std::make_unique<store::TranscriptReader>();
    m_database = database;
    if (!m_reader->open(database, error)) {
        m_reader.reset();
        return nullptr;
    }
    return m_reader.get();
}

void StoreWorker::listSessions(const QString &database)
{
    QString error;
    bool missing = false;
    store::TranscriptReader *source = reader(database, &error, &missing);
    if (!source) {
        Q_EMIT sessionsListed(
            database, {}, missing ? QString() : tr("Cannot read the transcripts: %1").arg(error));
        return;
    }
    const std::optional<QList<store::StoredSession>> sessions = source->listSessions(&error);
    if (!sessions) {
        m_reader.reset(); // reconnect next time: the server may have gone away
        Q_EMIT sessionsListed(database, {}, tr("Cannot read the transcripts: %1").arg(error));
        return;
    }
    Q_EMIT sessionsListed(database, *sessions, QString());
}

void StoreWorker::exportSession(const QString &database, const QString &room, qint64 sessionId,
                                store::ExportFormat format, const QString &path)
{
    Q_EMIT exportProgress(0);
    QString error;
    bool missing = false;
    store::TranscriptReader *source = reader(database, &error, &missing);
    if (!source) {
        Q_EMIT exportFinished(path,
                              missing ? tr("The database holds no transcripts yet.")
                                      : tr("Cannot read the transcripts: %1").arg(error),
                              false);
        return;
    }
    QString roomName = room;
    if (roomName.isEmpty()) {
        const std::optional<QList<store::StoredSession>> sessions = source->listSessions(&error);
        if (!sessions) {
            m_reader.reset();
            Q_EMIT exportFinished(path, tr("Cannot read the transcripts: %1").arg(error), false);
            return;
        }
        for (const store::StoredSession &session : *sessions) {
            if (session.id == sessionId)
                roomName = session.room;
        }
        if (roomName.isEmpty()) {
            Q_EMIT exportFinished(
                path, tr("There is no session %1 in the database.").arg(sessionId), false);
            return;
        }
    }
    store::ExportDocument document;
    const store::LoadOutcome outcome = source->loadDocument(
        roomName, sessionId > 0 ? std::optional<qint64>(sessionId) : std::nullopt, &document,
        &error);
    switch (outcome) {
    case store::LoadOutcome::Loaded:
        break;
    case store::LoadOutcome::UnknownRoom:
        Q_EMIT exportFinished(path, tr("There is no room \"%1\" in the database.").arg(roomName),
                              false);
        return;
    case store::LoadOutcome::UnknownSession:
        Q_EMIT exportFinished(
            path, tr("Room \"%1\" has no session %2.").arg(roomName).arg(sessionId), false);
        return;
    default:
        m_reader.reset();
        Q_EMIT exportFinished(path, tr("Cannot read the transcripts: %1").arg(error), false);
        return;
    }
    if (m_cancelled->load()) {
        Q_EMIT exportFinished(path, QString(), true);
        return;
    }
    Q_EMIT exportProgress(kLoadedProgress);
    const QByteArray bytes = store::exportDocument(document, format);
    Q_EMIT exportProgress(kRenderedProgress);
    bool cancelled = false;
    error = writeFile(path, bytes, &cancelled);
    if (error.isEmpty() && !cancelled)
        Q_EMIT exportProgress(1.0);
    Q_EMIT exportFinished(path, error, cancelled);
}

QString StoreWorker::writeFile(const QString &path, const QByteArray &bytes, bool *cancelled)
{
    // QSaveFile: a cancelled or failed export leaves no half-written file behind.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    for (qint64 offset = 0; offset < bytes.size(); offset += kWriteChunk_bytes) {
        if (m_cancelled->load()) {
            file.cancelWriting();
            *cancelled = true;
            return {};
        }
        const qint64 length = std::min(kWriteChunk_bytes, bytes.size() - offset);
        if (file.write(bytes.constData() + offset, length) != length) {
            file.cancelWriting();
            return tr("Cannot write %1: %2").arg(path, file.errorString());
        }
        Q_EMIT exportProgress(kRenderedProgress +
                              (1.0 - kRenderedProgress) * double(offset + length) / bytes.size());
    }
    if (!file.commit())
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    return {};
}

StoreThread::StoreThread()
    : m_cancelled(std::make_shared<std::atomic<bool>>(false)),
      m_worker(new StoreWorker(m_cancelled))
{
    m_thread.setObjectName(QStringLiteral("console-store"));
    m_worker->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

StoreThread::~StoreThread()
{
    m_cancelled->store(true);
    m_thread.quit();
    m_thread.wait();
}

} // namespace roomscribe::console
