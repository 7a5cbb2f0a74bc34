#include "gladiasession.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace roomscribe::test {

namespace {

// PROTOCOLS.md: frames over 1 MiB are closed with 1009.
constexpr quint64 kMaxFrameSize = 1024 * 1024;
// A client that never answers our close frame is cut after this.
constexpr int kCloseTimeout_ms = 5000;
// How many acknowledged offsets a resend is tried against, newest first.
constexpr int kMaxResendCandidates = 256;

QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

double milliRound(double seconds)
{
    return std::round(seconds * 1000) / 1000;
}

bool isInteger(const QJsonValue &value)
{
    return value.isDouble() && value.toDouble() == std::floor(value.toDouble());
}

QStringList wordsOf(const ScriptedUtterance &utterance)
{
    return utterance.text.split(' ', Qt::SkipEmptyParts);
}

// Words spread over the utterance in proportion to their length (a space
// counting as one character); the first `count` of them.
QJsonObject utteranceJson(const ScriptedUtterance &utterance, qsizetype count)
{
    const QStringList words = wordsOf(utterance);
    const qsizetype characters = qMax<qsizetype>(1, words.join(' ').size());
    const double secondsPerCharacter = (utterance.end_s - utterance.start_s) / double(characters);
    QJsonArray wordsJson;
    qsizetype offset = 0;
    double end = utterance.start_s;
    for (qsizetype i = 0; i < count && i < words.size(); ++i) {
        const double start = utterance.start_s + secondsPerCharacter * double(offset);
        offset += words[i].size();
        end = utterance.start_s + secondsPerCharacter * double(offset);
        ++offset;
        wordsJson.append(QJsonObject{{"word", ' ' + words[i]},
                                     {"start", milliRound(start)},
                                     {"end", milliRound(end)},
                                     {"confidence", utterance.confidence}});
    }
    return QJsonObject{{"start", utterance.start_s},
                       {"end", milliRound(end)},
                       {"confidence", utterance.confidence},
                       {"channel", utterance.channel},
                       {"language", utterance.language},
                       {"text", ' ' + words.mid(0, count).join(' ')},
                       {"words", wordsJson}};
}

} // namespace

SessionConfig parseSessionConfig(const QJsonObject &body, QStringList *validationErrors)
{
    SessionConfig config;
    config.request = body;
    QStringList &errors = *validationErrors;

    if (body.contains("encoding")) {
        config.encoding = body.value("encoding").toString();
        static const QStringList encodings{"wav/pcm", "wav/alaw", "wav/ulaw"};
        if (!encodings.contains(config.encoding))
            errors << QStringLiteral("encoding must be one of the following values: %1")
                          .arg(encodings.join(", "));
    }
    const bool companded = config.encoding != QLatin1String("wav/pcm");
    config.bitDepth = companded ? 8 : 16;
    if (body.contains("bit_depth")) {
        const QJsonValue value = body.value("bit_depth");
        const QList<int> allowed = companded ? QList<int>{8} : QList<int>{8, 16, 24, 32};
        if (isInteger(value) && allowed.contains(value.toInt()))
            config.bitDepth = value.toInt();
        else
            errors << QStringLiteral("bit_depth must be %1 for encoding %2")
                          .arg(companded ? "8" : "one of 8, 16, 24, 32", config.encoding);
    }
    if (body.contains("sample_rate")) {
        const QJsonValue value = body.value("sample_rate");
        if (isInteger(value) &&
            QList<int>{8000, 16000, 32000, 44100, 48000}.contains(value.toInt()))
            config.sampleRate = value.toInt();
        else
            errors << QStringLiteral("sample_rate must be one of the following values: 8000, "
                                     "16000, 32000, 44100, 48000");
    }
    if (body.contains("channels")) {
        const QJsonValue value = body.value("channels");
        if (isInteger(value) && value.toInt() >= 1 && value.toInt() <= 8)
            config.channels = value.toInt();
        else
            errors << QStringLiteral("channels must be an integer from 1 to 8");
    }
    for (const char *name : {"endpointing", "maximum_duration_without_endpointing"}) {
        if (body.contains(name) && !body.value(name).isDouble())
            errors << QStringLiteral("%1 must be a number").arg(name);
    }
    for (const char *name : {"language_config", "pre_processing", "realtime_processing",
                             "post_processing", "messages_config", "custom_metadata"}) {
        if (body.contains(name) && !body.value(name).isObject())
            errors << QStringLiteral("%1 must be an object").arg(name);
    }

    const QJsonObject messages = body.value("messages_config").toObject();
    for (auto it = messages.constBegin(); it != messages.constEnd(); ++it) {
        if (!it.value().isBool())
            errors << QStringLiteral("messages_config.%1 must be a boolean").arg(it.key());
    }
    const auto flag = [&](const char *name, bool *field) {
        *field = messages.value(name).toBool(*field);
    };
    flag("receive_partial_transcripts", &config.partialTranscripts);
    flag("receive_final_transcripts", &config.finalTranscripts);
    flag("receive_speech_events", &config.speechEvents);
    flag("receive_acknowledgments", &config.acknowledgments);
    flag("receive_lifecycle_events", &config.lifecycleEvents);
    flag("receive_post_processing_events", &config.postProcessingEvents);
    return config;
}

