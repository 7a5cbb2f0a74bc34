#include "app/exportcommand.h"

#include "store/exporters.h"
#include "store/overflowjournal.h"
#include "store/storeconfig.h"
#include "store/transcriptreader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QSaveFile>

#include <cstdio>
#include <cstring>

namespace roomscribe::app {

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int fail(int code, const QString &message)
{
    std::fprintf(stderr, "roomscribe export: %s\n", qPrintable(message));
    return code;
}

QString timeText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                          : QStringLiteral("-");
}

int listSessions(store::TranscriptReader &reader)
{
    QString error;
    const std::optional<QList<store::StoredSession>> sessions = reader.listSessions(&error);
    if (!sessions)
        return fail(kExitFailure, error);
    if (sessions->isEmpty()) {
        std::printf("no transcripts in %s\n", qPrintable(reader.databaseDescription()));
        return 0;
    }
    int roomWidth = 4;
    for (const store::StoredSession &session : *sessions)
        roomWidth = std::max(roomWidth, int(session.room.size()));
    const QString header = QStringLiteral("%1  %2  %3  %4  %5")
                               .arg(QStringLiteral("ROOM"), -roomWidth)
                               .arg(QStringLiteral("SESSION"), 7)
                               .arg(QStringLiteral("STARTED (UTC)"), -19)
                               .arg(QStringLiteral("ENDED (UTC)"), -19)
                               .arg(QStringLiteral("SEGMENTS"), 8);
    std::printf("%s\n", qPrintable(header));
    for (const store::StoredSession &session : *sessions) {
        const QString ended =
            session.endedAt.isValid() ? timeText(session.endedAt) : QStringLiteral("(open)");
        const QString line = QStringLiteral("%1  %2  %3  %4  %5")
                                 .arg(session.room, -roomWidth)
                                 .arg(session.id, 7)
                                 .arg(timeText(session.startedAt), -19)
                                 .arg(ended, -19)
                                 .arg(session.segments, 8);
        std::printf("%s\n", qPrintable(line));
    }
    return 0;
}

bool writeOutput(const QString &path, const QByteArray &bytes, QString *error)
{
    if (path == u"-") {
        const bool ok = std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout) ==
                            size_t(bytes.size()) &&
                        std::fflush(stdout) == 0;
        if (!ok)
            *error = QStringLiteral("cannot write to standard output");
        return ok;
    }
    // All or nothing: a reader of the file never sees half an export.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

// Finals the engine could not write yet are in its overflow journal; an
// export made now lacks them, which the user should know.
void noteJournal(const QString &database)
{
    store::DatabaseTarget target;
    QString error;
    if (!store::parseDatabaseUrl(database, &target, &error))
        return;
    store::OverflowJournal journal(store::defaultJournalPath(target));
    if (const qint64 pending = journal.pending(); pending > 0)
        std::fprintf(stderr,
                     "roomscribe export: note: %lld items wait in the overflow journal %s and "
                     "are not in the database yet\n",
                     static_cast<long long>(pending), qPrintable(journal.path()));
}

} // namespace

bool isExportCommand(int argc, char **argv)
{
    return argc > 1 && std::strcmp(argv[1], "export") == 0;
}

