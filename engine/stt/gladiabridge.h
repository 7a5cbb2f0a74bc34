#pragma once

#include "media/pcmchunk.h"
#include "stt/gladiaconfig.h"
#include "stt/gladiastats.h"
#include "stt/transcriptsegment.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>

#include <functional>
#include <optional>
#include <vector>

namespace roomscribe::stt {

class GladiaLiveSession;

// Transcribes one room stream through Gladia, on the stream's worker thread.
// It owns the stream's Gladia sessions: the current one, the next one opened
// ahead of Gladia's session limit (rollover), and those still finishing.
// At rollover every chunk goes to exactly one session — the switch happens
// between two chunks once the next session streams — and times continue from
// the audio given to the sessions before. A session Gladia ends on its own, or
// one that stays unreachable, is replaced the same way; one Gladia refuses
// (key, configuration) fails the stream.
class GladiaBridge final : public QObject
{
    Q_OBJECT

public:
    GladiaBridge(const GladiaConfig &config, const QString &room, const QString &stream,
                 QObject *parent = nullptr);
    ~GladiaBridge() override;

    // Segments on `channel` name this speaker instead of "channel N".
    void setSpeakerName(int channel, const QString &name);

    // Asked, on the bridge's thread, for a speaker of each segment (partials
    // and finals) that has none (a room's mix); an answer is set as the
    // segment's speaker with speakerInferred. It must be thread-safe for that.
    using SpeakerResolver = std::function<std::optional<QString>(const TranscriptSegment &)>;
    void setSpeakerResolver(SpeakerResolver resolver);

    // Opens the first session ahead of the audio (pushChunk does it otherwise).
    void start();
    void pushChunk(const media::PcmChunk &chunk);
    // Stops every session; finished() follows once all have ended.
    void stop();

    SessionState state() const { return m_state; }
    QString detail() const { return m_detail; }
    GladiaStats takeStats();

Q_SIGNALS:
    void segment(const roomscribe::stt::TranscriptSegment &segment);
    void stateChanged(roomscribe::stt::SessionState state, const QString &detail);
    // Queued: the bridge may be deleted from a slot connected to it.
    void finished();

private:
    GladiaLiveSession *openSession(int64_t streamOffset_bytes);
    void rollOverIfDue();
    void promote(GladiaLiveSession *successor);
    void retire(GladiaLiveSession *session);
    void onSessionState(GladiaLiveSession *session, SessionState state, const QString &detail);
    void onSessionEnded(GladiaLiveSession *session);
    void finishIfDone();
    void onTranscript(int sessionIndex, TranscriptSegment segment);
    void setState(SessionState state, const QString &detail);
    int64_t msOf(int64_t bytes) const { return bytes * 1000 / m_config.bytesPerSecond(); }

    GladiaConfig m_config;
    const QString m_room;
    const QString m_stream;
    QString m_logName; // the room as Gladia and the logs see it
    QNetworkAccessManager m_network;
    QHash<int, QString> m_speakerNames;
    SpeakerResolver m_speakerResolver;
    GladiaLiveSession *m_current = nullptr;
    GladiaLiveSession *m_next = nullptr;
    std::vector<GladiaLiveSession *> m_retiring; // stopping, not yet ended
    int m_sessionsOpened = 0;
    int64_t m_currentOffset_bytes = 0; // stream audio given to the sessions before m_current
    int64_t m_rolloverRetryAt_ns = 0;  // after a next session failed
    GladiaStats m_endedTotals;         // of sessions that have ended
    SessionState m_state = SessionState::Invalid;
    QString m_detail;
    bool m_stopping = false;
    bool m_done = false;           // finished() emitted
    bool m_droppingLogged = false; // audio arriving with no session to take it
};

} // namespace roomscribe::stt
