// TranscriptStore against SQLite (a temporary file) and against a PostgreSQL
// server the test starts itself: database URLs, the schema and its
// migrations, the rows finals become, batches by size and by interval, a
// failing database (SQLite locked by another connection, PostgreSQL stopped)
// and its recovery, the overflow journal in this run and the next, close()
// flushing everything, and a writer process killed with SIGKILL. That process
// is this executable run with --store-writer (see runStoreWriter).

#include "postgresprocess.h"
#include "store/overflowjournal.h"
#include "store/storedatabase.h"
#include "store/transcriptreader.h"
#include "store/transcriptstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <cstring>
#include <ctime>
#include <unistd.h>

using namespace roomscribe;
using namespace roomscribe::store;

namespace {

constexpr int kWait_ms = 30000;
constexpr int kNoFlushTimer_ms = 3600 * 1000; // batches by size only

qint64 monotonic_ms()
{
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

stt::TranscriptSegment makeFinal(const QString &room, const QString &stream, int seq,
                                 const QDateTime &wallClock = {})
{
    stt::TranscriptSegment segment;
    segment.room = room;
    segment.stream = stream;
    segment.session = QStringLiteral("gladia-1");
    segment.utteranceId = QStringLiteral("u%1").arg(seq);
    segment.isFinal = true;
    segment.start_ms = seq * 1000;
    segment.end_ms = seq * 1000 + 800;
    segment.wallClock = wallClock;
    segment.speaker = QStringLiteral("Speaker %1").arg(seq % 3);
    segment.language = QStringLiteral("en");
    segment.text = QStringLiteral("sentence number %1").arg(seq);
    segment.words = {{QStringLiteral("sentence"), seq * 1000, seq * 1000 + 300, 0.9},
                     {QStringLiteral("number"), seq * 1000 + 300, seq * 1000 + 800, 0.8}};
    return segment;
}

// The test executable as the SIGKILL test's writer: adds finals to a store at
// a steady rate and prints "<seq> <monotonic ms>" after each, unbuffered, so
// that whatever the test reads was added before the kill.
int runStoreWriter(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 4)
        return 2;
    StoreConfig config;
    config.database = QString::fromLocal8Bit(argv[2]);
    config.journalPath = config.database + QStringLiteral(".journal");
    const int rate_per_s = std::atoi(argv[3]);
    TranscriptStore store;
    QString error;
    if (!store.open(config, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    store.beginRoomSession(QStringLiteral("killed"));
    const qint64 start_ms = monotonic_ms();
    int added = 0;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    QObject::connect(&tick, &QTimer::timeout, &store, [&] {
        const qint64 due = (monotonic_ms() - start_ms) * rate_per_s / 1000;
        while (added < due) {
            ++added;
            store.addFinal(makeFinal(QStringLiteral("killed"), QStringLiteral("mix"), added,
                                     QDateTime::currentDateTimeUtc()));
            char line[64];
            const int length =
                std::snprintf(line, sizeof line, "%d %lld\n", added, (long long)monotonic_ms());
            if (::write(STDOUT_FILENO, line, size_t(length)) != length)
                return;
        }
    });
    tick.start(2);
    return app.exec();
}

} // namespace

class TestTranscriptStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void databaseUrls_data();
    void databaseUrls();
    void schemaAndMigrations_data() { backends(); }
    void schemaAndMigrations();
    void journalKeepsInferredSpeaker();
    void migratesVersion1Rows_data() { backends(); }
    void migratesVersion1Rows();
    void rowsSessionsAndReading_data() { backends(); }
    void rowsSessionsAndReading();
    void batchBySize_data() { backends(); }
    void batchBySize();
    void batchByInterval_data() { backends(); }
    void batchByInterval();
    void failingDatabaseRecovers_data() { backends(); }
    void failingDatabaseRecovers();
    void overflowJournalReplayedOnRecovery_data() { backends(); }
    void overflowJournalReplayedOnRecovery();
    void journalReplayedAtNextStart_data() { backends(); }
    void journalReplayedAtNextStart();
    void closeFlushesEverything_data() { backends(); }
    void closeFlushesEverything();
    void sigkillLosesAtMostOneInterval();

private:
    void backends();
    // A new, empty database of the current row's backend.
    QString freshDatabase();
    StoreConfig configFor(const QString &database);
    bool breakDatabase(const QString &database);
    bool repairDatabase();
    QVariantList column(const QString &database, const QString &statement);
    qint64 scalar(const QString &database, const QString &statement)
    {
        const QVariantList values = column(database, statement);
        return values.isEmpty() ? -1 : values.first().toLongLong();
    }
    bool closeAndWait(TranscriptStore &store);
    void addFinals(TranscriptStore &store, const QString &room, int from, int count);
    // Every final 1..count stored exactly once.
    void verifyExactlyOnce(const QString &database, int count);

    QTemporaryDir m_dir;
    test::PostgresProcess m_postgres;
    QString m_postgresProblem; // why the PostgreSQL rows skip, when they do
    QString m_backend;         // of the current row
    std::unique_ptr<StoreConnection> m_locker;
    int m_databases = 0;
};

void TestTranscriptStore::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Default paths (the journal for PostgreSQL) stay inside the test.
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("xdg"))));
    if (test::PostgresProcess::binDir().isEmpty()) {
        m_postgresProblem =
            QStringLiteral("PostgreSQL server binaries not found (Debian: postgresql; or set "
                           "ROOMSCRIBE_PG_BINDIR): the PostgreSQL rows are skipped");
        return;
    }
    QString error;
    QVERIFY2(m_postgres.start(&error), qPrintable(error));
}

