// The headless command line: help, version, the manual made from the same
// option table as --help, refusals of bad options, a generated key,
// RTMP_PORT, no Qt Gui in the process, and a clean SIGTERM.

#include "testsupport.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace roomscribe::test;

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helpAndVersion();
    void versionAndManualNeedNoDisplay();
    void manualMatchesHelp();
    void manualRendersWithoutWarnings();
    void badOptionsAreRefused_data();
    void badOptionsAreRefused();
    void generatedKeyIsPrintedAndHeadlessHasNoGui();
    void rtmpPortFromEnvironment();
};

void TestCli::helpAndVersion()
{
    QByteArray out;
    QVERIFY(run(roomscribeBinary(), {QStringLiteral("--help")}, 10000, &out));
    for (const char *option : {"--no-gui", "--rtmp-listen", "--stream-key", "--pcm-dir", "--stats",
                               "--workers", "--chunk-ms", "RTMP_PORT"})
        QVERIFY2(out.contains(option), option);
    QVERIFY(run(roomscribeBinary(), {QStringLiteral("--version")}, 10000, &out));
    QVERIFY(out.startsWith("roomscribe " ROOMSCRIBE_VERSION));
}

namespace {

struct Output
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// PROGRAM's exit code, standard output and standard error, apart.
Output runApart(const QString &program, const QStringList &arguments,
                const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    Output output;
    if (process.waitForFinished(30000) && process.exitStatus() == QProcess::NormalExit)
        output.exitCode = process.exitCode();
    else
        process.kill(), process.waitForFinished(5000);
    output.out = process.readAllStandardOutput();
    output.err = process.readAllStandardError();
    return output;
}

// No display of any kind: the console would fail to start here.
QProcessEnvironment withoutDisplay()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        environment.remove(QString::fromLatin1(name));
    return environment;
}

// roomscribe --man-page, written to DIRECTORY/roomscribe.1.
QString writeManual(const QTemporaryDir &directory, QByteArray *roff)
{
    const Output manual = runApart(roomscribeBinary(), {QStringLiteral("--man-page")});
    if (manual.exitCode != 0)
        return {};
    *roff = manual.out;
    QFile file(directory.filePath(QStringLiteral("roomscribe.1")));
    if (!file.open(QIODevice::WriteOnly) || file.write(manual.out) != manual.out.size())
        return {};
    return file.fileName();
}

// The entries of one --help section ("Options:", "Environment:"), each as
// the manual shows it: its names (value name without <>), then its
// description, the description's wrapped lines joined.
QStringList helpEntries(const QString &help, const QString &heading)
{
    QStringList entries;
    const QStringList lines = help.split(u'\n');
    for (qsizetype i = lines.indexOf(heading) + 1; i > 0 && i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        if (line.isEmpty())
            break;
        if (line.startsWith(QLatin1String("   ")) && !entries.isEmpty()) {
            entries.last() += u' ' + line.trimmed();
            continue;
        }
        // A new entry, indented by 2: its names, 2 spaces or more, its description.
        const QString text = line.trimmed();
        const qsizetype gap = text.indexOf(QLatin1String("  "));
        QString entry = text.left(gap).remove(u'<').remove(u'>');
        if (gap > 0)
            entry += u' ' + text.mid(gap).trimmed();
        entries.append(entry);
    }
    return entries;
}

// How many tagged paragraphs (.TP) the manual's SECTION has.
int manualItems(const QByteArray &roff, const QByteArray &section)
{
    int items = 0;
    bool inSection = false;
    for (const QByteArray &line : roff.split('\n')) {
        if (line.startsWith(".SH "))
            inSection = line == ".SH " + section;
        else if (inSection && line == ".TP")
            ++items;
    }
    return items;
}

} // namespace

void TestCli::versionAndManualNeedNoDisplay()
{
    Output version = runApart(roomscribeBinary(), {QStringLiteral("--version")}, withoutDisplay());
    QCOMPARE(version.exitCode, 0);
    QCOMPARE(version.out, QByteArray("roomscribe " ROOMSCRIBE_VERSION "\n"));
    const Output manual =
        runApart(roomscribeBinary(), {QStringLiteral("--man-page")}, withoutDisplay());
    QCOMPARE(manual.exitCode, 0);
    QVERIFY2(manual.err.isEmpty(), manual.err.constData());
    QVERIFY(manual.out.contains(".TH ROOMSCRIBE 1 \"\" \"roomscribe " ROOMSCRIBE_VERSION "\""));
}

