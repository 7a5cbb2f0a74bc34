#pragma once

#include "livekit/models.h"
#include "livekit/twirpclient.h"
#include "livekit/webhookverifier.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <functional>
#include <optional>
#include <set>

// The engine's view of LiveKit: rooms with their participants and tracks,
// and the egresses that are running. Webhooks update it at once; a poll of
// the server API (ListRooms, ListParticipants per room, ListEgress active)
// replaces it every interval, so that a missed webhook costs at most one
// interval.
namespace roomscribe::livekit {

constexpr std::chrono::milliseconds kDefaultPollInterval{5000};

struct RoomView
{
    Room info;
    // By identity; every track of every kind, in sid order.
    QMap<QString, Participant> participants;
};

// Lives on the thread that creates it, with its client. Every signal is
// emitted after the state it reports is in place, and only when something
// changed. A poll answer never undoes what a webhook reported after that
// poll's request was sent.
//
// Signals nest: roomGone covers the room's participants and tracks, and
// participantLeft covers that participant's tracks; neither is followed by
// signals for what they contained.
class RoomDirectory final : public QObject
{
    Q_OBJECT
public:
    // client: polled once started; nullptr: webhooks only. Not owned.
    explicit RoomDirectory(TwirpClient *client,
                           std::chrono::milliseconds pollInterval = kDefaultPollInterval,
                           QObject *parent = nullptr);

    // Polls now, then pollInterval after each poll ends.
    void start();
    // Polls now, or right after the poll in flight.
    void refresh();
    void applyWebhook(const roomscribe::livekit::WebhookEvent &event);

    QList<RoomView> rooms() const; // by name
    std::optional<RoomView> room(const QString &name) const;
    // STARTING, ACTIVE and ENDING, as last reported.
    QList<EgressInfo> activeEgresses() const;
    // False until a poll has succeeded, and while the last one failed.
    bool isReachable() const { return m_reachable.value_or(false); }
    // The last poll's failure; empty after a success.
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void roomAppeared(const QString &room);
    void roomGone(const QString &room);
    // Someone joined or left, or a participant's state or tracks changed.
    // Follows the trackPublished/trackUnpublished/participantLeft of the same update.
    void participantsChanged(const QString &room);
    void trackPublished(const QString &room, const QString &identity,
                        const roomscribe::livekit::TrackInfo &track);
    void trackUnpublished(const QString &room, const QString &identity, const QString &trackSid);
    void participantLeft(const QString &room, const QString &identity);
    // New or changed status or details. An egress that ends is reported with
    // its final status: from a webhook, or, when it only drops out of the
    // active list, as LiveKit reports it when asked by id (ABORTED with the
    // error "no longer known to LiveKit" when LiveKit has no record of it).
    void egressChanged(const roomscribe::livekit::EgressInfo &info);
    // After every ListEgress(active) answer, changed or not: the budget's clock.
    void activeEgressesRefreshed();
    // At the first poll's outcome, when reachability flips, and while
    // unreachable when the kind of failure changes (error is empty when reachable).
    void reachabilityChanged(bool reachable, const QString &error);

private:
    // Requests remember the webhook sequence at sending; see stale().
    quint64 beginRequest();
    void endRequest(quint64 sentAt);
    // Whether a webhook changed `key` after a request sent at sentAt.
    bool stale(const QString &key, quint64 sentAt) const;
    void touch(const QString &key);

    void poll();
    void onRooms(const TwirpResult<QList<Room>> &result, quint64 sentAt);
    void onParticipants(const QString &room, const TwirpResult<QList<Participant>> &result,
                        quint64 sentAt);
    void pollEgresses();
    void onEgresses(const TwirpResult<QList<EgressInfo>> &result, quint64 sentAt);
    void lookUpVanishedEgresses();
    void onVanishedEgress(const QString &egressId,
                          const TwirpResult<std::optional<EgressInfo>> &result, quint64 sentAt);
    void finishPoll();
    void noteFailure(const char *method, const TwirpError &error);

    void upsertRoom(const Room &info);
    void removeRoom(const QString &name);
    // These two return whether the room's participants changed.
    bool replaceParticipant(RoomView &view, Participant participant);
    bool removeParticipant(RoomView &view, const QString &identity);
    // A participant as a webhook reports it: tracks it does not list are kept.
    void mergeParticipant(const Room &room, const Participant &participant,
                          const std::optional<TrackInfo> &publishedTrack);
    void applyEgress(const EgressInfo &info);

    void queue(std::function<void()> emission);
    // False when a slot destroyed the directory.
    bool flush();

    TwirpClient *m_client;
    std::chrono::milliseconds m_pollInterval;
    QTimer m_timer;
    bool m_started = false;
    bool m_polling = false;
    bool m_pollAgain = false;
    int m_participantCallsLeft = 0;
    std::optional<QString> m_cycleFailure;
    ErrorKind m_cycleFailureKind = ErrorKind::Invalid;

    QMap<QString, RoomView> m_rooms;
    QMap<QString, EgressInfo> m_egresses; // active ones
    // Dropped out of the active list without a webhook: the final status is asked for.
    QHash<QString, EgressInfo> m_vanished;
    QSet<QString> m_lookingUp;

    quint64 m_sequence = 0;            // webhooks applied
    QHash<QString, quint64> m_touched; // state key -> sequence of the last webhook on it
    std::multiset<quint64> m_inFlight; // sentAt of the requests in flight

    std::optional<bool> m_reachable;
    ErrorKind m_failureKind = ErrorKind::Invalid;
    QString m_lastError;

    QList<std::function<void()>> m_emissions;
};

} // namespace roomscribe::livekit
