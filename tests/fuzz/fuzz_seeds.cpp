#include "fuzzinput.h"
#include "livekitfuzzinput.h"
#include "publish/websocketprotocol.h"
#include "signalfuzzinput.h"

#include <QDir>
#include <QFile>

#include <cstdio>

using namespace roomscribe::rtmp;
namespace lkfuzz = roomscribe::livekit::fuzz;

namespace {

bool writeSeed(const QString &dir, const QString &name, const QByteArray &bytes)
{
    QFile file(dir + QLatin1Char('/') + name);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

// fuzz_seeds OUTPUT_DIR: writes OUTPUT_DIR/<target> for every target.
int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
        return 2;
    }
    const QString root = QString::fromLocal8Bit(argv[1]);
    const QString amf0Dir = root + QStringLiteral("/fuzz_amf0");
    const QString sessionDir = root + QStringLiteral("/fuzz_rtmp_session");
    if (!QDir().mkpath(amf0Dir) || !QDir().mkpath(sessionDir))
        return 1;

    bool ok = writeSeed(amf0Dir, QStringLiteral("connect"), encodeAmf0(fuzz::connectCommand())) &&
              writeSeed(amf0Dir, QStringLiteral("metadata"), encodeAmf0(fuzz::metadata())) &&
              writeSeed(amf0Dir, QStringLiteral("markers"),
                        QByteArray::fromHex("0f00000001 41 10 0001 43 0000 09 0d 0c 00000000 06"));
    // Control byte: split in the middle, publish accepted or deferred.
    const std::pair<uint32_t, int> shapes[] = {{128, 3}, {4096, 3}, {1, 1}, {60, 2}};
    int index = 0;
    for (const auto &[chunkSize, audio] : shapes) {
        for (char control : {char(0x40), char(0xc0)}) {
            ok = ok && writeSeed(sessionDir, QStringLiteral("conversation%1").arg(index++),
                                 control + fuzz::conversation(chunkSize, audio));
        }
    }

    const QString webhookDir = root + QStringLiteral("/fuzz_livekit_webhook");
    const QString httpDir = root + QStringLiteral("/fuzz_webhook_http");
    if (!QDir().mkpath(webhookDir) || !QDir().mkpath(httpDir))
        return 1;
    index = 0;
    for (const QByteArray &json : lkfuzz::jsonSamples()) {
        // Signed, so that the fuzzer starts past the signature check.
        ok = ok &&
             writeSeed(webhookDir, QStringLiteral("signed%1").arg(index),
                       lkfuzz::signedWebhook(json)) &&
             writeSeed(webhookDir, QStringLiteral("unsigned%1").arg(index),
                       lkfuzz::webhookInput({}, json));
        ++index;
    }
    index = 0;
    for (const QByteArray &request : lkfuzz::httpSamples()) {
        // Control byte: pieces of 7 bytes and a 4 KiB bound; of 1 byte and a 64-byte bound.
        for (char control : {char(0x07), char(0x81)}) {
            ok = ok &&
                 writeSeed(httpDir, QStringLiteral("request%1").arg(index++), control + request);
        }
    }

    // Client frames: a ping, a fragmented text with a pong inside, a close.
    const QString frameDir = root + QStringLiteral("/fuzz_websocket_frames");
    if (!QDir().mkpath(frameDir))
        return 1;
    namespace ws = roomscribe::publish;
    const QByteArray frames =
        ws::encodeClientFrame(ws::WsOpcode::Ping, "ping", 0x01020304) +
        ws::encodeClientFrame(ws::WsOpcode::Text, "hel", 0x0a0b0c0d, false) +
        ws::encodeClientFrame(ws::WsOpcode::Pong, "", 0x11111111) +
        ws::encodeClientFrame(ws::WsOpcode::Continuation, "lo", 0x22222222) +
        ws::encodeClientFrame(ws::WsOpcode::Binary, QByteArray(300, 'b'), 0x33333333) +
        ws::encodeClientFrame(ws::WsOpcode::Close, QByteArray::fromHex("03e8") + "bye", 0x44444444);
    // Control byte: pieces of 5 bytes and a 4 KiB bound; of 1 byte and a 64-byte bound.
    ok = ok && writeSeed(frameDir, QStringLiteral("frames0"), char(0x05) + frames) &&
         writeSeed(frameDir, QStringLiteral("frames1"), char(0x81) + frames);

    const QString signalDir = root + QStringLiteral("/fuzz_livekit_signal");
    if (!QDir().mkpath(signalDir))
        return 1;
    index = 0;
    for (const QByteArray &frame : lkfuzz::signalSamples())
        ok = ok && writeSeed(signalDir, QStringLiteral("frame%1").arg(index++), frame);

    // Opus RTP: length-prefixed packets of Opus's 20 ms silence frame, with a
    // gap, a duplicate and a padded packet with a CSRC and an extension.
    const QString opusDir = root + QStringLiteral("/fuzz_opus_rtp");
    if (!QDir().mkpath(opusDir))
        return 1;
    const auto rtp = [](int sequence, QByteArray header = QByteArray::fromHex("806f")) {
        const QByteArray packet = header + char(sequence >> 8) + char(sequence) +
                                  QByteArray::fromHex("000003c0abcdef01") +
                                  QByteArray::fromHex("f8fffe");
        return QByteArray(1, char(packet.size() >> 8)) + char(packet.size()) + packet;
    };
    const QByteArray padded = QByteArray::fromHex("00 1d b16f0002 00000780 abcdef01 11111111"
                                                  "bede0001 01020304 f8fffe 0002");
    ok = ok && writeSeed(opusDir, QStringLiteral("packets"),
                         rtp(0) + rtp(1) + rtp(4) + rtp(4) + rtp(3) + padded);
    return ok ? 0 : 1;
}
