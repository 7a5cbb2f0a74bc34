// StreamRegistry: unguessable keys, refusal of duplicates and unsafe names,
// balanced ownership across workers, labels, removal.

#include "ingest/streamregistry.h"

#include <QSet>
#include <QTest>

using roomscribe::ingest::StreamLabel;
using roomscribe::ingest::StreamRegistry;

class TestStreamRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generatedKeysAreUniqueAndUrlSafe();
    void registrationRules();
    void ownersAreBalanced();
    void labelsAndRemoval();
};

void TestStreamRegistry::generatedKeysAreUniqueAndUrlSafe()
{
    QSet<QString> keys;
    for (int i = 0; i < 10000; ++i) {
        const QString key = StreamRegistry::generateKey();
        QCOMPARE(key.size(), 22); // 128 bits in base64url
        for (QChar c : key)
            QVERIFY(c.isLetterOrNumber() || c == u'-' || c == u'_');
        keys.insert(key);
    }
    QCOMPARE(keys.size(), 10000);
}

void TestStreamRegistry::registrationRules()
{
    StreamRegistry registry(2);
    QVERIFY(registry.registerKey(QStringLiteral("live"), QStringLiteral("room-1")).has_value());
    QVERIFY(!registry.registerKey(QStringLiteral("live"), QStringLiteral("room-1")).has_value());
    QVERIFY(registry.registerKey(QStringLiteral("other"), QStringLiteral("room-1")).has_value());
    for (const QString &bad :
         {QString(), QStringLiteral("a/b"), QStringLiteral("../x"), QStringLiteral(".hidden"),
          QStringLiteral("a b"), QString(129, u'k')})
        QVERIFY2(!registry.registerKey(QStringLiteral("live"), bad).has_value(), qPrintable(bad));
    QVERIFY(registry.find(QStringLiteral("live"), QStringLiteral("room-1")).has_value());
    QVERIFY(!registry.find(QStringLiteral("live"), QStringLiteral("room-2")).has_value());
    QCOMPARE(registry.count(), 2);
}

void TestStreamRegistry::labelsAndRemoval()
{
    StreamRegistry registry(2);
    const StreamLabel label{QStringLiteral("standup"), QStringLiteral("alice"),
                            QStringLiteral("TR_1")};
    QCOMPARE(registry.registerKey(QStringLiteral("live"), QStringLiteral("k1"), label).value_or(-1),
             0);
    const auto found = registry.find(QStringLiteral("live"), QStringLiteral("k1"));
    QVERIFY(found.has_value());
    QCOMPARE(found->owner, 0);
    QCOMPARE(found->label.room, label.room);
    QCOMPARE(found->label.participant, label.participant);
    QCOMPARE(found->label.trackSid, label.trackSid);

    // An owner outside the balanced workers takes no worker's share.
    QVERIFY(registry.registerKeyFor(QStringLiteral("track"), QStringLiteral("t1"), label, 2));
    QVERIFY(!registry.registerKeyFor(QStringLiteral("track"), QStringLiteral("t1"), label, 2));
    QCOMPARE(registry.find(QStringLiteral("track"), QStringLiteral("t1"))->owner, 2);
    QCOMPARE(registry.registerKey(QStringLiteral("live"), QStringLiteral("k2")).value_or(-1), 1);

    // A removed key cannot publish; its worker's share is free again.
    QCOMPARE(registry.remove(QStringLiteral("live"), QStringLiteral("k1"))->owner, 0);
    QVERIFY(!registry.find(QStringLiteral("live"), QStringLiteral("k1")).has_value());
    QVERIFY(!registry.remove(QStringLiteral("live"), QStringLiteral("k1")).has_value());
    QCOMPARE(registry.registerKey(QStringLiteral("live"), QStringLiteral("k3")).value_or(-1), 0);
    QVERIFY(registry.remove(QStringLiteral("track"), QStringLiteral("t1")).has_value());
    QCOMPARE(registry.count(), 2);
}

void TestStreamRegistry::ownersAreBalanced()
{
    StreamRegistry registry(3);
    int perWorker[3] = {};
    for (int i = 0; i < 99; ++i)
        ++perWorker[*registry.registerKey(QStringLiteral("live"), QStringLiteral("k%1").arg(i))];
    QCOMPARE(perWorker[0], 33);
    QCOMPARE(perWorker[1], 33);
    QCOMPARE(perWorker[2], 33);
}

QTEST_APPLESS_MAIN(TestStreamRegistry)
#include "tst_streamregistry.moc"
