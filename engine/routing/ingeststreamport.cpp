#include "routing/ingeststreamport.h"

#include "ingest/ingestserver.h"
#include "ingest/streamregistry.h"

namespace roomscribe::routing {

IngestStreamPort::IngestStreamPort(ingest::IngestServer *ingest, QUrl rtmpBase, QUrl wsBase,
                                   QObject *parent)
    : QObject(parent), m_ingest(ingest), m_rtmpBase(std::move(rtmpBase)),
      m_wsBase(std::move(wsBase))
{
    connect(ingest, &ingest::IngestServer::streamClosed, this,
            [this](const QString &app, const QString &key) {
                const QString path = app + u'/' + key;
                const QList<std::function<void()>> waiting = m_closing.values(path);
                m_closing.remove(path);
                for (const auto &done : waiting)
                    done();
            });
    connect(ingest, &ingest::IngestServer::roomLeft, this, [this](const QString &room) {
        const QList<std::function<void()>> waiting = m_leaving.values(room);
        m_leaving.remove(room);
        for (const auto &done : waiting)
            done();
    });
    connect(ingest, &ingest::IngestServer::subscriberChanged, this,
            [this](const ingest::SubscriberStatus &status) {
                if (m_subscriberObserver)
                    m_subscriberObserver(status);
            });
}

bool IngestStreamPort::canJoinRooms() const
{
    return m_ingest->hasParticipantIngest();
}

bool IngestStreamPort::joinRoom(const QString &room, bool speakersOnly)
{
    if (!canJoinRooms()) {
        m_errorText = tr("joining rooms without egress is off (no LiveKit URL for the ingest)");
        return false;
    }
    m_ingest->joinRoom(room, speakersOnly);
    return true;
}

void IngestStreamPort::leaveRoom(const QString &room, std::function<void()> done)
{
    m_leaving.insert(room, std::move(done));
    m_ingest->leaveRoom(room);
}

void IngestStreamPort::setSubscriberObserver(SubscriberObserver observer)
{
    m_subscriberObserver = std::move(observer);
}

QUrl IngestStreamPort::compositeUrl(const QString &key) const
{
    QUrl url = m_rtmpBase;
    QString path = url.path();
    if (!path.endsWith(u'/'))
        path += u'/';
    url.setPath(path + key);
    return url;
}

QUrl IngestStreamPort::trackUrl(const QString &token) const
{
    QUrl url = m_wsBase;
    QString base = url.path();
    if (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + ingest::IngestServer::trackPath(token));
    return url;
}

StreamEndpoint IngestStreamPort::openCompositeStream(const QString &room)
{
    StreamEndpoint endpoint;
    endpoint.app = m_rtmpBase.path().section(u'/', -1);
    endpoint.label.room = room;
    endpoint.key = m_ingest->registerNewStream(endpoint.app, endpoint.label);
    if (endpoint.key.isEmpty()) {
        m_errorText = tr("the RTMP server refused a new stream");
        return {};
    }
    endpoint.url = compositeUrl(endpoint.key);
    return endpoint;
}

StreamEndpoint IngestStreamPort::openTrackStream(const ingest::StreamLabel &label)
{
    StreamEndpoint endpoint;
    endpoint.app = QString::fromLatin1(ingest::IngestServer::kTrackApp);
    endpoint.label = label;
    endpoint.key = m_ingest->registerTrackStream(label);
    if (endpoint.key.isEmpty()) {
        m_errorText = tr("the Track Egress endpoint is off (--ws-listen)");
        return {};
    }
    endpoint.url = trackUrl(endpoint.key);
    return endpoint;
}

bool IngestStreamPort::reopenStream(const StreamEndpoint &endpoint)
{
    if (m_ingest->registerStream(endpoint.app, endpoint.key, endpoint.label))
        return true;
    m_errorText =
        tr("the ingest refused stream key %1 again").arg(ingest::redactedKey(endpoint.key));
    return false;
}

void IngestStreamPort::closeStream(const StreamEndpoint &endpoint, std::function<void()> done)
{
    m_closing.insert(endpoint.app + u'/' + endpoint.key, std::move(done));
    m_ingest->closeStream(endpoint.app, endpoint.key);
}

} // namespace roomscribe::routing
