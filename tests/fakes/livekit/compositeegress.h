#pragma once

#include "egressmedia.h"

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTimer>

namespace roomscribe::test {

struct CompositeConfig
{
    QStringList urls;        // rtmp(s)://…, exactly as requested
    QStringList samplePaths; // WAV files mixed in, each played once from the start
    int audioFrequency_Hz = 44100;
    int audioBitrate_kbps = 128;
};

// A Room Composite egress, audio only, to RTMP: a gst-launch-1.0 process with
// the elements LiveKit Egress uses (shared/PROTOCOLS.md, "What the media looks
// like"; voaacenc stands in for faac): the speech samples mixed with a live
// silent source, so the stream is continuous, encoded to stereo AAC, muxed to
// FLV and published by rtmp2sink.
//
// Running once rtmp2sink reports its connection. If the first connection
// fails, the egress fails. A connection lost later is retried every second,
// as Egress retries its streams (StreamInfo.retries); after
// kMaxFailedRetries attempts in a row that never connect, the egress fails.
class CompositeEgress : public EgressMedia
{
    Q_OBJECT

public:
    static constexpr int kMaxFailedRetries = 30;

    explicit CompositeEgress(const CompositeConfig &config, QObject *parent = nullptr);
    ~CompositeEgress() override;

    void start() override;
    // SIGINT: with -e, gst-launch sends EOS so that rtmp2sink closes the
    // stream properly; killed if it lingers.
    void stop() override;

    // gst-launch-1.0's arguments for `config`.
    static QStringList launchArguments(const CompositeConfig &config);

private:
    void launch();
    void onOutput();
    void onProcessEnded();
    void finish(const QString &error);

    CompositeConfig m_config;
    QProcess *m_process = nullptr;
    QByteArray m_pending; // output not yet split into lines
    QString m_lastError;
    bool m_connected = false; // in the current attempt
    bool m_everConnected = false;
    bool m_stopping = false;
    bool m_finished = false;
    int m_failedRetries = 0;
    QTimer m_retryTimer;
    QTimer m_killTimer;
};

} // namespace roomscribe::test
