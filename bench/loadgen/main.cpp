// roomscribe-loadgen: publishes N concurrent RTMP audio streams replaying one
// AAC FLV file in real time, from one thread, and reports progress as JSON lines.

#include "flvaudio.h"
#include "loadgenerator.h"
#include "publisher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QTextStream>

#include <sys/resource.h>

#include <cstdio>

using namespace roomscribe::bench;

namespace {

QStringList readLines(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return {};
    }
    QStringList lines;
    QTextStream in(&file);
    while (!in.atEnd()) {
        const QString line = in.readLine().trimmed();
        if (!line.isEmpty())
            lines.append(line);
    }
    return lines;
}

// Builds one target per stream from --urls, or from --url plus --keys.
bool makeTargets(const QCommandLineParser &args, int streams, std::vector<PublishTarget> *targets,
                 QString *error)
{
    QStringList urls;
    if (args.isSet(QStringLiteral("urls"))) {
        urls = readLines(args.value(QStringLiteral("urls")), error);
    } else if (args.isSet(QStringLiteral("url")) && args.isSet(QStringLiteral("keys"))) {
        QString base = args.value(QStringLiteral("url"));
        if (!base.endsWith(QLatin1Char('/')))
            base.append(QLatin1Char('/'));
        for (const QString &key : readLines(args.value(QStringLiteral("keys")), error))
            urls.append(base + key);
    } else {
        *error = QStringLiteral("give --urls FILE, or --url URL with --keys FILE");
        return false;
    }
    if (!error->isEmpty())
        return false;
    if (urls.size() < streams) {
        *error = QStringLiteral("%1 streams asked for, only %2 URLs or keys given")
                     .arg(streams)
                     .arg(urls.size());
        return false;
    }
    for (int i = 0; i < streams; ++i) {
        PublishTarget target;
        if (!PublishTarget::fromUrl(urls[i], &target, error))
            return false;
        targets->push_back(target);
    }
    return true;
}

// Each stream is one socket: lift the soft descriptor limit to the hard one.
void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("roomscribe-loadgen"));

    QCommandLineParser args;
    args.setApplicationDescription(
        QStringLiteral("Publishes N concurrent RTMP streams replaying an AAC FLV file in real "
                       "time; prints a JSON line every --report-s seconds and at the end."));
    args.addHelpOption();
    args.addOptions({
        {QStringLiteral("flv"), QStringLiteral("AAC FLV file to replay."), QStringLiteral("FILE")},
        {QStringLiteral("url"), QStringLiteral("Base URL rtmp://HOST:PORT/APP/ (with --keys)."),
         QStringLiteral("URL")},
        {QStringLiteral("keys"), QStringLiteral("Stream keys, one a line; stream i uses line i."),
         QStringLiteral("FILE")},
        {QStringLiteral("urls"), QStringLiteral("Full rtmp:// URLs, one a line, one per stream."),
         QStringLiteral("FILE")},
        {QStringLiteral("streams"), QStringLiteral("Number of streams."), QStringLiteral("N"),
         QStringLiteral("1")},
        {QStringLiteral("duration-s"), QStringLiteral("Run time, then close all and exit."),
         QStringLiteral("S"), QStringLiteral("60")},
        {QStringLiteral("ramp-s"), QStringLiteral("Spread stream starts over this time."),
         QStringLiteral("S"), QStringLiteral("2")},
        {QStringLiteral("report-s"), QStringLiteral("Report interval."), QStringLiteral("S"),
         QStringLiteral("1")},
    });
    args.process(app);

    bool ok = false;
    const int streams = args.value(QStringLiteral("streams")).toInt(&ok);
    LoadGenerator::Options options;
    bool durationOk = false;
    bool rampOk = false;
    bool reportOk = false;
    options.duration_s = args.value(QStringLiteral("duration-s")).toDouble(&durationOk);
    options.ramp_s = args.value(QStringLiteral("ramp-s")).toDouble(&rampOk);
    options.report_s = args.value(QStringLiteral("report-s")).toDouble(&reportOk);
    if (!ok || streams < 1 || !durationOk || options.duration_s <= 0 || !rampOk ||
        options.ramp_s < 0 || !reportOk || options.report_s <= 0 ||
        !args.isSet(QStringLiteral("flv"))) {
        std::fprintf(stderr, "roomscribe-loadgen: bad or missing options (see --help)\n");
        return 2;
    }

    QString error;
    if (!makeTargets(args, streams, &options.targets, &error)) {
        std::fprintf(stderr, "roomscribe-loadgen: %s\n", qPrintable(error));
        return 2;
    }
    FlvAudio audio;
    if (!audio.load(args.value(QStringLiteral("flv")), &error)) {
        std::fprintf(stderr, "roomscribe-loadgen: %s: %s\n",
                     qPrintable(args.value(QStringLiteral("flv"))), qPrintable(error));
        return 2;
    }
    raiseFileLimit();

    LoadGenerator generator(audio, std::move(options));
    generator.start();
    return app.exec();
}
