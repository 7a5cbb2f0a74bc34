// Transcript exports: byte-exact golden files per format, the subtitle rules checked on the
// output (line lengths, durations, order), and SRT/WebVTT parsed back by FFmpeg.
//
// To regenerate the golden files after an intended change, run with
// ROOMSCRIBE_UPDATE_GOLDEN=1 and review the diff of tests/data/export/.

#include "store/exporters.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using roomscribe::store::ExportDocument;
using roomscribe::store::exportDocument;
using roomscribe::store::exportFileExtension;
using roomscribe::store::ExportFormat;
using roomscribe::store::ExportSegment;
using roomscribe::store::ExportWord;
using roomscribe::store::parseExportFormat;

namespace {

const QString kGoldenDir = QStringLiteral(ROOMSCRIBE_TEST_DATA "/export");

ExportSegment segment(const QString &speaker, const QString &stream, qint64 start_ms, qint64 end_ms,
                      const QString &language, const QString &text)
{
    ExportSegment s;
    s.speaker = speaker;
    s.stream = stream;
    s.start_ms = start_ms;
    s.end_ms = end_ms;
    s.language = language;
    s.text = text;
    return s;
}

// Word timings the way Gladia sends them: a leading space, contractions in two pieces
// ("don" + "'t"), `step_ms` per word with a 50 ms pause after each.
ExportSegment withWords(ExportSegment s, qint64 step_ms)
{
    qint64 at_ms = s.start_ms;
    const auto add = [&](const QString &text) {
        static const double confidences[] = {0.91, 0.84, 0.775, 0.98, 0.65};
        s.words.append({text, at_ms, at_ms + step_ms - 50, confidences[s.words.size() % 5]});
        at_ms += step_ms;
    };
    for (const QString &token : s.text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const qsizetype apostrophe = token.indexOf(QLatin1Char('\''));
        if (apostrophe > 0) {
            add(QLatin1Char(' ') + token.left(apostrophe));
            add(token.mid(apostrophe));
        } else {
            add(QLatin1Char(' ') + token);
        }
    }
    return s;
}

// Two speakers in English and Russian with emoji, TXT paragraphs to merge, long segments that
// must split (by word times, and by characters where there are none), a word longer than a
// line, markup characters to escape, a speakerless room mix and hours past the first.
ExportDocument conversation()
{
    ExportDocument d;
    d.room = QStringLiteral("standup");
    d.sessionId = QStringLiteral("RS_01HZX3K9");
    d.startedAt = QDateTime(QDate(2024, 5, 6), QTime(9, 30, 0), Qt::UTC);
    d.endedAt = QDateTime(QDate(2024, 5, 6), QTime(10, 32, 10, 345), Qt::UTC);
    const QString alice = QStringLiteral("Alice");
    const QString boris = QStringLiteral("Борис");
    d.segments = {
        withWords(segment(alice, "alice", 1000, 2800, "en", "Good morning, everyone!"), 600),
        segment(alice, "alice", 3500, 5200, "en", "Let's start with the demo."),
        withWords(segment(boris, "boris", 6000, 9500, "ru",
                          QStringLiteral("Доброе утро! Я подготовил отчёт 📊")),
                  550),
        withWords(segment(alice, "alice", 10000, 30000, "en",
                          "So here is the plan for this week: we finish the export formats, "
                          "we test them against FFmpeg, and then we ship the store. Don't "
                          "forget the notes at "
                          "https://example.com/roomscribe/exports/2024-05-06/standup-notes.html "
                          "before Friday."),
                  400),
        segment(boris, "boris", 32000, 52000, "ru",
                QStringLiteral("Спасибо, Алиса. По отчёту: задержка доставки снизилась до сорока "
                               "миллисекунд, очередь записи больше не растёт, а экспорт в "
                               "субтитры проверяет FFmpeg. Осталось описать формат JSON 🚀")),
        segment(QString(), "room-mix", 53000, 55000, "en", "Q&A: is 2 < 3 and 5 > 4? <b>yes</b>"),
        segment(QStringLiteral("R&D <lead>"), "rnd", 56000, 58000, "en", "Ship it --> now."),
        withWords(segment(alice, "alice", 3723000, 3725500, "en",
                          QStringLiteral("Thanks, don't forget 👋")),
                  500),
    };
    return d;
}

// Everything a store can hand over that a player would choke on: segments out of order,
// overlapping speech, zero and negative durations, a negative start, equal starts, text
// that is only whitespace or spans lines, and words that don't match their text or time.
ExportDocument overlapping()
{
    ExportDocument d;
    d.room = QStringLiteral("crosstalk");
    d.sessionId = QStringLiteral("S-2");
    d.startedAt = QDateTime(QDate(2024, 1, 31), QTime(23, 59, 59, 999), Qt::UTC);
    d.endedAt = QDateTime(QDate(2024, 2, 1), QTime(0, 1, 0), Qt::UTC);
    ExportSegment mismatched =
        segment("Bob", "bob", 20000, 23000, "en", "The words below say something else.");
    mismatched.words = {{"Entirely", 20000, 20500, 0.9}, {"different", 20500, 21000, 0.8}};
    ExportSegment elsewhere =
        withWords(segment("Carol", "carol", 24000, 30000, "en",
                          "These word times belong to another clock, so the split is proportional "
                          "by characters instead of following them."),
                  400);
    for (ExportWord &word : elsewhere.words) {
        word.start_ms += 100000;
        word.end_ms += 100000;
    }
    d.segments = {
        segment("Bob", "bob", 5000, 8000, "en", "Second in time, first in the list."),
        segment("Alice", "alice", 0, 6000, "en", "First in time, and overlapping Bob."),
        segment("Carol", "carol", 4000, 4000, "en", "Zero length."),
        segment("Dave", "dave", 9000, 8500, "en", "Ends before it starts."),
        segment("Eve", "eve", -500, 1000, "en", "Starts before zero."),
        segment("Alice", "alice", 12000, 13000, "en", "Same start, listed first."),
        segment("Bob", "bob", 12000, 13000, "en", "Same start, listed second."),
        segment("Bob", "bob", 14000, 15000, "en", " \t \n "),
        segment("Alice", "alice", 16000, 18000, "en", "Text over\ntwo lines\r\nand\ttabs."),
        mismatched,
        elsewhere,
    };
    return d;
}

ExportDocument empty()
{
    ExportDocument d;
    d.room = QStringLiteral("quiet-room");
    d.sessionId = QStringLiteral("S-0");
    d.startedAt = QDateTime(QDate(2024, 3, 1), QTime(12, 0, 0), Qt::UTC);
    return d;
}

ExportDocument documentNamed(const QString &name)
{
    if (name == QLatin1String("conversation"))
        return conversation();
    if (name == QLatin1String("overlap"))
        return overlapping();
    return empty();
}

const QList<ExportFormat> kFormats = {ExportFormat::Txt, ExportFormat::Srt, ExportFormat::Vtt,
                                      ExportFormat::Json};

struct ParsedCue
{
    qint64 start_ms = 0;
    qint64 end_ms = 0;
    QStringList lines;
};

qint64 parseTime(const QString &text)
{
    // Hours are optional: FFmpeg leaves them out of WebVTT times below an hour.
    static const QRegularExpression pattern(
        QStringLiteral("^(?:(\\d+):)?(\\d\\d):(\\d\\d)[,.](\\d{3})$"));
    const QRegularExpressionMatch m = pattern.match(text);
    if (!m.hasMatch())
        return -1;
    return m.captured(1).toLongLong() * 3600000 + m.captured(2).toLongLong() * 60000 +
           m.captured(3).toLongLong() * 1000 + m.captured(4).toLongLong();
}

// A strict reader of what the exporters write (SRT and WebVTT alike): blocks separated by
// one empty line, a timing line, then text lines.
QList<ParsedCue> parseCues(const QByteArray &bytes)
{
    QList<ParsedCue> cues;
    const QStringList blocks = QString::fromUtf8(bytes).split(QStringLiteral("\n\n"));
    for (const QString &block : blocks) {
        QStringList lines = block.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        while (!lines.isEmpty() && !lines.first().contains(QStringLiteral(" --> ")))
            lines.removeFirst();
        if (lines.isEmpty())
            continue;
        const QStringList times = lines.takeFirst().split(QStringLiteral(" --> "));
        cues.append({parseTime(times.value(0)), parseTime(times.value(1)), lines});
    }
    return cues;
}

int codePoints(const QString &text)
{
    return int(text.toUcs4().size());
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run ffmpeg(const QStringList &arguments)
{
    QProcess process;
    process.start(QStringLiteral("ffmpeg"),
                  QStringList{"-nostdin", "-hide_banner", "-v", "error", "-y"} + arguments);
    Run run;
    if (!process.waitForStarted() || !process.waitForFinished(60000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace

Q_DECLARE_METATYPE(ExportDocument)
Q_DECLARE_METATYPE(ExportFormat)

class TestExporters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesFormatNames_data();
    void parsesFormatNames();
    void namesFileExtensions();
    void matchesGoldenFiles_data();
    void matchesGoldenFiles();
    void txtMergesOneSpeakersShortPauses();
    void subtitlesKeepTheirLimits_data();
    void subtitlesKeepTheirLimits();
    void splitsAtWordTimes();
    void srtAndVttCarryTheSameCues();
    void jsonKeepsTheDataAndKeyOrder();
    void marksInferredSpeakers();
    void ffmpegReadsSubtitles_data();
    void ffmpegReadsSubtitles();
};

void TestExporters::parsesFormatNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("format"); // -1: not a format
    QTest::newRow("txt") << "txt" << int(ExportFormat::Txt);
    QTest::newRow("SRT") << "SRT" << int(ExportFormat::Srt);
    QTest::newRow("vtt") << "vtt" << int(ExportFormat::Vtt);
    QTest::newRow("webvtt") << "WebVTT" << int(ExportFormat::Vtt);
    QTest::newRow(".json with spaces") << " .json " << int(ExportFormat::Json);
    QTest::newRow("empty") << "" << -1;
    QTest::newRow("docx") << "docx" << -1;
    QTest::newRow("two dots") << "..srt" << -1;
    QTest::newRow("invalid") << "invalid" << -1;
}

void TestExporters::parsesFormatNames()
{
    QFETCH(QString, name);
    QFETCH(int, format);
    const std::optional<ExportFormat> parsed = parseExportFormat(name);
    if (format < 0) {
        QVERIFY(!parsed);
    } else {
        QVERIFY(parsed);
        QCOMPARE(int(*parsed), format);
    }
}

void TestExporters::namesFileExtensions()
{
    for (const ExportFormat format : kFormats)
        QCOMPARE(parseExportFormat(exportFileExtension(format)), format);
    QCOMPARE(exportFileExtension(ExportFormat::Vtt), QStringLiteral("vtt"));
    QVERIFY(exportFileExtension(ExportFormat::Invalid).isEmpty());
    QVERIFY(exportDocument(conversation(), ExportFormat::Invalid).isEmpty());
}

void TestExporters::matchesGoldenFiles_data()
{
    QTest::addColumn<QString>("document");
    QTest::addColumn<ExportFormat>("format");
    for (const char *document : {"conversation", "overlap", "empty"}) {
        for (const ExportFormat format : kFormats) {
            const QString file = QStringLiteral("%1.%2").arg(document, exportFileExtension(format));
            QTest::newRow(qPrintable(file)) << QString::fromLatin1(document) << format;
        }
    }
}

void TestExporters::matchesGoldenFiles()
{
    QFETCH(QString, document);
    QFETCH(ExportFormat, format);
    const QByteArray actual = exportDocument(documentNamed(document), format);
    const QString path =
        kGoldenDir + QLatin1Char('/') + document + QLatin1Char('.') + exportFileExtension(format);
    QFile golden(path);
    if (qEnvironmentVariableIntValue("ROOMSCRIBE_UPDATE_GOLDEN") == 1) {
        QVERIFY(QDir().mkpath(kGoldenDir));
        QVERIFY2(golden.open(QIODevice::WriteOnly), qPrintable(path));
        QCOMPARE(golden.write(actual), actual.size());
        golden.close();
    }
    QVERIFY2(golden.open(QIODevice::ReadOnly), qPrintable(path));
    const QByteArray expected = golden.readAll();
    if (actual != expected) {
        const QList<QByteArray> a = actual.split('\n');
        const QList<QByteArray> e = expected.split('\n');
        for (qsizetype i = 0; i < std::max(a.size(), e.size()); ++i) {
            if (a.value(i) != e.value(i))
                QFAIL(qPrintable(
                    QStringLiteral("%1 line %2: expected \"%3\", got \"%4\"")
                        .arg(path)
                        .arg(i + 1)
                        .arg(QString::fromUtf8(e.value(i)), QString::fromUtf8(a.value(i)))));
        }
    }
}

void TestExporters::txtMergesOneSpeakersShortPauses()
{
    ExportDocument document;
    document.room = QStringLiteral("r");
    document.sessionId = QStringLiteral("s");
    document.segments = {
        segment("Ann", "a", 0, 1000, "en", "One."),
        segment("Ann", "a", 3000, 4000, "en", "Two, after 2 s."),       // merges
        segment("Ann", "a", 6001, 7000, "en", "Three, after 2.001 s."), // new paragraph
        segment("Ben", "b", 7500, 8000, "en", "Four."),                 // another speaker
        segment("Ann", "a", 8500, 9000, "en", "Five."),
        segment("Ann", "b", 9500, 9600, "en", "Six, another stream."),
        segment("", "c", 10000, 10500, "en", "Seven, nobody."),
        segment("", "c", 11000, 11500, "en", "Eight."),
    };
    // A paragraph takes finals for a minute, then starts anew.
    for (qint64 at_ms = 20000; at_ms <= 90000; at_ms += 10000)
        document.segments.append(segment("Cy", "c", at_ms, at_ms + 9000, "en", "Talk."));
    QCOMPARE(QString::fromUtf8(exportDocument(document, ExportFormat::Txt)),
             QStringLiteral("Room: r\n"
                            "Session: s\n"
                            "\n"
                            "[00:00:00] Ann: One. Two, after 2 s.\n"
                            "[00:00:06] Ann: Three, after 2.001 s.\n"
                            "[00:00:07] Ben: Four.\n"
                            "[00:00:08] Ann: Five.\n"
                            "[00:00:09] Ann: Six, another stream.\n"
                            "[00:00:10] Seven, nobody. Eight.\n"
                            "[00:00:20] Cy: Talk. Talk. Talk. Talk. Talk. Talk.\n"
                            "[00:01:20] Cy: Talk. Talk.\n"));
}

void TestExporters::subtitlesKeepTheirLimits_data()
{
    QTest::addColumn<ExportDocument>("document");
    QTest::newRow("conversation") << conversation();
    QTest::newRow("overlap") << overlapping();

    // Random talk: several speakers, overlaps, odd durations, long and short texts, and
    // sometimes word timings. Fixed seed, so a failure can be reproduced.
    QRandomGenerator random(20240506);
    const QStringList vocabulary = {"a",
                                    "the",
                                    "transcript",
                                    "привет",
                                    "задержка",
                                    "📊",
                                    "well,",
                                    "OK.",
                                    "👋🏽",
                                    "supercalifragilisticexpialidocious-and-then-some-more-letters",
                                    "日本語のテキストは空白なしで続きます",
                                    "R&D",
                                    "<tag>",
                                    "-->"};
    ExportDocument randomDocument;
    qint64 at_ms = 0;
    for (int i = 0; i < 200; ++i) {
        at_ms += random.bounded(-3000, 6000);
        QStringList words;
        const int count = random.bounded(1, 60);
        for (int w = 0; w < count; ++w)
            words.append(vocabulary.at(random.bounded(int(vocabulary.size()))));
        ExportSegment s =
            segment(QStringLiteral("Speaker %1").arg(random.bounded(4)), "mix", at_ms,
                    at_ms + random.bounded(-1000, 30000), "en", words.join(QLatin1Char(' ')));
        if (random.bounded(2) == 0)
            s = withWords(s, random.bounded(1, 800));
        if (random.bounded(10) == 0)
            s.speaker.clear();
        randomDocument.segments.append(s);
    }
    QTest::newRow("random") << randomDocument;
}

void TestExporters::subtitlesKeepTheirLimits()
{
    QFETCH(ExportDocument, document);
    const QList<ParsedCue> cues = parseCues(exportDocument(document, ExportFormat::Srt));
    QVERIFY(!cues.isEmpty());
    qint64 previousEnd_ms = 0;
    for (const ParsedCue &cue : cues) {
        const QString where = cue.lines.join(QLatin1Char('|'));
        QVERIFY2(cue.start_ms >= previousEnd_ms, qPrintable(where));
        QVERIFY2(cue.end_ms - cue.start_ms >= 700, qPrintable(where));
        QVERIFY2(cue.end_ms - cue.start_ms <= 7000, qPrintable(where));
        QVERIFY2(cue.lines.size() >= 1 && cue.lines.size() <= 2, qPrintable(where));
        for (const QString &line : cue.lines) {
            // Long words are cut to fit; speaker names here are short enough to leave room.
            QVERIFY2(codePoints(line) <= 42, qPrintable(where));
            QVERIFY2(!line.contains(QStringLiteral("-->")), qPrintable(where));
        }
        previousEnd_ms = cue.end_ms;
    }
}

void TestExporters::splitsAtWordTimes()
{
    // The long English segment has word timings: each of its cues starts where a word does.
    const ExportSegment source = conversation().segments.at(3);
    ExportDocument document;
    document.segments = {source};
    const QList<ParsedCue> cues = parseCues(exportDocument(document, ExportFormat::Srt));
    QCOMPARE(cues.size(), 4);
    QList<qint64> wordStarts;
    for (const ExportWord &word : source.words)
        wordStarts.append(word.start_ms);
    QString text;
    for (const ParsedCue &cue : cues) {
        QVERIFY2(wordStarts.contains(cue.start_ms), qPrintable(cue.lines.join(' ')));
        QVERIFY(cue.lines.first().startsWith(QStringLiteral("Alice: ")));
        text += cue.lines.join(QString()).mid(7);
    }
    // Nothing lost or reordered (spaces aside: the URL is cut in two without one).
    QCOMPARE(text.remove(QLatin1Char(' ')), QString(source.text).remove(QLatin1Char(' ')));
}

void TestExporters::srtAndVttCarryTheSameCues()
{
    const ExportDocument document = conversation();
    const QList<ParsedCue> srt = parseCues(exportDocument(document, ExportFormat::Srt));
    const QList<ParsedCue> vtt = parseCues(exportDocument(document, ExportFormat::Vtt));
    QCOMPARE(vtt.size(), srt.size());
    for (qsizetype i = 0; i < srt.size(); ++i) {
        QCOMPARE(vtt.at(i).start_ms, srt.at(i).start_ms);
        QCOMPARE(vtt.at(i).end_ms, srt.at(i).end_ms);
        QCOMPARE(vtt.at(i).lines.size(), srt.at(i).lines.size());
    }
    const QByteArray vttBytes = exportDocument(document, ExportFormat::Vtt);
    QVERIFY(vttBytes.startsWith("WEBVTT\n\n"));
    QVERIFY(
        vttBytes.contains(QStringLiteral("<v Борис>Доброе утро! Я подготовил отчёт 📊\n").toUtf8()));
    QVERIFY(vttBytes.contains("<v R&amp;D &lt;lead&gt;>Ship it --&gt; now.\n"));
    QVERIFY(vttBytes.contains("\nQ&amp;A: is 2 &lt; 3 and 5 &gt; 4? &lt;b&gt;yes&lt;/b&gt;\n"));
    QVERIFY(vttBytes.contains("01:02:03.000 --> 01:02:05.450\n<v Alice>Thanks, don't forget"));
}

void TestExporters::jsonKeepsTheDataAndKeyOrder()
{
    const ExportDocument document = overlapping();
    const QByteArray bytes = exportDocument(document, ExportFormat::Json);
    QJsonParseError error;
    const QJsonObject root = QJsonDocument::fromJson(bytes, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(root.value("room").toString(), document.room);
    QCOMPARE(root.value("started_at").toString(), QStringLiteral("2024-01-31T23:59:59.999Z"));
    const QJsonArray segments = root.value("segments").toArray();
    QCOMPARE(segments.size(), document.segments.size()); // whitespace-only text kept
    qint64 previousStart_ms = std::numeric_limits<qint64>::min();
    for (const QJsonValue &value : segments) {
        QVERIFY(value.toObject().value("start_ms").toInteger() >= previousStart_ms);
        previousStart_ms = value.toObject().value("start_ms").toInteger();
    }
    QCOMPARE(segments.at(0).toObject().value("start_ms").toInteger(), -500);
    QCOMPARE(segments.at(8).toObject().value("text").toString(),
             QStringLiteral("Text over\ntwo lines\r\nand\ttabs."));

    const QByteArray unicode = exportDocument(conversation(), ExportFormat::Json);
    QVERIFY(unicode.contains(QStringLiteral("\"speaker\": \"Борис\"").toUtf8()));
    QVERIFY(unicode.contains(QStringLiteral("\"word\": \" 👋\"").toUtf8()));
    const QJsonObject parsed = QJsonDocument::fromJson(unicode).object();
    QCOMPARE(parsed.value("ended_at").toString(), QStringLiteral("2024-05-06T10:32:10.345Z"));
    QCOMPARE(parsed.value("segments").toArray().at(2).toObject().value("text").toString(),
             conversation().segments.at(2).text);

    // The documented key order, which QJsonDocument would have sorted.
    const QList<QByteArray> keys = {
        "\"room\"",     "\"session\"",  "\"started_at\"", "\"ended_at\"",
        "\"segments\"", "\"speaker\"",  "\"stream\"",     "\"start_ms\"",
        "\"end_ms\"",   "\"language\"", "\"text\"",       "\"words\"",
        "\"word\"",     "\"start_ms\"", "\"end_ms\"",     "\"confidence\""};
    qsizetype at = 0;
    for (const QByteArray &key : keys) {
        at = unicode.indexOf(key, at);
        QVERIFY2(at >= 0, key.constData());
    }
    QCOMPARE(QJsonDocument::fromJson(exportDocument(empty(), ExportFormat::Json))
                 .object()
                 .value("ended_at")
                 .type(),
             QJsonValue::Null);
}

void TestExporters::marksInferredSpeakers()
{
    ExportDocument document;
    document.room = QStringLiteral("standup");
    document.sessionId = QStringLiteral("7");
    ExportSegment inferred = segment("Alice", "mix", 1000, 2000, "en", "Inferred words.");
    inferred.speakerInferred = true;
    // The same name on her own track: a different speaker label, so no TXT merge.
    const ExportSegment exact = segment("Alice", "mix", 2100, 3000, "en", "Exact words.");
    // Nobody inferred: no prefix, and no marker on nothing.
    ExportSegment nobody = segment("", "mix", 4000, 5000, "en", "Nobody's words.");
    nobody.speakerInferred = true;
    document.segments = {inferred, exact, nobody};

    const QString txt = QString::fromUtf8(exportDocument(document, ExportFormat::Txt));
    QVERIFY2(txt.contains(QStringLiteral("\n[00:00:01] Alice (inferred): Inferred words.\n"
                                         "[00:00:02] Alice: Exact words.\n"
                                         "[00:00:04] Nobody's words.\n")),
             qPrintable(txt));
    const QString srt = QString::fromUtf8(exportDocument(document, ExportFormat::Srt));
    QVERIFY2(srt.contains(QStringLiteral("\nAlice (inferred): Inferred words.\n")),
             qPrintable(srt));
    QVERIFY2(srt.contains(QStringLiteral("\nAlice: Exact words.\n")), qPrintable(srt));
    const QString vtt = QString::fromUtf8(exportDocument(document, ExportFormat::Vtt));
    QVERIFY2(vtt.contains(QStringLiteral("\n<v Alice (inferred)>Inferred words.\n")),
             qPrintable(vtt));
    QVERIFY2(vtt.contains(QStringLiteral("\n<v Alice>Exact words.\n")), qPrintable(vtt));

    const QByteArray json = exportDocument(document, ExportFormat::Json);
    QVERIFY(json.contains("\"speaker\": \"Alice\",\n      \"speaker_inferred\": true,\n"));
    const QJsonArray segments = QJsonDocument::fromJson(json).object().value("segments").toArray();
    QCOMPARE(segments.size(), 3);
    QCOMPARE(segments.at(0).toObject().value("speaker_inferred"), QJsonValue(true));
    QVERIFY(!segments.at(1).toObject().contains("speaker_inferred"));
    QCOMPARE(segments.at(0).toObject().value("speaker").toString(), QStringLiteral("Alice"));
}

void TestExporters::ffmpegReadsSubtitles_data()
{
    QTest::addColumn<QString>("document");
    QTest::addColumn<ExportFormat>("format");
    for (const char *document : {"conversation", "overlap"}) {
        for (const ExportFormat format : {ExportFormat::Srt, ExportFormat::Vtt}) {
            const QString file = QStringLiteral("%1.%2").arg(document, exportFileExtension(format));
            QTest::newRow(qPrintable(file)) << QString::fromLatin1(document) << format;
        }
    }
    // An SRT file without cues is empty, which FFmpeg cannot probe; a WebVTT one has its header.
    QTest::newRow("empty.vtt") << QStringLiteral("empty") << ExportFormat::Vtt;
}

void TestExporters::ffmpegReadsSubtitles()
{
    QFETCH(QString, document);
    QFETCH(ExportFormat, format);
    QTemporaryDir directory;
    QVERIFY(directory.isValid());
    const QByteArray bytes = exportDocument(documentNamed(document), format);
    const QString path = directory.filePath("out." + exportFileExtension(format));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
    file.close();

    // The null muxer needs an encoder to be named for a subtitle stream; re-encoding to ASS
    // makes FFmpeg decode every cue.
    const Run decode = ffmpeg({"-i", path, "-c:s", "ass", "-f", "null", "-"});
    QVERIFY2(decode.exitCode == 0, decode.err.constData());
    QVERIFY2(decode.err.isEmpty(), decode.err.constData());

    // Converted to the other format by FFmpeg, every cue is still there, at the same times.
    const ExportFormat other = format == ExportFormat::Srt ? ExportFormat::Vtt : ExportFormat::Srt;
    const QString converted = directory.filePath("out2." + exportFileExtension(other));
    const Run convert = ffmpeg({"-i", path, converted});
    QVERIFY2(convert.exitCode == 0, convert.err.constData());
    QVERIFY2(convert.err.isEmpty(), convert.err.constData());
    QFile result(converted);
    QVERIFY(result.open(QIODevice::ReadOnly));
    const QList<ParsedCue> ours = parseCues(bytes);
    const QList<ParsedCue> theirs = parseCues(result.readAll());
    QCOMPARE(theirs.size(), ours.size());
    for (qsizetype i = 0; i < ours.size(); ++i) {
        QCOMPARE(theirs.at(i).start_ms, ours.at(i).start_ms);
        QCOMPARE(theirs.at(i).end_ms, ours.at(i).end_ms);
    }
}

QTEST_GUILESS_MAIN(TestExporters)
#include "tst_exporters.moc"
