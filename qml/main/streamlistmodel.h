#pragma once

#include "console/consolebackend.h"
#include "ingest/ingeststats.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

// The streams the RTMP ingest knows, refreshed from the engine's stats a few
// times a second (what eyes can read), never per audio message.
class StreamListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *backend READ backend WRITE setBackend NOTIFY backendChanged)
    Q_PROPERTY(int publishingCount READ publishingCount NOTIFY countsChanged)
    Q_PROPERTY(int connectionCount READ connectionCount NOTIFY countsChanged)
    Q_PROPERTY(QString latencyText READ latencyText NOTIFY countsChanged)
public:
    enum Role {
        KeyRole = Qt::UserRole + 1,
        PublishingRole,
        FormatRole,
        RmsRole,  // dBFS
        PeakRole, // dBFS
        AudioSecondsRole,
        PublishCountRole,
        ErrorRole,
    };
    Q_ENUM(Role)

    explicit StreamListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QObject *backend() const;
    void setBackend(QObject *backend);
    int publishingCount() const { return m_publishing; }
    int connectionCount() const { return m_connections; }
    QString latencyText() const { return m_latencyText; }

    // Takes one stats snapshot: rows update in place, new streams append.
    void apply(const roomscribe::ingest::IngestStats &stats);

Q_SIGNALS:
    void backendChanged();
    void countsChanged();

private:
    QPointer<roomscribe::console::ConsoleBackend> m_backend;
    std::vector<roomscribe::ingest::StreamStats> m_rows;
    QHash<QString, int> m_rowOfPath;
    int m_publishing = 0;
    int m_connections = 0;
    QString m_latencyText;
};
