#include "exportcontroller.h"

#include "storeworker.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace roomscribe::console {

ExportController::ExportController(QObject *parent)
    : QObject(parent), m_store(std::make_unique<StoreThread>())
{
    connect(m_store->worker(), &StoreWorker::exportProgress, this, &ExportController::onProgress);
    connect(m_store->worker(), &StoreWorker::exportFinished, this, &ExportController::onFinished);
}

ExportController::~ExportController() = default;

void ExportController::setDatabase(const QString &database)
{
    if (m_database == database)
        return;
    m_database = database;
    Q_EMIT databaseChanged();
}

QUrl ExportController::folderUrl() const
{
    if (m_resultPath.isEmpty())
        return {};
    return QUrl::fromLocalFile(QFileInfo(m_resultPath).absolutePath());
}

void ExportController::fail(const QString &error)
{
    m_errorText = error;
    m_resultPath.clear();
    Q_EMIT stateChanged();
    Q_EMIT finished(false);
}

void ExportController::exportSession(const QVariant &session, const QString &format,
                                     const QUrl &fileUrl)
{
    if (m_busy) {
        fail(tr("An export is already running."));
        return;
    }
    const std::optional<store::ExportFormat> parsed = store::parseExportFormat(format);
    if (!parsed) {
        fail(tr("Unknown format \"%1\": choose TXT, SRT, VTT or JSON.").arg(format));
        return;
    }
    if (!fileUrl.isLocalFile()) {
        fail(tr("Choose a file on this computer to export to."));
        return;
    }
    QString path = fileUrl.toLocalFile();
    if (QFileInfo(path).suffix().isEmpty())
        path += u'.' + store::exportFileExtension(*parsed);
    QString room;
    qint64 sessionId = 0;
    if (session.typeId() == QMetaType::QString) {
        room = session.toString();
    } else {
        bool ok = false;
        sessionId = session.toLongLong(&ok);
        if (!ok || sessionId <= 0) {
            fail(tr("Choose a session to export."));
            return;
        }
    }
    if (room.isEmpty() && sessionId == 0) {
        fail(tr("Choose a session to export."));
        return;
    }
    m_busy = true;
    m_errorText.clear();
    m_resultPath.clear();
    m_progress = 0;
    m_store->setCancelled(false);
    Q_EMIT progressChanged();
    Q_EMIT stateChanged();
    m_store->post([worker = m_store->worker(), database = m_database, room, sessionId,
                   format = *parsed,
                   path] { worker->exportSession(database, room, sessionId, format, path); });
}

QUrl ExportController::suggestedFileUrl(const QString &fileStem, const QString &format) const
{
    const std::optional<store::ExportFormat> parsed = store::parseExportFormat(format);
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    const QString name = parsed ? fileStem + u'.' + store::exportFileExtension(*parsed) : fileStem;
    return QUrl::fromLocalFile(QDir(folder).filePath(name));
}

void ExportController::cancel()
{
    if (m_busy)
        m_store->setCancelled(true);
}

void ExportController::onProgress(double fraction)
{
    if (!m_busy || fraction == m_progress)
        return;
    m_progress = fraction;
    Q_EMIT progressChanged();
}

void ExportController::onFinished(const QString &path, const QString &error, bool cancelled)
{
    m_busy = false;
    m_errorText = cancelled ? tr("The export was cancelled; no file was written.") : error;
    m_resultPath = error.isEmpty() && !cancelled ? path : QString();
    if (!m_resultPath.isEmpty() && m_progress != 1.0) {
        m_progress = 1.0;
        Q_EMIT progressChanged();
    }
    Q_EMIT stateChanged();
    Q_EMIT finished(!m_resultPath.isEmpty());
}

} // namespace roomscribe::console