GladiaSession::GladiaSession(const SessionConfig &config, const QList<ScriptedUtterance> &script,
                             const GladiaFaults &faults, const QByteArray &reference,
                             QObject *parent)
    : QObject(parent), m_id(QUuid::createUuid().toString(QUuid::WithoutBraces)),
      m_token(QUuid::createUuid().toString(QUuid::Id128)), m_createdAt(now()), m_config(config),
      m_script(script), m_reference(reference)
{
    std::stable_sort(m_script.begin(), m_script.end(),
                     [](const ScriptedUtterance &a, const ScriptedUtterance &b) {
                         return a.start_s < b.start_s;
                     });
    m_progress.resize(m_script.size());
    m_ackEnds.append(0);
    m_clock.start();

    m_maxSessionTimer.setSingleShot(true);
    connect(&m_maxSessionTimer, &QTimer::timeout, this, [this] { stopRecording(false); });
    m_stallTimer.setSingleShot(true);
    connect(&m_stallTimer, &QTimer::timeout, this, &GladiaSession::endStall);
    m_ackTimer.setSingleShot(true);
    connect(&m_ackTimer, &QTimer::timeout, this, [this] { sendDueAcks(false); });
    setFaults(faults);
}

void GladiaSession::setFaults(const GladiaFaults &faults)
{
    m_faults = faults;
    m_nextClose = faults.close.afterBytes;
    m_nextDrop = faults.drop.afterBytes;
    m_nextStall = faults.stall.afterBytes;
    if (faults.maxSession_ms > 0 && !m_finished)
        m_maxSessionTimer.start(qMax<qint64>(0, faults.maxSession_ms - m_clock.elapsed()));
    else
        m_maxSessionTimer.stop();
}

void GladiaSession::attach(QWebSocket *socket)
{
    if (m_socket) {
        QWebSocket *previous = m_socket;
        detach({1006, "emulator", "superseded by a new connection"});
        previous->abort();
        previous->deleteLater();
    }
    ++m_connections;
    m_socket = socket;
    socket->setParent(this);
    socket->setMaxAllowedIncomingFrameSize(kMaxFrameSize);
    socket->setMaxAllowedIncomingMessageSize(kMaxFrameSize);
    // A client resumes from the last acknowledgement it saw; the newest one
    // sent is the first guess, checked against its first audio.
    m_cursor = m_ackEnds.last();
    m_aligning = m_cursor < m_audio.size();

    connect(socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
        onFrame({true, data});
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        onFrame({false, text.toUtf8()});
    });
    connect(socket, &QWebSocket::aboutToClose, this, [this] { m_closeFrameSeen = true; });
    connect(socket, &QWebSocket::disconnected, this, &GladiaSession::onDisconnected);
    qCDebug(lcEmulator) << "session" << m_id << "connection" << m_connections << "resumes at"
                        << m_cursor << "holding" << m_audio.size();
    if (m_connections == 1)
        send(Kind::Lifecycle, "start_session");
}

