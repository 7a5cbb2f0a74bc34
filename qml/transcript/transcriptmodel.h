#pragma once

#include "session/transcriptfeed.h"

#include <QAbstractListModel>
#include <QColor>
#include <QHash>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace roomscribe::console {

class ConsoleBackend;

// One room's live transcript: a row per utterance of each stream, in order of
// the utterance's first event, so rows never move under a reader. A partial
// is replaced in place by newer partials and then by its final; a partial
// arriving after its final changes nothing. Rows are plain structs (no
// QObject per segment); the oldest go beyond kMaxRows, as the backend keeps
// no more either.
class TranscriptModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *backend READ backend WRITE setBackend NOTIFY backendChanged)
    Q_PROPERTY(QString room READ room WRITE setRoom NOTIFY roomChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int finalCount READ finalCount NOTIFY finalCountChanged)
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY searchTextChanged)
    Q_PROPERTY(int matchCount READ matchCount NOTIFY matchesChanged)
    Q_PROPERTY(int currentMatchRow READ currentMatchRow NOTIFY currentMatchChanged)
    // Position of currentMatchRow among the matches (0-based), -1 when none is current.
    Q_PROPERTY(int currentMatchIndex READ currentMatchIndex NOTIFY currentMatchChanged)
public:
    enum Role {
        SpeakerRole = Qt::UserRole + 1,
        IsMixRole,
        SpeakerColorRole,
        TextRole,
        IsFinalRole,
        LanguageRole,
        TimeRole,
        StartMsRole,
        EndMsRole,
        StreamRole,
        IsMatchRole,
        InferredRole, // the speaker was inferred from LiveKit's active speakers
    };
    Q_ENUM(Role)

    static constexpr int kMaxRows = 20000;

    explicit TranscriptModel(QObject *parent = nullptr);
    ~TranscriptModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QObject *backend() const;
    void setBackend(QObject *backend);
    QString room() const { return m_room; }
    void setRoom(const QString &room);
    int count() const { return int(m_rows.size()); }
    int finalCount() const { return m_finalCount; }
    QString searchText() const { return m_searchText; }
    void setSearchText(const QString &text);
    int matchCount() const { return int(m_matchRows.size()); }
    int currentMatchRow() const { return m_currentMatchRow; }
    int currentMatchIndex() const;

    // The next (previous) matching row after (before) the current one, wrapping
    // around; -1 when nothing matches.
    Q_INVOKABLE int nextMatch();
    Q_INVOKABLE int previousMatch();
    // "[HH:mm:ss] Speaker: text" per row ("Speaker (inferred)" when inferred), lastRow -1 for the
    // last one.
    Q_INVOKABLE QString plainText(int firstRow = 0, int lastRow = -1) const;
    Q_INVOKABLE void copyToClipboard(int firstRow = 0, int lastRow = -1) const;
    // The colour every view gives a speaker: one of a fixed palette, by a hash
    // of the name that is the same in every run.
    Q_INVOKABLE static QColor speakerColor(const QString &speaker);

    // Takes a batch in arrival order; segments of other rooms are skipped.
    void append(const QList<session::LiveSegment> &segments);
    // One segment from QML (tests, harnesses): the keys of TranscriptSegment
    // (room, stream, utteranceId, isFinal, start_ms, end_ms, wallClock as a
    // Date, speaker, speakerInferred, language, text) and received_ms.
    Q_INVOKABLE void appendSegment(const QVariantMap &segment);

Q_SIGNALS:
    void backendChanged();
    void roomChanged();
    void countChanged();
    void finalCountChanged();
    void searchTextChanged();
    void matchesChanged();
    void currentMatchChanged();

private:
    struct Row
    {
        QString stream;
        QString utteranceId;
        QString speaker; // as shown: "Room mix" for an unattributed mix
        QString text;
        QString language;
        QString time; // HH:mm:ss, local
        QColor color;
        qint64 start_ms = 0;
        qint64 end_ms = 0;
        bool isFinal = false;
        bool isMix = false;
        bool inferred = false;
        bool isMatch = false;
    };

    struct Counts
    {
        int rows = 0;
        int finals = 0;
        int matches = 0;
    };

    // Rows from a batch, without the count notifications (append and reload send them).
    void take(const QList<session::LiveSegment> &segments);
    Counts counts() const;
    void notify(const Counts &before);
    static QString keyOf(const QString &stream, const QString &utteranceId);
    static QString speakerLabel(const Row &row);
    Row rowOf(const session::LiveSegment &live) const;
    // Fills row from a newer event of its utterance; returns the roles that changed.
    static QList<int> update(Row &row, const Row &newer);
    bool matches(const Row &row) const;
    void reload();
    void trim();
    void setMatch(int row, bool match);
    void setCurrentMatch(int row);

    QPointer<ConsoleBackend> m_backend;
    QString m_room;
    std::vector<Row> m_rows;
    // Utterance key → sequence number; a row's index is its number minus m_firstSeq.
    QHash<QString, qint64> m_seqOf;
    qint64 m_firstSeq = 0;
    int m_finalCount = 0;
    QString m_searchText;
    std::vector<int> m_matchRows; // ascending
    int m_currentMatchRow = -1;
};

} // namespace roomscribe::console