void TestTranscriptStore::init()
{
    // A test that failed with the server stopped leaves it to the next.
    if (m_postgresProblem.isEmpty() && !m_postgres.isRunning()) {
        QString error;
        QVERIFY2(m_postgres.start(&error), qPrintable(error));
    }
}

void TestTranscriptStore::cleanup()
{
    repairDatabase();
}

void TestTranscriptStore::backends()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
}

QString TestTranscriptStore::freshDatabase()
{
    QFETCH(QString, backend);
    m_backend = backend;
    const QString name = QStringLiteral("db%1").arg(++m_databases);
    if (backend == u"sqlite")
        return m_dir.filePath(name + QStringLiteral(".sqlite"));
    if (!m_postgresProblem.isEmpty())
        return {};
    QString error;
    if (!m_postgres.createDatabase(name, &error)) {
        qWarning().noquote() << error;
        return {};
    }
    return m_postgres.url(name);
}

#define FRESH_DATABASE(database)                                                                   \
    const QString database = freshDatabase();                                                      \
    if (m_backend == u"postgresql" && !m_postgresProblem.isEmpty())                                \
        QSKIP(qPrintable(m_postgresProblem));                                                      \
    QVERIFY(!database.isEmpty())

StoreConfig TestTranscriptStore::configFor(const QString &database)
{
    StoreConfig config;
    config.database = database;
    config.journalPath = m_dir.filePath(QStringLiteral("journal-%1.jsonl").arg(m_databases));
    config.flushInterval_ms = 20;
    config.retry = {20, 2.0, 200};
    config.busyTimeout_ms = 100;
    config.connectTimeout_s = 2;
    config.closeTimeout_ms = 10000;
    return config;
}

// SQLite: another connection holds the write lock. PostgreSQL: the server stops.
bool TestTranscriptStore::breakDatabase(const QString &database)
{
    if (m_backend == u"postgresql")
        return m_postgres.stop();
    DatabaseTarget target;
    QString error;
    if (!parseDatabaseUrl(database, &target, &error))
        return false;
    m_locker = std::make_unique<StoreConnection>(QStringLiteral("test-locker"));
    ConnectionSettings settings;
    settings.create = false;
    settings.busyTimeout_ms = 5000;
    return m_locker->open(target, settings, &error) &&
           m_locker->exec(QStringLiteral("BEGIN EXCLUSIVE"), &error);
}

bool TestTranscriptStore::repairDatabase()
{
    if (m_locker) {
        QString error;
        m_locker->exec(QStringLiteral("ROLLBACK"), &error);
        m_locker.reset();
    }
    if (m_postgresProblem.isEmpty() && !m_postgres.isRunning()) {
        QString error;
        return m_postgres.start(&error);
    }
    return true;
}

QVariantList TestTranscriptStore::column(const QString &database, const QString &statement)
{
    DatabaseTarget target;
    QString error;
    if (!parseDatabaseUrl(database, &target, &error))
        return {};
    StoreConnection connection(QStringLiteral("test-query"));
    ConnectionSettings settings;
    settings.create = false;
    if (!connection.open(target, settings, &error)) {
        qWarning().noquote() << error;
        return {};
    }
    QVariantList values;
    QSqlQuery query(connection.database());
    if (!query.exec(statement))
        qWarning().noquote() << statement << query.lastError().text();
    while (query.next())
        values.append(query.value(0));
    return values;
}

bool TestTranscriptStore::closeAndWait(TranscriptStore &store)
{
    QSignalSpy closed(&store, &TranscriptStore::closed);
    store.close();
    return closed.count() == 1 || closed.wait(kWait_ms);
}

