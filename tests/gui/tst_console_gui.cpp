// The console end to end, in a real X server (Xvfb): the roomscribe window
// against the fake LiveKit (real GStreamer egress media) and the Gladia
// emulator. tests/gui/tour.qml, run with --gui-script, starts a room with its
// Start button, waits for the transcript, and saves a screenshot of every
// view in English and in Russian under the build tree (console_gui/).

#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace roomscribe::test;

namespace {

const QString kApiKey = QStringLiteral("APIconsolekey");
const QByteArray kApiSecret = "console-secret-that-is-long-enough-for-hs256";
const QString kRoom = QStringLiteral("standup");

const char kGladiaScript[] = R"([
 {"start_s": 0.2, "end_s": 1.1, "text": "Good morning, the stand-up starts now."},
 {"start_s": 1.3, "end_s": 2.4, "text": "Yesterday I finished the export."}
])";

// Distinct colours in the image: an empty or black window has a handful.
int colourCount(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

} // namespace

class TestConsoleGui : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tourInEnglishAndRussian();
};

void TestConsoleGui::tourInEnglishAndRussian()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString shots = QStringLiteral(ROOMSCRIBE_SHOTS_DIR);
    QDir(shots).removeRecursively();
    QVERIFY(QDir().mkpath(shots));

    GladiaEmulatorProcess gladia;
    const QString gladiaScript = dir.filePath(QStringLiteral("gladia.json"));
    {
        QFile file(gladiaScript);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kGladiaScript);
    }
    QVERIFY2(gladia.start({QStringLiteral("--api-key"), QStringLiteral("console-gladia"),
                           QStringLiteral("--script"), gladiaScript}),
             gladia.log().constData());

    LiveKitFakeProcess fake;
    QVERIFY2(fake.start({QStringLiteral("--api-key"), kApiKey, QStringLiteral("--api-secret"),
                         QString::fromLatin1(kApiSecret), QStringLiteral("--egress-limit"),
                         QStringLiteral("4")}),
             fake.log().constData());
    for (const auto &[identity, text] : QList<std::pair<QString, QString>>{
             {QStringLiteral("alice"), QStringLiteral("Good morning, the stand-up starts now.")},
             {QStringLiteral("bob"), QStringLiteral("Yesterday I finished the export.")}}) {
        const QString wav = makeSpeech(dir.path(), identity, QStringLiteral("en"), text, 48000, 2);
        QVERIFY(!wav.isEmpty());
        const QJsonObject joined =
            fake.control(QStringLiteral("join"), {{QStringLiteral("room"), kRoom},
                                                  {QStringLiteral("identity"), identity},
                                                  {QStringLiteral("sample"), wav}});
        QVERIFY(!joined[QStringLiteral("track_sid")].toString().isEmpty());
    }
    // A second room nobody starts: the rooms view lists it idle.
    fake.control(QStringLiteral("create_room"),
                 {{QStringLiteral("name"), QStringLiteral("design-review")}});

    QFile tourSource(QStringLiteral(ROOMSCRIBE_TOUR_QML));
    QVERIFY(tourSource.open(QIODevice::ReadOnly));
    const QString tour = dir.filePath(QStringLiteral("tour.qml"));
    {
        QFile file(tour);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QString::fromUtf8(tourSource.readAll())
                       .replace(QStringLiteral("@SHOTS@"), shots)
                       .replace(QStringLiteral("@ROOM@"), kRoom)
                       .toUtf8());
    }

    EngineProcess console;
    console.setConsole(true);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LIVEKIT_API_KEY"), kApiKey);
    environment.insert(QStringLiteral("LIVEKIT_API_SECRET"), QString::fromLatin1(kApiSecret));
    environment.insert(QStringLiteral("GLADIA_API_KEY"), QStringLiteral("console-gladia"));
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("en_US.UTF-8"));
    environment.insert(QStringLiteral("LANGUAGE"), QStringLiteral("en"));
    environment.remove(QStringLiteral("QT_QPA_PLATFORM"));
    console.process().setProcessEnvironment(environment);
    QVERIFY2(console.start({QStringLiteral("--rtmp-listen"), QStringLiteral("127.0.0.1:0"),
                            QStringLiteral("--ws-listen"), QStringLiteral("127.0.0.1:0"),
                            QStringLiteral("--livekit-url"), fake.baseUrl(),
                            QStringLiteral("--livekit-poll-s"), QStringLiteral("1"),
                            QStringLiteral("--gladia-url"), gladia.apiUrl(),
                            QStringLiteral("--gui-script"), tour},
                           0),
             console.readLog().constData());

    // The tour ends by closing the window, which stops the engine: exit 0.
    QProcess &process = console.process();
    const bool finished = process.waitForFinished(240000);
    const QString log = QString::fromUtf8(console.readLog());
    qInfo().noquote() << log;
    QVERIFY(finished);
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY2(!log.contains(QStringLiteral("TOUR FAIL")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("TOUR done")), qPrintable(log));
    // No QML warnings: bindings to missing properties, type errors.
    static const QRegularExpression qmlProblem(
        QStringLiteral("qrc:/.*(Error|error|Unable|undefined|not a type|is not installed|"
                       "Cannot|TypeError|ReferenceError)"));
    QVERIFY2(!qmlProblem.match(log).hasMatch(), qPrintable(qmlProblem.match(log).captured(0)));

    // The Start button started the room; its transcript came from Gladia.
    QVERIFY2(log.contains(QStringLiteral("TOUR started standup")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("Good morning, the stand-up starts now.")),
             qPrintable(log));
    QVERIFY(fake.egresses()[QStringLiteral("start_count")].toInt() >= 1);

    // The tabs read in English, then in Russian with no English left.
    QVERIFY2(log.contains(QStringLiteral("TOUR tabs Rooms,")), qPrintable(log));
    static const QRegularExpression russianTabs(QStringLiteral("TOUR tabs (Комнаты,[^\n]*)"));
    const QRegularExpressionMatch russian = russianTabs.match(log);
    QVERIFY2(russian.hasMatch(), qPrintable(log));
    static const QRegularExpression latin(QStringLiteral("[A-Za-z]"));
    QVERIFY2(!latin.match(russian.captured(1)).hasMatch(), qPrintable(russian.captured(1)));

    // What each Russian view shows holds none of the English interface's words.
    static const QRegularExpression textsLine(QStringLiteral("TOUR texts (\\w+)_ru (.*)"));
    static const QRegularExpression englishWord(QStringLiteral(
        "\\b(Room|Rooms|Start|Stop|Egress|egress|Transcript|Latency|Export|Settings|Streams|"
        "Search|Copy|Filter|Sort|participant|speaking|minute|Live|Idle|Queued|Save|Test|"
        "Format|session|limit|queue|waiting|mix|chunking|Send|final|partial|connected)\\b"));
    int russianViews = 0;
    for (auto match = textsLine.globalMatch(log); match.hasNext();) {
        const QRegularExpressionMatch line = match.next();
        ++russianViews;
        const QJsonArray texts = QJsonDocument::fromJson(line.captured(2).toUtf8()).array();
        QVERIFY2(!texts.isEmpty(), qPrintable(line.captured(1)));
        for (const QJsonValue &text : texts) {
            const QRegularExpressionMatch english = englishWord.match(text.toString());
            QVERIFY2(!english.hasMatch(), qPrintable(line.captured(1) + QStringLiteral(": ") +
                                                     text.toString()));
        }
    }
    QCOMPARE(russianViews, 7);
    // The same check sees the English interface's words where they are.
    static const QRegularExpression englishRooms(QStringLiteral("TOUR texts rooms_en (.*)"));
    QVERIFY(englishWord.match(englishRooms.match(log).captured(1)).hasMatch());

    // Every view drawn in both languages, with text and colour in it.
    for (const QString language : {QStringLiteral("en"), QStringLiteral("ru")}) {
        for (const QString view :
             {QStringLiteral("rooms"), QStringLiteral("usage"), QStringLiteral("transcripts"),
              QStringLiteral("latency"), QStringLiteral("export"), QStringLiteral("streams"),
              QStringLiteral("settings")}) {
            const QString path = shots + u'/' + view + u'_' + language + QStringLiteral(".png");
            const QImage image(path);
            QVERIFY2(!image.isNull(), qPrintable(path));
            QVERIFY2(image.width() >= 960 && image.height() >= 600, qPrintable(path));
            QVERIFY2(colourCount(image) > 40, qPrintable(path));
        }
    }
}

QTEST_GUILESS_MAIN(TestConsoleGui)
#include "tst_console_gui.moc"
