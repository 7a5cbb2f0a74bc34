// `roomscribe export`: --list and every format against a database a
// TranscriptStore filled (and still holds open, as a running engine does),
// the latest session by default, the format from the file name, standard
// output, the default database in the XDG data directory, clear refusals with
// exit code 2 (unknown room or session, bad options) or 1 (no database), and
// the same against a PostgreSQL server the test starts.

#include "postgresprocess.h"
#include "store/transcriptstore.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace roomscribe;
using namespace roomscribe::test;

namespace {

constexpr int kWait_ms = 30000;

struct Result
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Result runExport(const QStringList &arguments, const QProcessEnvironment &environment = {})
{
    QProcess process;
    if (!environment.isEmpty())
        process.setProcessEnvironment(environment);
    process.start(roomscribeBinary(), QStringList{QStringLiteral("export")} + arguments);
    Result result;
    if (!process.waitForFinished(kWait_ms) || process.exitStatus() != QProcess::NormalExit) {
        process.kill();
        process.waitForFinished(5000);
        return result;
    }
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

stt::TranscriptSegment makeFinal(const QString &room, const QString &stream, const QString &id,
                                 const QDateTime &wallClock, int start_ms, const QString &speaker,
                                 const QString &text)
{
    stt::TranscriptSegment segment;
    segment.room = room;
    segment.stream = stream;
    segment.utteranceId = id;
    segment.isFinal = true;
    segment.start_ms = start_ms;
    segment.end_ms = start_ms + 1500;
    segment.wallClock = wallClock;
    segment.speaker = speaker;
    segment.language = QStringLiteral("en");
    segment.text = text;
    const QStringList words = text.split(u' ');
    for (int i = 0; i < words.size(); ++i)
        segment.words.push_back({words.at(i), start_ms + i * 1500 / words.size(),
                                 start_ms + (i + 1) * 1500 / words.size(), 0.9});
    return segment;
}

// Two sessions of one room (the first ended), and a stream-key room. The
// first session opens with its first final, so it starts where that final's
// stream began (t0): its finals are at 1 s, 3 s and 5 s of the session.
bool fill(store::TranscriptStore &store)
{
    const QString room = QStringLiteral("weekly-sync");
    const QDateTime t0 = QDateTime::currentDateTimeUtc();
    store.addFinal(makeFinal(room, QStringLiteral("mix"), QStringLiteral("1:a"), t0.addMSecs(1000),
                             1000, QStringLiteral("Alice"),
                             QStringLiteral("Good morning everyone")));
    store.addFinal(makeFinal(room, QStringLiteral("track/TR_bob"), QStringLiteral("1:b"),
                             t0.addMSecs(3000), 2000, QStringLiteral("Bob"),
                             QStringLiteral("Morning Alice")));
    store.addFinal(makeFinal(room, QStringLiteral("mix"), QStringLiteral("1:c"), t0.addMSecs(5000),
                             5000, QStringLiteral("Alice"),
                             QStringLiteral("Let us review the release")));
    store.endRoomSession(room);
    store.beginRoomSession(room);
    store.addFinal(makeFinal(room, QStringLiteral("mix"), QStringLiteral("1:a"), t0.addMSecs(9000),
                             500, QStringLiteral("Carol"), QStringLiteral("Second session here")));
    store.addFinal(makeFinal(QStringLiteral("K3y"), QStringLiteral("live/K3y"),
                             QStringLiteral("1:a"), t0.addMSecs(2000), 2000, QString(),
                             QStringLiteral("Published by key")));
    return true;
}

} // namespace

class TestStoreExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void list();
    void eachFormat_data();
    void eachFormat();
    void latestSessionByDefault();
    void formatFromFileNameAndStandardOutput();
    void refusals_data();
    void refusals();
    void whileTheEngineWrites();
    void defaultDatabase();
    void postgresql();

private:
    QString sessionIdOf(const QByteArray &list, int occurrence);

    QTemporaryDir m_dir;
    QString m_database;
    store::TranscriptStore m_store; // open through the tests: the "running engine"
    QString m_firstSession;
    QString m_secondSession;
};

void TestStoreExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QFile::exists(roomscribeBinary()));
    m_database = m_dir.filePath(QStringLiteral("transcripts.sqlite"));
    store::StoreConfig config;
    config.database = m_database;
    config.flushInterval_ms = 10;
    QString error;
    QVERIFY2(m_store.open(config, &error), qPrintable(error));
    QVERIFY(fill(m_store));
    QTRY_COMPARE_WITH_TIMEOUT(m_store.stats().written, 5, kWait_ms);

    const Result listed = runExport({QStringLiteral("--db"), m_database, QStringLiteral("--list")});
    QCOMPARE(listed.exitCode, 0);
    m_firstSession = sessionIdOf(listed.out, 0);
    m_secondSession = sessionIdOf(listed.out, 1);
    QVERIFY2(!m_firstSession.isEmpty() && !m_secondSession.isEmpty(), listed.out.constData());
}

void TestStoreExport::cleanupTestCase()
{
    QSignalSpy closed(&m_store, &store::TranscriptStore::closed);
    m_store.close();
    QVERIFY(closed.wait(kWait_ms));
}

// The session column of the occurrence-th "weekly-sync" line.
QString TestStoreExport::sessionIdOf(const QByteArray &list, int occurrence)
{
    int seen = 0;
    for (const QByteArray &line : list.split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.value(0) == "weekly-sync" && seen++ == occurrence)
            return QString::fromLatin1(fields.value(1));
    }
    return {};
}

void TestStoreExport::list()
{
    const Result result =
        runExport({QStringLiteral("--db"), QStringLiteral("sqlite://") + m_database,
                   QStringLiteral("--list")});
    QCOMPARE(result.exitCode, 0);
    const QList<QByteArray> lines = result.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 4); // header, K3y, weekly-sync × 2
    QVERIFY(lines.at(0).startsWith("ROOM"));
    QVERIFY(lines.at(1).startsWith("K3y "));
    QVERIFY2(lines.at(1).contains("(open)"), lines.at(1).constData());
    QVERIFY(lines.at(2).startsWith("weekly-sync "));
    QVERIFY(!lines.at(2).contains("(open)")); // ended
    QVERIFY(lines.at(2).trimmed().endsWith(" 3"));
    QVERIFY(lines.at(3).contains("(open)"));
    QVERIFY(lines.at(3).trimmed().endsWith(" 1"));
}

void TestStoreExport::eachFormat_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("txt") << QStringLiteral("txt");
    QTest::newRow("srt") << QStringLiteral("srt");
    QTest::newRow("vtt") << QStringLiteral("vtt");
    QTest::newRow("json") << QStringLiteral("json");
}

void TestStoreExport::eachFormat()
{
    QFETCH(QString, format);
    const QString out = m_dir.filePath(QStringLiteral("first.") + format);
    const Result result =
        runExport({QStringLiteral("--db"), m_database, QStringLiteral("--room"),
                   QStringLiteral("weekly-sync"), QStringLiteral("--session"), m_firstSession,
                   QStringLiteral("--format"), format, QStringLiteral("--out"), out});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    for (const char *text : {"Good morning everyone", "Morning Alice", "Let us review the release"})
        QVERIFY2(bytes.contains(text), bytes.constData());
    QVERIFY(!bytes.contains("Second session here"));
    if (format == u"txt") {
        QVERIFY(bytes.contains("Alice") && bytes.contains("Bob"));
    } else if (format == u"srt" || format == u"vtt") {
        if (format == u"vtt") {
            QVERIFY(bytes.startsWith("WEBVTT"));
            QVERIFY(bytes.contains("<v Alice>"));
        }
        // The cues start where the finals do in the session: 1 s, 3 s, 5 s.
        QVERIFY2(bytes.contains(format == u"srt" ? "00:00:01,000 -->" : "00:00:01.000 -->"),
                 bytes.constData());
        if (QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty())
            QSKIP("ffmpeg is not installed: the subtitles are not parsed back");
        // The null muxer needs an encoder named for a subtitle stream; ASS
        // makes FFmpeg decode every cue.
        QByteArray log;
        QVERIFY2(run(QStringLiteral("ffmpeg"),
                     {QStringLiteral("-nostdin"), QStringLiteral("-v"), QStringLiteral("error"),
                      QStringLiteral("-i"), out, QStringLiteral("-c:s"), QStringLiteral("ass"),
                      QStringLiteral("-f"), QStringLiteral("null"), QStringLiteral("-")},
                     kWait_ms, &log),
                 log.constData());
        QVERIFY2(log.isEmpty(), log.constData());
    } else {
        const QJsonObject json = QJsonDocument::fromJson(bytes).object();
        const QJsonArray segments = json.value(u"segments").toArray();
        QCOMPARE(segments.size(), 3);
        const QJsonObject first = segments.at(0).toObject();
        QCOMPARE(first.value(u"speaker").toString(), QStringLiteral("Alice"));
        QCOMPARE(first.value(u"start_ms").toInteger(), 1000);
        QCOMPARE(first.value(u"words").toArray().size(), 3);
        QCOMPARE(segments.at(1).toObject().value(u"stream").toString(),
                 QStringLiteral("track/TR_bob"));
    }
}

