#include "store/exporters.h"

#include <QStringList>
#include <QTextBoundaryFinder>

#include <algorithm>
#include <cmath>

namespace roomscribe::store {

namespace {

// Subtitle limits: the common broadcast/streaming guidelines (two lines of 42 characters,
// at most 7 s on screen), and a floor so that a zero-length or one-word cue stays readable.
constexpr int kMaxLineChars = 42;
constexpr int kMaxCueLines = 2;
constexpr qint64 kMaxCueDuration_ms = 7000;
constexpr qint64 kMinCueDuration_ms = 700;
// A cue ends where the next one starts when the pause between them is shorter than this,
// so that the text doesn't flicker off and on between the words of one sentence.
constexpr qint64 kFlickerGap_ms = 250;
// Words whose times lie further than this outside their segment are taken to be in another
// time base, and the segment is split proportionally instead.
constexpr qint64 kWordTimeSlack_ms = 1000;

// TXT paragraphs: one speaker's consecutive finals merge while the pause between them is
// short, but a new paragraph (with a fresh timestamp) starts at least once a minute so that
// long monologues stay navigable.
constexpr qint64 kTxtMergeGap_ms = 2000;
constexpr qint64 kTxtParagraphSpan_ms = 60000;

// Characters as people count them on screen: code points, so that an emoji or a Cyrillic
// letter is one (a UTF-16 surrogate pair would count two).
int charCount(QStringView text)
{
    int count = 0;
    for (const QChar c : text)
        count += c.isLowSurrogate() ? 0 : 1;
    return count;
}

// The speaker as TXT, SRT and WebVTT name it: simplified, an inferred one marked as such.
QString speakerLabel(const ExportSegment &segment)
{
    const QString speaker = segment.speaker.simplified();
    if (speaker.isEmpty() || !segment.speakerInferred)
        return speaker;
    return speaker + QStringLiteral(" (inferred)");
}

QList<ExportSegment> sortedByStart(const QList<ExportSegment> &segments)
{
    QList<ExportSegment> sorted = segments;
    std::stable_sort(
        sorted.begin(), sorted.end(),
        [](const ExportSegment &a, const ExportSegment &b) { return a.start_ms < b.start_ms; });
    return sorted;
}

// HH:MM:SS plus ",mmm" (SRT) or ".mmm" (WebVTT); hours grow past two digits when needed.
QString clockTime(qint64 time_ms, QChar millisecondSeparator = QChar())
{
    time_ms = std::max<qint64>(time_ms, 0);
    const qint64 hours = time_ms / 3600000;
    const qint64 minutes = time_ms / 60000 % 60;
    const qint64 seconds = time_ms / 1000 % 60;
    QString text = QStringLiteral("%1:%2:%3")
                       .arg(hours, 2, 10, QLatin1Char('0'))
                       .arg(minutes, 2, 10, QLatin1Char('0'))
                       .arg(seconds, 2, 10, QLatin1Char('0'));
    if (!millisecondSeparator.isNull())
        text += millisecondSeparator +
                QStringLiteral("%1").arg(time_ms % 1000, 3, 10, QLatin1Char('0'));
    return text;
}

// ---- TXT -------------------------------------------------------------------------------

QByteArray toTxt(const ExportDocument &document)
{
    QString out;
    out += QStringLiteral("Room: ") + document.room.simplified() + QLatin1Char('\n');
    out += QStringLiteral("Session: ") + document.sessionId.simplified() + QLatin1Char('\n');
    const auto utc = [](const QDateTime &time) {
        return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
               QStringLiteral(" UTC");
    };
    if (document.startedAt.isValid())
        out += QStringLiteral("Started: ") + utc(document.startedAt) + QLatin1Char('\n');
    if (document.endedAt.isValid())
        out += QStringLiteral("Ended: ") + utc(document.endedAt) + QLatin1Char('\n');

    struct Paragraph
    {
        qint64 start_ms = 0;
        qint64 end_ms = 0;
        QString speaker;
        QString stream;
        QStringList texts;
    };
    QList<Paragraph> paragraphs;
    for (const ExportSegment &segment : sortedByStart(document.segments)) {
        const QString text = segment.text.simplified();
        if (text.isEmpty())
            continue;
        const QString speaker = speakerLabel(segment);
        if (!paragraphs.isEmpty()) {
            Paragraph &last = paragraphs.last();
            if (last.speaker == speaker && last.stream == segment.stream &&
                segment.start_ms - last.end_ms <= kTxtMergeGap_ms &&
                segment.start_ms - last.start_ms < kTxtParagraphSpan_ms) {
                last.texts.append(text);
                last.end_ms = std::max(last.end_ms, segment.end_ms);
                continue;
            }
        }
        paragraphs.append({segment.start_ms,
                           std::max(segment.start_ms, segment.end_ms),
                           speaker,
                           segment.stream,
                           {text}});
    }

    if (!paragraphs.isEmpty())
        out += QLatin1Char('\n');
    for (const Paragraph &paragraph : paragraphs) {
        out += QLatin1Char('[') + clockTime(paragraph.start_ms) + QStringLiteral("] ");
        if (!paragraph.speaker.isEmpty())
            out += paragraph.speaker + QStringLiteral(": ");
        out += paragraph.texts.join(QLatin1Char(' ')) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

// ---- Cues for SRT and WebVTT ------------------------------------------------------------

// A unit that a cue or a line may start with. `glued` pieces are parts of one word too long
// for a line (or of unspaced scripts such as Chinese): they join without a space.
struct Token
{
    QString text;
    bool glued = false;
    qint64 start_ms = 0;
    qint64 end_ms = 0;
};

struct Cue
{
    qint64 start_ms = 0;
    qint64 end_ms = 0;
    QString speaker;   // simplified; empty for none
    QStringList lines; // without the speaker
};

// Matches the text's words with the recognizer's word timings. Recognizers split and
// punctuate differently from the final text ("don" + "'t"), so words are concatenated until
// they spell the token; any mismatch means the timings can't be trusted for this text.
bool alignWordTimes(const QStringList &tokens, const ExportSegment &segment, QList<Token> *timed)
{
    const auto bare = [](const QString &word) {
        return word.simplified().remove(QLatin1Char(' '));
    };
    const qint64 earliest_ms = segment.start_ms - kWordTimeSlack_ms;
    const qint64 latest_ms = std::max(segment.start_ms, segment.end_ms) + kWordTimeSlack_ms;
    qsizetype next = 0;
    for (const QString &token : tokens) {
        QString spelled;
        Token piece{token, false, 0, 0};
        while (spelled.size() < token.size()) {
            if (next == segment.words.size())
                return false;
            const ExportWord &word = segment.words.at(next++);
            const QString text = bare(word.word);
            if (text.isEmpty())
                continue;
            if (word.start_ms < earliest_ms || word.end_ms > latest_ms)
                return false;
            if (spelled.isEmpty())
                piece.start_ms = word.start_ms;
            piece.end_ms = std::max(piece.start_ms, word.end_ms);
            spelled += text;
            if (!token.startsWith(spelled))
                return false;
        }
        timed->append(piece);
    }
    for (; next < segment.words.size(); ++next) {
        if (!bare(segment.words.at(next).word).isEmpty())
            return false;
    }
    return true;
}

// Without usable word timings, time is shared out by characters; a token owns the space
// after it, so the cues of one segment follow each other without a gap.
QList<Token> proportionalTimes(const QStringList &tokens, qint64 start_ms, qint64 end_ms)
{
    int total = -1;
    for (const QString &token : tokens)
        total += charCount(token) + 1;
    const qint64 duration_ms = std::max<qint64>(end_ms - start_ms, 0);
    QList<Token> timed;
    int position = 0;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const int from = position;
        position += charCount(tokens.at(i)) + (i + 1 < tokens.size() ? 1 : 0);
        timed.append({tokens.at(i), false, start_ms + duration_ms * from / total,
                      start_ms + duration_ms * position / total});
    }
    return timed;
}

// Cuts tokens longer than `limit` at grapheme boundaries (so an emoji or a letter with its
// accents stays whole), sharing the token's time by characters.
QList<Token> cutOverlongTokens(const QList<Token> &tokens, int limit)
{
    QList<Token> out;
    for (const Token &token : tokens) {
        const int length = charCount(token.text);
        if (length <= limit) {
            out.append(token);
            continue;
        }
        QTextBoundaryFinder graphemes(QTextBoundaryFinder::Grapheme, token.text);
        qsizetype chunkStart = 0;
        int chunkChars = 0;
        int charsBefore = 0;
        const qint64 duration_ms = token.end_ms - token.start_ms;
        const auto cutAt = [&](qsizetype end) {
            const int chars = charCount(QStringView(token.text).mid(chunkStart, end - chunkStart));
            out.append({token.text.mid(chunkStart, end - chunkStart), chunkStart > 0 || token.glued,
                        token.start_ms + duration_ms * charsBefore / length,
                        token.start_ms + duration_ms * (charsBefore + chars) / length});
            charsBefore += chars;
            chunkStart = end;
            chunkChars = 0;
        };
        qsizetype previous = 0;
        for (qsizetype boundary = graphemes.toNextBoundary(); boundary > 0;
             boundary = graphemes.toNextBoundary()) {
            const int graphemeChars =
                charCount(QStringView(token.text).mid(previous, boundary - previous));
            if (chunkChars > 0 && chunkChars + graphemeChars > limit)
                cutAt(previous);
            chunkChars += graphemeChars;
            previous = boundary;
        }
        cutAt(token.text.size());
    }
    return out;
}

// A piece of a long word must fit the first line beside the speaker prefix, unless the
// name is so long that this would chop the word into crumbs.
QList<Token> tokenize(const ExportSegment &segment, const QString &text, int prefixWidth)
{
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QList<Token> timed;
    if (segment.words.isEmpty() || !alignWordTimes(words, segment, &timed))
        timed = proportionalTimes(words, segment.start_ms, segment.end_ms);
    return cutOverlongTokens(timed, std::max(kMaxLineChars - prefixWidth, kMaxLineChars / 2));
}

// Width of tokens [from, to) on one line.
int lineWidth(const QList<Token> &tokens, qsizetype from, qsizetype to)
{
    int width = 0;
    for (qsizetype i = from; i < to; ++i)
        width += charCount(tokens.at(i).text) + (i > from && !tokens.at(i).glued ? 1 : 0);
    return width;
}

// A line holding a single token may be too long (a huge speaker name, a giant grapheme):
// it is kept rather than lose text or loop.
bool lineFits(int width, qsizetype tokenCount)
{
    return width <= kMaxLineChars || tokenCount == 1;
}

// Greedy filling needs the fewest lines, so it decides whether tokens [from, to) fit a cue.
bool cueFits(const QList<Token> &tokens, qsizetype from, qsizetype to, int prefixWidth)
{
    int lines = 1;
    int width = prefixWidth + charCount(tokens.at(from).text);
    for (qsizetype i = from + 1; i < to; ++i) {
        const int tokenWidth = charCount(tokens.at(i).text);
        const int widened = width + tokenWidth + (tokens.at(i).glued ? 0 : 1);
        if (widened <= kMaxLineChars) {
            width = widened;
        } else {
            ++lines;
            width = tokenWidth;
        }
    }
    return lines <= kMaxCueLines;
}

QString joinTokens(const QList<Token> &tokens, qsizetype from, qsizetype to)
{
    QString text;
    for (qsizetype i = from; i < to; ++i) {
        if (i > from && !tokens.at(i).glued)
            text += QLatin1Char(' ');
        text += tokens.at(i).text;
    }
    return text;
}

// One line when it fits; otherwise the break that makes the longer line shortest, with the
// shorter line on top on a tie (a bottom-heavy pair reads best).
QStringList layoutLines(const QList<Token> &tokens, qsizetype from, qsizetype to, int prefixWidth)
{
    if (to - from == 1 || prefixWidth + lineWidth(tokens, from, to) <= kMaxLineChars)
        return {joinTokens(tokens, from, to)};
    qsizetype best = -1;
    int bestWidth = 0;
    for (qsizetype split = from + 1; split < to; ++split) {
        const int first = prefixWidth + lineWidth(tokens, from, split);
        const int second = lineWidth(tokens, split, to);
        if (!lineFits(first, split - from) || !lineFits(second, to - split))
            continue;
        if (best < 0 || std::max(first, second) < bestWidth) {
            best = split;
            bestWidth = std::max(first, second);
        }
    }
    return {joinTokens(tokens, from, best), joinTokens(tokens, best, to)};
}

QList<Cue> buildCues(const ExportDocument &document)
{
    QList<Cue> cues;
    for (const ExportSegment &segment : sortedByStart(document.segments)) {
        const QString text = segment.text.simplified();
        if (text.isEmpty())
            continue;
        const QString speaker = speakerLabel(segment);
        // The speaker prefix is counted in both formats ("Name: " in SRT, and a player may
        // show the WebVTT voice the same way), so that both files carry the same cues.
        const int prefixWidth = speaker.isEmpty() ? 0 : charCount(speaker) + 2;
        const QList<Token> tokens = tokenize(segment, text, prefixWidth);
        for (qsizetype from = 0; from < tokens.size();) {
            qsizetype to = from + 1;
            while (to < tokens.size() && cueFits(tokens, from, to + 1, prefixWidth) &&
                   tokens.at(to).end_ms - tokens.at(from).start_ms <= kMaxCueDuration_ms)
                ++to;
            qint64 end_ms = tokens.at(from).start_ms;
            for (qsizetype i = from; i < to; ++i)
                end_ms = std::max(end_ms, tokens.at(i).end_ms);
            cues.append({tokens.at(from).start_ms, end_ms, speaker,
                         layoutLines(tokens, from, to, prefixWidth)});
            from = to;
        }
    }

    // Players expect ordered cues that don't overlap: overlapping speech is shown after the
    // cue before it, keeping its own duration (within the limits) rather than being squeezed.
    qint64 previousEnd_ms = 0;
    for (Cue &cue : cues) {
        const qint64 duration_ms =
            std::clamp(cue.end_ms - cue.start_ms, kMinCueDuration_ms, kMaxCueDuration_ms);
        cue.start_ms = std::max(cue.start_ms, previousEnd_ms);
        cue.end_ms = cue.start_ms + duration_ms;
        previousEnd_ms = cue.end_ms;
    }
    for (qsizetype i = 0; i + 1 < cues.size(); ++i) {
        Cue &cue = cues[i];
        const qint64 nextStart_ms = cues.at(i + 1).start_ms;
        if (nextStart_ms - cue.end_ms < kFlickerGap_ms &&
            nextStart_ms - cue.start_ms <= kMaxCueDuration_ms)
            cue.end_ms = nextStart_ms;
    }
    return cues;
}

QByteArray toSrt(const ExportDocument &document)
{
    // An SRT parser takes a text line with "-->" for a timing line.
    const auto safe = [](QString text) {
        return text.replace(QStringLiteral("-->"), QStringLiteral("->"));
    };
    QString out;
    int number = 0;
    for (const Cue &cue : buildCues(document)) {
        if (number > 0)
            out += QLatin1Char('\n');
        out += QString::number(++number) + QLatin1Char('\n');
        out += clockTime(cue.start_ms, QLatin1Char(',')) + QStringLiteral(" --> ") +
               clockTime(cue.end_ms, QLatin1Char(',')) + QLatin1Char('\n');
        QStringList lines = cue.lines;
        if (!cue.speaker.isEmpty())
            lines.first().prepend(cue.speaker + QStringLiteral(": "));
        for (const QString &line : lines)
            out += safe(line) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

// WebVTT cue text and span annotations may not contain a raw "&", "<" or ">" (a ">" would
// also end a voice name early); the named character references stand for them.
QString vttEscaped(const QString &text)
{
    QString escaped;
    escaped.reserve(text.size());
    for (const QChar c : text) {
        if (c == QLatin1Char('&'))
            escaped += QStringLiteral("&amp;");
        else if (c == QLatin1Char('<'))
            escaped += QStringLiteral("&lt;");
        else if (c == QLatin1Char('>'))
            escaped += QStringLiteral("&gt;");
        else
            escaped += c;
    }
    return escaped;
}

QByteArray toVtt(const ExportDocument &document)
{
    QString out = QStringLiteral("WEBVTT\n");
    for (const Cue &cue : buildCues(document)) {
        out += QLatin1Char('\n');
        out += clockTime(cue.start_ms, QLatin1Char('.')) + QStringLiteral(" --> ") +
               clockTime(cue.end_ms, QLatin1Char('.')) + QLatin1Char('\n');
        if (!cue.speaker.isEmpty())
            out += QStringLiteral("<v ") + vttEscaped(cue.speaker) + QLatin1Char('>');
        for (const QString &line : cue.lines)
            out += vttEscaped(line) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

// ---- JSON ---------------------------------------------------------------------------------

// Written by hand because QJsonObject sorts its keys; this keeps the documented order, and
// leaves non-ASCII text as UTF-8 instead of \u escapes.
QString jsonString(const QString &text)
{
    QString out = QStringLiteral("\"");
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '"':
            out += QStringLiteral("\\\"");
            break;
        case '\\':
            out += QStringLiteral("\\\\");
            break;
        case '\n':
            out += QStringLiteral("\\n");
            break;
        case '\r':
            out += QStringLiteral("\\r");
            break;
        case '\t':
            out += QStringLiteral("\\t");
            break;
        default:
            if (c.unicode() < 0x20)
                out += QStringLiteral("\\u%1").arg(c.unicode(), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out + QLatin1Char('"');
}

QString jsonTime(const QDateTime &time)
{
    return time.isValid() ? jsonString(time.toUTC().toString(Qt::ISODateWithMs))
                          : QStringLiteral("null");
}

QString jsonNumber(double value)
{
    return std::isfinite(value) ? QString::number(value, 'g', QLocale::FloatingPointShortest)
                                : QStringLiteral("null");
}

// The stored data as it is (times and text untouched, no segment left out), only sorted.
QByteArray toJson(const ExportDocument &document)
{
    QString out = QStringLiteral("{\n");
    out += QStringLiteral("  \"room\": ") + jsonString(document.room) + QStringLiteral(",\n");
    out +=
        QStringLiteral("  \"session\": ") + jsonString(document.sessionId) + QStringLiteral(",\n");
    out +=
        QStringLiteral("  \"started_at\": ") + jsonTime(document.startedAt) + QStringLiteral(",\n");
    out += QStringLiteral("  \"ended_at\": ") + jsonTime(document.endedAt) + QStringLiteral(",\n");
    const QList<ExportSegment> segments = sortedByStart(document.segments);
    if (segments.isEmpty()) {
        out += QStringLiteral("  \"segments\": []\n}\n");
        return out.toUtf8();
    }
    out += QStringLiteral("  \"segments\": [\n");
    for (qsizetype i = 0; i < segments.size(); ++i) {
        const ExportSegment &segment = segments.at(i);
        out += QStringLiteral("    {\n");
        out += QStringLiteral("      \"speaker\": ") + jsonString(segment.speaker) +
               QStringLiteral(",\n");
        if (segment.speakerInferred)
            out += QStringLiteral("      \"speaker_inferred\": true,\n");
        out += QStringLiteral("      \"stream\": ") + jsonString(segment.stream) +
               QStringLiteral(",\n");
        out += QStringLiteral("      \"start_ms\": ") + QString::number(segment.start_ms) +
               QStringLiteral(",\n");
        out += QStringLiteral("      \"end_ms\": ") + QString::number(segment.end_ms) +
               QStringLiteral(",\n");
        out += QStringLiteral("      \"language\": ") + jsonString(segment.language) +
               QStringLiteral(",\n");
        out +=
            QStringLiteral("      \"text\": ") + jsonString(segment.text) + QStringLiteral(",\n");
        if (segment.words.isEmpty()) {
            out += QStringLiteral("      \"words\": []\n");
        } else {
            out += QStringLiteral("      \"words\": [\n");
            for (qsizetype w = 0; w < segment.words.size(); ++w) {
                const ExportWord &word = segment.words.at(w);
                out +=
                    QStringLiteral("        {\"word\": ") + jsonString(word.word) +
                    QStringLiteral(", \"start_ms\": ") + QString::number(word.start_ms) +
                    QStringLiteral(", \"end_ms\": ") + QString::number(word.end_ms) +
                    QStringLiteral(", \"confidence\": ") + jsonNumber(word.confidence) +
                    QLatin1Char('}') +
                    (w + 1 < segment.words.size() ? QStringLiteral(",\n") : QStringLiteral("\n"));
            }
            out += QStringLiteral("      ]\n");
        }
        out += i + 1 < segments.size() ? QStringLiteral("    },\n") : QStringLiteral("    }\n");
    }
    out += QStringLiteral("  ]\n}\n");
    return out.toUtf8();
}

} // namespace

std::optional<ExportFormat> parseExportFormat(const QString &name)
{
    QString key = name.trimmed().toLower();
    if (key.startsWith(QLatin1Char('.')))
        key.remove(0, 1);
    if (key == QLatin1String("txt"))
        return ExportFormat::Txt;
    if (key == QLatin1String("srt"))
        return ExportFormat::Srt;
    if (key == QLatin1String("vtt") || key == QLatin1String("webvtt"))
        return ExportFormat::Vtt;
    if (key == QLatin1String("json"))
        return ExportFormat::Json;
    return std::nullopt;
}

QString exportFileExtension(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Txt:
        return QStringLiteral("txt");
    case ExportFormat::Srt:
        return QStringLiteral("srt");
    case ExportFormat::Vtt:
        return QStringLiteral("vtt");
    case ExportFormat::Json:
        return QStringLiteral("json");
    case ExportFormat::Invalid:
        break;
    }
    return {};
}

QByteArray exportDocument(const ExportDocument &document, ExportFormat format)
{
    switch (format) {
    case ExportFormat::Txt:
        return toTxt(document);
    case ExportFormat::Srt:
        return toSrt(document);
    case ExportFormat::Vtt:
        return toVtt(document);
    case ExportFormat::Json:
        return toJson(document);
    case ExportFormat::Invalid:
        break;
    }
    return {};
}

} // namespace roomscribe::store
