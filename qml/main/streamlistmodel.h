#pragma once

#include "ingest/ingeststats.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace roomscribe::ingest {
class IngestServer;
}

// The streams the RTMP ingest knows, refreshed from the engine's stats a few
// times a second (what eyes can read), never per audio message.
class StreamListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *server READ server WRITE setServer NOTIFY serverChanged)
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

    QObject *server() const;
    void setServer(QObject *server);
    int publishingCount() const { return m_publishing; }
    int connectionCount() const { return m_connections; }
    QString latencyText() const { return m_latencyText; }

    // Takes one stats snapshot: rows update in place, new streams append.
    void apply(const roomscribe::ingest::IngestStats &stats);

Q_SIGNALS:
    void serverChanged();
    void countsChanged();

private:
    QPointer<roomscribe::ingest::IngestServer> m_server;
    QTimer m_refreshTimer;
    std::vector<roomscribe::ingest::StreamStats> m_rows;
    QHash<QString, int> m_rowOfPath;
    int m_publishing = 0;
    int m_connections = 0;
    QString m_latencyText;
};
