#pragma once

#include "egressmedia.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace roomscribe::test {

class SpeechSample;

// A Track Egress to a WebSocket (shared/PROTOCOLS.md, "What the media looks
// like"): dials the URL with `Content-Type: audio/x-raw` and sends binary
// frames of 10 ms of s16le 48 kHz stereo, paced in real time: the speech
// sample from its start, then silence. While the track is muted it sends
// {"muted":true} and no audio until {"muted":false}; the sample keeps playing
// meanwhile, as a muted speaker keeps talking. A ping every 30 s.
//
// Running once the WebSocket is open; a refused or failed connection, or one
// the server closes, fails the egress.
class TrackEgress : public EgressMedia
{
    Q_OBJECT

public:
    static constexpr int kFrame_ms = 10;
    static constexpr int kFrameBytes = 48000 / 1000 * kFrame_ms * 2 * 2;

    TrackEgress(const QUrl &url, SpeechSample *sample, bool muted, QObject *parent = nullptr);
    ~TrackEgress() override;

    void start() override;
    // Close 1000, as at the end of a track.
    void stop() override;
    void setMuted(bool muted);

    qint64 audioBytesSent() const { return m_audioBytes; }
    int audioFramesSent() const { return m_audioFrames; }

private:
    void onConnected();
    void onDisconnected();
    void sendDueFrames();
    void finish(const QString &error);

    QUrl m_url;
    QPointer<SpeechSample> m_sample;
    bool m_muted = false;
    QWebSocket *m_socket = nullptr;
    bool m_open = false;
    bool m_stopping = false;
    bool m_finished = false;
    QElapsedTimer m_clock;
    qint64 m_framesElapsed = 0; // 10 ms steps since the socket opened
    qint64 m_samplePosition = 0;
    qint64 m_audioBytes = 0;
    int m_audioFrames = 0;
    QTimer m_frameTimer;
    QTimer m_pingTimer;
    QTimer m_closeTimer;
};

} // namespace roomscribe::test
