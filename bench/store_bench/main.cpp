// roomscribe-store-bench: how many finals per second the transcript store
// writes, through TranscriptStore's batch writer and the naive way (one
// INSERT per final, autocommit), for SQLite and for PostgreSQL in the same
// run; and what addFinal() costs its caller while the writer flushes.
//
// Per backend, each measurement on a database of its own:
// - batch, burst: N finals added as fast as one thread can; finals/s = N ÷
//   (first addFinal → the writer reports all N committed). Every addFinal()
//   call is timed.
// - batch, paced: R finals/s for S seconds (a 1 ms tick adds R/1000), as a
//   steady load under which the writer flushes continuously; every call timed.
// - naive: the same rows, one prepared INSERT per final in autocommit, for M
//   finals or T seconds, whichever comes first.
// Bounded: every wait has a deadline; the program ends by itself.

#include "store/storedatabase.h"
#include "store/transcriptstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QSysInfo>
#include <QThread>
#include <QUrl>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace roomscribe;
using namespace roomscribe::store;

namespace {

const char kWords[] = "thanks for joining the weekly planning call today we review the release "
                      "schedule the open support tickets and the latest load test results";

int64_t now_ns()
{
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return int64_t(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// A realistic final: a dozen words with timings, about 80 characters of text.
stt::TranscriptSegment makeFinal(int seq, const QDateTime &sessionStart)
{
    static const QStringList vocabulary = QString::fromLatin1(kWords).split(u' ');
    stt::TranscriptSegment segment;
    segment.room = QStringLiteral("bench-room");
    segment.stream = seq % 2 ? QStringLiteral("mix") : QStringLiteral("track/TR_speaker");
    segment.session = QStringLiteral("gladia-session");
    segment.utteranceId = QStringLiteral("1:%1").arg(seq);
    segment.isFinal = true;
    segment.start_ms = int64_t(seq) * 2000;
    segment.end_ms = segment.start_ms + 1800;
    segment.wallClock = sessionStart.addMSecs(segment.start_ms);
    segment.speaker = seq % 2 ? QStringLiteral("Alice") : QStringLiteral("Bob");
    segment.language = QStringLiteral("en");
    QStringList text;
    for (int i = 0; i < 12; ++i) {
        const QString &word = vocabulary.at((seq + i * 7) % vocabulary.size());
        text.append(word);
        segment.words.push_back(
            {word, segment.start_ms + i * 150, segment.start_ms + i * 150 + 140, 0.9});
    }
    segment.text = text.join(u' ');
    return segment;
}

struct Latency
{
    int64_t calls = 0;
    double p50_us = 0, p99_us = 0, max_us = 0;
};

Latency summarize(std::vector<int64_t> &samples_ns)
{
    Latency latency;
    latency.calls = int64_t(samples_ns.size());
    if (samples_ns.empty())
        return latency;
    auto at = [&](double q) {
        const size_t index = std::min(samples_ns.size() - 1, size_t(q * double(samples_ns.size())));
        std::nth_element(samples_ns.begin(), samples_ns.begin() + qsizetype(index),
                         samples_ns.end());
        return double(samples_ns[index]) / 1000.0;
    };
    latency.p50_us = at(0.50);
    latency.p99_us = at(0.99);
    latency.max_us = double(*std::max_element(samples_ns.begin(), samples_ns.end())) / 1000.0;
    return latency;
}

struct Throughput
{
    int64_t finals = 0;
    double seconds = 0;
    double perSecond() const { return seconds > 0 ? double(finals) / seconds : 0; }
};

struct BackendResult
{
    QString name;
    QString version;
    Throughput batch;
    Throughput naive;
    Latency burstLatency;
    Latency pacedLatency;
    double pacedRate = 0;
    double pacedDrain_ms = 0; // last paced addFinal → all committed
    qint64 pacedMaxQueued = 0;
    QString error;
};

// Waits (bounded) for the writer to have committed `count` finals.
bool waitWritten(TranscriptStore &store, qint64 count, int64_t deadline_ns)
{
    while (store.stats().written < count) {
        if (now_ns() > deadline_ns)
            return false;
        QCoreApplication::processEvents();
        QThread::usleep(200);
    }
    return true;
}

bool closeStore(TranscriptStore &store)
{
    bool closed = false;
    QObject::connect(&store, &TranscriptStore::closed, [&closed] { closed = true; });
    store.close();
    const int64_t deadline = now_ns() + 60'000'000'000;
    while (!closed && now_ns() < deadline) {
        QCoreApplication::processEvents();
        QThread::usleep(1000);
    }
    return closed;
}

// A new database for one measurement: a fresh SQLite file, or a PostgreSQL
// database (re)created through the server URL's own database.
bool freshDatabase(const DatabaseTarget &server, const QString &sqliteDir, const QString &name,
                   QString *url, QString *error)
{
    if (server.backend == Backend::Sqlite) {
        const QString path = sqliteDir + u'/' + name + QStringLiteral(".sqlite");
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(path + QLatin1String(suffix));
        *url = path;
        return true;
    }
    StoreConnection admin(QStringLiteral("bench-admin"));
    if (!admin.open(server, {}, error))
        return false;
    if (!admin.exec(QStringLiteral("DROP DATABASE IF EXISTS \"%1\"").arg(name), error) ||
        !admin.exec(QStringLiteral("CREATE DATABASE \"%1\"").arg(name), error))
        return false;
    DatabaseTarget target = server;
    target.databaseName = name;
    *url = QStringLiteral("postgresql://%1:%2@%3:%4/%5")
               .arg(QString::fromLatin1(QUrl::toPercentEncoding(target.user)),
                    QString::fromLatin1(QUrl::toPercentEncoding(target.password)), target.host)
               .arg(target.port)
               .arg(name);
    return true;
}

bool runBatch(const QString &url, int finals, BackendResult *result, QString *error)
{
    StoreConfig config; // the defaults: 300 ms / 100 per transaction
    config.database = url;
    config.journalPath = QStringLiteral("%1/bench-journal.jsonl").arg(QDir::tempPath());
    TranscriptStore store;
    if (!store.open(config, error))
        return false;
    const QDateTime sessionStart = QDateTime::currentDateTimeUtc();
    std::vector<int64_t> latencies;
    latencies.reserve(size_t(finals));
    const int64_t start = now_ns();
    for (int seq = 1; seq <= finals; ++seq) {
        const stt::TranscriptSegment segment = makeFinal(seq, sessionStart);
        const int64_t before = now_ns();
        store.addFinal(segment);
        latencies.push_back(now_ns() - before);
    }
    if (!waitWritten(store, finals, start + 300'000'000'000)) {
        *error = QStringLiteral("the batch writer did not finish in 300 s");
        return false;
    }
    result->batch = {finals, double(now_ns() - start) / 1e9};
    result->burstLatency = summarize(latencies);
    return closeStore(store);
}

bool runPaced(const QString &url, int rate_per_s, int seconds, BackendResult *result,
              QString *error)
{
    StoreConfig config;
    config.database = url;
    config.journalPath = QStringLiteral("%1/bench-journal.jsonl").arg(QDir::tempPath());
    TranscriptStore store;
    if (!store.open(config, error))
        return false;
    const QDateTime sessionStart = QDateTime::currentDateTimeUtc();
    const int perTick = std::max(1, rate_per_s / 1000);
    const int ticks = seconds * 1000;
    std::vector<int64_t> latencies;
    latencies.reserve(size_t(perTick) * size_t(ticks));
    int seq = 0;
    timespec next{};
    ::clock_gettime(CLOCK_MONOTONIC, &next);
    for (int tick = 0; tick < ticks; ++tick) {
        for (int i = 0; i < perTick; ++i) {
            const stt::TranscriptSegment segment = makeFinal(++seq, sessionStart);
            const int64_t before = now_ns();
            store.addFinal(segment);
            latencies.push_back(now_ns() - before);
        }
        if (tick % 100 == 0)
            result->pacedMaxQueued = std::max(result->pacedMaxQueued, store.stats().queued);
        next.tv_nsec += 1000000;
        if (next.tv_nsec >= 1000000000)
            next.tv_nsec -= 1000000000, ++next.tv_sec;
        ::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr);
    }
    const int64_t lastAdd = now_ns();
    if (!waitWritten(store, seq, lastAdd + 120'000'000'000)) {
        *error = QStringLiteral("the paced run did not drain in 120 s");
        return false;
    }
    result->pacedDrain_ms = double(now_ns() - lastAdd) / 1e6;
    result->pacedRate = double(perTick) * 1000;
    result->pacedLatency = summarize(latencies);
    return closeStore(store);
}

// One prepared INSERT per final, each its own transaction (autocommit).
bool runNaive(const QString &url, int maxFinals, double maxSeconds, BackendResult *result,
              QString *error)
{
    DatabaseTarget target;
    if (!parseDatabaseUrl(url, &target, error))
        return false;
    StoreConnection connection(QStringLiteral("bench-naive"));
    if (!connection.open(target, {}, error) || !migrate(connection, error))
        return false;
    const QString now = timestampText(QDateTime::currentDateTimeUtc());
    QSqlDatabase db = connection.database();
    QSqlQuery setup(db);
    for (const QString &statement :
         {QStringLiteral("INSERT INTO rooms (name, created_at) VALUES ('bench-room', '%1')")
              .arg(now),
          QStringLiteral("INSERT INTO room_sessions (uid, room_id, started_at) VALUES ('naive', 1, "
                         "'%1')")
              .arg(now),
          QStringLiteral("INSERT INTO streams (room_session_id, name, method) VALUES (1, 'mix', "
                         "'room_composite')"),
          QStringLiteral("INSERT INTO streams (room_session_id, name, method) VALUES (1, "
                         "'track/TR_speaker', 'track')")}) {
        if (!setup.exec(statement)) {
            *error = sqlErrorText(setup.lastError());
            return false;
        }
    }
    QSqlQuery insert(db);
    insert.prepare(sql::insertSegments(1));
    const QDateTime sessionStart = QDateTime::currentDateTimeUtc();
    const int64_t start = now_ns();
    const int64_t deadline = start + int64_t(maxSeconds * 1e9);
    int written = 0;
    while (written < maxFinals && now_ns() < deadline) {
        const stt::TranscriptSegment segment = makeFinal(written + 1, sessionStart);
        QJsonArray words;
        for (const stt::SegmentWord &word : segment.words)
            words.append(QJsonObject{{QStringLiteral("word"), word.word},
                                     {QStringLiteral("start_ms"), qint64(word.start_ms)},
                                     {QStringLiteral("end_ms"), qint64(word.end_ms)},
                                     {QStringLiteral("confidence"), word.confidence}});
        const qint64 relative =
            segment.wallClock.toMSecsSinceEpoch() - sessionStart.toMSecsSinceEpoch();
        const QVariantList values{
            segment.stream == u"mix" ? 1 : 2,
            segment.utteranceId,
            segment.session,
            qint64(segment.start_ms),
            qint64(segment.end_ms),
            relative,
            relative + 1800,
            timestampText(segment.wallClock),
            segment.channel,
            segment.speaker,
            segment.language,
            segment.text,
            QString::fromUtf8(QJsonDocument(words).toJson(QJsonDocument::Compact))};
        for (int i = 0; i < values.size(); ++i)
            insert.bindValue(i, values.at(i));
        if (!insert.exec()) {
            *error = sqlErrorText(insert.lastError());
            return false;
        }
        ++written;
    }
    result->naive = {written, double(now_ns() - start) / 1e9};
    return true;
}

QString serverVersion(const DatabaseTarget &server)
{
    StoreConnection connection(QStringLiteral("bench-version"));
    QString error;
    if (!connection.open(server, {}, &error))
        return QStringLiteral("?");
    QSqlQuery query(connection.database());
    const bool pg = server.backend == Backend::Postgres;
    if (!query.exec(pg ? QStringLiteral("SHOW server_version")
                       : QStringLiteral("SELECT sqlite_version()")) ||
        !query.next())
        return QStringLiteral("?");
    return (pg ? QStringLiteral("PostgreSQL ") : QStringLiteral("SQLite ")) +
           query.value(0).toString();
}

QString cpuModel()
{
    QFile file(QStringLiteral("/proc/cpuinfo"));
    if (file.open(QIODevice::ReadOnly))
        for (const QByteArray &line : file.readAll().split('\n'))
            if (line.startsWith("model name"))
                return QString::fromLatin1(line.mid(line.indexOf(':') + 1).trimmed());
    return QStringLiteral("unknown CPU");
}

QString fixed(double value, int decimals = 1)
{
    return QString::number(value, 'f', decimals);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Transcript store throughput and addFinal() latency."));
    parser.addHelpOption();
    const QCommandLineOption sqliteOption(QStringLiteral("sqlite-dir"),
                                          QStringLiteral("Directory for the SQLite databases."),
                                          QStringLiteral("DIR"));
    const QCommandLineOption pgOption(
        QStringLiteral("postgres"),
        QStringLiteral("A PostgreSQL server URL (its database is used to create the bench's)."),
        QStringLiteral("URL"));
    const QCommandLineOption finalsOption(QStringLiteral("finals"),
                                          QStringLiteral("Finals in the burst run."),
                                          QStringLiteral("N"), QStringLiteral("200000"));
    const QCommandLineOption naiveOption(QStringLiteral("naive-finals"),
                                         QStringLiteral("At most this many naive INSERTs."),
                                         QStringLiteral("M"), QStringLiteral("50000"));
    const QCommandLineOption naiveSecondsOption(QStringLiteral("naive-seconds"),
                                                QStringLiteral("At most this long for them."),
                                                QStringLiteral("T"), QStringLiteral("10"));
    const QCommandLineOption rateOption(QStringLiteral("paced-rate"),
                                        QStringLiteral("Finals/s in the paced run."),
                                        QStringLiteral("R"), QStringLiteral("20000"));
    const QCommandLineOption secondsOption(QStringLiteral("paced-seconds"),
                                           QStringLiteral("Length of the paced run."),
                                           QStringLiteral("S"), QStringLiteral("5"));
    const QCommandLineOption reportOption(QStringLiteral("report"),
                                          QStringLiteral("Write the Markdown report here."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption commandOption(QStringLiteral("command"),
                                           QStringLiteral("The command line, for the report."),
                                           QStringLiteral("TEXT"));
    parser.addOptions({sqliteOption, pgOption, finalsOption, naiveOption, naiveSecondsOption,
                       rateOption, secondsOption, reportOption, commandOption});
    parser.process(app);
    const int finals = parser.value(finalsOption).toInt();
    const int naiveFinals = parser.value(naiveOption).toInt();
    const double naiveSeconds = parser.value(naiveSecondsOption).toDouble();
    const int rate = parser.value(rateOption).toInt();
    const int pacedSeconds = parser.value(secondsOption).toInt();

    QList<DatabaseTarget> servers;
    QString error;
    if (parser.isSet(sqliteOption)) {
        DatabaseTarget sqlite;
        sqlite.backend = Backend::Sqlite;
        sqlite.path = parser.value(sqliteOption);
        QDir().mkpath(sqlite.path);
        servers.append(sqlite);
    }
    if (parser.isSet(pgOption)) {
        DatabaseTarget pg;
        if (!parseDatabaseUrl(parser.value(pgOption), &pg, &error) ||
            pg.backend != Backend::Postgres) {
            std::fprintf(stderr, "--postgres: %s\n", qPrintable(error));
            return 2;
        }
        servers.append(pg);
    }
    if (servers.isEmpty()) {
        std::fprintf(stderr, "give --sqlite-dir and/or --postgres\n");
        return 2;
    }

    QString loadAverage;
    if (QFile file(QStringLiteral("/proc/loadavg")); file.open(QIODevice::ReadOnly))
        loadAverage = QString::fromLatin1(file.readAll().split(' ').value(0));

    QList<BackendResult> results;
    for (const DatabaseTarget &server : std::as_const(servers)) {
        BackendResult result;
        const bool pg = server.backend == Backend::Postgres;
        result.name = pg ? QStringLiteral("PostgreSQL") : QStringLiteral("SQLite");
        result.version = pg ? serverVersion(server) : serverVersion([&] {
            DatabaseTarget memory;
            memory.backend = Backend::Sqlite;
            memory.path = server.path + QStringLiteral("/version.sqlite");
            return memory;
        }());
        QString url;
        std::fprintf(stderr, "%s: batch writer, %d finals as fast as possible\n",
                     qPrintable(result.name), finals);
        if (!freshDatabase(server, server.path, QStringLiteral("store_bench_batch"), &url,
                           &error) ||
            !runBatch(url, finals, &result, &error)) {
            std::fprintf(stderr, "%s batch: %s\n", qPrintable(result.name), qPrintable(error));
            return 1;
        }
        std::fprintf(stderr, "%s: batch writer, %d finals/s for %d s\n", qPrintable(result.name),
                     rate, pacedSeconds);
        if (!freshDatabase(server, server.path, QStringLiteral("store_bench_paced"), &url,
                           &error) ||
            !runPaced(url, rate, pacedSeconds, &result, &error)) {
            std::fprintf(stderr, "%s paced: %s\n", qPrintable(result.name), qPrintable(error));
            return 1;
        }
        std::fprintf(stderr, "%s: one INSERT per final, up to %d or %g s\n",
                     qPrintable(result.name), naiveFinals, naiveSeconds);
        if (!freshDatabase(server, server.path, QStringLiteral("store_bench_naive"), &url,
                           &error) ||
            !runNaive(url, naiveFinals, naiveSeconds, &result, &error)) {
            std::fprintf(stderr, "%s naive: %s\n", qPrintable(result.name), qPrintable(error));
            return 1;
        }
        results.append(result);
    }

    const QString date = QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    QString md;
    md += QStringLiteral("# Transcript store benchmark, %1\n\n").arg(date);
    md += QStringLiteral("%1, %2 cores, %3 %4; load average %5 before the run.")
              .arg(cpuModel())
              .arg(QThread::idealThreadCount())
              .arg(QSysInfo::kernelType(), QSysInfo::kernelVersion(), loadAverage);
    for (const BackendResult &result : std::as_const(results))
        md += u' ' + result.version + u'.';
    md += QStringLiteral(" Each final: about 80 characters of text and 12 words with timings "
                         "(JSON), alternating between two streams of one room session.\n\n");
    if (parser.isSet(commandOption))
        md += QStringLiteral("Command: `%1`\n\n").arg(parser.value(commandOption));

    md += QStringLiteral("Throughput:\n\n| backend | method | finals | seconds | finals/s |\n"
                         "|---|---|---:|---:|---:|\n");
    for (const BackendResult &r : std::as_const(results)) {
        md += QStringLiteral("| %1 | TranscriptStore batch writer (defaults: ≤ 100 finals per "
                             "transaction, 300 ms) | %2 | %3 | **%4** |\n")
                  .arg(r.name)
                  .arg(r.batch.finals)
                  .arg(fixed(r.batch.seconds, 2), fixed(r.batch.perSecond(), 0));
        md += QStringLiteral("| %1 | one INSERT per final, autocommit (naive) | %2 | %3 | %4 |\n")
                  .arg(r.name)
                  .arg(r.naive.finals)
                  .arg(fixed(r.naive.seconds, 2), fixed(r.naive.perSecond(), 0));
    }
    md += QStringLiteral("\naddFinal() call latency (the caller's cost: a copy of the segment "
                         "and a push under a mutex), while the writer flushes:\n\n"
                         "| backend | load | calls | p50 µs | p99 µs | max µs |\n"
                         "|---|---|---:|---:|---:|---:|\n");
    for (const BackendResult &r : std::as_const(results)) {
        md += QStringLiteral("| %1 | burst (as fast as one thread adds) | %2 | %3 | %4 | %5 |\n")
                  .arg(r.name)
                  .arg(r.burstLatency.calls)
                  .arg(fixed(r.burstLatency.p50_us, 2), fixed(r.burstLatency.p99_us, 2),
                       fixed(r.burstLatency.max_us, 0));
        md += QStringLiteral("| %1 | paced %2 finals/s for %3 s | %4 | %5 | %6 | %7 |\n")
                  .arg(r.name)
                  .arg(r.pacedRate, 0, 'f', 0)
                  .arg(pacedSeconds)
                  .arg(r.pacedLatency.calls)
                  .arg(fixed(r.pacedLatency.p50_us, 2), fixed(r.pacedLatency.p99_us, 2),
                       fixed(r.pacedLatency.max_us, 0));
    }
    md += QStringLiteral("\nPaced runs: the writer kept up when the queue stayed small and "
                         "drained soon after the last final:\n\n");
    for (const BackendResult &r : std::as_const(results))
        md += QStringLiteral("- %1: largest queue seen (sampled every 100 ms) %2 finals; all "
                             "committed %3 ms after the last addFinal()\n")
                  .arg(r.name)
                  .arg(r.pacedMaxQueued)
                  .arg(fixed(r.pacedDrain_ms, 0));
    md += QStringLiteral(
        "\nNotes:\n\n"
        "- batch finals/s = finals ÷ (first addFinal() → the writer's stats report all of them "
        "committed); the adding thread and the writer thread run at once.\n"
        "- naive: one prepared INSERT of the same row per final, each its own transaction, on "
        "one connection in one thread, bounded by count and time.\n"
        "- SQLite runs in WAL mode with synchronous=NORMAL (commits are not fsynced; "
        "checkpoints are), as the store configures it. PostgreSQL runs with its default "
        "durability (fsync on, synchronous_commit on) on a private cluster on this machine.\n"
        "- latency: each addFinal() call timed with CLOCK_MONOTONIC; building the segment is "
        "not counted. The writer holds the queue's mutex only to swap the queue out (O(1)), so "
        "the rare slow calls (max) are the adding thread being descheduled: two cores are "
        "shared by it, the writer thread, the database server and the rest of the machine.\n"
        "- PostgreSQL's commits wait for fsync: the naive figure follows the disk's fsync "
        "latency, which varies from run to run on this machine.\n");
    for (const BackendResult &r : std::as_const(results))
        md +=
            QStringLiteral("- %1: batch writer %2× the naive way.\n")
                .arg(r.name,
                     fixed(r.naive.perSecond() > 0 ? r.batch.perSecond() / r.naive.perSecond() : 0,
                           1));
    std::printf("%s", qPrintable(md));
    if (parser.isSet(reportOption)) {
        QFile report(parser.value(reportOption));
        if (!report.open(QIODevice::WriteOnly) || report.write(md.toUtf8()) < 0) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(parser.value(reportOption)));
            return 1;
        }
    }
    return 0;
}
