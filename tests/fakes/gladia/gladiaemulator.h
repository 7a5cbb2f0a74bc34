#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QLoggingCategory>
#include <QMap>
#include <QObject>
#include <QString>
#include <QUrl>

class QTcpServer;
class QTcpSocket;
class QWebSocketServer;

Q_DECLARE_LOGGING_CATEGORY(lcEmulator)

// An in-process stand-in for Gladia's real-time speech-to-text API (Live v2):
// POST /v2/live, the session WebSocket with acknowledgements, scripted
// transcripts, stop/post-processing flow and resume on reconnect, plus
// injectable faults and a byte-exact check of the audio a client delivered.
// shared/PROTOCOLS.md "Gladia Live v2" is the contract it follows.
namespace roomscribe::test {

class GladiaSession;
namespace http {
struct Request;
}

// One utterance the emulator "recognises" once the session has received audio
// up to its times (seconds of session audio).
struct ScriptedUtterance
{
    double start_s = 0;
    double end_s = 0;
    QString text;
    QString language = QStringLiteral("en");
    int channel = 0;
    double confidence = 0.91;
};

// Parses a script: a JSON array of {start_s, end_s, text, language?, channel?,
// confidence?}. Empty list and *error set when it is not valid.
QList<ScriptedUtterance> parseScript(const QByteArray &json, QString *error);

// Fires once the session holds afterBytes bytes of audio; with repeat, again
// after every further afterBytes. Negative: never.
struct ByteTrigger
{
    qint64 afterBytes = -1;
    bool repeat = false;
};

struct GladiaFaults
{
    // POST /v2/live answers this status (401, 422, 429, 500, …) instead of 201
    // for the next initErrorCount attempts (every attempt when negative).
    // 0: no refusal.
    int initErrorStatus = 0;
    int initErrorCount = -1;

    // Close handshake with closeCode. The frame that fires the trigger is
    // kept but not acknowledged, so the client must re-send it on resume.
    ByteTrigger close;
    int closeCode = 1011;
    // Same, but the TCP connection is cut without a close frame (the client
    // sees 1006). Acknowledgements already sent are flushed first.
    ByteTrigger drop;
    // Stops reading and acknowledging for stall_ms; what arrives meanwhile
    // is processed afterwards, or discarded if the connection ends first.
    ByteTrigger stall;
    int stall_ms = 0;
    // Every acknowledgement leaves ackDelay_ms after its audio arrived.
    int ackDelay_ms = 0;
    // Wall time after init at which the emulator ends the session on its own
    // (final transcripts, post-processing, close 1000). 0: no limit.
    int maxSession_ms = 0;

    // Keys are the gladia-emulator CLI option names with '_' for '-':
    // init_error, init_error_count, close_after, close_repeat, close_code,
    // drop_after, drop_repeat, stall_after, stall_repeat, stall_ms,
    // ack_delay_ms, max_session_ms. Keys absent from `json` keep this value.
    void merge(const QJsonObject &json);
    QJsonObject toJson() const;
};

struct CloseRecord
{
    int code = 0;
    QString by; // "emulator", "client", or "network" (no close handshake)
    QString reason;
};

// How received audio compares with the reference.
struct AudioComparison
{
    bool equal = false;
    qint64 firstDifference = -1; // byte offset; -1 when equal
    // Around the first difference: bytes of the reference absent from the
    // received audio, or bytes received twice (or extra). 0 when unknown.
    qint64 missingBytes = 0;
    qint64 duplicatedBytes = 0;
};
AudioComparison compareAudio(const QByteArray &reference, const QByteArray &received);

struct SessionReport
{
    QString id;
    QString state;                  // "waiting" (no connection), "connected", "finished"
    qint64 bytesReceived = 0;       // audio held: each session byte once
    qint64 overlapBytes = 0;        // re-sent bytes already held, dropped
    qint64 resendMismatchBytes = 0; // re-sent bytes that differed from those held
    QByteArray sha256;              // hex, of the audio held
    int connections = 0;
    QList<CloseRecord> closes;
    QStringList errors; // protocol violations seen from the client
    int messagesSent = 0;
    QMap<QString, int> messagesByType;
    bool stopReceived = false;
    bool hasReference = false;
    qint64 referenceBytes = 0;
    AudioComparison reference;

    int reconnects() const { return qMax(0, connections - 1); }
    QJsonObject toJson() const;
};

class GladiaEmulator : public QObject
{
    Q_OBJECT

public:
    explicit GladiaEmulator(QObject *parent = nullptr);

    // Keys accepted in x-gladia-key; with none set, any non-empty key is.
    void setApiKey(const QString &key) { m_apiKeys = {key}; }
    void setApiKeys(const QStringList &keys) { m_apiKeys = keys; }
    // The following apply to sessions created afterwards.
    void setScript(const QList<ScriptedUtterance> &script) { m_script = script; }
    void setReference(const QByteArray &pcm) { m_reference = pcm; }
    // Defaults for new sessions; init refusals count down here.
    GladiaFaults &faults() { return m_faults; }
    // Changes a live session's faults (the init fields are ignored there).
    bool setSessionFaults(const QString &sessionId, const GladiaFaults &faults);

    bool listen(QString *error, const QHostAddress &address = QHostAddress::LocalHost,
                quint16 port = 0);
    QUrl apiUrl() const; // http://HOST:PORT, what a client takes as its API base
    quint16 port() const;

    QList<SessionReport> sessions() const;
    SessionReport session(const QString &id) const;
    QByteArray receivedAudio(const QString &sessionId) const;

Q_SIGNALS:
    void sessionCreated(const QString &id);
    // Ended for good: stop flow done, client closed with 1000, max duration,
    // or DELETE. The report is final.
    void sessionFinished(const roomscribe::test::SessionReport &report);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void onWebSocketConnected();
    void route(QTcpSocket *socket, const http::Request &request);
    void upgrade(QTcpSocket *socket, const http::Request &request);
    void handleInit(QTcpSocket *socket, const http::Request &request);
    void handleJob(QTcpSocket *socket, const http::Request &request, const QString &id);
    void handleFaults(QTcpSocket *socket, const http::Request &request);
    bool authorize(QTcpSocket *socket, const http::Request &request);
    GladiaSession *sessionByToken(const QString &token) const;

    QTcpServer *m_server = nullptr;
    QWebSocketServer *m_webSockets = nullptr;
    QStringList m_apiKeys;
    QList<ScriptedUtterance> m_script;
    QByteArray m_reference;
    GladiaFaults m_faults;
    // In creation order, so reports come out in that order.
    QList<GladiaSession *> m_sessions;
    QHash<QString, GladiaSession *> m_byId;
    QHash<QString, GladiaSession *> m_byToken;
};

} // namespace roomscribe::test
