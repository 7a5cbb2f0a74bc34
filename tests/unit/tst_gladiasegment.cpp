// TranscriptSegment → one JSON Lines record.

#include "stt/transcriptsegment.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using roomscribe::stt::TranscriptSegment;

class TestGladiaSegment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void toJson();
    void wallClockIsUtcWithMilliseconds();
};

void TestGladiaSegment::toJson()
{
    TranscriptSegment segment;
    segment.room = QStringLiteral("standup");
    segment.stream = QStringLiteral("live/standup");
    segment.session = QStringLiteral("4b2e");
    segment.utteranceId = QStringLiteral("2:00-00000011");
    segment.isFinal = true;
    segment.start_ms = 10800000;
    segment.end_ms = 10800480;
    segment.wallClock = QDateTime(QDate(2025, 3, 1), QTime(9, 30, 5, 7), Qt::UTC);
    segment.channel = 1;
    segment.speaker = QStringLiteral("Анна");
    segment.language = QStringLiteral("ru");
    segment.text = QStringLiteral("Привет.");
    segment.words = {{QStringLiteral("Привет."), 10800000, 10800480, 0.91}};

    const QByteArray json = R"({
        "room": "standup", "stream": "live/standup", "session": "4b2e",
        "utterance_id": "2:00-00000011", "is_final": true,
        "start_ms": 10800000, "end_ms": 10800480,
        "wall_clock": "2025-03-01T09:30:05.007Z",
        "speaker": "Анна", "language": "ru", "text": "Привет.",
        "words": [{"word": "Привет.", "start_ms": 10800000, "end_ms": 10800480, "confidence": 0.91}]
    })";
    const QJsonObject expected = QJsonDocument::fromJson(json).object();
    QCOMPARE(roomscribe::stt::toJson(segment), expected);
}

void TestGladiaSegment::wallClockIsUtcWithMilliseconds()
{
    TranscriptSegment segment;
    segment.wallClock = QDateTime(QDate(2025, 3, 1), QTime(12, 0), QTimeZone(3 * 3600));
    QCOMPARE(roomscribe::stt::toJson(segment).value(u"wall_clock").toString(),
             QStringLiteral("2025-03-01T09:00:00.000Z"));
    QVERIFY(roomscribe::stt::toJson(segment).value(u"words").toArray().isEmpty());
}

QTEST_GUILESS_MAIN(TestGladiaSegment)
#include "tst_gladiasegment.moc"