void GladiaSession::terminate()
{
    closeConnection(1000, "session deleted");
    finish();
}

void GladiaSession::onFrame(const Frame &frame)
{
    if (m_stallTimer.isActive())
        m_backlog.append(frame);
    else
        process(frame);
}

void GladiaSession::process(const Frame &frame)
{
    if (frame.binary)
        receiveAudio(frame.data);
    else
        onText(frame.data);
}

void GladiaSession::onText(const QByteArray &text)
{
    const QJsonObject message = QJsonDocument::fromJson(text).object();
    const QString type = message.value("type").toString();
    if (type == QLatin1String("stop_recording")) {
        stopRecording(true);
    } else if (type == QLatin1String("audio_chunk")) {
        const QByteArray chunk =
            message.value("data").toObject().value("chunk").toString().toLatin1();
        const auto decoded =
            QByteArray::fromBase64Encoding(chunk, QByteArray::AbortOnBase64DecodingErrors);
        if (!chunk.isEmpty() && decoded)
            receiveAudio(*decoded);
        else
            send(Kind::Acknowledgment, "audio_chunk",
                 {{"acknowledged", false},
                  {"error",
                   QJsonObject{
                       {"message", recordError("audio_chunk without valid base64 data.chunk")}}},
                  {"data", QJsonValue::Null}});
    } else {
        recordError(
            QStringLiteral("unexpected text message: %1").arg(QString::fromUtf8(text.left(200))));
    }
}

void GladiaSession::receiveAudio(const QByteArray &chunk)
{
    if (chunk.isEmpty())
        return;
    if (m_stopReceived) {
        recordError("audio after stop_recording");
        return;
    }
    if (m_aligning) {
        alignResend(chunk);
        m_aligning = false;
    }
    const qint64 start = m_cursor;
    const qint64 held = m_audio.size();
    qint64 overlap = 0;
    if (start < held) {
        overlap = qMin<qint64>(chunk.size(), held - start);
        if (std::memcmp(chunk.constData(), m_audio.constData() + start, size_t(overlap)) == 0) {
            m_overlapBytes += overlap;
        } else {
            m_resendMismatchBytes += overlap;
            recordError(QStringLiteral("re-sent audio at offset %1 differs from the audio "
                                       "received there before")
                            .arg(start));
        }
    }
    m_audio.append(chunk.constData() + overlap, chunk.size() - overlap);
    m_cursor = start + chunk.size();
    if (!m_recordingStarted) {
        m_recordingStarted = true;
        send(Kind::Lifecycle, "start_recording");
    }
    // Faults count new audio only, so a resend cannot fire them again.
    if (overlap < chunk.size()) {
        if (fires(&m_nextClose, m_faults.close)) {
            closeConnection(m_faults.closeCode, "emulated fault");
            return;
        }
        if (fires(&m_nextDrop, m_faults.drop)) {
            dropConnection();
            return;
        }
    }
    queueAck(start, m_cursor);
    advanceScript(false);
    if (overlap < chunk.size() && fires(&m_nextStall, m_faults.stall))
        beginStall();
}

void GladiaSession::alignResend(const QByteArray &chunk)
{
    const qint64 held = m_audio.size();
    int tried = 0;
    for (auto it = m_ackEnds.crbegin(); it != m_ackEnds.crend() && tried < kMaxResendCandidates;
         ++it, ++tried) {
        const qint64 offset = *it;
        const qint64 length = qMin<qint64>(chunk.size(), held - offset);
        if (std::memcmp(chunk.constData(), m_audio.constData() + offset, size_t(length)) == 0) {
            m_cursor = offset;
            return;
        }
    }
    recordError(QStringLiteral("audio after reconnecting matches no acknowledged offset (a "
                               "re-send from %1 was expected); taken as new audio")
                    .arg(m_cursor));
    m_cursor = held;
}