void TestTranscriptStore::addFinals(TranscriptStore &store, const QString &room, int from,
                                    int count)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int seq = from; seq < from + count; ++seq)
        store.addFinal(makeFinal(room, QStringLiteral("mix"), seq, now.addMSecs(seq * 1000)));
}

void TestTranscriptStore::verifyExactlyOnce(const QString &database, int count)
{
    const QVariantList ids =
        column(database, QStringLiteral("SELECT utterance_id FROM segments ORDER BY id"));
    QCOMPARE(ids.size(), count);
    QSet<QString> distinct;
    for (const QVariant &id : ids)
        distinct.insert(id.toString());
    QCOMPARE(distinct.size(), count);
    for (int seq = 1; seq <= count; ++seq)
        QVERIFY2(distinct.contains(QStringLiteral("u%1").arg(seq)),
                 qPrintable(QString::number(seq)));
}

void TestTranscriptStore::databaseUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("backend");
    QTest::addColumn<QString>("where"); // path, or host:port/db user password
    QTest::addColumn<QStringList>("options");

    const int sqlite = int(Backend::Sqlite);
    const int postgres = int(Backend::Postgres);
    QTest::newRow("postgresql")
        << QStringLiteral("postgresql://scribe:p%40ss%3Aword@db.example:6543/transcripts") << true
        << postgres << QStringLiteral("db.example:6543/transcripts scribe p@ss:word")
        << QStringList();
    QTest::newRow("postgres, default port, options")
        << QStringLiteral("postgres://scribe@db.example/transcripts?sslmode=require") << true
        << postgres << QStringLiteral("db.example:5432/transcripts scribe ")
        << QStringList{QStringLiteral("sslmode=require")};
    QTest::newRow("postgresql over a socket directory")
        << QStringLiteral("postgresql:///transcripts?host=/run/postgresql") << true << postgres
        << QStringLiteral("/run/postgresql:5432/transcripts  ") << QStringList();
    QTest::newRow("sqlite URL") << QStringLiteral("sqlite:///var/tmp/a%20b.sqlite") << true
                                << sqlite << QStringLiteral("/var/tmp/a b.sqlite") << QStringList();
    QTest::newRow("path") << QStringLiteral("/var/tmp/t.sqlite") << true << sqlite
                          << QStringLiteral("/var/tmp/t.sqlite") << QStringList();
    QTest::newRow("relative path")
        << QStringLiteral("t.sqlite") << true << sqlite
        << QDir::current().filePath(QStringLiteral("t.sqlite")) << QStringList();
    QTest::newRow("default") << QString() << true << sqlite
                             << m_dir.filePath(QStringLiteral("xdg/roomscribe/transcripts.sqlite"))
                             << QStringList();
    QTest::newRow("no database name")
        << QStringLiteral("postgresql://db.example") << false << 0 << QString() << QStringList();
    QTest::newRow("bad port") << QStringLiteral("postgresql://db.example:99999/x") << false << 0
                              << QString() << QStringList();
    QTest::newRow("other scheme") << QStringLiteral("mysql://db.example/x") << false << 0
                                  << QString() << QStringList();
}

void TestTranscriptStore::databaseUrls()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(int, backend);
    QFETCH(QString, where);
    QFETCH(QStringList, options);
    DatabaseTarget target;
    QString error;
    QCOMPARE(parseDatabaseUrl(text, &target, &error), valid);
    if (!valid) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QCOMPARE(int(target.backend), backend);
    if (target.backend == Backend::Sqlite) {
        QCOMPARE(target.path, where);
        QCOMPARE(defaultJournalPath(target),
                 QFileInfo(where).dir().filePath(QFileInfo(where).completeBaseName() +
                                                 QStringLiteral(".overflow.jsonl")));
    } else {
        QCOMPARE(QStringLiteral("%1:%2/%3 %4 %5")
                     .arg(target.host)
                     .arg(target.port)
                     .arg(target.databaseName, target.user, target.password),
                 where);
        QCOMPARE(target.connectOptions, options);
        QVERIFY(!target.describe().contains(u"word"));
        QVERIFY(defaultJournalPath(target).startsWith(
            m_dir.filePath(QStringLiteral("xdg/roomscribe/overflow-"))));
    }
}

