#pragma once

#include "gladiaemulator.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QWebSocket>

namespace roomscribe::test {

// What POST /v2/live asked for, with Gladia's defaults where it did not.
struct SessionConfig
{
    QString encoding = QStringLiteral("wav/pcm");
    int bitDepth = 16;
    int sampleRate = 16000;
    int channels = 1;
    // messages_config
    bool partialTranscripts = false;
    bool finalTranscripts = true;
    bool speechEvents = true;
    bool acknowledgments = true;
    bool lifecycleEvents = false;
    bool postProcessingEvents = true;
    QJsonObject request; // the body as posted

    double bytesPerSecond() const { return double(sampleRate) * bitDepth / 8 * channels; }
};

// Validates an init body the way the API does: unknown fields pass, known
// ones must hold allowed values. Problems are listed in *validationErrors.
SessionConfig parseSessionConfig(const QJsonObject &body, QStringList *validationErrors);

// One live session: it outlives its WebSocket connections, so a client that
// reconnects to the same URL continues it (see resume rules in README.md).
class GladiaSession : public QObject
{
    Q_OBJECT

public:
    GladiaSession(const SessionConfig &config, const QList<ScriptedUtterance> &script,
                  const GladiaFaults &faults, const QByteArray &reference,
                  QObject *parent = nullptr);

    QString id() const { return m_id; }
    QString token() const { return m_token; }
    QString createdAt() const { return m_createdAt; }
    bool isFinished() const { return m_finished; }
    QByteArray audio() const { return m_audio; }

    GladiaFaults faults() const { return m_faults; }
    void setFaults(const GladiaFaults &faults);
    // A new WebSocket connection for this session; a previous one is cut.
    void attach(QWebSocket *socket);
    // DELETE /v2/live/{id}: ends the session without post-processing.
    void terminate();

    SessionReport report() const;
    // GET /v2/live/{id}
    QJsonObject jobJson() const;

Q_SIGNALS:
    void finished();

private:
    enum class Kind {
        Invalid,
        Acknowledgment,
        Lifecycle,
        SpeechEvent,
        PartialTranscript,
        FinalTranscript,
        PostProcessing,
    };
    struct Frame
    {
        bool binary = false;
        QByteArray data;
    };
    struct PendingAck
    {
        qint64 due_ms = 0;
        qint64 start = 0;
        qint64 end = 0;
    };
    struct UtteranceProgress
    {
        bool speechStarted = false;
        bool partialSent = false;
        bool finalSent = false;
    };

    void onFrame(const Frame &frame);
    void process(const Frame &frame);
    void onText(const QByteArray &text);
    void receiveAudio(const QByteArray &chunk);
    void alignResend(const QByteArray &chunk);
    bool fires(qint64 *next, const ByteTrigger &trigger);
    void queueAck(qint64 start, qint64 end);
    void sendDueAcks(bool all);
    void sendAck(qint64 start, qint64 end);
    // Emits what the audio held so far implies; at the end of the audio,
    // every utterance that has begun is final.
    void advanceScript(bool endOfAudio);
    void sendUtterance(int index, bool final);
    void stopRecording(bool acknowledge);
    void beginStall();
    void endStall();
    void closeConnection(int code, const QString &reason);
    void dropConnection();
    void detach(const CloseRecord &record);
    void onDisconnected();
    void finish();
    // False when messages_config turned this kind off or nothing is connected.
    bool send(Kind kind, const QString &type, const QJsonObject &fields = {});
    QString recordError(const QString &error);
    double seconds(qint64 bytes) const;
    QJsonObject transcription() const;
    QJsonObject resultMetadata() const;

    const QString m_id;
    const QString m_token;
    const QString m_createdAt;
    const SessionConfig m_config;
    QList<ScriptedUtterance> m_script; // sorted by start
    QList<UtteranceProgress> m_progress;
    const QByteArray m_reference;
    GladiaFaults m_faults;
    QElapsedTimer m_clock; // since init
    QTimer m_maxSessionTimer;

    QByteArray m_audio; // every session byte once, in session order
    qint64 m_overlapBytes = 0;
    qint64 m_resendMismatchBytes = 0;
    QList<qint64> m_ackEnds; // every acknowledged end sent, ascending, from 0
    bool m_recordingStarted = false;
    bool m_stopReceived = false;
    bool m_finished = false;
    QString m_completedAt;
    qint64 m_nextClose = -1;
    qint64 m_nextDrop = -1;
    qint64 m_nextStall = -1;

    // The current connection.
    QPointer<QWebSocket> m_socket;
    qint64 m_cursor = 0;     // session offset of the next byte it sends
    bool m_aligning = false; // its first audio decides where the resend starts
    bool m_closeFrameSeen = false;
    QList<Frame> m_backlog; // arrived during a stall
    QTimer m_stallTimer;
    QList<PendingAck> m_pendingAcks;
    QTimer m_ackTimer;

    int m_connections = 0;
    QList<CloseRecord> m_closes;
    QStringList m_errors;
    int m_messagesSent = 0;
    QMap<QString, int> m_messagesByType;
};

} // namespace roomscribe::test