bool GladiaSession::fires(qint64 *next, const ByteTrigger &trigger)
{
    if (*next < 0 || m_audio.size() < *next)
        return false;
    *next = trigger.repeat && trigger.afterBytes > 0 ? m_audio.size() + trigger.afterBytes : -1;
    return true;
}

void GladiaSession::queueAck(qint64 start, qint64 end)
{
    if (m_faults.ackDelay_ms <= 0 && m_pendingAcks.isEmpty()) {
        sendAck(start, end);
        return;
    }
    m_pendingAcks.append({m_clock.elapsed() + qMax(0, m_faults.ackDelay_ms), start, end});
    if (!m_ackTimer.isActive())
        m_ackTimer.start(int(qMax<qint64>(0, m_pendingAcks.first().due_ms - m_clock.elapsed())));
}

void GladiaSession::sendDueAcks(bool all)
{
    while (!m_pendingAcks.isEmpty() && (all || m_pendingAcks.first().due_ms <= m_clock.elapsed())) {
        const PendingAck ack = m_pendingAcks.takeFirst();
        sendAck(ack.start, ack.end);
    }
    if (!m_pendingAcks.isEmpty())
        m_ackTimer.start(int(qMax<qint64>(0, m_pendingAcks.first().due_ms - m_clock.elapsed())));
}

void GladiaSession::sendAck(qint64 start, qint64 end)
{
    const bool sent =
        send(Kind::Acknowledgment, "audio_chunk",
             {{"acknowledged", true},
              {"error", QJsonValue::Null},
              {"data", QJsonObject{{"byte_range", QJsonArray{start, end}},
                                   {"time_range", QJsonArray{seconds(start), seconds(end)}}}}});
    // Only offsets a client can have seen are resume candidates.
    const auto at = std::lower_bound(m_ackEnds.begin(), m_ackEnds.end(), end);
    if (sent && (at == m_ackEnds.end() || *at != end))
        m_ackEnds.insert(at, end);
}

void GladiaSession::advanceScript(bool endOfAudio)
{
    const double heard = seconds(m_audio.size());
    for (qsizetype i = 0; i < m_script.size(); ++i) {
        const ScriptedUtterance &utterance = m_script[i];
        UtteranceProgress &progress = m_progress[i];
        if (progress.finalSent || heard < utterance.start_s)
            continue;
        if (!progress.speechStarted) {
            progress.speechStarted = true;
            send(Kind::SpeechEvent, "speech_start",
                 {{"data",
                   QJsonObject{{"time", utterance.start_s}, {"channel", utterance.channel}}}});
        }
        const bool done = endOfAudio || heard >= utterance.end_s;
        if (!done && !progress.partialSent && heard >= (utterance.start_s + utterance.end_s) / 2) {
            progress.partialSent = true;
            sendUtterance(int(i), false);
        }
        if (done) {
            progress.finalSent = true;
            send(
                Kind::SpeechEvent, "speech_end",
                {{"data", QJsonObject{{"time", utterance.end_s}, {"channel", utterance.channel}}}});
            sendUtterance(int(i), true);
        }
    }
}

void GladiaSession::sendUtterance(int index, bool final)
{
    const ScriptedUtterance &utterance = m_script[index];
    const qsizetype words = wordsOf(utterance).size();
    const QString id = QStringLiteral("%1-%2")
                           .arg(utterance.channel, 2, 10, QChar('0'))
                           .arg(index, 8, 10, QChar('0'));
    send(final ? Kind::FinalTranscript : Kind::PartialTranscript, "transcript",
         {{"data",
           QJsonObject{{"id", id},
                       {"is_final", final},
                       {"utterance", utteranceJson(utterance, final ? words : (words + 1) / 2)}}}});
}

