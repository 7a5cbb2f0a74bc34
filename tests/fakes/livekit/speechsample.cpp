#include "speechsample.h"

#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QTimer>
#include <QtEndian>

Q_DECLARE_LOGGING_CATEGORY(lcFakeLiveKit)

namespace roomscribe::test {

namespace {

constexpr int kSoxTimeout_ms = 60000;

quint32 le32(const QByteArray &data, qsizetype at)
{
    return qFromLittleEndian<quint32>(data.constData() + at);
}

quint16 le16(const QByteArray &data, qsizetype at)
{
    return qFromLittleEndian<quint16>(data.constData() + at);
}

} // namespace

QByteArray readPcm48kStereoWav(const QByteArray &wav)
{
    if (wav.size() < 12 || !wav.startsWith("RIFF") || wav.mid(8, 4) != "WAVE")
        return {};
    bool formatMatches = false;
    for (qsizetype at = 12; at + 8 <= wav.size();) {
        const QByteArray id = wav.mid(at, 4);
        const qint64 size = le32(wav, at + 4);
        const qsizetype body = at + 8;
        if (id == "fmt " && size >= 16 && body + 16 <= wav.size()) {
            formatMatches =
                le16(wav, body) == 1 /* PCM */ && le16(wav, body + 2) == SpeechSample::kChannels &&
                le32(wav, body + 4) == SpeechSample::kSampleRate_Hz && le16(wav, body + 14) == 16;
        } else if (id == "data") {
            if (!formatMatches)
                return {};
            QByteArray pcm = wav.mid(body, size);
            pcm.truncate(pcm.size() - pcm.size() % SpeechSample::kBytesPerFrame);
            return pcm;
        }
        at = body + size + (size & 1);
    }
    return {};
}

SpeechSample::SpeechSample(const QString &wavPath, QObject *parent)
    : QObject(parent), m_path(wavPath)
{
    QFile file(wavPath);
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = file.errorString();
        m_ready = true;
        qCWarning(lcFakeLiveKit) << "speech sample" << wavPath << ":" << m_error;
        return;
    }
    m_pcm = readPcm48kStereoWav(file.readAll());
    if (!m_pcm.isEmpty()) {
        m_ready = true;
        return;
    }
    convert();
}

void SpeechSample::convert()
{
    m_sox = new QProcess(this);
    m_sox->setProgram(QStringLiteral("sox"));
    m_sox->setArguments({m_path, QStringLiteral("-t"), QStringLiteral("raw"), QStringLiteral("-r"),
                         QString::number(kSampleRate_Hz), QStringLiteral("-c"),
                         QString::number(kChannels), QStringLiteral("-b"), QStringLiteral("16"),
                         QStringLiteral("-e"), QStringLiteral("signed-integer"),
                         QStringLiteral("-L"), QStringLiteral("-")});
    connect(m_sox, &QProcess::finished, this, [this] {
        if (m_sox->exitStatus() == QProcess::NormalExit && m_sox->exitCode() == 0) {
            QByteArray pcm = m_sox->readAllStandardOutput();
            pcm.truncate(pcm.size() - pcm.size() % kBytesPerFrame);
            finish(pcm, {});
        } else {
            finish({}, QStringLiteral("sox failed: %1")
                           .arg(QString::fromUtf8(m_sox->readAllStandardError()).trimmed()));
        }
    });
    connect(m_sox, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            finish({}, QStringLiteral("sox: %1").arg(m_sox->errorString()));
    });
    m_sox->start();
    // A stuck sox must not leave the participant silent for ever unnoticed.
    QProcess *sox = m_sox;
    QTimer::singleShot(kSoxTimeout_ms, sox, [sox] { sox->kill(); });
}

void SpeechSample::finish(const QByteArray &pcm, const QString &error)
{
    if (m_ready)
        return;
    m_pcm = pcm;
    m_error = error;
    if (!error.isEmpty())
        qCWarning(lcFakeLiveKit) << "speech sample" << m_path << ":" << error;
    m_ready = true;
    m_sox->deleteLater();
    m_sox = nullptr;
    Q_EMIT ready();
}

} // namespace roomscribe::test
