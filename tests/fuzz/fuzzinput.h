#pragma once

#include "ingest/rtmp/amf0.h"
#include "ingest/rtmp/rtmpchunkwriter.h"

#include <QByteArray>

// A valid publisher conversation, shared by the session fuzzer (handshake
// prefix) and the seed corpus (everything after it).
namespace roomscribe::rtmp::fuzz {

inline QByteArray handshake()
{
    QByteArray bytes(1 + 2 * 1536, '\x5a');
    bytes[0] = char(3);
    return bytes;
}

inline Amf0Value text(const char *value)
{
    return Amf0Value::string(QString::fromLatin1(value));
}

inline std::vector<Amf0Value> connectCommand()
{
    return {text("connect"), Amf0Value::number(1),
            Amf0Value::object({{QStringLiteral("app"), text("live")},
                               {QStringLiteral("type"), text("nonprivate")},
                               {QStringLiteral("tcUrl"), text("rtmp://127.0.0.1/live")}})};
}

inline std::vector<Amf0Value> metadata()
{
    return {text("@setDataFrame"), text("onMetaData"),
            Amf0Value::ecmaArray(
                {{QStringLiteral("audiosamplerate"), Amf0Value::number(44100)},
                 {QStringLiteral("stereo"), Amf0Value::boolean(true)},
                 {QStringLiteral("when"), Amf0Value::date(0, 0)},
                 {QStringLiteral("list"), Amf0Value::strictArray({Amf0Value::null()})}})};
}

// Everything a publisher sends after the handshake, chunked at chunkSize.
inline QByteArray conversation(uint32_t chunkSize, int audioMessages)
{
    RtmpChunkWriter writer;
    QByteArray out;
    auto command = [&](uint32_t csid, uint32_t streamId, const std::vector<Amf0Value> &values) {
        writer.writeMessage(out, csid, MessageType::CommandAmf0, streamId, 0, encodeAmf0(values));
    };
    if (chunkSize != RtmpChunkWriter::kDefaultChunkSize)
        writer.writeSetChunkSize(out, chunkSize);
    command(3, 0, connectCommand());
    QByteArray window(4, '\0');
    window[2] = char(0x10);
    writer.writeMessage(out, 2, MessageType::WindowAckSize, 0, 0, window);
    command(3, 0, {text("releaseStream"), Amf0Value::number(2), Amf0Value::null(), text("key")});
    command(3, 0, {text("FCPublish"), Amf0Value::number(3), Amf0Value::null(), text("key")});
    command(3, 0, {text("createStream"), Amf0Value::number(4), Amf0Value::null()});
    command(
        8, 1,
        {text("publish"), Amf0Value::number(5), Amf0Value::null(), text("key?t=1"), text("live")});
    writer.writeMessage(out, 8, MessageType::DataAmf0, 1, 0, encodeAmf0(metadata()));
    writer.writeMessage(out, 2, MessageType::UserControl, 0, 0,
                        QByteArray::fromHex("0006 00000001"));
    for (int i = 0; i < audioMessages; ++i) {
        const QByteArray payload = i == 0 ? QByteArray::fromHex("af001210")
                                          : QByteArray::fromHex("af01") + QByteArray(150, 'a');
        writer.writeMessage(out, 4, MessageType::Audio, 1, uint32_t(i) * 23, payload);
    }
    writer.writeMessage(out, 4, MessageType::Audio, 1, 0x1000000, QByteArray(200, 'b'));
    writer.writeMessage(out, 6, MessageType::Video, 1, 0, QByteArray(300, 'v'));
    command(3, 0, {text("FCUnpublish"), Amf0Value::number(6), Amf0Value::null(), text("key")});
    command(3, 0,
            {text("deleteStream"), Amf0Value::number(7), Amf0Value::null(), Amf0Value::number(1)});
    return out;
}

} // namespace roomscribe::rtmp::fuzz
