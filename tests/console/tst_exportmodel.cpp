// SessionListModel and ExportController on a temporary SQLite store filled
// through TranscriptStore: sessions listed newest first with their texts,
// filtered by room, refreshed in place; exports in every format equal to
// exportDocument() of what the reader loads, with progress reaching 1; bad
// input (unwritable path, unknown session, unknown format) reported in errorText.

#include "export/exportcontroller.h"
#include "export/sessionlistmodel.h"
#include "store/transcriptreader.h"
#include "store/transcriptstore.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace roomscribe;
using namespace roomscribe::console;
using namespace roomscribe::store;

namespace {

constexpr int kWait_ms = 30000;

stt::TranscriptSegment makeFinal(const QString &room, int seq, const QDateTime &wallClock)
{
    stt::TranscriptSegment segment;
    segment.room = room;
    segment.stream = QStringLiteral("mix");
    segment.session = QStringLiteral("gladia-1");
    segment.utteranceId = QStringLiteral("u%1").arg(seq);
    segment.isFinal = true;
    segment.start_ms = seq * 1000;
    segment.end_ms = seq * 1000 + 800;
    segment.wallClock = wallClock;
    segment.speaker = QStringLiteral("Speaker %1").arg(seq % 2);
    segment.language = QStringLiteral("en");
    segment.text = QStringLiteral("sentence number %1 <with> & marks").arg(seq);
    segment.words = {{QStringLiteral("sentence"), seq * 1000, seq * 1000 + 300, 0.9}};
    return segment;
}

} // namespace

class TestExportModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void listsSessions();
    void filterAndRefreshInPlace();
    void applyUpdatesInPlace();
    void missingDatabaseIsEmpty();
    void exportsEveryFormat_data();
    void exportsEveryFormat();
    void exportsLatestOfRoom();
    void badInput();

private:
    bool addSessions(const QString &room, int finals, bool end);
    bool waitLoaded(SessionListModel &model);
    QString m_database;
    QTemporaryDir m_dir;
    QList<StoredSession> m_sessions; // as the reader lists them
};

bool TestExportModel::addSessions(const QString &room, int finals, bool end)
{
    StoreConfig config;
    config.database = m_database;
    config.journalPath = m_dir.filePath(QStringLiteral("journal.jsonl"));
    config.flushInterval_ms = 20;
    TranscriptStore store;
    QString error;
    if (!store.open(config, &error))
        return false;
    store.beginRoomSession(room);
    const QDateTime t0 = QDateTime::currentDateTimeUtc();
    for (int seq = 1; seq <= finals; ++seq)
        store.addFinal(makeFinal(room, seq, t0.addMSecs(seq * 1000)));
    if (end)
        store.endRoomSession(room);
    QSignalSpy closed(&store, &TranscriptStore::closed);
    store.close();
    if (closed.isEmpty() && !closed.wait(kWait_ms))
        return false;
    TranscriptReader reader;
    if (!reader.open(m_database, &error))
        return false;
    m_sessions = reader.listSessions(&error).value_or(QList<StoredSession>());
    return true;
}

bool TestExportModel::waitLoaded(SessionListModel &model)
{
    return QTest::qWaitFor([&] { return model.loaded() && !model.busy(); }, kWait_ms);
}

void TestExportModel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("xdg"))));
    m_database = m_dir.filePath(QStringLiteral("transcripts.sqlite"));
    QVERIFY(addSessions(QStringLiteral("alpha"), 3, true));
    QTest::qWait(1100); // distinct start seconds, so "newest first" is well defined
    QVERIFY(addSessions(QStringLiteral("beta"), 2, true));
    QTest::qWait(1100);
    QVERIFY(addSessions(QStringLiteral("alpha"), 1, false)); // still running
    QCOMPARE(m_sessions.size(), 3);
}

