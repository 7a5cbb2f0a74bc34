#pragma once

#include <QObject>
#include <QUrl>
#include <QVariant>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace roomscribe::console {

class StoreThread;

// Writes one stored room session to a file (TXT, SRT, WebVTT or JSON, by the
// engine's exporters) on a worker thread, with progress and cancel.
class ExportController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString database READ database WRITE setDatabase NOTIFY databaseChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY stateChanged)
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged) // 0..1
    Q_PROPERTY(QString errorText READ errorText NOTIFY stateChanged)
    Q_PROPERTY(QString resultPath READ resultPath NOTIFY stateChanged)
    Q_PROPERTY(QUrl folderUrl READ folderUrl NOTIFY stateChanged) // for Qt.openUrlExternally
public:
    explicit ExportController(QObject *parent = nullptr);
    ~ExportController() override;

    QString database() const { return m_database; }
    void setDatabase(const QString &database);
    bool busy() const { return m_busy; }
    double progress() const { return m_progress; }
    QString errorText() const { return m_errorText; }
    QString resultPath() const { return m_resultPath; }
    QUrl folderUrl() const;

    // session: a session id (number) or a room name (its latest session);
    // format: "txt", "srt", "vtt" or "json"; fileUrl: a local file. The
    // format's extension is added when the name has none.
    Q_INVOKABLE void exportSession(const QVariant &session, const QString &format,
                                   const QUrl &fileUrl);
    Q_INVOKABLE void cancel();
    // Where a save dialog starts: fileStem.<format's extension> in the user's documents.
    Q_INVOKABLE QUrl suggestedFileUrl(const QString &fileStem, const QString &format) const;

Q_SIGNALS:
    void databaseChanged();
    void stateChanged();
    void progressChanged();
    void finished(bool ok);

private:
    void fail(const QString &error);
    void onProgress(double fraction);
    void onFinished(const QString &path, const QString &error, bool cancelled);

    std::unique_ptr<StoreThread> m_store;
    QString m_database;
    bool m_busy = false;
    double m_progress = 0;
    QString m_errorText;
    QString m_resultPath;
};

} // namespace roomscribe::console
