// RoomListModel and RoomSortFilterModel under QAbstractItemModelTester: rows
// follow the backend's rooms in place, the state says what an operator needs
// to know, and the proxy filters and sorts as asked.

#include "rooms/roomlistmodel.h"
#include "rooms/roomsortfiltermodel.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QSignalSpy>
#include <QTest>

using roomscribe::console::RoomEntry;
using roomscribe::console::RoomListModel;
using roomscribe::console::RoomSortFilterModel;
using roomscribe::ingest::IngestStats;
using roomscribe::ingest::StreamStats;
using roomscribe::routing::Method;
using roomscribe::routing::RoomPhase;

namespace {

RoomEntry room(const QString &name, RoomPhase phase = RoomPhase::Invalid, int participants = 0)
{
    RoomEntry entry;
    entry.name = name;
    entry.inLiveKit = true;
    entry.participants = participants;
    entry.status.room = name;
    entry.status.phase = phase;
    return entry;
}

StreamStats stream(const QString &room, roomscribe::stt::SessionState state)
{
    StreamStats stats;
    stats.app = QStringLiteral("live");
    stats.key = room + QStringLiteral("-mix");
    stats.label.room = room;
    stats.publishing = true;
    stats.transcribing = true;
    stats.stt.state = state;
    return stats;
}

QVariant roleOf(const QAbstractItemModel &model, int row, int role)
{
    return model.data(model.index(row, 0), role);
}

QStringList namesOf(const QAbstractItemModel &model)
{
    QStringList names;
    for (int row = 0; row < model.rowCount(); ++row)
        names << roleOf(model, row, RoomListModel::NameRole).toString();
    return names;
}

} // namespace

Q_DECLARE_METATYPE(roomscribe::console::RoomEntry)

class TestRoomListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void updatesInPlace();
    void insertsAndRemoves();
    void stateTexts_data();
    void stateTexts();
    void reconnectingToGladia();
    void levelsMethodAndAge();
    void noBackend();
    void proxyFiltersAndSorts();
};

void TestRoomListModel::updatesInPlace()
{
    RoomListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.apply({room("a"), room("b"), room("c")}, {});
    QCOMPARE(model.rowCount(), 3);

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.apply({room("a"), room("b", RoomPhase::Running), room("c")}, {});

    QCOMPARE(reset.count(), 0);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed[0][0].toModelIndex().row(), 1);
    QCOMPARE(changed[0][1].toModelIndex().row(), 1);
    const auto roles = changed[0][2].value<QList<int>>();
    QVERIFY(roles.contains(RoomListModel::PhaseRole));
    QVERIFY(roles.contains(RoomListModel::StateTextRole));
    QVERIFY(roles.contains(RoomListModel::CanStopRole));
    QVERIFY(!roles.contains(RoomListModel::NameRole));
    QCOMPARE(roleOf(model, 1, RoomListModel::StateTextRole).toString(), QStringLiteral("Live"));

    // The same snapshot again changes nothing.
    model.apply({room("a"), room("b", RoomPhase::Running), room("c")}, {});
    QCOMPARE(changed.count(), 1);
}

void TestRoomListModel::insertsAndRemoves()
{
    RoomListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy count(&model, &RoomListModel::countChanged);
    model.apply({room("b"), room("d")}, {});
    QCOMPARE(namesOf(model), (QStringList{"b", "d"}));

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.apply({room("a"), room("c"), room("d"), room("e")}, {});
    QCOMPARE(namesOf(model), (QStringList{"a", "c", "d", "e"}));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(removed.count(), 1); // b
    QCOMPARE(removed[0][1].toInt(), 1);
    QCOMPARE(inserted.count(), 3); // a, c, e: one at a time where they belong
    QCOMPARE(inserted[0][1].toInt(), 0);

    model.apply({room("e")}, {});
    QCOMPARE(namesOf(model), QStringList{"e"});
    QCOMPARE(removed.count(), 2); // a..d in one go
    model.apply({}, {});
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(count.count() >= 4);
}