// Every option and variable of --help is in the manual, with the same value
// name and description, and the manual lists no other option.
void TestCli::manualMatchesHelp()
{
    const Output help = runApart(roomscribeBinary(), {QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    const QStringList options =
        helpEntries(QString::fromUtf8(help.out), QStringLiteral("Options:"));
    const QStringList variables =
        helpEntries(QString::fromUtf8(help.out), QStringLiteral("Environment:"));
    QVERIFY(options.size() > 30);
    QVERIFY(variables.contains(QStringLiteral("RTMP_PORT RTMP port when --rtmp-listen is not "
                                              "given.")));

    QTemporaryDir directory;
    QByteArray roff;
    const QString manual = writeManual(directory, &roff);
    QVERIFY(!manual.isEmpty());
    QCOMPARE(manualItems(roff, "OPTIONS"), options.size());
    QCOMPARE(manualItems(roff, "ENVIRONMENT"), variables.size());
    // Plain text on lines long enough that no paragraph breaks.
    const Output text =
        runApart(QStringLiteral("groff"),
                 {QStringLiteral("-man"), QStringLiteral("-Tascii"), QStringLiteral("-rLL=5000n"),
                  QStringLiteral("-P-c"), QStringLiteral("-P-b"), QStringLiteral("-P-u"), manual});
    QCOMPARE(text.exitCode, 0);
    const QString rendered = QString::fromUtf8(text.out).simplified();
    for (const QString &entry : options + variables)
        QVERIFY2(rendered.contains(entry), qPrintable(entry));
    QVERIFY(!rendered.contains(QLatin1String("--man-page")));
}

// As lintian checks manual pages, and groff with every warning.
void TestCli::manualRendersWithoutWarnings()
{
    QTemporaryDir directory;
    QByteArray roff;
    const QString manual = writeManual(directory, &roff);
    QVERIFY(!manual.isEmpty());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    environment.insert(QStringLiteral("MANROFFSEQ"), QString());
    environment.insert(QStringLiteral("MANWIDTH"), QStringLiteral("80"));
    const Output man =
        runApart(QStringLiteral("man"),
                 {QStringLiteral("--warnings"), QStringLiteral("-E"), QStringLiteral("UTF-8"),
                  QStringLiteral("-l"), QStringLiteral("-Tutf8"), QStringLiteral("-Z"), manual},
                 environment);
    QCOMPARE(man.exitCode, 0);
    QVERIFY2(man.err.isEmpty(), man.err.constData());
    const Output groff =
        runApart(QStringLiteral("groff"), {QStringLiteral("-man"), QStringLiteral("-Tutf8"),
                                           QStringLiteral("-ww"), QStringLiteral("-z"), manual});
    QCOMPARE(groff.exitCode, 0);
    QVERIFY2(groff.err.isEmpty(), groff.err.constData());
}

void TestCli::badOptionsAreRefused_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");
    QTest::newRow("unknown option")
        << QStringList{QStringLiteral("--frobnicate")} << QByteArray("frobnicate");
    QTest::newRow("listen without port")
        << QStringList{QStringLiteral("--rtmp-listen"), QStringLiteral("127.0.0.1")}
        << QByteArray("HOST:PORT");
    QTest::newRow("chunk too short")
        << QStringList{QStringLiteral("--chunk-ms"), QStringLiteral("1")}
        << QByteArray("--chunk-ms");
    QTest::newRow("key with a slash")
        << QStringList{QStringLiteral("--stream-key"), QStringLiteral("a/b")} << QByteArray("a/b");
    QTest::newRow("missing keys file")
        << QStringList{QStringLiteral("--stream-keys-file"), QStringLiteral("/nonexistent")}
        << QByteArray("/nonexistent");
}

void TestCli::badOptionsAreRefused()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(roomscribeBinary(), QStringList{QStringLiteral("--no-gui")} + arguments);
    QVERIFY(process.waitForFinished(10000));
    const QByteArray out = process.readAll();
    QVERIFY(process.exitCode() != 0);
    QVERIFY2(out.contains(message), out.constData());
}

void TestCli::generatedKeyIsPrintedAndHeadlessHasNoGui()
{
    EngineProcess engine;
    QVERIFY(engine.start({QStringLiteral("--rtmp-listen"), QStringLiteral("127.0.0.1:0")}));
    // 128 random bits, base64url: 22 characters.
    static const QRegularExpression url(
        QStringLiteral("^rtmp://127\\.0\\.0\\.1:\\d+/live/[A-Za-z0-9_-]{22}$"));
    QVERIFY2(url.match(engine.publishUrls().first()).hasMatch(),
             qPrintable(engine.publishUrls().first()));

    QFile maps(QStringLiteral("/proc/%1/maps").arg(engine.pid()));
    QVERIFY(maps.open(QIODevice::ReadOnly));
    const QByteArray mapped = maps.readAll();
    QVERIFY(mapped.contains("libQt6Core"));
    QVERIFY(!mapped.contains("libQt6Gui"));
    QVERIFY(!mapped.contains("libQt6Qml"));
    QVERIFY(!mapped.contains("libroomscribe-gui"));
    QVERIFY(engine.stop());
    QVERIFY(engine.readLog().contains("RTMP ingest stopped"));
}

void TestCli::rtmpPortFromEnvironment()
{
    QTcpServer probe; // a port that is free right now
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    EngineProcess engine;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("RTMP_PORT"), QString::number(port));
    engine.process().setProcessEnvironment(environment);
    QVERIFY(engine.start({}));
    QCOMPARE(engine.port(), port);
    QVERIFY(engine.stop());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
