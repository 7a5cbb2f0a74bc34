#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace roomscribe::test {

// A private PostgreSQL server for one test: a cluster made by initdb in a
// temporary directory, the server on a free 127.0.0.1 port (its Unix socket
// in the same directory), password authentication over TCP, and one database.
// PostgreSQL refuses to run as root, so under uid 0 initdb and the server run
// as "nobody" (the directory is handed to it). The server dies with the test
// process even if the test crashes (parent-death signal).
class PostgresProcess
{
public:
    PostgresProcess();
    ~PostgresProcess();
    PostgresProcess(const PostgresProcess &) = delete;
    PostgresProcess &operator=(const PostgresProcess &) = delete;

    // Where initdb and postgres are: $ROOMSCRIBE_PG_BINDIR, else Debian's
    // /usr/lib/postgresql/<newest>/bin; empty when there are none.
    static QString binDir();

    // The first call makes the cluster and the database; later calls (after
    // stop()) start the same server on the same port again.
    bool start(QString *error);
    // Fast shutdown: connections are cut, the data stays.
    bool stop(QString *error = nullptr);
    bool isRunning() const { return m_server.state() == QProcess::Running; }

    quint16 port() const { return m_port; }
    QString user() const { return QStringLiteral("roomscribe"); }
    QString password() const;
    QString databaseName() const { return QStringLiteral("roomscribe_test"); }
    // postgresql://roomscribe:<password, percent-encoded>@127.0.0.1:<port>/<database>
    QString url(const QString &database = QString()) const;
    bool createDatabase(const QString &name, QString *error);
    // The server's log so far.
    QByteArray log();

private:
    bool runTool(const QString &tool, const QStringList &arguments, QString *error);
    void prepareChild(QProcess *process) const;

    std::unique_ptr<QTemporaryDir> m_directory;
    QProcess m_server;
    QByteArray m_log;
    quint16 m_port = 0;
    bool m_initialized = false;
    unsigned m_uid = 0; // run as this user when the test runs as root (0: as the test)
    unsigned m_gid = 0;
};

} // namespace roomscribe::test
