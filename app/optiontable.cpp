#include "app/optiontable.h"

#include <QCommandLineParser>
#include <QStringList>

namespace roomscribe::app {

namespace {

// An environment variable the program reads, in --help and the manual.
struct EnvironmentSpec
{
    const char *names; // one variable, or alternatives joined by ", "
    const char *description;
};

constexpr EnvironmentSpec kEnvironment[] = {
    {"RTMP_PORT", "RTMP port when --rtmp-listen is not given."},
    {"GLADIA_API_KEY", "Gladia API key; transcription runs when a key is given."},
    {"GLADIA_API_URL", "Gladia API base URL when --gladia-url is not given."},
    {"LIVEKIT_URL, LIVEKIT_HTTP_URL", "LiveKit server when --livekit-url is not given."},
    {"LIVEKIT_API_KEY, LIVEKIT_API_SECRET", "LiveKit API credentials."},
    {"RTMP_HOST", "Host Room Composite egress dials, when --rtmp-public-url is not given."},
    {"ROOMSCRIBE_JWT_SECRET", "Secret of the live clients' tokens (--http-listen)."},
    {"XDG_DATA_HOME", "Base of the default transcript database (else ~/.local/share)."},
    {"XDG_STATE_HOME", "Base of the default --state-file (else ~/.local/state)."},
    {"ROOMSCRIBE_GUI_DIR", "Directory searched first for the console, libroomscribe-gui.so."},
};

constexpr char kDescription[] =
    "Live transcription console for LiveKit rooms. Without --no-gui it opens the console window.";

QString groupTitle(OptionGroup group)
{
    switch (group) {
    case OptionGroup::General:
        return QStringLiteral("General");
    case OptionGroup::Ingest:
        return QStringLiteral("RTMP and WebSocket ingest");
    case OptionGroup::Transcription:
        return QStringLiteral("Transcription (Gladia)");
    case OptionGroup::LiveKit:
        return QStringLiteral("LiveKit rooms");
    case OptionGroup::Store:
        return QStringLiteral("Stored transcripts");
    case OptionGroup::LiveClients:
        return QStringLiteral("Live transcripts, /health and /metrics");
    case OptionGroup::Invalid:
        break;
    }
    return {};
}

// Words of TEXT on lines of at most WIDTH columns, every line after the first
// indented by INDENT (--help's layout).
QString wrapped(const QString &text, int indent, int width)
{
    QString out;
    int column = indent;
    for (const QString &word : text.split(u' ', Qt::SkipEmptyParts)) {
        if (column > indent && column + 1 + word.size() > width) {
            out += u'\n' + QString(indent, u' ');
            column = indent;
        } else if (column > indent) {
            out += u' ';
            ++column;
        }
        out += word;
        column += int(word.size());
    }
    return out;
}

// Text for roff: backslashes and hyphens escaped, no line taken for a request.
QString roffText(QString text)
{
    text.replace(u'\\', QLatin1String("\\e"));
    text.replace(u'-', QLatin1String("\\-"));
    if (text.startsWith(u'.') || text.startsWith(u'\''))
        text.prepend(QLatin1String("\\&"));
    return text;
}

QString roffBold(const QString &text)
{
    return QLatin1String("\\fB") + roffText(text) + QLatin1String("\\fR");
}

// "\fB\-h\fR, \fB\-\-help\fR" or "\fB\-\-db\fR \fIurl\fR": the option as --help names it.
QString roffOptionTag(const OptionSpec &option)
{
    QString tag;
    if (option.shortName)
        tag = roffBold(QLatin1String("-") + QLatin1String(option.shortName)) + QLatin1String(", ");
    tag += roffBold(QLatin1String("--") + QLatin1String(option.name));
    if (option.valueName)
        tag += QLatin1String(" \\fI") + roffText(QLatin1String(option.valueName)) +
               QLatin1String("\\fR");
    return tag;
}

// A tagged paragraph: TAG (already roff), then TEXT.
QString roffItem(const QString &tag, const QString &text)
{
    return QLatin1String(".TP\n") + tag + u'\n' + roffText(text) + u'\n';
}

QString roffParagraphs(const QStringList &paragraphs)
{
    QStringList roff;
    for (const QString &paragraph : paragraphs)
        roff.append(roffText(paragraph));
    return roff.join(QLatin1String("\n.PP\n")) + u'\n';
}

} // namespace

void addTableOptions(QCommandLineParser *parser)
{
    parser->setApplicationDescription(QString::fromUtf8(kDescription));
    for (const OptionSpec *spec : kOptions) {
        QStringList names{QString::fromLatin1(spec->name)};
        if (spec->shortName)
            names.prepend(QString::fromLatin1(spec->shortName));
        QCommandLineOption option(names, QString::fromUtf8(spec->description));
        if (spec->valueName)
            option.setValueName(QString::fromLatin1(spec->valueName));
        if (spec->defaultValue)
            option.setDefaultValue(QString::fromLatin1(spec->defaultValue));
        if (spec->hidden)
            option.setFlags(QCommandLineOption::HiddenFromHelp);
        parser->addOption(option);
    }
}

QString helpText(const QCommandLineParser &parser)
{
    // The variables' names in a column of 16, like the options' descriptions.
    constexpr int kIndent = 18;
    constexpr int kWidth = 79;
    QString text = parser.helpText() + QLatin1String("\nEnvironment:\n");
    for (const EnvironmentSpec &variable : kEnvironment) {
        const QString names = QLatin1String("  ") + QLatin1String(variable.names);
        text += names.size() < kIndent ? names.leftJustified(kIndent)
                                       : names + u'\n' + QString(kIndent, u' ');
        text += wrapped(QString::fromUtf8(variable.description), kIndent, kWidth) + u'\n';
    }
    return text + QLatin1String("\nStored transcripts: roomscribe export --help\n");
}

QString manPage()
{
    QString roff = QLatin1String(".\\\" roomscribe(1), written by roomscribe --man-page from the "
                                 "table of its options.\n") +
                   QLatin1String(".TH ROOMSCRIBE 1 \"\" \"roomscribe " ROOMSCRIBE_VERSION
                                 "\" \"User Commands\"\n");
    roff += QLatin1String(".SH NAME\nroomscribe \\- live transcription of RTMP streams and "
                          "LiveKit rooms\n");
    roff += QLatin1String(".SH SYNOPSIS\n.B roomscribe\n[\\fIoptions\\fR]\n.br\n"
                          ".B roomscribe export\n[\\fIoptions\\fR]\n");
    roff += QLatin1String(".SH DESCRIPTION\n") +
            roffParagraphs({
                QString::fromUtf8(kDescription),
                QStringLiteral(
                    "With --no-gui it runs headless, as a server: it takes RTMP publishes on "
                    "live/KEY, transcribes them with Gladia when an API key is given, stores the "
                    "final transcripts and, with a LiveKit server, transcribes LiveKit rooms "
                    "through egress or as a hidden participant. It prints the publish URLs on "
                    "start and logs to standard error; SIGTERM or SIGINT stop it cleanly."),
                QStringLiteral("Secrets (API keys, the token secret) come from the environment "
                               "or from files readable by their owner only, never from "
                               "arguments. The roomscribe.service unit runs it as a system "
                               "service."),
                QStringLiteral("roomscribe export writes a stored room session to a file (txt, "
                               "srt, vtt or json) or lists the stored rooms and sessions; see "
                               "roomscribe export --help."),
            });
    roff += QLatin1String(".SH OPTIONS\n");
    OptionGroup group = OptionGroup::Invalid;
    for (OptionGroup next : {OptionGroup::General, OptionGroup::Ingest, OptionGroup::Transcription,
                             OptionGroup::LiveKit, OptionGroup::Store, OptionGroup::LiveClients}) {
        for (const OptionSpec *spec : kOptions) {
            if (spec->group != next || spec->hidden)
                continue;
            if (group != next)
                roff += QLatin1String(".SS ") + roffText(groupTitle(next)) + u'\n';
            group = next;
            roff += roffItem(roffOptionTag(*spec), QString::fromUtf8(spec->description));
        }
    }
    roff += QLatin1String(".SH ENVIRONMENT\n");
    for (const EnvironmentSpec &variable : kEnvironment)
        roff += roffItem(roffBold(QLatin1String(variable.names)),
                         QString::fromUtf8(variable.description));
    roff += QLatin1String(".SH FILES\n");
    const std::pair<const char *, const char *> files[] = {
        {"$XDG_DATA_HOME/roomscribe/transcripts.sqlite",
         "The default transcript database; its .overflow.jsonl journal lies beside it."},
        {"$XDG_STATE_HOME/roomscribe/egresses.json",
         "The default --state-file: the egresses this engine started."},
        {"~/.config/Roomscribe/roomscribe.conf",
         "The console's saved settings; their secrets are in the keychain."},
        {"/etc/roomscribe/roomscribe.env",
         "The service's environment: secrets and ROOMSCRIBE_OPTIONS (mode 0600)."},
        {"/var/lib/roomscribe", "The service's data: its database and state file."},
    };
    for (const auto &[path, description] : files)
        roff +=
            roffItem(QLatin1String("\\fI") + roffText(QLatin1String(path)) + QLatin1String("\\fR"),
                     QString::fromUtf8(description));
    roff += QLatin1String(".SH EXIT STATUS\n");
    const std::pair<const char *, const char *> statuses[] = {
        {"0", "Stopped by SIGTERM or SIGINT, or --help or --version printed."},
        {"1", "The engine or the console could not start (a port taken, a database that "
              "cannot be opened); roomscribe export: the database or the output file failed."},
        {"2", "A usage error: an unknown option or a bad value; roomscribe export: also an "
              "unknown room or session."},
    };
    for (const auto &[status, description] : statuses)
        roff += roffItem(roffBold(QLatin1String(status)), QString::fromUtf8(description));
    roff += QLatin1String(".SH SEE ALSO\n.BR systemctl (1),\n.BR journalctl (1),\n"
                          ".BR systemd.exec (5)\n");
    return roff;
}

} // namespace roomscribe::app