void TestTranscriptStore::schemaAndMigrations()
{
    FRESH_DATABASE(database);
    {
        TranscriptStore store;
        QString error;
        QVERIFY2(store.open(configFor(database), &error), qPrintable(error));
        QVERIFY(closeAndWait(store));
    }
    DatabaseTarget target;
    QString error;
    QVERIFY(parseDatabaseUrl(database, &target, &error));
    StoreConnection connection(QStringLiteral("test-migrations"));
    QVERIFY2(connection.open(target, {}, &error), qPrintable(error));
    QCOMPARE(readSchemaVersion(connection, &error), sql::kSchemaVersion);
    const QStringList tables = connection.database().tables();
    for (const char *table : {"schema_version", "rooms", "room_sessions", "streams", "segments"})
        QVERIFY2(tables.contains(QLatin1String(table)), table);

    // A current database opens again as it is.
    {
        TranscriptStore store;
        QVERIFY2(store.open(configFor(database), &error), qPrintable(error));
        QVERIFY(closeAndWait(store));
    }

    QCOMPARE(scalar(database, QStringLiteral("SELECT COUNT(*) FROM schema_version")),
             sql::kSchemaVersion);

    // An older database is migrated: here, to a version only this test knows.
    const int later = sql::kSchemaVersion + 1;
    QList<sql::Migration> laterMigrations = sql::migrations(target.backend);
    laterMigrations.append({later, {QStringLiteral("CREATE TABLE added_later (id INTEGER)")}});
    QVERIFY2(migrate(connection, &error, laterMigrations), qPrintable(error));
    QCOMPARE(readSchemaVersion(connection, &error), later);
    QVERIFY(connection.database().tables().contains(QStringLiteral("added_later")));
    connection.close();

    // To this code, that database is newer: refused, untouched.
    TranscriptStore store;
    QVERIFY(!store.open(configFor(database), &error));
    QVERIFY2(error.contains(QStringLiteral("schema version %1").arg(later)) &&
                 error.contains(u"newer"),
             qPrintable(error));
    TranscriptReader reader;
    QVERIFY(!reader.open(database, &error));
    QVERIFY2(error.contains(u"newer"), qPrintable(error));
    QCOMPARE(scalar(database, QStringLiteral("SELECT MAX(version) FROM schema_version")), later);
}

void TestTranscriptStore::journalKeepsInferredSpeaker()
{
    StoreItem item;
    item.kind = StoreItem::Kind::Final;
    item.room = QStringLiteral("alpha");
    item.sessionUid = QStringLiteral("uid-1");
    item.sessionStartedAt = QDateTime::currentDateTimeUtc();
    item.segment = makeFinal(item.room, QStringLiteral("mix"), 1, item.sessionStartedAt);
    const std::optional<StoreItem> exact = fromJournalLine(toJournalLine(item));
    QVERIFY(exact);
    QVERIFY(!exact->segment.speakerInferred);
    item.segment.speakerInferred = true;
    const QByteArray line = toJournalLine(item);
    QVERIFY(line.contains("\"speaker_inferred\":true"));
    const std::optional<StoreItem> inferred = fromJournalLine(line);
    QVERIFY(inferred);
    QVERIFY(inferred->segment.speakerInferred);
    QCOMPARE(inferred->segment.speaker, item.segment.speaker);
}

void TestTranscriptStore::migratesVersion1Rows()
{
    // A database written by the version 1 schema: its segments read back as
    // not inferred once version 2 adds the column.
    FRESH_DATABASE(database);
    DatabaseTarget target;
    QString error;
    QVERIFY(parseDatabaseUrl(database, &target, &error));
    {
        StoreConnection connection(QStringLiteral("test-v1"));
        QVERIFY2(connection.open(target, {}, &error), qPrintable(error));
        QVERIFY2(migrate(connection, &error, sql::migrations(target.backend).mid(0, 1)),
                 qPrintable(error));
        QCOMPARE(readSchemaVersion(connection, &error), 1);
        for (const char *statement :
             {"INSERT INTO rooms (name, created_at) VALUES ('old', '2026-01-01T00:00:00.000Z')",
              "INSERT INTO room_sessions (uid, room_id, started_at) VALUES ('s1', 1, "
              "'2026-01-01T00:00:00.000Z')",
              "INSERT INTO streams (room_session_id, name, method) VALUES (1, 'mix', "
              "'room_composite')",
              "INSERT INTO segments (stream_id, utterance_id, start_ms, end_ms, session_start_ms,"
              " session_end_ms, speaker, text, words) VALUES (1, 'u1', 0, 900, 0, 900, 'Alice',"
              " 'old words', '[]')"})
            QVERIFY2(connection.exec(QLatin1String(statement), &error), qPrintable(error));
    }
    // Readers never migrate: they ask for the engine to do it.
    {
        TranscriptReader reader;
        QVERIFY(!reader.open(database, &error));
        QVERIFY2(error.contains(QStringLiteral("schema version 1")), qPrintable(error));
    }
    TranscriptStore store;
    QVERIFY2(store.open(configFor(database), &error), qPrintable(error));
    QVERIFY(closeAndWait(store));
    QCOMPARE(scalar(database, QStringLiteral("SELECT MAX(version) FROM schema_version")), 2);
    TranscriptReader reader;
    QVERIFY2(reader.open(database, &error), qPrintable(error));
    ExportDocument document;
    QCOMPARE(reader.loadDocument(QStringLiteral("old"), std::nullopt, &document, &error),
             LoadOutcome::Loaded);
    QCOMPARE(document.segments.size(), 1);
    QCOMPARE(document.segments.at(0).speaker, QStringLiteral("Alice"));
    QVERIFY(!document.segments.at(0).speakerInferred);
}