void TestRoomListModel::stateTexts_data()
{
    QTest::addColumn<RoomEntry>("entry");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("canStart");
    QTest::addColumn<bool>("canStop");

    QTest::newRow("idle") << room("r") << "Idle"
                          << "idle" << true << false;
    QTest::newRow("waiting for room")
        << room("r", RoomPhase::WaitingForRoom) << "Waiting for the room"
        << "waiting" << false << true;
    QTest::newRow("waiting for speakers")
        << room("r", RoomPhase::WaitingForSpeakers) << "No one to transcribe"
        << "waiting" << false << true;
    RoomEntry queued = room("r", RoomPhase::Queued);
    queued.status.queuePosition = 3;
    queued.status.detail = QStringLiteral("waiting for the egress budget: 10 of 10 in use");
    QTest::newRow("queued") << queued << "Queued for egress budget (#3)"
                            << "queued" << false << true;
    RoomEntry retrying = room("r", RoomPhase::Queued);
    retrying.status.detail = QStringLiteral("the egress did not start: 503; retrying in 4 s");
    retrying.status.retryReason = QStringLiteral("the egress did not start: 503");
    // Due in 3.5 s: shown rounded up, as a countdown would.
    retrying.status.retryAt_ms = QDateTime::currentMSecsSinceEpoch() + 3500;
    QTest::newRow("retrying") << retrying << "Retrying in 4 s"
                              << "failed" << false << true;
    QTest::newRow("starting") << room("r", RoomPhase::Starting) << "Starting"
                              << "starting" << false << true;
    QTest::newRow("live") << room("r", RoomPhase::Running) << "Live"
                          << "live" << false << true;
    QTest::newRow("stopping") << room("r", RoomPhase::Stopping) << "Stopping"
                              << "stopping" << false << false;
    QTest::newRow("stopped") << room("r", RoomPhase::Stopped) << "Stopped"
                             << "idle" << true << false;
    RoomEntry failed = room("r", RoomPhase::Stopped);
    failed.status.detail = QStringLiteral("LiveKit refused the egress");
    QTest::newRow("failed") << failed << "Failed: LiveKit refused the egress"
                            << "failed" << true << false;
}

void TestRoomListModel::stateTexts()
{
    QFETCH(RoomEntry, entry);
    RoomListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.apply({entry}, {});
    QTEST(roleOf(model, 0, RoomListModel::StateTextRole).toString(), "text");
    QTEST(roleOf(model, 0, RoomListModel::StateKindRole).toString(), "kind");
    QTEST(roleOf(model, 0, RoomListModel::CanStartRole).toBool(), "canStart");
    QTEST(roleOf(model, 0, RoomListModel::CanStopRole).toBool(), "canStop");
    QCOMPARE(roleOf(model, 0, RoomListModel::PhaseRole).toInt(), int(entry.status.phase));
    QCOMPARE(roleOf(model, 0, RoomListModel::DetailRole).toString(), entry.status.detail);
}

void TestRoomListModel::reconnectingToGladia()
{
    RoomListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const std::vector<RoomEntry> rooms{room("a", RoomPhase::Running),
                                       room("b", RoomPhase::Running)};
    IngestStats stats;
    stats.streams = {stream("a", roomscribe::stt::SessionState::Streaming),
                     stream("b", roomscribe::stt::SessionState::Streaming)};
    model.apply(rooms, stats);
    QCOMPARE(roleOf(model, 1, RoomListModel::StateTextRole).toString(), QStringLiteral("Live"));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    StreamStats second = stream("b", roomscribe::stt::SessionState::Reconnecting);
    second.key = QStringLiteral("b-alice");
    stats.streams.push_back(second);
    model.apply(rooms, stats);
    QCOMPARE(roleOf(model, 0, RoomListModel::StateTextRole).toString(), QStringLiteral("Live"));
    QCOMPARE(roleOf(model, 1, RoomListModel::StateTextRole).toString(),
             QStringLiteral("Reconnecting to Gladia"));
    QCOMPARE(roleOf(model, 1, RoomListModel::StateKindRole).toString(), QStringLiteral("warning"));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed[0][0].toModelIndex().row(), 1);
}

