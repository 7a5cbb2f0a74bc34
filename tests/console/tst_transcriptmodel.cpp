// TranscriptModel under QAbstractItemModelTester: a row per utterance, partials
// replaced in place by their final, honest labels, search, copy text, and a
// real backend fed through a real TranscriptFeed.

#include "console/consolebackend.h"
#include "transcript/transcriptmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using roomscribe::console::ConsoleBackend;
using roomscribe::console::TranscriptModel;
using roomscribe::session::LiveSegment;
using roomscribe::stt::TranscriptSegment;

namespace {

const QString kRoom = QStringLiteral("standup");
const QDateTime kStart(QDate(2024, 5, 1), QTime(12, 0, 5), Qt::UTC);

TranscriptSegment segment(const QString &stream, const QString &utterance, bool isFinal,
                          const QString &text, const QString &speaker = QStringLiteral("Alice"),
                          const QString &room = kRoom)
{
    TranscriptSegment s;
    s.room = room;
    s.stream = stream;
    s.utteranceId = utterance;
    s.isFinal = isFinal;
    s.text = text;
    s.speaker = speaker;
    s.language = QStringLiteral("en");
    s.start_ms = 1000;
    s.end_ms = 2500;
    s.wallClock = kStart;
    return s;
}

LiveSegment live(const TranscriptSegment &s)
{
    return LiveSegment{s, kStart.toMSecsSinceEpoch() + 3000};
}

QVariant role(const TranscriptModel &model, int row, int role)
{
    return model.data(model.index(row), role);
}

} // namespace

class TestTranscriptModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void partialReplacedInPlaceByFinal();
    void streamsInterleaved();
    void roomMixLabelledHonestly();
    void inferredSpeakerMarked();
    void speakerColoursStable();
    void searchWrapsAround();
    void plainTextLines();
    void tenThousandSegmentsInBatches();
    void otherRoomsSkipped();
    void followsBackendAndLoadsOnRoomChange();
};

void TestTranscriptModel::partialReplacedInPlaceByFinal()
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRoom(kRoom);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy finals(&model, &TranscriptModel::finalCountChanged);

    const QString mix = QStringLiteral("mix");
    model.append({live(segment(mix, QStringLiteral("0:1"), false, QStringLiteral("hel")))});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(role(model, 0, TranscriptModel::IsFinalRole).toBool(), false);
    QCOMPARE(model.finalCount(), 0);

    model.append({live(segment(mix, QStringLiteral("0:1"), false, QStringLiteral("hello wor")))});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.last().at(0).toModelIndex().row(), 0);
    QCOMPARE(changed.last().at(2).value<QList<int>>(), QList<int>{TranscriptModel::TextRole});
    QCOMPARE(role(model, 0, TranscriptModel::TextRole).toString(), QStringLiteral("hello wor"));

    TranscriptSegment final =
        segment(mix, QStringLiteral("0:1"), true, QStringLiteral("Hello world."));
    final.end_ms = 3000;
    model.append({live(final)});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(changed.count(), 2);
    const QList<int> roles = changed.last().at(2).value<QList<int>>();
    QVERIFY(roles.contains(TranscriptModel::TextRole));
    QVERIFY(roles.contains(TranscriptModel::IsFinalRole));
    QVERIFY(roles.contains(TranscriptModel::EndMsRole));
    QCOMPARE(role(model, 0, TranscriptModel::IsFinalRole).toBool(), true);
    QCOMPARE(role(model, 0, TranscriptModel::EndMsRole).toLongLong(), 3000);
    QCOMPARE(model.finalCount(), 1);
    QCOMPARE(finals.count(), 1);

    // A late partial (say, re-sent after a reconnect) and a repeated final change nothing.
    model.append({live(segment(mix, QStringLiteral("0:1"), false, QStringLiteral("hello")))});
    model.append({live(segment(mix, QStringLiteral("0:1"), true, QStringLiteral("Other.")))});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(role(model, 0, TranscriptModel::TextRole).toString(), QStringLiteral("Hello world."));
    QCOMPARE(model.finalCount(), 1);
}