void TestTranscriptStore::rowsSessionsAndReading()
{
    FRESH_DATABASE(database);
    TranscriptStore store;
    QString error;
    QVERIFY2(store.open(configFor(database), &error), qPrintable(error));

    store.beginRoomSession(QStringLiteral("alpha"));
    store.beginRoomSession(QStringLiteral("alpha")); // idempotent
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addMSecs(500);
    stt::TranscriptSegment partial =
        makeFinal(QStringLiteral("alpha"), QStringLiteral("mix"), 99, t0);
    partial.isFinal = false;
    store.addFinal(partial); // not stored
    stt::TranscriptSegment mix = makeFinal(QStringLiteral("alpha"), QStringLiteral("mix"), 1, t0);
    mix.speaker = QStringLiteral("Alice");
    mix.speakerInferred = true;
    mix.text = QStringLiteral("Hello, «world»");
    store.addFinal(mix);
    stt::TranscriptSegment track =
        makeFinal(QStringLiteral("alpha"), QStringLiteral("track/TR_bob"), 2, t0.addMSecs(3000));
    track.speaker = QStringLiteral("Bob");
    store.addFinal(track);
    // No wall clock: placed from when its stream began (the final before).
    stt::TranscriptSegment noClock =
        makeFinal(QStringLiteral("alpha"), QStringLiteral("track/TR_bob"), 4);
    noClock.speaker = QStringLiteral("Bob");
    store.addFinal(noClock);
    store.endRoomSession(QStringLiteral("alpha"));
    store.endRoomSession(QStringLiteral("alpha")); // idempotent

    // A final for a room without a session opens one where its stream began.
    const QDateTime t1 = QDateTime::currentDateTimeUtc();
    store.addFinal(makeFinal(QStringLiteral("beta"), QStringLiteral("live/key"), 5, t1));
    // alpha again: a second session.
    store.beginRoomSession(QStringLiteral("alpha"));
    store.addFinal(makeFinal(QStringLiteral("alpha"), QStringLiteral("mix"), 7,
                             QDateTime::currentDateTimeUtc().addMSecs(2000)));
    QVERIFY(closeAndWait(store));
    QCOMPARE(store.stats().written, 5);

    TranscriptReader reader;
    QVERIFY2(reader.open(database, &error), qPrintable(error));
    const std::optional<QList<StoredSession>> sessions = reader.listSessions(&error);
    QVERIFY2(sessions, qPrintable(error));
    QCOMPARE(sessions->size(), 3);
    const StoredSession &first = sessions->at(0);
    const StoredSession &second = sessions->at(1);
    const StoredSession &beta = sessions->at(2);
    QCOMPARE(first.room, QStringLiteral("alpha"));
    QCOMPARE(first.segments, 3);
    QVERIFY(first.endedAt.isValid() && first.endedAt >= first.startedAt);
    QCOMPARE(second.room, QStringLiteral("alpha"));
    QCOMPARE(second.segments, 1);
    QVERIFY(!second.endedAt.isValid()); // never ended: the store closed with it open
    QCOMPARE(beta.room, QStringLiteral("beta"));
    QCOMPARE(beta.startedAt, t1.addMSecs(-5000));

    // The room's latest session by default; an older one by id.
    ExportDocument document;
    QCOMPARE(reader.loadDocument(QStringLiteral("alpha"), std::nullopt, &document, &error),
             LoadOutcome::Loaded);
    QCOMPARE(document.sessionId, QString::number(second.id));
    QCOMPARE(document.segments.size(), 1);
    QCOMPARE(reader.loadDocument(QStringLiteral("alpha"), first.id, &document, &error),
             LoadOutcome::Loaded);
    QCOMPARE(document.room, QStringLiteral("alpha"));
    QCOMPARE(document.startedAt, first.startedAt);
    QCOMPARE(document.endedAt, first.endedAt);
    QCOMPARE(document.segments.size(), 3);
    // Session time = wall clock - session start; words move with their segment.
    const qint64 mixStart = t0.toMSecsSinceEpoch() - first.startedAt.toMSecsSinceEpoch();
    const ExportSegment &a = document.segments.at(0);
    QCOMPARE(a.stream, QStringLiteral("mix"));
    QCOMPARE(a.speaker, QStringLiteral("Alice"));
    QVERIFY(a.speakerInferred);
    QCOMPARE(a.text, QStringLiteral("Hello, «world»"));
    QCOMPARE(a.language, QStringLiteral("en"));
    QCOMPARE(a.start_ms, mixStart);
    QCOMPARE(a.end_ms, mixStart + 800);
    QCOMPARE(a.words.size(), 2);
    QCOMPARE(a.words.at(1).word, QStringLiteral("number"));
    QCOMPARE(a.words.at(1).start_ms, mixStart + 300);
    QCOMPARE(a.words.at(1).end_ms, mixStart + 800);
    QCOMPARE(a.words.at(1).confidence, 0.8);
    const ExportSegment &b = document.segments.at(1);
    QCOMPARE(b.speaker, QStringLiteral("Bob"));
    QVERIFY(!b.speakerInferred);
    const qint64 trackStart =
        t0.addMSecs(3000).toMSecsSinceEpoch() - first.startedAt.toMSecsSinceEpoch();
    QCOMPARE(b.start_ms, trackStart);
    // The track's audio began at wall clock - 2000 ms; its final at 4000 ms.
    QCOMPARE(document.segments.at(2).start_ms, trackStart + 2000);

    QCOMPARE(reader.loadDocument(QStringLiteral("gamma"), std::nullopt, &document, &error),
             LoadOutcome::UnknownRoom);
    QVERIFY(error.contains(u"gamma"));
    QCOMPARE(reader.loadDocument(QStringLiteral("alpha"), 999999, &document, &error),
             LoadOutcome::UnknownSession);
    QVERIFY(error.contains(u"999999"));

    // Streams: how their audio came, and whose a track is.
    QCOMPARE(column(database, QStringLiteral("SELECT method || ':' || COALESCE(participant, '-')"
                                             " FROM streams ORDER BY id")),
             (QVariantList{QStringLiteral("room_composite:-"), QStringLiteral("track:Bob"),
                           QStringLiteral("rtmp:-"), QStringLiteral("room_composite:-")}));
    const QJsonArray words =
        QJsonDocument::fromJson(column(database, QStringLiteral("SELECT words FROM segments "
                                                                "WHERE utterance_id = 'u1'"))
                                    .value(0)
                                    .toString()
                                    .toUtf8())
            .array();
    QCOMPARE(words.size(), 2);
    QCOMPARE(words.at(0).toObject().value(u"start_ms").toInteger(), 1000); // stream time
}