void TestStoreExport::latestSessionByDefault()
{
    const QString out = m_dir.filePath(QStringLiteral("latest.txt"));
    const Result result = runExport({QStringLiteral("--db"), m_database, QStringLiteral("--room"),
                                     QStringLiteral("weekly-sync"), QStringLiteral("--format"),
                                     QStringLiteral("txt"), QStringLiteral("--out"), out});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY(result.err.contains(qPrintable(QStringLiteral("session %1").arg(m_secondSession))));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QVERIFY(bytes.contains("Second session here"));
    QVERIFY(!bytes.contains("Good morning"));
}

void TestStoreExport::formatFromFileNameAndStandardOutput()
{
    const QString out = m_dir.filePath(QStringLiteral("by-name.vtt"));
    Result result = runExport({QStringLiteral("--db"), m_database, QStringLiteral("--room"),
                               QStringLiteral("K3y"), QStringLiteral("--out"), out});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().startsWith("WEBVTT"));

    result = runExport({QStringLiteral("--db"), m_database, QStringLiteral("--room"),
                        QStringLiteral("K3y"), QStringLiteral("--format"), QStringLiteral("json"),
                        QStringLiteral("--out"), QStringLiteral("-")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    const QJsonObject json = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(json.value(u"segments").toArray().size(), 1);
}

void TestStoreExport::refusals_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("message");
    const QString out = m_dir.filePath(QStringLiteral("refused.txt"));
    QTest::newRow("unknown room") << QStringList{QStringLiteral("--room"), QStringLiteral("nope"),
                                                 QStringLiteral("--out"), out}
                                  << 2 << QByteArray("no room \"nope\"");
    QTest::newRow("unknown session")
        << QStringList{QStringLiteral("--room"),    QStringLiteral("weekly-sync"),
                       QStringLiteral("--session"), QStringLiteral("987654"),
                       QStringLiteral("--out"),     out}
        << 2 << QByteArray("no session 987654");
    QTest::newRow("session not a number")
        << QStringList{QStringLiteral("--room"),    QStringLiteral("weekly-sync"),
                       QStringLiteral("--session"), QStringLiteral("latest"),
                       QStringLiteral("--out"),     out}
        << 2 << QByteArray("--session");
    QTest::newRow("unknown format")
        << QStringList{QStringLiteral("--room"),   QStringLiteral("K3y"),
                       QStringLiteral("--format"), QStringLiteral("docx"),
                       QStringLiteral("--out"),    out}
        << 2 << QByteArray("unknown format \"docx\"");
    QTest::newRow("no room") << QStringList{QStringLiteral("--out"), out} << 2
                             << QByteArray("--room");
    QTest::newRow("no output") << QStringList{QStringLiteral("--room"), QStringLiteral("K3y")} << 2
                               << QByteArray("--out");
    QTest::newRow("list with a room")
        << QStringList{QStringLiteral("--list"), QStringLiteral("--room"), QStringLiteral("K3y")}
        << 2 << QByteArray("--list");
    QTest::newRow("unknown option")
        << QStringList{QStringLiteral("--frobnicate")} << 2 << QByteArray("frobnicate");
}