void TestRoomListModel::levelsMethodAndAge()
{
    RoomListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    RoomEntry entry = room("a", RoomPhase::Running, 3);
    entry.publishers = 2;
    entry.publishingStreams = 2;
    entry.rms_dBFS = -23.5f;
    entry.peak_dBFS = -4.f;
    entry.status.requestedMethod = Method::Auto;
    entry.status.method = Method::Composite;
    entry.status.egresses = 1;
    entry.created_s = QDateTime::currentSecsSinceEpoch() - 12 * 60 - 5;
    model.apply({entry}, {});
    QCOMPARE(roleOf(model, 0, RoomListModel::RmsRole).toFloat(), -23.5f);
    QCOMPARE(roleOf(model, 0, RoomListModel::PeakRole).toFloat(), -4.f);
    QCOMPARE(roleOf(model, 0, RoomListModel::PublishingStreamsRole).toInt(), 2);
    QCOMPARE(roleOf(model, 0, RoomListModel::ParticipantsRole).toInt(), 3);
    QCOMPARE(roleOf(model, 0, RoomListModel::PublishersRole).toInt(), 2);
    QCOMPARE(roleOf(model, 0, RoomListModel::EgressesRole).toInt(), 1);
    QCOMPARE(roleOf(model, 0, RoomListModel::MethodRole).toString(), QStringLiteral("composite"));
    QCOMPARE(roleOf(model, 0, RoomListModel::MethodTextRole).toString(),
             QStringLiteral("Room mix (composite)"));
    const qint64 age_s = roleOf(model, 0, RoomListModel::AgeRole).toLongLong();
    QVERIFY2(age_s >= 12 * 60 + 5 && age_s < 13 * 60, QByteArray::number(age_s));
    QCOMPARE(roleOf(model, 0, RoomListModel::AgeTextRole).toString(), QStringLiteral("12 min"));

    // Before a start the requested method shows; a level change touches only the levels.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    entry.status.method = Method::Invalid;
    entry.status.requestedMethod = Method::Track;
    entry.rms_dBFS = -30.f;
    model.apply({entry}, {});
    QCOMPARE(roleOf(model, 0, RoomListModel::MethodRole).toString(), QStringLiteral("track"));
    QCOMPARE(changed.count(), 1);
    const auto roles = changed[0][2].value<QList<int>>();
    QVERIFY(roles.contains(RoomListModel::RmsRole));
    QVERIFY(roles.contains(RoomListModel::MethodRole));
    QVERIFY(!roles.contains(RoomListModel::PeakRole));
    QVERIFY(!roles.contains(RoomListModel::StateTextRole));

    entry.created_s = 0;
    model.apply({entry}, {});
    QCOMPARE(roleOf(model, 0, RoomListModel::AgeRole).toLongLong(), -1);
    QCOMPARE(roleOf(model, 0, RoomListModel::AgeTextRole).toString(), QString());
}

void TestRoomListModel::noBackend()
{
    RoomListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.apply({room("a")}, {});
    QObject notABackend;
    model.setBackend(&notABackend);
    QCOMPARE(model.backend(), nullptr);
    model.setBackend(nullptr);
    QCOMPARE(model.rowCount(), 1); // nothing changed: still no backend
    QCOMPARE(model.roleNames().value(RoomListModel::NameRole), QByteArray("name"));
    QCOMPARE(int(RoomListModel::NameRole), Qt::UserRole + 1);
}

void TestRoomListModel::proxyFiltersAndSorts()
{
    RoomListModel model;
    RoomSortFilterModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::Fatal);
    const qint64 now_s = QDateTime::currentSecsSinceEpoch();
    RoomEntry alpha = room("Alpha", RoomPhase::Running, 5);
    alpha.created_s = now_s - 100;
    RoomEntry beta = room("beta-standup", RoomPhase::Queued, 2);
    beta.created_s = now_s - 3000;
    RoomEntry gamma = room("Gamma", RoomPhase::Invalid, 9);
    gamma.created_s = now_s - 50;
    // Ordered by name as the backend gives them (QString order: capitals first).
    model.apply({alpha, gamma, beta}, {});

    QCOMPARE(namesOf(proxy), (QStringList{"Alpha", "beta-standup", "Gamma"}));
    proxy.setAscending(false);
    QCOMPARE(namesOf(proxy), (QStringList{"Gamma", "beta-standup", "Alpha"}));
    proxy.setAscending(true);

    proxy.setSortKey(QStringLiteral("participants"));
    QCOMPARE(namesOf(proxy), (QStringList{"beta-standup", "Alpha", "Gamma"}));
    proxy.setSortKey(QStringLiteral("age"));
    QCOMPARE(namesOf(proxy), (QStringList{"Gamma", "Alpha", "beta-standup"}));
    proxy.setSortKey(QStringLiteral("state"));
    QCOMPARE(namesOf(proxy), (QStringList{"Gamma", "beta-standup", "Alpha"}));

    // Sorting is dynamic: a row whose sort key changes moves.
    proxy.setSortKey(QStringLiteral("participants"));
    alpha.participants = 1;
    model.apply({alpha, gamma, beta}, {});
    QCOMPARE(namesOf(proxy), (QStringList{"Alpha", "beta-standup", "Gamma"}));

    QSignalSpy count(&proxy, &RoomSortFilterModel::countChanged);
    proxy.setFilterText(QStringLiteral("GAM"));
    QCOMPARE(namesOf(proxy), QStringList{"Gamma"});
    QCOMPARE(proxy.count(), 1);
    QVERIFY(count.count() >= 1);
    proxy.setFilterText(QStringLiteral("standup"));
    QCOMPARE(namesOf(proxy), QStringList{"beta-standup"});
    proxy.setFilterText(QStringLiteral("nothing"));
    QCOMPARE(proxy.count(), 0);
    proxy.setFilterText(QString());
    QCOMPARE(proxy.count(), 3);
}

QTEST_GUILESS_MAIN(TestRoomListModel)
#include "tst_roomlistmodel.moc"