void TestTranscriptStore::batchBySize()
{
    FRESH_DATABASE(database);
    StoreConfig config = configFor(database);
    config.flushInterval_ms = kNoFlushTimer_ms;
    config.batchSize = 10;
    TranscriptStore store;
    QString error;
    QVERIFY2(store.open(config, &error), qPrintable(error));
    addFinals(store, QStringLiteral("sized"), 1, 25);
    QTRY_COMPARE_WITH_TIMEOUT(store.stats().written, 20, kWait_ms);
    // The last 5 are not a batch: they wait (for an interval that never comes here).
    QTest::qWait(100);
    QCOMPARE(store.stats().written, 20);
    QCOMPARE(store.stats().queued, 5);
    QCOMPARE(scalar(database, QStringLiteral("SELECT COUNT(*) FROM segments")), 20);
    // Written in the order they came.
    const QVariantList ids =
        column(database, QStringLiteral("SELECT utterance_id FROM segments ORDER BY id"));
    for (int i = 0; i < ids.size(); ++i)
        QCOMPARE(ids.at(i).toString(), QStringLiteral("u%1").arg(i + 1));
    QVERIFY(closeAndWait(store));
    QCOMPARE(store.stats().written, 25);
    verifyExactlyOnce(database, 25);
}

void TestTranscriptStore::batchByInterval()
{
    FRESH_DATABASE(database);
    StoreConfig config = configFor(database);
    config.batchSize = 1000;
    TranscriptStore store;
    QString error;
    QVERIFY2(store.open(config, &error), qPrintable(error));
    addFinals(store, QStringLiteral("timed"), 1, 7);
    // Far from a batch: only the interval writes them.
    QTRY_COMPARE_WITH_TIMEOUT(store.stats().written, 7, kWait_ms);
    QCOMPARE(store.stats().queued, 0);
    addFinals(store, QStringLiteral("timed"), 8, 3);
    QTRY_COMPARE_WITH_TIMEOUT(store.stats().written, 10, kWait_ms);
    verifyExactlyOnce(database, 10);
    QVERIFY(closeAndWait(store));
}