void GladiaSession::stopRecording(bool acknowledge)
{
    if (m_finished)
        return;
    m_stopReceived = acknowledge;
    sendDueAcks(true);
    const double duration = seconds(m_audio.size());
    if (acknowledge) {
        double processed = 0;
        for (qsizetype i = 0; i < m_script.size(); ++i) {
            if (m_progress[i].finalSent)
                processed = qMax(processed, m_script[i].end_s);
        }
        send(Kind::Acknowledgment, "stop_recording",
             {{"acknowledged", true},
              {"error", QJsonValue::Null},
              {"data", QJsonObject{{"recording_duration", duration},
                                   {"recording_left_to_process",
                                    milliRound(qMax(0.0, duration - processed))}}}});
    }
    advanceScript(true);
    send(Kind::Lifecycle, "end_recording",
         {{"data", QJsonObject{{"recording_duration", duration}}}});
    send(Kind::PostProcessing, "post_transcript", {{"data", transcription()}});
    send(Kind::PostProcessing, "post_final_transcript",
         {{"data",
           QJsonObject{{"metadata", resultMetadata()}, {"transcription", transcription()}}}});
    send(Kind::Lifecycle, "end_session");
    closeConnection(1000, QString());
    finish();
}

void GladiaSession::beginStall()
{
    qCDebug(lcEmulator) << "session" << m_id << "stalls for" << m_faults.stall_ms << "ms";
    m_stallTimer.start(qMax(0, m_faults.stall_ms));
}

void GladiaSession::endStall()
{
    while (!m_backlog.isEmpty() && m_socket && !m_stallTimer.isActive())
        process(m_backlog.takeFirst());
}

void GladiaSession::closeConnection(int code, const QString &reason)
{
    QWebSocket *socket = m_socket;
    if (!socket)
        return;
    detach({code, "emulator", reason});
    connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(kCloseTimeout_ms, socket, &QWebSocket::abort);
    socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void GladiaSession::dropConnection()
{
    QWebSocket *socket = m_socket;
    if (!socket)
        return;
    detach({1006, "emulator", "emulated TCP drop"});
    // Acknowledgements already sent must reach the client, or it would
    // resume from an older offset than the one recorded here.
    socket->flush();
    socket->abort();
    socket->deleteLater();
}

void GladiaSession::detach(const CloseRecord &record)
{
    qCDebug(lcEmulator) << "session" << m_id << "connection ends:" << record.code << record.by
                        << record.reason;
    m_closes.append(record);
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket = nullptr;
    m_aligning = false;
    m_closeFrameSeen = false;
    m_backlog.clear();
    m_stallTimer.stop();
    m_pendingAcks.clear();
    m_ackTimer.stop();
}

void GladiaSession::onDisconnected()
{
    QWebSocket *socket = m_socket;
    CloseRecord record{1006, "network", QString()};
    if (m_closeFrameSeen) {
        record.code = socket->closeCode();
        record.reason = socket->closeReason();
        // Qt closes on its own for protocol violations (an oversized frame
        // is 1009); those are the server's doing, not the client's.
        static const QList<int> protocolCodes{1002, 1003, 1007, 1009};
        record.by = protocolCodes.contains(record.code) ? "emulator" : "client";
        if (record.by == QLatin1String("emulator"))
            recordError(QStringLiteral("closed with %1: %2").arg(record.code).arg(record.reason));
    }
    detach(record);
    socket->deleteLater();
    // Closing with 1000 instead of stop_recording also ends a session.
    if (record.by == QLatin1String("client") && record.code == 1000)
        finish();
}

void GladiaSession::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_completedAt = now();
    m_maxSessionTimer.stop();
    qCDebug(lcEmulator) << "session" << m_id << "finished";
    Q_EMIT finished();
}

