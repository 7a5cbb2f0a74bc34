#pragma once

#include "ingest/participant/subscriberstatus.h"
#include "ingest/streamlabel.h"

#include <QString>
#include <QUrl>

#include <functional>

namespace roomscribe::routing {

// A stream the ingest accepts, and the URL an egress must deliver it to.
struct StreamEndpoint
{
    QString app; // "live" for RTMP, the track app for Track Egress
    QString key; // the stream key or track token: a secret
    ingest::StreamLabel label;
    QUrl url; // with the key in it; never logged whole

    bool isValid() const { return !key.isEmpty() && url.isValid(); }
};

// What the router needs of the ingest: streams opened before their egress
// starts, reopened when an egress is adopted, closed when it ends.
class StreamPort
{
public:
    virtual ~StreamPort() = default;

    // A fresh key for the room's mix, on the RTMP server; invalid when the
    // ingest cannot take it (see errorText()).
    virtual StreamEndpoint openCompositeStream(const QString &room) = 0;
    // A fresh token for one track, on the Track Egress WebSocket endpoint.
    virtual StreamEndpoint openTrackStream(const ingest::StreamLabel &label) = 0;
    // The same key again, for an egress started before a restart.
    virtual bool reopenStream(const StreamEndpoint &endpoint) = 0;
    // Flushes the stream, drains its transcription, forgets its key; done()
    // on the caller's thread, always, also for a key the ingest never had.
    virtual void closeStream(const StreamEndpoint &endpoint, std::function<void()> done) = 0;
    virtual QString errorText() const = 0;

    // Rooms joined as a hidden WebRTC subscriber: no egress at all. A port
    // without one refuses (the defaults).
    virtual bool canJoinRooms() const { return false; }
    // Joins for the room's audio, or only for its active speakers (beside a
    // composite egress); the observer hears how it goes.
    virtual bool joinRoom(const QString &room, bool speakersOnly)
    {
        Q_UNUSED(room);
        Q_UNUSED(speakersOnly);
        return false;
    }
    // Leaves and drains the room's streams; done() on the caller's thread, always.
    virtual void leaveRoom(const QString &room, std::function<void()> done)
    {
        Q_UNUSED(room);
        done();
    }
    using SubscriberObserver = std::function<void(const ingest::SubscriberStatus &)>;
    virtual void setSubscriberObserver(SubscriberObserver observer) { Q_UNUSED(observer); }
};

} // namespace roomscribe::routing