void TestTranscriptModel::streamsInterleaved()
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRoom(kRoom);
    const QString a = QStringLiteral("track/TR_a");
    const QString b = QStringLiteral("track/TR_b");
    const QString bob = QStringLiteral("Bob");
    // The same utterance id on two streams is two utterances; rows keep the
    // order of each utterance's first event, even when a later one ends first.
    model.append({live(segment(a, QStringLiteral("0:1"), false, QStringLiteral("a one"))),
                  live(segment(b, QStringLiteral("0:1"), false, QStringLiteral("b one"), bob)),
                  live(segment(a, QStringLiteral("0:1"), false, QStringLiteral("a one more")))});
    model.append({live(segment(b, QStringLiteral("0:1"), true, QStringLiteral("B one."), bob)),
                  live(segment(a, QStringLiteral("0:2"), false, QStringLiteral("a two"))),
                  live(segment(a, QStringLiteral("0:1"), true, QStringLiteral("A one.")))});
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(role(model, 0, TranscriptModel::TextRole).toString(), QStringLiteral("A one."));
    QCOMPARE(role(model, 0, TranscriptModel::StreamRole).toString(), a);
    QCOMPARE(role(model, 1, TranscriptModel::TextRole).toString(), QStringLiteral("B one."));
    QCOMPARE(role(model, 1, TranscriptModel::SpeakerRole).toString(), bob);
    QCOMPARE(role(model, 2, TranscriptModel::TextRole).toString(), QStringLiteral("a two"));
    QCOMPARE(role(model, 2, TranscriptModel::IsFinalRole).toBool(), false);
    QCOMPARE(model.finalCount(), 2);
}

void TestTranscriptModel::roomMixLabelledHonestly()
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRoom(kRoom);
    model.append({live(segment(QStringLiteral("mix"), QStringLiteral("1"), true,
                               QStringLiteral("Hi."), QString())),
                  live(segment(QStringLiteral("track/TR_x"), QStringLiteral("1"), true,
                               QStringLiteral("Hey."), QString())),
                  live(segment(QStringLiteral("mix"), QStringLiteral("2"), true,
                               QStringLiteral("Yo."), QStringLiteral("Вера")))});
    QCOMPARE(role(model, 0, TranscriptModel::SpeakerRole).toString(), QStringLiteral("Room mix"));
    QCOMPARE(role(model, 0, TranscriptModel::IsMixRole).toBool(), true);
    // No attribution on a speaker's track is not the room mix, and no name is made up.
    QCOMPARE(role(model, 1, TranscriptModel::SpeakerRole).toString(),
             QStringLiteral("Unknown speaker"));
    QCOMPARE(role(model, 1, TranscriptModel::IsMixRole).toBool(), false);
    QCOMPARE(role(model, 2, TranscriptModel::SpeakerRole).toString(), QStringLiteral("Вера"));
    QCOMPARE(role(model, 2, TranscriptModel::IsMixRole).toBool(), true);
    QCOMPARE(role(model, 2, TranscriptModel::LanguageRole).toString(), QStringLiteral("en"));
    QCOMPARE(role(model, 2, TranscriptModel::StartMsRole).toLongLong(), 1000);
}

