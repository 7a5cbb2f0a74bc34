#include "store/storeconfig.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace roomscribe::store {

QString DatabaseTarget::describe() const
{
    switch (backend) {
    case Backend::Sqlite:
        return path;
    case Backend::Postgres: {
        const QString who = user.isEmpty() ? QString() : user + u'@';
        return QStringLiteral("postgresql://%1%2:%3/%4").arg(who, host).arg(port).arg(databaseName);
    }
    case Backend::Invalid:
        break;
    }
    return QStringLiteral("(no database)");
}

static bool parsePostgresUrl(const QString &text, DatabaseTarget *target, QString *error)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid()) {
        *error = QStringLiteral("invalid PostgreSQL URL: %1").arg(url.errorString());
        return false;
    }
    target->backend = Backend::Postgres;
    target->host = url.host().isEmpty() ? QStringLiteral("localhost") : url.host();
    target->port = url.port(5432);
    target->user = url.userName(QUrl::FullyDecoded);
    target->password = url.password(QUrl::FullyDecoded);
    target->databaseName = url.path(QUrl::FullyDecoded).mid(1);
    if (target->databaseName.isEmpty() || target->databaseName.contains(u'/')) {
        *error = QStringLiteral("the PostgreSQL URL must name one database: "
                                "postgresql://user:password@host:port/dbname");
        return false;
    }
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == u"host") {
            target->host = value;
        } else if (key == u"port") {
            bool ok = false;
            target->port = value.toInt(&ok);
            if (!ok) {
                *error = QStringLiteral("invalid port in the PostgreSQL URL: %1").arg(value);
                return false;
            }
        } else {
            // libpq keywords (sslmode, application_name, ...) pass through;
            // QPSQL separates them with ';', which a value cannot hold.
            if (value.contains(u';') || key.isEmpty()) {
                *error = QStringLiteral("unsupported option in the PostgreSQL URL: %1").arg(key);
                return false;
            }
            target->connectOptions.append(key + u'=' + value);
        }
    }
    if (target->port <= 0 || target->port > 65535) {
        *error = QStringLiteral("invalid port in the PostgreSQL URL");
        return false;
    }
    return true;
}

bool parseDatabaseUrl(const QString &text, DatabaseTarget *target, QString *error)
{
    *target = DatabaseTarget();
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith(u"postgresql://", Qt::CaseInsensitive) ||
        trimmed.startsWith(u"postgres://", Qt::CaseInsensitive))
        return parsePostgresUrl(trimmed, target, error);

    QString path = trimmed;
    if (path.startsWith(u"sqlite://", Qt::CaseInsensitive))
        path = QUrl::fromPercentEncoding(path.mid(9).toUtf8());
    else if (path.startsWith(u"sqlite:", Qt::CaseInsensitive))
        path = QUrl::fromPercentEncoding(path.mid(7).toUtf8());
    else if (static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*://"));
             scheme.match(path).hasMatch()) {
        *error = QStringLiteral("unsupported database URL \"%1\": use postgresql://..., "
                                "sqlite:///path or a file path")
                     .arg(path.section(QStringLiteral("://"), 0, 0) + QStringLiteral("://..."));
        return false;
    }
    if (trimmed.isEmpty())
        path = defaultSqlitePath();
    if (path.isEmpty()) {
        *error = QStringLiteral("the SQLite URL names no file");
        return false;
    }
    target->backend = Backend::Sqlite;
    target->path = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    return true;
}

QString defaultDataDirectory()
{
    // The XDG base directory rule: a relative XDG_DATA_HOME is ignored.
    QString base = qEnvironmentVariable("XDG_DATA_HOME");
    if (base.isEmpty() || QDir::isRelativePath(base))
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return QDir::cleanPath(base + QStringLiteral("/roomscribe"));
}

QString defaultSqlitePath()
{
    return defaultDataDirectory() + QStringLiteral("/transcripts.sqlite");
}

QString defaultJournalPath(const DatabaseTarget &target)
{
    if (target.backend == Backend::Sqlite) {
        const QFileInfo file(target.path);
        return file.dir().filePath(file.completeBaseName() + QStringLiteral(".overflow.jsonl"));
    }
    QString name = QStringLiteral("overflow-%1-%2-%3.jsonl")
                       .arg(target.host)
                       .arg(target.port)
                       .arg(target.databaseName);
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    name.replace(unsafe, QStringLiteral("_"));
    return defaultDataDirectory() + u'/' + name;
}

} // namespace roomscribe::store