void TestStoreExport::refusals()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, message);
    const Result result = runExport(QStringList{QStringLiteral("--db"), m_database} + arguments);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(result.err.contains(message), result.err.constData());
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("refused.txt"))));

    // No database at all: a failure, and nothing is created.
    const QString missing = m_dir.filePath(QStringLiteral("missing/none.sqlite"));
    const Result none = runExport({QStringLiteral("--db"), missing, QStringLiteral("--list")});
    QCOMPARE(none.exitCode, 1);
    QVERIFY2(none.err.contains("no database"), none.err.constData());
    QVERIFY(!QFile::exists(missing));
}

void TestStoreExport::whileTheEngineWrites()
{
    // The store keeps its connection and goes on writing between exports.
    m_store.addFinal(makeFinal(QStringLiteral("K3y"), QStringLiteral("live/K3y"),
                               QStringLiteral("1:b"), QDateTime::currentDateTimeUtc(), 60000,
                               QString(), QStringLiteral("Added while exporting")));
    QTRY_COMPARE_WITH_TIMEOUT(m_store.stats().written, 6, kWait_ms);
    const Result result =
        runExport({QStringLiteral("--db"), m_database, QStringLiteral("--room"),
                   QStringLiteral("K3y"), QStringLiteral("--format"), QStringLiteral("txt"),
                   QStringLiteral("--out"), QStringLiteral("-")});
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY(result.out.contains("Published by key"));
    QVERIFY(result.out.contains("Added while exporting"));
}

void TestStoreExport::defaultDatabase()
{
    const QString xdg = m_dir.filePath(QStringLiteral("xdg"));
    {
        store::TranscriptStore store;
        store::StoreConfig config;
        config.database = xdg + QStringLiteral("/roomscribe/transcripts.sqlite");
        QString error;
        QVERIFY2(store.open(config, &error), qPrintable(error));
        store.addFinal(makeFinal(QStringLiteral("default-room"), QStringLiteral("mix"),
                                 QStringLiteral("1:a"), QDateTime::currentDateTimeUtc(), 0,
                                 QStringLiteral("Dana"), QStringLiteral("In the default place")));
        QSignalSpy closed(&store, &store::TranscriptStore::closed);
        store.close();
        QVERIFY(closed.wait(kWait_ms));
    }
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_DATA_HOME"), xdg);
    const Result result = runExport({QStringLiteral("--list")}, environment);
    QVERIFY2(result.exitCode == 0, result.err.constData());
    QVERIFY2(result.out.contains("default-room"), result.out.constData());
}

void TestStoreExport::postgresql()
{
    if (PostgresProcess::binDir().isEmpty())
        QSKIP("PostgreSQL server binaries not found (Debian: postgresql)");
    PostgresProcess postgres;
    QString error;
    QVERIFY2(postgres.start(&error), qPrintable(error));
    {
        store::TranscriptStore store;
        store::StoreConfig config;
        config.database = postgres.url();
        config.journalPath = m_dir.filePath(QStringLiteral("pg-journal.jsonl"));
        QVERIFY2(store.open(config, &error), qPrintable(error));
        QVERIFY(fill(store));
        QSignalSpy closed(&store, &store::TranscriptStore::closed);
        store.close();
        QVERIFY(closed.wait(kWait_ms));
        QCOMPARE(store.stats().written, 5);
    }
    const Result listed =
        runExport({QStringLiteral("--db"), postgres.url(), QStringLiteral("--list")});
    QVERIFY2(listed.exitCode == 0, listed.err.constData());
    QCOMPARE(listed.out.trimmed().split('\n').size(), 4);
    const Result exported =
        runExport({QStringLiteral("--db"), postgres.url(), QStringLiteral("--room"),
                   QStringLiteral("weekly-sync"), QStringLiteral("--session"),
                   sessionIdOf(listed.out, 0), QStringLiteral("--format"), QStringLiteral("json"),
                   QStringLiteral("--out"), QStringLiteral("-")});
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    const QJsonArray segments =
        QJsonDocument::fromJson(exported.out).object().value(u"segments").toArray();
    QCOMPARE(segments.size(), 3);
    QCOMPARE(segments.at(2).toObject().value(u"start_ms").toInteger(), 5000);
    // The password never shows in what the command prints.
    QVERIFY(!listed.out.contains("pa:ss") && !listed.err.contains("pa:ss"));
}

QTEST_GUILESS_MAIN(TestStoreExport)
#include "tst_store_export.moc"
