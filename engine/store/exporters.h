#pragma once

// Transcript exports: pure functions from a stored room session's finals to the bytes of
// a file (no I/O, no database). The store reads an ExportDocument; the CLI writes the bytes.
// Segments are sorted by start (stably) and their text is taken with whitespace collapsed;
// segments whose text is empty are left out of TXT, SRT and WebVTT (JSON keeps everything).
//
// TXT: a header (room, session, start and end in UTC), a blank line, then one paragraph per
//   line, "[HH:MM:SS] Speaker: text", the time from the session start. Consecutive finals of
//   the same speaker and stream merge into one paragraph while the pause between them is at
//   most 2 s; a paragraph takes no new final that starts 60 s or more after it began.
// SRT / WebVTT: the same cues in both. A segment is split into cues of at most 2 lines of 42
//   characters (code points, the speaker prefix counted) and at most 7 s, at word boundaries,
//   timed by the recognizer's words when they match the text, else by characters. A word
//   longer than a line is cut at grapheme boundaries. Cues are then made monotonic: a cue
//   starting before the previous one ends is moved to that end, keeping its duration; each
//   lasts 0.7 s to 7 s; pauses under 250 ms are closed. SRT prefixes "Speaker: ", WebVTT uses
//   a voice span <v Speaker>, with "&", "<" and ">" escaped as character references. SRT has
//   no escapes, so its text is written as is, except that "-->" becomes "->".
// JSON: the stored data, times and text untouched, in the documented key order.
//
// A speaker inferred from LiveKit's active speakers (a room mix) is named "Name (inferred)" in
// TXT, SRT and WebVTT, and JSON adds "speaker_inferred": true after "speaker" (only then).
//
// An empty speaker gets no prefix and no voice span: an invented name such as "Unknown" could
// not be told from a participant really called so.
//
// DOCX is not offered. Debian has no C++ or Qt library that writes OOXML (python3-docx is
// Python; pandoc and LibreOffice are programs), running a converter is I/O that does not
// belong here, and hand-writing OOXML zips is not worth it: `pandoc transcript.txt -o
// transcript.docx` turns the TXT export into a Word file for whoever needs one.

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace roomscribe::store {

struct ExportWord
{
    QString word;
    qint64 start_ms = 0; // room-session-relative, like the segment's
    qint64 end_ms = 0;
    double confidence = 0;
};

struct ExportSegment
{
    QString speaker; // may be empty
    bool speakerInferred = false;
    QString stream;
    qint64 start_ms = 0; // room-session-relative
    qint64 end_ms = 0;
    QString language;
    QString text;
    QList<ExportWord> words; // may be empty
};

struct ExportDocument
{
    QString room;
    QString sessionId;
    QDateTime startedAt;           // UTC
    QDateTime endedAt;             // UTC; invalid while the session is still running
    QList<ExportSegment> segments; // sorted by start_ms (the exporters sort again, stably)
};

enum class ExportFormat { Invalid, Txt, Srt, Vtt, Json };

// "txt", "srt", "vtt" (or "webvtt"), "json"; case-insensitive, surrounding spaces and one
// leading dot ignored. std::nullopt for anything else (never ExportFormat::Invalid).
std::optional<ExportFormat> parseExportFormat(const QString &name);

// The file name extension without the dot: "txt", "srt", "vtt", "json"; empty for Invalid.
QString exportFileExtension(ExportFormat format);

// The whole file as UTF-8 bytes (no BOM, "\n" line ends). Empty for ExportFormat::Invalid.
QByteArray exportDocument(const ExportDocument &document, ExportFormat format);

} // namespace roomscribe::store
