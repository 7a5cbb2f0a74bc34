#include "postgresprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QUrl>
#include <QVersionNumber>

#include <csignal>
#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace roomscribe::test {

PostgresProcess::PostgresProcess()
{
    if (::geteuid() == 0) {
        // The server refuses uid 0; "nobody" exists on every Debian system.
        if (const passwd *entry = ::getpwnam("nobody")) {
            m_uid = entry->pw_uid;
            m_gid = entry->pw_gid;
        }
    }
}

PostgresProcess::~PostgresProcess()
{
    if (isRunning()) {
        // Immediate shutdown: the data is thrown away with the directory.
        ::kill(pid_t(m_server.processId()), SIGQUIT);
        if (!m_server.waitForFinished(15000)) {
            m_server.kill();
            m_server.waitForFinished(5000);
        }
    }
}

QString PostgresProcess::binDir()
{
    const QString configured = qEnvironmentVariable("ROOMSCRIBE_PG_BINDIR");
    auto usable = [](const QString &dir) {
        return QFile::exists(dir + QStringLiteral("/postgres")) &&
               QFile::exists(dir + QStringLiteral("/initdb"));
    };
    if (!configured.isEmpty())
        return usable(configured) ? configured : QString();
    QString best;
    QVersionNumber bestVersion;
    const QDir root(QStringLiteral("/usr/lib/postgresql"));
    for (const QString &name : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QVersionNumber version = QVersionNumber::fromString(name);
        const QString dir = root.filePath(name) + QStringLiteral("/bin");
        if (!version.isNull() && version > bestVersion && usable(dir))
            best = dir, bestVersion = version;
    }
    return best;
}

QString PostgresProcess::password() const
{
    // Characters a URL must escape, so that the test exercises the parsing.
    return QStringLiteral("pa:ss@w/rd%1");
}

QString PostgresProcess::url(const QString &database) const
{
    // Concatenated: the encoded password's "%40" must not meet QString::arg.
    return QStringLiteral("postgresql://") + user() + u':' +
           QString::fromLatin1(QUrl::toPercentEncoding(password())) +
           QStringLiteral("@127.0.0.1:") + QString::number(m_port) + u'/' +
           (database.isEmpty() ? databaseName() : database);
}

void PostgresProcess::prepareChild(QProcess *process) const
{
    const uid_t uid = m_uid;
    const gid_t gid = m_gid;
    // Runs in the child between fork and exec: only async-signal-safe calls.
    process->setChildProcessModifier([uid, gid] {
        if (uid != 0 && (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0))
            ::_exit(126);
        // After setuid, which clears it: the server goes when the test does.
        ::prctl(PR_SET_PDEATHSIG, SIGQUIT);
    });
}

bool PostgresProcess::runTool(const QString &tool, const QStringList &arguments, QString *error)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    prepareChild(&process);
    process.start(binDir() + u'/' + tool, arguments);
    const bool finished = process.waitForFinished(120000);
    const QByteArray output = process.readAll();
    if (!finished || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = QStringLiteral("%1 failed: %2").arg(tool, QString::fromLocal8Bit(output));
        return false;
    }
    return true;
}

