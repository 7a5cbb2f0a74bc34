#include "ingest/participantingest.h"

#include "core/logging.h"
#include "ingest/ingeststream.h"
#include "ingest/participant/roomsubscriber.h"
#include "ingest/streamregistry.h"

namespace roomscribe::ingest {

ParticipantIngest::ParticipantIngest(int index, const IngestConfig &config,
                                     std::shared_ptr<StreamRegistry> registry)
    : StreamOwner(index, StreamInput::OpusRtp, config, std::move(registry))
{
    qRegisterMetaType<SubscriberStatus>();
    qRegisterMetaType<SpeakerUpdate>();
    connect(this, &StreamOwner::streamClosed, this, [this](const QString &app, const QString &key) {
        if (app != QLatin1String(kApp))
            return;
        if (RoomSubscriber *subscriber = m_streamOwners.take(key))
            subscriber->onStreamClosed(key);
    });
}

ParticipantIngest::~ParticipantIngest()
{
    qDeleteAll(std::exchange(m_subscribers, {}));
}

void ParticipantIngest::joinRoom(const QString &room, bool speakersOnly)
{
    QMetaObject::invokeMethod(this, [this, room, speakersOnly] {
        if (isShuttingDown() || m_subscribers.contains(room))
            return;
        auto *subscriber = new RoomSubscriber(
            room, speakersOnly ? RoomSubscriber::Mode::SpeakersOnly : RoomSubscriber::Mode::Audio,
            m_config.participant, this);
        m_subscribers.insert(room, subscriber);
        connect(subscriber, &RoomSubscriber::statusChanged, this,
                &ParticipantIngest::statusChanged);
        connect(subscriber, &RoomSubscriber::speakersChanged, this,
                &ParticipantIngest::speakersChanged);
        connect(subscriber, &RoomSubscriber::left, this, [this, subscriber](const QString &room) {
            forget(subscriber);
            Q_EMIT roomLeft(room);
        });
        qCInfo(lcParticipant).noquote()
            << "joining room" << room << (speakersOnly ? "for its active speakers" : "for audio");
        subscriber->start();
    });
}

void ParticipantIngest::leaveRoom(const QString &room)
{
    QMetaObject::invokeMethod(this, [this, room] {
        RoomSubscriber *subscriber = m_subscribers.value(room);
        if (!subscriber) {
            Q_EMIT roomLeft(room);
            return;
        }
        subscriber->leave();
    });
}

bool ParticipantIngest::openTrackStream(RoomSubscriber *subscriber, const QString &key,
                                        const StreamLabel &label)
{
    if (!m_registry->registerKeyFor(QString::fromLatin1(kApp), key, label, index()))
        return false;
    m_streamOwners.insert(key, subscriber);
    return true;
}

void ParticipantIngest::closeTrackStream(const QString &key)
{
    const QString app = QString::fromLatin1(kApp);
    m_registry->remove(app, key);
    closeStream(app, key);
}

void ParticipantIngest::forget(RoomSubscriber *subscriber)
{
    m_streamOwners.removeIf(
        [subscriber](const auto &entry) { return entry.value() == subscriber; });
    m_subscribers.remove(subscriber->room());
    subscriber->deleteLater(); // it may be inside its own signal
}

int ParticipantIngest::connectionCount() const
{
    int tracks = 0;
    for (const RoomSubscriber *subscriber : m_subscribers)
        tracks += subscriber->trackCount();
    return tracks;
}

void ParticipantIngest::closeConnections(const QString &reason)
{
    qCInfo(lcParticipant).noquote() << "leaving" << m_subscribers.size() << "room(s):" << reason;
    for (RoomSubscriber *subscriber : std::as_const(m_subscribers))
        subscriber->leave();
}

} // namespace roomscribe::ingest