void TestExportModel::listsSessions()
{
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setDatabase(m_database);
    QVERIFY(model.busy());
    QVERIFY(waitLoaded(model));
    QCOMPARE(model.errorText(), QString());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.totalCount(), 3);

    const auto value = [&](int row, SessionListModel::Role role) {
        return model.data(model.index(row), role);
    };
    // Newest first: the running alpha, beta, the first alpha.
    QCOMPARE(value(0, SessionListModel::RoomRole).toString(), QStringLiteral("alpha"));
    QCOMPARE(value(0, SessionListModel::LiveRole).toBool(), true);
    QCOMPARE(value(0, SessionListModel::EndedRole).toString(), QStringLiteral("live"));
    QCOMPARE(value(0, SessionListModel::SegmentCountRole).toLongLong(), 1);
    QCOMPARE(value(1, SessionListModel::RoomRole).toString(), QStringLiteral("beta"));
    QCOMPARE(value(1, SessionListModel::SegmentCountRole).toLongLong(), 2);
    QCOMPARE(value(2, SessionListModel::RoomRole).toString(), QStringLiteral("alpha"));
    QCOMPARE(value(2, SessionListModel::LiveRole).toBool(), false);
    QCOMPARE(value(2, SessionListModel::SegmentCountRole).toLongLong(), 3);

    const StoredSession &first = m_sessions.at(0); // the reader: by room, then start
    QCOMPARE(first.room, QStringLiteral("alpha"));
    QCOMPARE(value(2, SessionListModel::SessionIdRole).toLongLong(), first.id);
    QCOMPARE(value(2, SessionListModel::StartedRole).toString(),
             QLocale().toString(first.startedAt.toLocalTime(), QLocale::ShortFormat));
    QCOMPARE(value(2, SessionListModel::EndedRole).toString(),
             QLocale().toString(first.endedAt.toLocalTime(), QLocale::ShortFormat));
    QCOMPARE(value(2, SessionListModel::DurationRole).toString(),
             QStringLiteral("%1 s").arg(first.startedAt.secsTo(first.endedAt)));
    QCOMPARE(value(2, SessionListModel::FileStemRole).toString(),
             QStringLiteral("alpha-") +
                 first.startedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd_HHmm")));
    QCOMPARE(model.latestRowOf(QStringLiteral("alpha")), 0);
    QCOMPARE(model.latestRowOf(QStringLiteral("beta")), 1);
    QCOMPARE(model.latestRowOf(QStringLiteral("gamma")), -1);
    QCOMPARE(model.get(1).value(QStringLiteral("room")).toString(), QStringLiteral("beta"));
}

void TestExportModel::filterAndRefreshInPlace()
{
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setDatabase(m_database);
    QVERIFY(waitLoaded(model));
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    model.setRoomFilter(QStringLiteral("ALP")); // case-insensitive, part of the name
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.totalCount(), 3);
    QCOMPARE(removed.count(), 1);
    model.setRoomFilter(QStringLiteral("nothing"));
    QCOMPARE(model.rowCount(), 0);
    model.setRoomFilter(QString());
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.data(model.index(1), SessionListModel::RoomRole).toString(),
             QStringLiteral("beta"));

    // A refresh with nothing new changes no rows.
    inserted.clear();
    removed.clear();
    model.refresh();
    QVERIFY(waitLoaded(model));
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(resets.count(), 0);
}

void TestExportModel::applyUpdatesInPlace()
{
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1714557600, Qt::UTC);
    StoredSession a{QStringLiteral("a"), 1, t0, t0.addSecs(90), 4};
    StoredSession b{QStringLiteral("b"), 2, t0.addSecs(100), {}, 1};
    model.apply({a, b});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.data(model.index(0), SessionListModel::RoomRole).toString(),
             QStringLiteral("b"));
    QCOMPARE(model.data(model.index(1), SessionListModel::DurationRole).toString(),
             QStringLiteral("1 min 30 s"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    b.endedAt = t0.addSecs(100 + 2 * 3600 + 5 * 60);
    b.segments = 9;
    const StoredSession c{QStringLiteral("c"), 3, t0.addSecs(50), t0.addSecs(60), 2};
    model.apply({a, b, c});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 1); // between b and a, by start
    QCOMPARE(removed.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
    const QList<int> roles = changed.at(0).at(2).value<QList<int>>();
    QVERIFY(roles.contains(SessionListModel::SegmentCountRole));
    QVERIFY(roles.contains(SessionListModel::EndedRole));
    QVERIFY(roles.contains(SessionListModel::DurationRole));
    QCOMPARE(model.data(model.index(0), SessionListModel::DurationRole).toString(),
             QStringLiteral("2 h 05 min"));
    QCOMPARE(model.data(model.index(0), SessionListModel::SegmentCountRole).toLongLong(), 9);

    model.apply({c});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(removed.count(), 2); // b, then a: not contiguous around c
    QCOMPARE(model.data(model.index(0), SessionListModel::SessionIdRole).toLongLong(), 3);
}

void TestExportModel::missingDatabaseIsEmpty()
{
    SessionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setDatabase(m_dir.filePath(QStringLiteral("none-yet.sqlite")));
    QVERIFY(waitLoaded(model));
    QCOMPARE(model.errorText(), QString());
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.totalCount(), 0);

    model.setDatabase(QStringLiteral("mysql://nope"));
    QVERIFY(waitLoaded(model));
    QVERIFY(!model.errorText().isEmpty());
}

void TestExportModel::exportsEveryFormat_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<ExportFormat>("expected");
    QTest::newRow("txt") << QStringLiteral("txt") << ExportFormat::Txt;
    QTest::newRow("srt") << QStringLiteral("srt") << ExportFormat::Srt;
    QTest::newRow("vtt") << QStringLiteral("vtt") << ExportFormat::Vtt;
    QTest::newRow("json") << QStringLiteral("json") << ExportFormat::Json;
}