void TestTranscriptStore::failingDatabaseRecovers()
{
    FRESH_DATABASE(database);
    TranscriptStore store;
    QString error;
    QVERIFY2(store.open(configFor(database), &error), qPrintable(error));
    addFinals(store, QStringLiteral("flaky"), 1, 5);
    QTRY_COMPARE_WITH_TIMEOUT(store.stats().written, 5, kWait_ms);

    QVERIFY(breakDatabase(database));
    addFinals(store, QStringLiteral("flaky"), 6, 40);
    QTRY_VERIFY_WITH_TIMEOUT(store.stats().failedFlushes >= 2, kWait_ms);
    QVERIFY(store.stats().retrying);
    QVERIFY(!store.stats().lastError.isEmpty());
    // Delivery goes on: finals keep queueing while it fails.
    addFinals(store, QStringLiteral("flaky"), 46, 10);
    QCOMPARE(store.stats().queued, 50);
    QCOMPARE(store.stats().written, 5);
    QCOMPARE(store.stats().overflowed, 0);

    QVERIFY(repairDatabase());
    QTRY_COMPARE_WITH_TIMEOUT(store.stats().written, 55, kWait_ms);
    QCOMPARE(store.stats().queued, 0);
    QVERIFY(!store.stats().retrying);
    verifyExactlyOnce(database, 55);
    QVERIFY(closeAndWait(store));
}

void TestTranscriptStore::overflowJournalReplayedOnRecovery()
{
    FRESH_DATABASE(database);
    StoreConfig config = configFor(database);
    config.maxQueued = 10;
    TranscriptStore store;
    QString error;
    QVERIFY2(store.open(config, &error), qPrintable(error));
    QVERIFY(breakDatabase(database));
    addFinals(store, QStringLiteral("overflowing"), 1, 50);
    // Past maxQueued, the oldest move to the journal.
    QTRY_COMPARE_WITH_TIMEOUT(store.stats().overflowed, 40, kWait_ms);
    QCOMPARE(store.stats().queued, 10);
    QCOMPARE(store.stats().journaled, 40);
    QFile journal(config.journalPath);
    QVERIFY(journal.open(QIODevice::ReadOnly));
    QCOMPARE(journal.readAll().count('\n'), 40);
    journal.close();

    QVERIFY(repairDatabase());
    QTRY_COMPARE_WITH_TIMEOUT(store.stats().written, 50, kWait_ms);
    QCOMPARE(store.stats().replayed, 40);
    QTRY_COMPARE_WITH_TIMEOUT(store.stats().journaled, 0, kWait_ms);
    QVERIFY(!QFile::exists(config.journalPath));
    verifyExactlyOnce(database, 50);
    QVERIFY(closeAndWait(store));
}

void TestTranscriptStore::journalReplayedAtNextStart()
{
    FRESH_DATABASE(database);
    StoreConfig config = configFor(database);
    config.closeTimeout_ms = 200;
    {
        TranscriptStore store;
        QString error;
        QVERIFY2(store.open(config, &error), qPrintable(error));
        QVERIFY(breakDatabase(database));
        addFinals(store, QStringLiteral("later"), 1, 30);
        QTRY_VERIFY_WITH_TIMEOUT(store.stats().failedFlushes >= 1, kWait_ms);
        // The database does not come back in time: close() journals the rest.
        QVERIFY(closeAndWait(store));
        QCOMPARE(store.stats().queued, 0);
        QCOMPARE(store.stats().journaled, 30);
        // After close, finals still go somewhere.
        addFinals(store, QStringLiteral("later"), 31, 1);
        QCOMPARE(store.stats().journaled, 31);
    }
    // A line cut short by a crash while it was written.
    {
        QFile journal(config.journalPath);
        QVERIFY(journal.open(QIODevice::Append));
        journal.write(R"({"v":1,"type":"final","room":"lat)");
    }
    const QString copy = config.journalPath + QStringLiteral(".copy");
    QVERIFY(QFile::copy(config.journalPath, copy));
    QVERIFY(repairDatabase());

    for (int run = 0; run < 2; ++run) {
        // The second run replays the same journal again: still exactly once.
        if (run == 1)
            QVERIFY(QFile::copy(copy, config.journalPath));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("skipped a line")));
        TranscriptStore store;
        QString error;
        QVERIFY2(store.open(config, &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(store.stats().written, 31, kWait_ms);
        QCOMPARE(store.stats().replayed, 31);
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(config.journalPath), kWait_ms);
        QVERIFY(closeAndWait(store));
        verifyExactlyOnce(database, 31);
    }
}