void TestTranscriptModel::inferredSpeakerMarked()
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRoom(kRoom);
    QCOMPARE(model.roleNames().value(TranscriptModel::InferredRole), QByteArray("inferred"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const QString mix = QStringLiteral("mix");
    TranscriptSegment partial =
        segment(mix, QStringLiteral("1"), false, QStringLiteral("Hi"), QStringLiteral("alice"));
    partial.speakerInferred = true;
    TranscriptSegment exact =
        segment(mix, QStringLiteral("2"), true, QStringLiteral("Yo."), QStringLiteral("Вера"));
    model.append({live(partial), live(exact)});
    QCOMPARE(role(model, 0, TranscriptModel::SpeakerRole).toString(), QStringLiteral("alice"));
    QCOMPARE(role(model, 0, TranscriptModel::InferredRole).toBool(), true);
    QCOMPARE(role(model, 0, TranscriptModel::SpeakerColorRole).value<QColor>(),
             TranscriptModel::speakerColor(QStringLiteral("alice")));
    QCOMPARE(role(model, 1, TranscriptModel::InferredRole).toBool(), false);
    QCOMPARE(model.plainText(0, 0), QStringLiteral("[%1] alice (inferred): Hi")
                                        .arg(kStart.toLocalTime().toString(u"HH:mm:ss")));

    // The final found nobody: the room mix again, not inferred.
    TranscriptSegment final =
        segment(mix, QStringLiteral("1"), true, QStringLiteral("Hi all."), QString());
    model.append({live(final)});
    QCOMPARE(role(model, 0, TranscriptModel::SpeakerRole).toString(), QStringLiteral("Room mix"));
    QCOMPARE(role(model, 0, TranscriptModel::InferredRole).toBool(), false);
    QVERIFY(changed.last().at(2).value<QList<int>>().contains(TranscriptModel::InferredRole));
    // A flag without a name marks nothing.
    TranscriptSegment nameless =
        segment(mix, QStringLiteral("3"), true, QStringLiteral("Hm."), QString());
    nameless.speakerInferred = true;
    model.append({live(nameless)});
    QCOMPARE(role(model, 2, TranscriptModel::InferredRole).toBool(), false);
}

void TestTranscriptModel::speakerColoursStable()
{
    // Fixed values: the hash must not depend on the process (qHash is seeded).
    QCOMPARE(TranscriptModel::speakerColor(QStringLiteral("Alice")), QColor(0x8e44ad));
    QCOMPARE(TranscriptModel::speakerColor(QStringLiteral("Bob")), QColor(0x1f6fb2));
    QCOMPARE(TranscriptModel::speakerColor(QStringLiteral("Вера")), QColor(0x3949ab));

    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRoom(kRoom);
    QSet<QRgb> colours;
    for (int i = 0; i < 20; ++i) {
        const QString name = QStringLiteral("speaker %1").arg(i);
        model.append({live(segment(QStringLiteral("mix"), QString::number(i), true,
                                   QStringLiteral("text"), name))});
        const QColor colour = role(model, i, TranscriptModel::SpeakerColorRole).value<QColor>();
        QCOMPARE(colour, TranscriptModel::speakerColor(name));
        colours.insert(colour.rgb());
    }
    QVERIFY2(colours.size() >= 6, "speakers spread over the palette");
}

void TestTranscriptModel::searchWrapsAround()
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRoom(kRoom);
    const QString mix = QStringLiteral("mix");
    model.append({live(segment(mix, QStringLiteral("1"), true, QStringLiteral("An apple."))),
                  live(segment(mix, QStringLiteral("2"), true, QStringLiteral("A banana."))),
                  live(segment(mix, QStringLiteral("3"), false, QStringLiteral("APPLE pie")))});
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(model.nextMatch(), -1);

    model.setSearchText(QStringLiteral("apple"));
    QCOMPARE(model.matchCount(), 2);
    QCOMPARE(role(model, 0, TranscriptModel::IsMatchRole).toBool(), true);
    QCOMPARE(role(model, 1, TranscriptModel::IsMatchRole).toBool(), false);
    QCOMPARE(role(model, 2, TranscriptModel::IsMatchRole).toBool(), true);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.currentMatchRow(), -1);
    QCOMPARE(model.nextMatch(), 0);
    QCOMPARE(model.currentMatchIndex(), 0);
    QCOMPARE(model.nextMatch(), 2);
    QCOMPARE(model.currentMatchIndex(), 1);
    QCOMPARE(model.nextMatch(), 0);
    QCOMPARE(model.previousMatch(), 2);
    QCOMPARE(model.previousMatch(), 0);

    // A partial's newer text is searched as it comes.
    model.append({live(segment(mix, QStringLiteral("3"), true, QStringLiteral("A pear.")))});
    QCOMPARE(model.matchCount(), 1);
    QVERIFY(changed.last().at(2).value<QList<int>>().contains(TranscriptModel::IsMatchRole));
    model.append({live(segment(mix, QStringLiteral("4"), true, QStringLiteral("Apples!")))});
    QCOMPARE(model.matchCount(), 2);
    QCOMPARE(model.nextMatch(), 3);

    model.setSearchText(QString());
    QCOMPARE(model.matchCount(), 0);
    QCOMPARE(model.currentMatchRow(), -1);
    QCOMPARE(role(model, 0, TranscriptModel::IsMatchRole).toBool(), false);
}

void TestTranscriptModel::plainTextLines()
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRoom(kRoom);
    TranscriptSegment later = segment(QStringLiteral("mix"), QStringLiteral("2"), true,
                                      QStringLiteral("Fine."), QString());
    later.wallClock = kStart.addSecs(61);
    model.append({live(segment(QStringLiteral("mix"), QStringLiteral("1"), true,
                               QStringLiteral("How are you?"), QStringLiteral("Bob"))),
                  live(later),
                  live(segment(QStringLiteral("mix"), QStringLiteral("3"), true,
                               QStringLiteral("Good."), QStringLiteral("Bob")))});
    const QString first = kStart.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    const QString second = kStart.addSecs(61).toLocalTime().toString(QStringLiteral("HH:mm:ss"));
    QCOMPARE(role(model, 1, TranscriptModel::TimeRole).toString(), second);
    QCOMPARE(model.plainText(),
             QStringLiteral("[%1] Bob: How are you?\n[%2] Room mix: Fine.\n[%1] Bob: Good.")
                 .arg(first, second));
    QCOMPARE(model.plainText(1, 1), QStringLiteral("[%1] Room mix: Fine.").arg(second));
    QCOMPARE(model.plainText(2), QStringLiteral("[%1] Bob: Good.").arg(first));
}

