#include "stt/gladiaprotocol.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace roomscribe::stt {

CloseAction closeActionFor(int closeCode)
{
    if (closeCode == 1000 || closeCode == 1001)
        return CloseAction::Finish;
    if (closeCode >= 4400 && closeCode <= 4499)
        return CloseAction::Fail;
    if ((closeCode >= 1002 && closeCode <= 4399) || (closeCode >= 4500 && closeCode <= 9999))
        return CloseAction::Reconnect;
    return CloseAction::Invalid;
}

InitOutcome initOutcomeFor(int httpStatus)
{
    if (httpStatus >= 200 && httpStatus <= 299)
        return InitOutcome::Created;
    if (httpStatus == 0 || httpStatus == 408 || httpStatus == 413 || httpStatus == 429 ||
        (httpStatus >= 500 && httpStatus <= 599))
        return InitOutcome::Retry;
    return InitOutcome::Fail;
}

QString errorMessageOf(const QByteArray &body)
{
    const QJsonValue message = QJsonDocument::fromJson(body).object().value(u"message");
    if (message.isString())
        return message.toString();
    if (message.isArray()) {
        QStringList parts;
        for (const QJsonValue &part : message.toArray())
            parts << part.toString();
        return parts.join(QStringLiteral("; "));
    }
    return {};
}

std::optional<InitAnswer> parseInitAnswer(const QByteArray &body, QString *error)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    InitAnswer answer{object.value(u"id").toString(),
                      QUrl(object.value(u"url").toString(), QUrl::StrictMode)};
    const QString scheme = answer.url.scheme();
    if (answer.id.isEmpty() || !answer.url.isValid() || answer.url.host().isEmpty() ||
        (scheme != u"ws" && scheme != u"wss")) {
        *error = QStringLiteral("init answer without a session id and WebSocket URL");
        return std::nullopt;
    }
    return answer;
}

namespace {

MessageType typeOf(const QString &name)
{
    static const QHash<QString, MessageType> types{
        {QStringLiteral("transcript"), MessageType::Transcript},
        {QStringLiteral("speech_start"), MessageType::SpeechStart},
        {QStringLiteral("speech_end"), MessageType::SpeechEnd},
        {QStringLiteral("audio_chunk"), MessageType::AudioChunkAck},
        {QStringLiteral("stop_recording"), MessageType::StopRecordingAck},
        {QStringLiteral("start_session"), MessageType::StartSession},
        {QStringLiteral("start_recording"), MessageType::StartRecording},
        {QStringLiteral("end_recording"), MessageType::EndRecording},
        {QStringLiteral("end_session"), MessageType::EndSession},
        {QStringLiteral("post_transcript"), MessageType::PostTranscript},
        {QStringLiteral("post_final_transcript"), MessageType::PostFinalTranscript},
    };
    return types.value(name, MessageType::Other);
}

QString errorTextOf(const QJsonValue &error)
{
    if (error.isObject())
        return error.toObject().value(u"message").toString(QStringLiteral("unspecified error"));
    if (error.isString())
        return error.toString();
    return {};
}

bool readTranscript(const QJsonObject &data, ServerMessage *message, QString *error)
{
    const QJsonObject utterance = data.value(u"utterance").toObject();
    message->utteranceId = data.value(u"id").toString();
    if (message->utteranceId.isEmpty() || !utterance.value(u"start").isDouble() ||
        !utterance.value(u"end").isDouble()) {
        *error = QStringLiteral("transcript without id, start or end");
        return false;
    }
    message->isFinal = data.value(u"is_final").toBool();
    message->start_s = utterance.value(u"start").toDouble();
    message->end_s = utterance.value(u"end").toDouble();
    message->channel = utterance.value(u"channel").toInt();
    message->language = utterance.value(u"language").toString();
    message->text = utterance.value(u"text").toString();
    for (const QJsonValue &value : utterance.value(u"words").toArray()) {
        const QJsonObject word = value.toObject();
        message->words.push_back({word.value(u"word").toString(), word.value(u"start").toDouble(),
                                  word.value(u"end").toDouble(),
                                  word.value(u"confidence").toDouble()});
    }
    return true;
}

bool readAck(const QJsonObject &object, ServerMessage *message, QString *error)
{
    message->acknowledged = object.value(u"acknowledged").toBool();
    if (!message->acknowledged)
        return true; // the error, if any, is in message->error
    const QJsonArray range = object.value(u"data").toObject().value(u"byte_range").toArray();
    if (range.size() != 2 || !range[0].isDouble() || !range[1].isDouble()) {
        *error = QStringLiteral("audio_chunk acknowledgement without a byte_range");
        return false;
    }
    message->byteStart = int64_t(range[0].toDouble());
    message->byteEnd = int64_t(range[1].toDouble());
    return true;
}

} // namespace

ServerMessage parseServerMessage(const QByteArray &text, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (!document.isObject()) {
        *error = parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                              : QStringLiteral("not a JSON object");
        return {};
    }
    const QJsonObject object = document.object();
    ServerMessage message;
    message.typeName = object.value(u"type").toString();
    if (message.typeName.isEmpty()) {
        *error = QStringLiteral("message without a type");
        return {};
    }
    message.type = typeOf(message.typeName);
    message.error = errorTextOf(object.value(u"error"));
    const QJsonObject data = object.value(u"data").toObject();
    bool ok = true;
    switch (message.type) {
    case MessageType::Transcript:
        ok = readTranscript(data, &message, error);
        break;
    case MessageType::AudioChunkAck:
        ok = readAck(object, &message, error);
        break;
    case MessageType::SpeechStart:
    case MessageType::SpeechEnd:
        message.time_s = data.value(u"time").toDouble();
        message.channel = data.value(u"channel").toInt();
        break;
    case MessageType::StopRecordingAck:
    case MessageType::EndRecording:
        message.time_s = data.value(u"recording_duration").toDouble();
        message.leftToProcess_s = data.value(u"recording_left_to_process").toDouble();
        break;
    default:
        break;
    }
    if (!ok)
        return {};
    return message;
}

} // namespace roomscribe::stt