bool PostgresProcess::start(QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (isRunning())
        return true;
    if (binDir().isEmpty()) {
        *error = QStringLiteral("no PostgreSQL server binaries");
        return false;
    }
    if (!m_initialized) {
        m_directory = std::make_unique<QTemporaryDir>();
        if (!m_directory->isValid()) {
            *error = QStringLiteral("cannot make a temporary directory");
            return false;
        }
        const QString base = m_directory->path();
        QDir().mkpath(base + QStringLiteral("/socket"));
        QFile passwordFile(base + QStringLiteral("/password"));
        if (!passwordFile.open(QIODevice::WriteOnly) ||
            passwordFile.write(password().toUtf8() + '\n') <= 0) {
            *error = QStringLiteral("cannot write the password file");
            return false;
        }
        passwordFile.close();
        if (m_uid != 0) {
            for (const QString &path :
                 {base, base + QStringLiteral("/socket"), passwordFile.fileName()})
                if (::chown(QFile::encodeName(path).constData(), m_uid, m_gid) != 0) {
                    *error = QStringLiteral("cannot hand %1 to the server's user").arg(path);
                    return false;
                }
        }
        if (!runTool(QStringLiteral("initdb"),
                     {QStringLiteral("-D"), base + QStringLiteral("/data"), QStringLiteral("-U"),
                      user(), QStringLiteral("--pwfile=") + passwordFile.fileName(),
                      QStringLiteral("--auth-local=trust"),
                      QStringLiteral("--auth-host=scram-sha-256"), QStringLiteral("-E"),
                      QStringLiteral("UTF8"), QStringLiteral("--no-locale"),
                      QStringLiteral("--no-sync")},
                     error))
            return false;
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0)) {
            *error = QStringLiteral("no free port");
            return false;
        }
        m_port = probe.serverPort();
    }

    const QString base = m_directory->path();
    m_server.setProcessChannelMode(QProcess::MergedChannels);
    prepareChild(&m_server);
    m_server.start(binDir() + QStringLiteral("/postgres"),
                   {QStringLiteral("-D"), base + QStringLiteral("/data"), QStringLiteral("-p"),
                    QString::number(m_port), QStringLiteral("-k"), base + QStringLiteral("/socket"),
                    QStringLiteral("-c"), QStringLiteral("listen_addresses=127.0.0.1"),
                    // A test server: durability is not what is tested here.
                    QStringLiteral("-c"), QStringLiteral("fsync=off"), QStringLiteral("-c"),
                    QStringLiteral("full_page_writes=off")});
    if (!m_server.waitForStarted(10000)) {
        *error = QStringLiteral("cannot run postgres: %1").arg(m_server.errorString());
        return false;
    }
    QElapsedTimer clock;
    clock.start();
    while (!m_log.contains("ready to accept connections")) {
        if (clock.elapsed() > 60000 || m_server.state() != QProcess::Running) {
            m_server.waitForReadyRead(100);
            m_log += m_server.readAll();
            *error =
                QStringLiteral("postgres did not start: %1").arg(QString::fromLocal8Bit(m_log));
            return false;
        }
        m_server.waitForReadyRead(200);
        m_log += m_server.readAll();
    }
    // Only the first "ready" counts; a restart appends its own.
    m_log.replace("ready to accept connections", "ready (seen)");
    if (!m_initialized) {
        if (!createDatabase(databaseName(), error))
            return false;
        m_initialized = true;
    }
    return true;
}

bool PostgresProcess::createDatabase(const QString &name, QString *error)
{
    const QString connection = QStringLiteral("postgres-process-admin-%1").arg(m_port);
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
        db.setHostName(QStringLiteral("127.0.0.1"));
        db.setPort(m_port);
        db.setUserName(user());
        db.setPassword(password());
        db.setDatabaseName(QStringLiteral("postgres"));
        if (!db.open()) {
            *error =
                QStringLiteral("cannot connect to the test server: %1").arg(db.lastError().text());
        } else {
            QSqlQuery query(db);
            ok = query.exec(QStringLiteral("CREATE DATABASE \"%1\"").arg(name));
            if (!ok)
                *error = QStringLiteral("CREATE DATABASE failed: %1").arg(query.lastError().text());
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return ok;
}

bool PostgresProcess::stop(QString *error)
{
    if (!isRunning())
        return true;
    ::kill(pid_t(m_server.processId()), SIGINT); // fast shutdown
    if (!m_server.waitForFinished(30000)) {
        if (error)
            *error = QStringLiteral("postgres did not stop");
        return false;
    }
    m_log += m_server.readAll();
    return true;
}

QByteArray PostgresProcess::log()
{
    if (m_server.state() != QProcess::NotRunning)
        m_log += m_server.readAll();
    return m_log;
}

} // namespace roomscribe::test
