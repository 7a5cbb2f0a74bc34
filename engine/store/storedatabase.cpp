#include "store/storedatabase.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include <cstdio>
#include <ctime>

namespace roomscribe::store {

QString sqlErrorText(const QSqlError &error)
{
    // One line: PostgreSQL's messages span several.
    QString text = error.databaseText().simplified();
    if (text.isEmpty())
        text = error.driverText().simplified();
    if (text.isEmpty())
        text = error.text().simplified();
    return text;
}

StoreConnection::StoreConnection(const QString &purpose)
{
    static QAtomicInteger<quint64> counter;
    m_name = QStringLiteral("roomscribe-%1-%2").arg(purpose).arg(++counter);
}

StoreConnection::~StoreConnection()
{
    close();
    // Only once no QSqlDatabase handle of it is left.
    if (QSqlDatabase::contains(m_name))
        QSqlDatabase::removeDatabase(m_name);
}

bool StoreConnection::open(const DatabaseTarget &target, const ConnectionSettings &settings,
                           QString *error)
{
    close();
    m_target = target;
    const QString driver =
        target.backend == Backend::Postgres ? QStringLiteral("QPSQL") : QStringLiteral("QSQLITE");
    if (!QSqlDatabase::isDriverAvailable(driver)) {
        *error = target.backend == Backend::Postgres
                     ? QStringLiteral("Qt's PostgreSQL driver (QPSQL) is not installed "
                                      "(Debian: libqt6sql6-psql)")
                     : QStringLiteral("Qt's SQLite driver (QSQLITE) is not installed "
                                      "(Debian: libqt6sql6-sqlite)");
        return false;
    }
    QSqlDatabase db = QSqlDatabase::contains(m_name) ? QSqlDatabase::database(m_name, false)
                                                     : QSqlDatabase::addDatabase(driver, m_name);
    if (target.backend == Backend::Sqlite) {
        const QFileInfo file(target.path);
        if (!settings.create && !file.exists()) {
            *error = QStringLiteral("no database at %1").arg(target.path);
            return false;
        }
        if (settings.create && !QDir().mkpath(file.absolutePath())) {
            *error = QStringLiteral("cannot create the directory %1").arg(file.absolutePath());
            return false;
        }
        db.setDatabaseName(target.path);
        db.setConnectOptions(
            QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(settings.busyTimeout_ms));
    } else {
        db.setHostName(target.host);
        db.setPort(target.port);
        db.setUserName(target.user);
        db.setPassword(target.password);
        db.setDatabaseName(target.databaseName);
        QStringList options{QStringLiteral("connect_timeout=%1").arg(settings.connectTimeout_s),
                            QStringLiteral("application_name=roomscribe")};
        options += target.connectOptions;
        db.setConnectOptions(options.join(u';'));
    }
    if (!db.open()) {
        *error = QStringLiteral("cannot open %1: %2")
                     .arg(target.describe(), sqlErrorText(db.lastError()));
        db.close();
        return false;
    }
    for (const QString &statement : sql::connectionSetup(target.backend)) {
        QSqlQuery query(db);
        if (!query.exec(statement)) {
            *error = QStringLiteral("cannot set up %1 (%2): %3")
                         .arg(target.describe(), statement, sqlErrorText(query.lastError()));
            query.finish();
            db.close();
            return false;
        }
        // journal_mode answers with the mode it is in: a file WAL cannot be
        // used for (another process holds it in a mode that excludes WAL)
        // would silently make readers and the writer block each other.
        if (statement.contains(QStringLiteral("journal_mode")) && query.next() &&
            query.value(0).toString().compare(u"wal", Qt::CaseInsensitive) != 0) {
            *error = QStringLiteral("%1 cannot use write-ahead logging (journal mode %2)")
                         .arg(target.describe(), query.value(0).toString());
            query.finish();
            db.close();
            return false;
        }
    }
    return true;
}

void StoreConnection::close()
{
    if (QSqlDatabase::contains(m_name))
        QSqlDatabase::database(m_name, false).close();
}

bool StoreConnection::isOpen() const
{
    return QSqlDatabase::contains(m_name) && QSqlDatabase::database(m_name, false).isOpen();
}

QSqlDatabase StoreConnection::database() const
{
    return QSqlDatabase::database(m_name, false);
}

bool StoreConnection::exec(const QString &statement, QString *error)
{
    QSqlQuery query(database());
    if (query.exec(statement))
        return true;
    *error = sqlErrorText(query.lastError());
    if (error->isEmpty())
        *error = QStringLiteral("%1 failed").arg(statement.section(u' ', 0, 1));
    return false;
}

int readSchemaVersion(StoreConnection &connection, QString *error)
{
    QSqlDatabase db = connection.database();
    const QStringList tables = db.tables(QSql::Tables);
    if (!tables.contains(QStringLiteral("schema_version"))) {
        // tables() reports nothing for a connection that has failed.
        if (db.lastError().isValid()) {
            *error = sqlErrorText(db.lastError());
            return -1;
        }
        return 0;
    }
    QSqlQuery query(db);
    if (!query.exec(sql::selectSchemaVersion()) || !query.next()) {
        *error = QStringLiteral("cannot read the schema version of %1: %2")
                     .arg(connection.target().describe(), sqlErrorText(query.lastError()));
        return -1;
    }
    return query.value(0).toInt();
}

static QString newerSchemaMessage(const StoreConnection &connection, int found, int known)
{
    return QStringLiteral("the database %1 has schema version %2, newer than this roomscribe "
                          "understands (%3): use a newer roomscribe with it")
        .arg(connection.target().describe())
        .arg(found)
        .arg(known);
}

bool migrate(StoreConnection &connection, QString *error, const QList<sql::Migration> &migrations)
{
    const Backend backend = connection.backend();
    const int latest = migrations.isEmpty() ? 0 : migrations.last().version;
    QString failure;
    auto fail = [&](const QString &what) {
        QString ignored;
        connection.exec(QStringLiteral("ROLLBACK"), &ignored);
        *error = QStringLiteral("cannot migrate %1: %2: %3")
                     .arg(connection.target().describe(), what, failure);
        return false;
    };
    if (!connection.exec(sql::beginWrite(backend), &failure))
        return fail(QStringLiteral("begin"));
    // Inside the transaction: another engine may be migrating the same database.
    const QString lock = sql::migrationLock(backend);
    if (!lock.isEmpty() && !connection.exec(lock, &failure))
        return fail(QStringLiteral("lock"));
    if (!connection.exec(sql::createVersionTable(), &failure))
        return fail(QStringLiteral("schema_version"));
    QSqlQuery query(connection.database());
    if (!query.exec(sql::selectSchemaVersion()) || !query.next()) {
        failure = sqlErrorText(query.lastError());
        return fail(QStringLiteral("reading the schema version"));
    }
    const int current = query.value(0).toInt();
    query.finish();
    if (current > latest) {
        QString ignored;
        connection.exec(QStringLiteral("ROLLBACK"), &ignored);
        *error = newerSchemaMessage(connection, current, latest);
        return false;
    }
    for (const sql::Migration &migration : migrations) {
        if (migration.version <= current)
            continue;
        for (const QString &statement : migration.statements)
            if (!connection.exec(statement, &failure))
                return fail(QStringLiteral("migration %1").arg(migration.version));
        QSqlQuery record(connection.database());
        record.prepare(sql::insertSchemaVersion());
        record.addBindValue(migration.version);
        record.addBindValue(timestampText(QDateTime::currentDateTimeUtc()));
        if (!record.exec()) {
            failure = sqlErrorText(record.lastError());
            return fail(QStringLiteral("recording migration %1").arg(migration.version));
        }
    }
    if (!connection.exec(QStringLiteral("COMMIT"), &failure))
        return fail(QStringLiteral("commit"));
    return true;
}

bool migrate(StoreConnection &connection, QString *error)
{
    return migrate(connection, error, sql::migrations(connection.backend()));
}

QString timestampText(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    // By hand: QDateTime::toString() is a noticeable part of a row's cost.
    const qint64 ms = time.toMSecsSinceEpoch();
    const time_t seconds = time_t(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    tm parts{};
    ::gmtime_r(&seconds, &parts);
    char text[40];
    const int length =
        std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                      parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
                      parts.tm_min, parts.tm_sec, int(ms - qint64(seconds) * 1000));
    return QString::fromLatin1(text, length);
}

QDateTime timestampFrom(const QVariant &value)
{
    if (value.isNull())
        return {};
    if (value.metaType().id() == QMetaType::QDateTime)
        return value.toDateTime().toUTC();
    QString text = value.toString().trimmed();
    // PostgreSQL's text form: "2026-11-22 03:00:00.123+00".
    text.replace(u' ', u'T');
    if (text.endsWith(QStringLiteral("+00")))
        text.chop(3), text += u'Z';
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(text, Qt::ISODate);
    return time.toUTC();
}

} // namespace roomscribe::store
