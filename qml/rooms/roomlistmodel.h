#pragma once

#include "console/consolebackend.h"
#include "keyedrowsmodel.h"

#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace roomscribe::console {

// One row of the rooms view: the backend's entry and what the console says about it.
struct RoomRow
{
    RoomEntry entry;
    QString stateText;
    QString stateKind;
    const QString &key() const { return entry.name; }
};

// The rooms LiveKit and the router know (ConsoleBackend::rooms()), one row
// each, updated in place on every roomsChanged.
class RoomListModel : public KeyedRowsModel<RoomRow>
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *backend READ backend WRITE setBackend NOTIFY backendChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Role {
        NameRole = Qt::UserRole + 1,
        InLiveKitRole,
        ParticipantsRole,
        PublishersRole,
        AgeRole,     // seconds since LiveKit created the room; -1 when unknown
        AgeTextRole, // "12 min"
        PhaseRole,   // int of routing::RoomPhase
        StateTextRole,
        StateKindRole, // idle, waiting, queued, starting, live, warning, failed, stopping
        MethodRole,    // methodName() of the running method, else the requested one
        MethodTextRole,
        DetailRole,
        EgressesRole,
        QueuePositionRole,
        RmsRole,  // dBFS
        PeakRole, // dBFS
        PublishingStreamsRole,
        CanStartRole,
        CanStopRole,
    };
    Q_ENUM(Role)

    explicit RoomListModel(QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QObject *backend() const;
    void setBackend(QObject *backend);
    int count() const { return rowCount(); }

    // rooms ordered by name (as ConsoleBackend::rooms()); stats tell which
    // running rooms have a Gladia session reconnecting.
    void apply(const std::vector<RoomEntry> &rooms, const ingest::IngestStats &stats);

Q_SIGNALS:
    void backendChanged();
    void countChanged();

private:
    void refresh();
    void tickAges();

    QPointer<ConsoleBackend> m_backend;
    QTimer m_ageTimer;
};

} // namespace roomscribe::console