bool GladiaSession::send(Kind kind, const QString &type, const QJsonObject &fields)
{
    bool wanted = false;
    switch (kind) {
    case Kind::Invalid:
        break;
    case Kind::Acknowledgment:
        wanted = m_config.acknowledgments;
        break;
    case Kind::Lifecycle:
        wanted = m_config.lifecycleEvents;
        break;
    case Kind::SpeechEvent:
        wanted = m_config.speechEvents;
        break;
    case Kind::PartialTranscript:
        wanted = m_config.partialTranscripts;
        break;
    case Kind::FinalTranscript:
        wanted = m_config.finalTranscripts;
        break;
    case Kind::PostProcessing:
        wanted = m_config.postProcessingEvents;
        break;
    }
    if (!wanted || !m_socket)
        return false;
    QJsonObject message = fields;
    message.insert("session_id", m_id);
    message.insert("created_at", now());
    message.insert("type", type);
    m_socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    ++m_messagesSent;
    ++m_messagesByType[type];
    return true;
}

QString GladiaSession::recordError(const QString &error)
{
    qCWarning(lcEmulator) << "session" << m_id << error;
    m_errors << error;
    return error;
}

double GladiaSession::seconds(qint64 bytes) const
{
    return double(bytes) / m_config.bytesPerSecond();
}

QJsonObject GladiaSession::transcription() const
{
    QJsonArray utterances;
    QStringList texts;
    QStringList languages;
    for (qsizetype i = 0; i < m_script.size(); ++i) {
        if (!m_progress[i].finalSent)
            continue;
        const ScriptedUtterance &utterance = m_script[i];
        utterances.append(utteranceJson(utterance, wordsOf(utterance).size()));
        texts << utterance.text.trimmed();
        if (!languages.contains(utterance.language))
            languages << utterance.language;
    }
    return QJsonObject{{"full_transcript", texts.join(' ')},
                       {"languages", QJsonArray::fromStringList(languages)},
                       {"utterances", utterances}};
}

QJsonObject GladiaSession::resultMetadata() const
{
    const double duration = seconds(m_audio.size());
    return QJsonObject{{"audio_duration", duration},
                       {"number_of_distinct_channels", m_config.channels},
                       {"billing_time", duration * m_config.channels},
                       {"transcription_time", milliRound(m_clock.elapsed() / 1000.0)}};
}

SessionReport GladiaSession::report() const
{
    SessionReport report;
    report.id = m_id;
    report.state = m_finished ? "finished" : (m_socket ? "connected" : "waiting");
    report.bytesReceived = m_audio.size();
    report.overlapBytes = m_overlapBytes;
    report.resendMismatchBytes = m_resendMismatchBytes;
    report.sha256 = QCryptographicHash::hash(m_audio, QCryptographicHash::Sha256).toHex();
    report.connections = m_connections;
    report.closes = m_closes;
    report.errors = m_errors;
    report.messagesSent = m_messagesSent;
    report.messagesByType = m_messagesByType;
    report.stopReceived = m_stopReceived;
    report.hasReference = !m_reference.isEmpty();
    if (report.hasReference) {
        report.referenceBytes = m_reference.size();
        report.reference = compareAudio(m_reference, m_audio);
    }
    return report;
}

QJsonObject GladiaSession::jobJson() const
{
    QJsonObject job{{"id", m_id},
                    {"request_id", QStringLiteral("G-%1").arg(m_id.left(8))},
                    {"version", 2},
                    {"kind", "live"},
                    {"status", m_finished ? "done" : "processing"},
                    {"created_at", m_createdAt},
                    {"completed_at", m_finished ? QJsonValue(m_completedAt) : QJsonValue()},
                    {"custom_metadata", m_config.request.value("custom_metadata")},
                    {"request_params", m_config.request},
                    {"error_code", QJsonValue::Null}};
    job.insert("result", m_finished ? QJsonValue(QJsonObject{{"metadata", resultMetadata()},
                                                             {"transcription", transcription()}})
                                    : QJsonValue());
    return job;
}

} // namespace roomscribe::test