int runExportCommand(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("roomscribe"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ROOMSCRIBE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Exports a stored room session as a file, or lists the stored rooms and "
                       "sessions. Works on the database of a running or a stopped engine.\n\n"
                       "  roomscribe export [--db URL] --list\n"
                       "  roomscribe export [--db URL] --room NAME [--session ID] "
                       "--format txt|srt|vtt|json --out FILE"));
    parser.addHelpOption();
    const QCommandLineOption dbOption(
        QStringLiteral("db"),
        QStringLiteral("The database: postgresql://user:password@host:port/dbname, "
                       "sqlite:///path or a file path (default: %1).")
            .arg(store::defaultSqlitePath()),
        QStringLiteral("URL"));
    const QCommandLineOption listOption(QStringLiteral("list"),
                                        QStringLiteral("List the rooms and their sessions."));
    const QCommandLineOption roomOption(QStringLiteral("room"), QStringLiteral("The room."),
                                        QStringLiteral("NAME"));
    const QCommandLineOption sessionOption(
        QStringLiteral("session"),
        QStringLiteral("The room session (see --list; default: the room's latest)."),
        QStringLiteral("ID"));
    const QCommandLineOption formatOption(
        QStringLiteral("format"),
        QStringLiteral("txt, srt, vtt or json (default: from the --out file's extension)."),
        QStringLiteral("FORMAT"));
    const QCommandLineOption outOption(QStringLiteral("out"),
                                       QStringLiteral("The file to write; - is standard output."),
                                       QStringLiteral("FILE"));
    parser.addOptions({dbOption, listOption, roomOption, sessionOption, formatOption, outOption});

    QStringList arguments = app.arguments();
    arguments.removeAt(1); // "export"
    if (!parser.parse(arguments))
        return fail(kExitUsage, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        QString help = parser.helpText();
        const qsizetype firstLineEnd = help.indexOf(u'\n');
        help.replace(0, firstLineEnd, QStringLiteral("Usage: roomscribe export [options]"));
        std::printf("%s", qPrintable(help));
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return fail(
            kExitUsage,
            QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));

    const QString database = parser.value(dbOption);
    const bool list = parser.isSet(listOption);
    if (list && (parser.isSet(roomOption) || parser.isSet(sessionOption) ||
                 parser.isSet(formatOption) || parser.isSet(outOption)))
        return fail(kExitUsage, QStringLiteral("--list takes no --room, --session, --format or "
                                               "--out"));
    std::optional<qint64> sessionId;
    std::optional<store::ExportFormat> format;
    if (!list) {
        if (parser.value(roomOption).isEmpty())
            return fail(kExitUsage, QStringLiteral("--room NAME is needed (or --list)"));
        if (parser.value(outOption).isEmpty())
            return fail(kExitUsage, QStringLiteral("--out FILE is needed (- for standard output)"));
        if (parser.isSet(sessionOption)) {
            bool ok = false;
            sessionId = parser.value(sessionOption).toLongLong(&ok);
            if (!ok || *sessionId <= 0)
                return fail(kExitUsage, QStringLiteral("--session takes a session number "
                                                       "from --list, not \"%1\"")
                                            .arg(parser.value(sessionOption)));
        }
        const QString formatName = parser.isSet(formatOption)
                                       ? parser.value(formatOption)
                                       : QFileInfo(parser.value(outOption)).suffix();
        format = store::parseExportFormat(formatName);
        if (!format)
            return fail(kExitUsage,
                        parser.isSet(formatOption)
                            ? QStringLiteral("unknown format \"%1\": use txt, srt, vtt or json")
                                  .arg(formatName)
                            : QStringLiteral("--format txt|srt|vtt|json is needed"));
    }

    store::TranscriptReader reader;
    QString error;
    if (!reader.open(database, &error))
        return fail(kExitFailure, error);
    noteJournal(database);
    if (list)
        return listSessions(reader);

    store::ExportDocument document;
    switch (reader.loadDocument(parser.value(roomOption), sessionId, &document, &error)) {
    case store::LoadOutcome::Loaded:
        break;
    case store::LoadOutcome::UnknownRoom:
    case store::LoadOutcome::UnknownSession:
        return fail(kExitUsage, error);
    case store::LoadOutcome::Failed:
    case store::LoadOutcome::Invalid:
        return fail(kExitFailure, error);
    }
    if (!writeOutput(parser.value(outOption), store::exportDocument(document, *format), &error))
        return fail(kExitFailure, error);
    if (parser.value(outOption) != u"-")
        std::fprintf(
            stderr, "roomscribe export: room %s, session %s: %lld segments written to %s\n",
            qPrintable(document.room), qPrintable(document.sessionId),
            static_cast<long long>(document.segments.size()), qPrintable(parser.value(outOption)));
    return 0;
}

} // namespace roomscribe::app
