#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

class QProcess;

namespace roomscribe::test {

// What a participant says: a WAV file as raw s16le 48 kHz stereo, the format
// Track Egress delivers. A WAV already in that format is read as it is (so a
// test can compare bytes exactly); anything else is converted once by sox, in
// the background.
class SpeechSample : public QObject
{
    Q_OBJECT

public:
    static constexpr int kSampleRate_Hz = 48000;
    static constexpr int kChannels = 2;
    static constexpr int kBytesPerFrame = kChannels * 2;

    explicit SpeechSample(const QString &wavPath, QObject *parent = nullptr);

    QString path() const { return m_path; }
    bool isReady() const { return m_ready; }
    // Empty until ready, and when the file could not be read.
    QByteArray pcm() const { return m_pcm; }
    QString error() const { return m_error; }

Q_SIGNALS:
    void ready();

private:
    void convert();
    void finish(const QByteArray &pcm, const QString &error);

    QString m_path;
    QByteArray m_pcm;
    QString m_error;
    bool m_ready = false;
    QProcess *m_sox = nullptr;
};

// The data of a canonical PCM WAV if it is s16le 48 kHz stereo; empty otherwise.
QByteArray readPcm48kStereoWav(const QByteArray &wav);

} // namespace roomscribe::test