void TestExportModel::exportsEveryFormat()
{
    QFETCH(QString, format);
    QFETCH(ExportFormat, expected);
    const StoredSession &session = m_sessions.at(0); // alpha's first: 3 finals
    ExportDocument document;
    TranscriptReader reader;
    QString error;
    QVERIFY(reader.open(m_database, &error));
    QCOMPARE(reader.loadDocument(session.room, session.id, &document, &error), LoadOutcome::Loaded);
    QCOMPARE(document.segments.size(), 3);

    ExportController controller;
    controller.setDatabase(m_database);
    QSignalSpy progress(&controller, &ExportController::progressChanged);
    QSignalSpy finished(&controller, &ExportController::finished);
    const QString path = m_dir.filePath(QStringLiteral("out/alpha")); // no extension
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("out"))));
    controller.exportSession(session.id, format, QUrl::fromLocalFile(path));
    QVERIFY(controller.busy());
    QVERIFY(finished.wait(kWait_ms));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY(!controller.busy());
    QCOMPARE(controller.errorText(), QString());
    const QString written = path + u'.' + exportFileExtension(expected);
    QCOMPARE(controller.resultPath(), written);
    QCOMPARE(controller.folderUrl(), QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("out"))));
    QCOMPARE(controller.progress(), 1.0);
    QVERIFY(progress.count() >= 2);

    QFile file(written);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), exportDocument(document, expected));
}

void TestExportModel::exportsLatestOfRoom()
{
    ExportController controller;
    controller.setDatabase(m_database);
    QSignalSpy finished(&controller, &ExportController::finished);
    const QString path = m_dir.filePath(QStringLiteral("latest.json"));
    controller.exportSession(QStringLiteral("alpha"), QStringLiteral("json"),
                             QUrl::fromLocalFile(path));
    QVERIFY(finished.wait(kWait_ms));
    QCOMPARE(controller.resultPath(), path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray json = file.readAll();
    QVERIFY(json.contains("sentence number 1"));
    QVERIFY(!json.contains("sentence number 3")); // the latest alpha holds one final only
    QCOMPARE(
        controller.suggestedFileUrl(QStringLiteral("alpha-2024-05-01_1000"), QStringLiteral("srt"))
            .fileName(),
        QStringLiteral("alpha-2024-05-01_1000.srt"));
}

void TestExportModel::badInput()
{
    ExportController controller;
    controller.setDatabase(m_database);
    QSignalSpy finished(&controller, &ExportController::finished);
    const qint64 id = m_sessions.at(0).id;

    controller.exportSession(id, QStringLiteral("txt"),
                             QUrl::fromLocalFile(QStringLiteral("/proc/no/such/dir/x.txt")));
    QVERIFY(finished.wait(kWait_ms));
    QCOMPARE(finished.takeFirst().at(0).toBool(), false);
    QVERIFY(controller.errorText().startsWith(QStringLiteral("Cannot write /proc/no/such/dir")));
    QCOMPARE(controller.resultPath(), QString());
    QVERIFY(!controller.busy());

    controller.exportSession(qint64(999999), QStringLiteral("txt"),
                             QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("x.txt"))));
    QVERIFY(finished.wait(kWait_ms));
    QCOMPARE(controller.errorText(), QStringLiteral("There is no session 999999 in the database."));
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("x.txt"))));

    controller.exportSession(QStringLiteral("gamma"), QStringLiteral("txt"),
                             QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("x.txt"))));
    QVERIFY(finished.wait(kWait_ms));
    QCOMPARE(controller.errorText(), QStringLiteral("There is no room \"gamma\" in the database."));

    // Refused at once, without the worker.
    finished.clear();
    controller.exportSession(id, QStringLiteral("docx"),
                             QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("x.docx"))));
    QCOMPARE(finished.count(), 1);
    QVERIFY(controller.errorText().contains(QStringLiteral("docx")));
    controller.exportSession(id, QStringLiteral("txt"), QUrl(QStringLiteral("https://x/y.txt")));
    QCOMPARE(finished.count(), 2);
    QVERIFY(!controller.errorText().isEmpty());
    controller.exportSession(QVariant(), QStringLiteral("txt"),
                             QUrl::fromLocalFile(m_dir.filePath(QStringLiteral("x.txt"))));
    QCOMPARE(finished.count(), 3);
    QCOMPARE(controller.errorText(), QStringLiteral("Choose a session to export."));
}

QTEST_GUILESS_MAIN(TestExportModel)
#include "tst_exportmodel.moc"
