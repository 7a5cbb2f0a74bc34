#pragma once

#include "media/pcmchunk.h"
#include "stt/audioledger.h"
#include "stt/backoff.h"
#include "stt/gladiaconfig.h"
#include "stt/gladiaprotocol.h"
#include "stt/gladiastats.h"
#include "stt/transcriptsegment.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;
class QWebSocket;

namespace roomscribe::stt {

// One Gladia live session (one id, one WebSocket URL) on the caller's thread:
// init with retries, streaming with acknowledgements, resume after a lost
// connection from the last acknowledged byte, stop with post-processing.
// pushChunk never blocks; audio waits in the ledger while there is no
// connection. Every path ends in Finished or Failed, stop() within the
// configured stop timeout.
class GladiaLiveSession final : public QObject
{
    Q_OBJECT

public:
    // `network` must live on this thread and outlive the session.
    GladiaLiveSession(const GladiaConfig &config, QNetworkAccessManager *network,
                      QObject *parent = nullptr);
    ~GladiaLiveSession() override;

    void start();
    void pushChunk(const media::PcmChunk &chunk);
    // Sends what is left, asks Gladia to finish and waits for its last
    // transcripts and close.
    void stop();
    // Stream audio before this session: added to every time it reports.
    void setStreamOffset(int64_t bytes) { m_streamOffset_bytes = bytes; }

    SessionState state() const { return m_state; }
    QString detail() const { return m_detail; }
    QString sessionId() const { return m_sessionId; }
    int64_t pushedBytes() const { return m_ledger.pushedBytes(); }
    // Time since start(); Gladia's session limit counts from its creation.
    int64_t age_ms() const;
    GladiaStats takeStats();

Q_SIGNALS:
    void stateChanged(roomscribe::stt::SessionState state, const QString &detail);
    // Times are stream-relative; utteranceId is Gladia's; speaker is left to the caller.
    void transcript(const roomscribe::stt::TranscriptSegment &segment);

private:
    enum class Log { Invalid, Info, Problem };
    void setState(SessionState state, const QString &detail, Log log = Log::Info);
    void postInit();
    void onInitFinished();
    void scheduleRetry(const QString &reason);
    void retryNow();
    void openSocket();
    void onConnected();
    void onDisconnected();
    void onTextMessage(const QString &text);
    void onAck(const ServerMessage &message);
    void onTranscript(const ServerMessage &message);
    void flush();
    void sendStop();
    void enforceBufferLimit();
    void closeSocket();
    void dropConnection(const QString &reason);
    void end(SessionState state, const QString &detail);
    void countMalformed(const QString &what);
    QString name() const; // for the log: the session id once there is one
    QString describeBytes(int64_t bytes) const;
    int64_t sessionBytesAt(double seconds) const;
    int64_t streamMsOf(int64_t inputOffset) const;

    const GladiaConfig m_config;
    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    QWebSocket *m_socket = nullptr;
    bool m_socketOpen = false;
    bool m_closeFrameReceived = false;
    QTimer m_retryTimer;
    QTimer m_connectTimer;
    QTimer m_stallTimer;
    QTimer m_stopTimer;
    Backoff m_backoff;
    AudioLedger m_ledger;
    StageLatencies m_latencies;

    SessionState m_state = SessionState::Invalid;
    QString m_detail;
    QString m_sessionId;
    QUrl m_url;
    int64_t m_started_ns = 0;
    int64_t m_unreachableSince_ns = 0; // first failure since the last open connection
    int64_t m_streamOffset_bytes = 0;
    bool m_stopRequested = false;
    bool m_sessionEnded = false;     // Gladia said end_session
    int64_t m_droppedUnreported = 0; // dropped since the last warning about it
    int64_t m_lateBytes = 0;         // pushed after stop or the end: never sent
    uint64_t m_reconnects = 0;
    uint64_t m_initRetries = 0;
    uint64_t m_partials = 0;
    uint64_t m_finals = 0;
    uint64_t m_malformed = 0;
    uint64_t m_serverErrors = 0;
    QString m_lastError;
};

} // namespace roomscribe::stt