void TestTranscriptStore::closeFlushesEverything()
{
    FRESH_DATABASE(database);
    StoreConfig config = configFor(database);
    config.flushInterval_ms = kNoFlushTimer_ms;
    config.batchSize = 1000;
    TranscriptStore store;
    QString error;
    QVERIFY2(store.open(config, &error), qPrintable(error));
    store.beginRoomSession(QStringLiteral("closing"));
    addFinals(store, QStringLiteral("closing"), 1, 500);
    store.endRoomSession(QStringLiteral("closing"));
    QCOMPARE(store.stats().written, 0);
    QVERIFY(closeAndWait(store));
    const StoreStats stats = store.stats();
    QCOMPARE(stats.written, 500);
    QCOMPARE(stats.queued, 0);
    QCOMPARE(stats.journaled, 0);
    QVERIFY(!QFile::exists(config.journalPath));
    verifyExactlyOnce(database, 500);
    QCOMPARE(scalar(database, QStringLiteral("SELECT COUNT(*) FROM room_sessions "
                                             "WHERE ended_at IS NOT NULL")),
             1);
}

void TestTranscriptStore::sigkillLosesAtMostOneInterval()
{
    const QString database = m_dir.filePath(QStringLiteral("killed.sqlite"));
    constexpr int kRate_per_s = 500;
    // About 3 s; not a multiple of the batch size, so that a batch is half full.
    constexpr int kKillAfter = 1537;
    const StoreConfig defaults;

    QProcess writer;
    writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    writer.start(QCoreApplication::applicationFilePath(),
                 {QStringLiteral("--store-writer"), database, QString::number(kRate_per_s)});
    QVERIFY(writer.waitForStarted(10000));
    QByteArray output;
    auto lastSeq = [&output] {
        const int end = output.lastIndexOf('\n');
        if (end < 0)
            return 0;
        const int begin = output.lastIndexOf('\n', end - 1) + 1;
        return output.mid(begin, end - begin).split(' ').value(0).toInt();
    };
    while (lastSeq() < kKillAfter) {
        QVERIFY2(writer.state() == QProcess::Running, "the writer process ended");
        writer.waitForReadyRead(1000);
        output += writer.readAllStandardOutput();
    }
    const qint64 killedAt_ms = monotonic_ms();
    ::kill(pid_t(writer.processId()), SIGKILL);
    QVERIFY(writer.waitForFinished(10000));
    output += writer.readAllStandardOutput();

    int added = 0;
    int addedInLastInterval = 0;
    for (const QByteArray &line : output.split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() != 2)
            continue; // the last one, cut short by the kill
        added = fields.at(0).toInt();
        if (fields.at(1).toLongLong() > killedAt_ms - defaults.flushInterval_ms)
            ++addedInLastInterval;
    }

    // The database is intact, and holds a gapless prefix of what was added.
    QCOMPARE(column(database, QStringLiteral("PRAGMA integrity_check")).value(0).toString(),
             QStringLiteral("ok"));
    const int stored = int(scalar(database, QStringLiteral("SELECT COUNT(*) FROM segments")));
    QVERIFY(stored > 0);
    // One more than was read may be stored: added, then killed before printing.
    QVERIFY2(stored <= added + 1, qPrintable(QStringLiteral("%1 > %2").arg(stored).arg(added)));
    verifyExactlyOnce(database, stored);
    const int missing = std::max(0, added - stored);
    qInfo("added %d, stored %d, missing %d; added in the last %d ms: %d", added, stored, missing,
          defaults.flushInterval_ms, addedInLastInterval);
    QVERIFY2(missing <= addedInLastInterval + defaults.batchSize,
             qPrintable(QStringLiteral("%1 missing, more than the last interval's %2 plus a "
                                       "batch of %3")
                            .arg(missing)
                            .arg(addedInLastInterval)
                            .arg(defaults.batchSize)));
}

int main(int argc, char **argv)
{
    if (argc > 1 && std::strcmp(argv[1], "--store-writer") == 0)
        return runStoreWriter(argc, argv);
    QCoreApplication app(argc, argv);
    TestTranscriptStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_transcriptstore.moc"
