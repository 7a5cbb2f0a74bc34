// The headless command line: help, version, refusals of bad options, a
// generated key, RTMP_PORT, no Qt Gui in the process, and a clean SIGTERM.

#include "testsupport.h"

#include <QFile>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

using namespace roomscribe::test;

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helpAndVersion();
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
