// gladia-emulator: the Gladia Live v2 emulator as a program, for clients that
// are not Qt (the official npm SDK among them). See README.md.

#include "gladiaemulator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonObject>

#include <cstdio>

using namespace roomscribe::test;

namespace {

struct FaultOption
{
    const char *name; // JSON key with '-' for '_'
    const char *help;
    const char *value; // nullptr: a flag
};

const FaultOption kFaultOptions[] = {
    {"init-error", "Answer POST /v2/live with this HTTP status (401, 422, 429, 500...).", "STATUS"},
    {"init-error-count", "Only for the first K init attempts (default: every one).", "K"},
    {"close-after", "Close the WebSocket once a session holds BYTES of audio.", "BYTES"},
    {"close-code", "Close code for --close-after (default 1011).", "CODE"},
    {"close-repeat", "Close again after every further BYTES.", nullptr},
    {"drop-after", "Cut the TCP connection (no close frame) once a session holds BYTES.", "BYTES"},
    {"drop-repeat", "Cut again after every further BYTES.", nullptr},
    {"stall-after", "Stop reading and acknowledging once a session holds BYTES.", "BYTES"},
    {"stall-ms", "How long a stall lasts.", "MS"},
    {"stall-repeat", "Stall again after every further BYTES.", nullptr},
    {"ack-delay-ms", "Delay every acknowledgement by MS.", "MS"},
    {"max-session-ms", "End every session MS after its init.", "MS"},
};

QByteArray readFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return {};
    }
    return file.readAll();
}

int fail(const QString &message)
{
    std::fprintf(stderr, "gladia-emulator: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Emulates Gladia's real-time STT API (Live v2) for tests. GET /_emulator/sessions reports "
        "every session; POST /_emulator/faults changes faults at run time.");
    parser.addHelpOption();
    parser.addOptions({
        {"listen", "Address and port to listen on (port 0: any free one).", "HOST:PORT",
         "127.0.0.1:0"},
        {"api-key", "Accepted x-gladia-key (repeatable; none given: any key).", "KEY"},
        {"script", "JSON array of {start_s, end_s, text, language?, channel?} utterances.", "FILE"},
        {"reference", "Raw PCM every session's audio is compared with.", "FILE"},
    });
    for (const FaultOption &option : kFaultOptions) {
        parser.addOption(option.value ? QCommandLineOption(option.name, option.help, option.value)
                                      : QCommandLineOption(option.name, option.help));
    }
    parser.process(app);

    GladiaEmulator emulator;
    emulator.setApiKeys(parser.values("api-key"));
    QString error;
    if (parser.isSet("script")) {
        const QByteArray json = readFile(parser.value("script"), &error);
        const QList<ScriptedUtterance> script =
            error.isEmpty() ? parseScript(json, &error) : QList<ScriptedUtterance>();
        if (!error.isEmpty())
            return fail(QStringLiteral("--script: %1").arg(error));
        emulator.setScript(script);
    }
    if (parser.isSet("reference")) {
        const QByteArray pcm = readFile(parser.value("reference"), &error);
        if (!error.isEmpty())
            return fail(error);
        emulator.setReference(pcm);
    }
    QJsonObject faults;
    for (const FaultOption &option : kFaultOptions) {
        if (!parser.isSet(option.name))
            continue;
        const QString key = QString::fromLatin1(option.name).replace('-', '_');
        if (!option.value) {
            faults.insert(key, true);
            continue;
        }
        bool ok = false;
        const qint64 number = parser.value(option.name).toLongLong(&ok);
        if (!ok)
            return fail(QStringLiteral("--%1 needs a number").arg(option.name));
        faults.insert(key, number);
    }
    emulator.faults().merge(faults);

    const QString listen = parser.value("listen");
    const qsizetype colon = listen.lastIndexOf(':');
    bool portOk = false;
    const uint port = listen.mid(colon + 1).toUInt(&portOk);
    const QHostAddress address(listen.left(colon));
    if (colon < 0 || !portOk || port > 65535 || address.isNull())
        return fail(QStringLiteral("--listen needs HOST:PORT, got %1").arg(listen));
    if (!emulator.listen(&error, address, quint16(port)))
        return fail(QStringLiteral("cannot listen on %1: %2").arg(listen, error));

    std::printf("listening on %s\n", qPrintable(emulator.apiUrl().toString()));
    std::fflush(stdout);
    return app.exec();
}