void TestTranscriptModel::tenThousandSegmentsInBatches()
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRoom(kRoom);
    model.setSearchText(QStringLiteral("7"));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    constexpr int kUtterances = 10000;
    constexpr int kBatch = 50;
    // Each batch: partials of new utterances and the finals of the previous batch's.
    for (int first = 0; first <= kUtterances; first += kBatch) {
        QList<LiveSegment> batch;
        for (int i = first; i < std::min(first + kBatch, kUtterances); ++i)
            batch << live(segment(QStringLiteral("track/TR_%1").arg(i % 3), QString::number(i),
                                  false, QStringLiteral("partial %1").arg(i)));
        for (int i = first - kBatch; i >= 0 && i < first; ++i)
            batch << live(segment(QStringLiteral("track/TR_%1").arg(i % 3), QString::number(i),
                                  true, QStringLiteral("final %1").arg(i)));
        model.append(batch);
    }
    QCOMPARE(model.count(), kUtterances);
    QCOMPARE(model.finalCount(), kUtterances);
    QCOMPARE(inserted.count(), kUtterances / kBatch);
    QCOMPARE(role(model, 4321, TranscriptModel::TextRole).toString(), QStringLiteral("final 4321"));
    QCOMPARE(role(model, 4321, TranscriptModel::StreamRole).toString(),
             QStringLiteral("track/TR_1"));
    int expectedMatches = 0;
    for (int i = 0; i < kUtterances; ++i)
        expectedMatches += QString::number(i).contains(u'7');
    QCOMPARE(model.matchCount(), expectedMatches);
    QCOMPARE(model.nextMatch(), 7);
}

void TestTranscriptModel::otherRoomsSkipped()
{
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRoom(kRoom);
    const QString other = QStringLiteral("retro");
    model.append(
        {live(segment(QStringLiteral("mix"), QStringLiteral("1"), true,
                      QStringLiteral("Elsewhere."), QString(), other)),
         live(segment(QStringLiteral("mix"), QStringLiteral("1"), true, QStringLiteral("Here.")))});
    QCOMPARE(model.count(), 1);
    QCOMPARE(role(model, 0, TranscriptModel::TextRole).toString(), QStringLiteral("Here."));
}

void TestTranscriptModel::followsBackendAndLoadsOnRoomChange()
{
    roomscribe::session::TranscriptFeed feed(10);
    ConsoleBackend backend(nullptr, nullptr, &feed, {}, true);
    const QString retro = QStringLiteral("retro");
    feed.push(segment(QStringLiteral("mix"), QStringLiteral("1"), true, QStringLiteral("One.")));
    feed.push(segment(QStringLiteral("mix"), QStringLiteral("1"), true, QStringLiteral("Retro."),
                      QString(), retro));
    feed.push(segment(QStringLiteral("mix"), QStringLiteral("2"), false, QStringLiteral("Tw")));
    QTRY_COMPARE(backend.transcriptOf(kRoom).size(), size_t(2));

    // Opened late: what the room said so far is there at once.
    TranscriptModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setBackend(&backend);
    QCOMPARE(model.backend(), &backend);
    QCOMPARE(model.count(), 0);
    QSignalSpy counts(&model, &TranscriptModel::countChanged);
    model.setRoom(kRoom);
    QCOMPARE(model.count(), 2);
    QCOMPARE(counts.count(), 1);
    QCOMPARE(role(model, 1, TranscriptModel::TextRole).toString(), QStringLiteral("Tw"));

    // Then it follows the feed, in place, for its room only.
    feed.push(segment(QStringLiteral("mix"), QStringLiteral("2"), true, QStringLiteral("Two.")));
    feed.push(segment(QStringLiteral("mix"), QStringLiteral("2"), true, QStringLiteral("Nope."),
                      QString(), retro));
    feed.push(segment(QStringLiteral("mix"), QStringLiteral("3"), false, QStringLiteral("Thr")));
    QTRY_COMPARE(model.count(), 3);
    QCOMPARE(role(model, 1, TranscriptModel::TextRole).toString(), QStringLiteral("Two."));
    QCOMPARE(model.finalCount(), 2);

    model.setRoom(retro);
    QCOMPARE(model.count(), 2);
    QCOMPARE(role(model, 0, TranscriptModel::TextRole).toString(), QStringLiteral("Retro."));
    QCOMPARE(role(model, 1, TranscriptModel::TextRole).toString(), QStringLiteral("Nope."));
}

QTEST_MAIN(TestTranscriptModel)
#include "tst_transcriptmodel.moc"
