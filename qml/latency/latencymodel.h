#pragma once

#include "core/latencyhistogram.h"
#include "ingest/ingeststats.h"
#include "session/transcriptfeed.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include <array>
#include <deque>
#include <memory>
#include <vector>

namespace roomscribe::console {

class ConsoleBackend;

// Per room with streams: each stage's p50/p95 over a sliding window, end to
// end latency of finals (the utterance's last audio arriving → its transcript
// in the engine), its history, and Gladia reconnects and dropped audio.
// Stats cover one collection each, so every room keeps a ring of
// kSlot_ms-long slots of histograms merged on read: percentiles over the last
// (kSlots - 1) to kSlots slots, steady rather than jumping each second.
class LatencyModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QObject *backend READ backend WRITE setBackend NOTIFY backendChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // The time of the last stats, the right edge of every history.
    Q_PROPERTY(qint64 now_ms READ now_ms NOTIFY updated)
public:
    enum Role {
        RoomRole = Qt::UserRole + 1,
        StreamsRole,
        StagesRole, // [{key, name, p50_ms, p95_ms, samples, path}], path: on a final's way
        E2eP50MsRole,
        E2eP95MsRole,
        E2eSamplesRole,
        ReconnectsRole,
        DroppedSecondsRole,
        HistoryRole, // [{t, e2e_ms, e2eP95_ms}], a point per slot with finals
        EventsRole,  // [{t, kind: "reconnect" | "drop", text}]
    };
    Q_ENUM(Role)

    static constexpr qint64 kSlot_ms = 10000;
    static constexpr int kSlots = 6;
    static constexpr qint64 kHistory_ms = 15 * 60 * 1000;
    static constexpr int kMaxEvents = 100;
    static constexpr double kBytesPerSecond = 32000; // 16 kHz 16-bit mono to Gladia

    explicit LatencyModel(QObject *parent = nullptr);
    ~LatencyModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QObject *backend() const;
    void setBackend(QObject *backend);
    int count() const { return int(m_rows.size()); }
    qint64 now_ms() const { return m_now_ms; }

    // One collection: rows appear and go with their rooms' streams, the rest
    // update in place.
    void applyStats(const ingest::IngestStats &stats, qint64 now_ms);
    // Finals of rooms with rows count towards end to end latency.
    void applySegments(const QList<session::LiveSegment> &segments);

Q_SIGNALS:
    void backendChanged();
    void countChanged();
    void updated();

private:
    enum Stage { Chunking, Send, AckRoundTrip, SttPartial, SttFinal, EndToEnd, StageCount };
    struct Slot
    {
        qint64 number = -1; // time / kSlot_ms; -1 when unused
        std::array<LatencyHistogram, StageCount> stages;
    };
    struct Percentiles
    {
        double p50_ms = 0;
        double p95_ms = 0;
        qint64 samples = 0;
        bool operator==(const Percentiles &other) const
        {
            return p50_ms == other.p50_ms && p95_ms == other.p95_ms && samples == other.samples;
        }
    };
    struct Row
    {
        QString room;
        int streams = 0;
        std::unique_ptr<std::array<Slot, kSlots>> slots; // large: kept off the row vector
        std::array<Percentiles, StageCount> stages;
        quint64 reconnects = 0;
        quint64 bytesDropped = 0;
        qint64 historySlot = -1; // the last slot that made a history point (or was empty)
        QVariantList history;
        QVariantList events;
    };

    static QString stageName(int stage);
    Slot &slotOf(Row &row, qint64 t_ms);
    // Recomputes the window's percentiles at m_now_ms; returns the roles that changed.
    QList<int> refresh(Row &row);
    void closeSlots(Row &row);
    void addEvent(Row &row, const QString &kind, const QString &text);
    int rowOf(const QString &room) const;

    QPointer<ConsoleBackend> m_backend;
    std::vector<Row> m_rows; // by room name
    qint64 m_now_ms = 0;
};

} // namespace roomscribe::console
