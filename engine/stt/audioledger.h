#pragma once

#include "core/latencyhistogram.h"
#include "media/pcmchunk.h"

#include <QByteArray>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

namespace roomscribe::stt {

struct StageLatencies
{
    LatencyHistogram send;         // chunk ready → the write Gladia acknowledged
    LatencyHistogram ackRoundTrip; // write of an acknowledged range's last byte → the ack
    // Write of the byte at utterance end → the transcript. Finals also wait
    // for the silence that ends an utterance (endpointing); partials do not.
    LatencyHistogram sttPartial;
    LatencyHistogram sttFinal;

    void merge(const StageLatencies &other);
    void clear();
};

// The audio given to one Gladia session: every byte not yet acknowledged (to
// re-send after a reconnect), and for each chunk when it was ready, when its
// audio arrived and when it was written, so Gladia's times and byte offsets
// map back to our audio.
//
// Two byte spaces: input offsets count every byte pushed into the session;
// session offsets count the bytes Gladia holds — input minus audio dropped
// before Gladia had it. Drops only ever happen at the acknowledged end (the
// oldest unacknowledged audio goes first), so each drop is a gap at one
// session offset.
//
// A byte's write time is its latest write: after a reconnect the re-sent copy
// is the one Gladia transcribes, and the wait for the reconnect then counts
// in the send stage rather than in Gladia's.
class AudioLedger
{
public:
    struct Record
    {
        int64_t inputOffset = 0;
        int64_t size = 0;
        int64_t ready_ns = 0;
        int64_t firstArrival_ns = 0;
        int64_t write_ns = 0; // latest write to a connection; 0: never written
    };

    enum class AckStatus {
        Invalid,   // empty, negative, or beyond what this connection was given
        Duplicate, // already acknowledged
        Pending,   // after a range not yet acknowledged: held until that arrives
        Advanced,
    };

    // Which side of a gap a session offset stands for: the start of audio
    // (after the gap) or the end of audio (before it).
    enum class Edge { Invalid, Start, End };

    AudioLedger(int64_t bytesPerSecond, int64_t bufferLimit_bytes);

    void append(const media::PcmChunk &chunk);

    // A connection opened: Gladia holds the acknowledged bytes, so everything
    // after them is (re)sent on it.
    void connectionOpened();
    void connectionClosed();
    // What the open connection has not had yet, in order, stamped as written at now_ns.
    std::vector<QByteArray> takeUnwritten(int64_t now_ns);

    AckStatus acknowledge(int64_t start, int64_t end, int64_t now_ns, StageLatencies *latencies);

    // Drops the oldest unacknowledged audio beyond the buffer limit; returns
    // the bytes dropped. It never drops audio written on the open connection
    // (Gladia may hold it): overLimit() then stays true and the caller must
    // close the connection first.
    int64_t dropBeyondLimit();
    bool overLimit() const { return bufferedBytes() > m_bufferLimit_bytes; }
    // Gives up on every unacknowledged byte (the session ends without them);
    // returns the bytes dropped.
    int64_t dropAll();

    int64_t inputOffsetOf(int64_t sessionOffset, Edge edge) const;
    // Write time of the byte just before sessionOffset.
    std::optional<int64_t> writeTimeBefore(int64_t sessionOffset) const;
    // Estimated arrival (monotonic ns) of the audio at inputOffset.
    std::optional<int64_t> arrivalAt(int64_t inputOffset) const;

    int64_t pushedBytes() const { return m_pushedBytes; }
    int64_t writtenBytes() const { return m_writtenBytes; } // re-sends included
    int64_t resentBytes() const { return m_resentBytes; }
    int64_t acknowledgedBytes() const { return m_ackedEnd; } // session offset
    int64_t droppedBytes() const { return m_droppedBytes; }
    int64_t bufferedBytes() const { return m_pushedBytes - m_droppedBytes - m_ackedEnd; }
    // Written on the open connection and not acknowledged.
    int64_t inFlightBytes() const { return m_connected ? m_writtenEnd - m_ackedEnd : 0; }

private:
    struct Entry
    {
        Record record;
        QByteArray pcm; // empty once acknowledged
    };
    struct Gap
    {
        int64_t sessionOffset = 0;
        int64_t droppedUpTo = 0; // all input dropped at or before sessionOffset
    };

    int64_t sessionStartOf(const Entry &entry) const
    {
        return entry.record.inputOffset - m_droppedBytes;
    }
    void release(StageLatencies *latencies);
    void retire(Entry &&entry);
    void dropFront(int64_t bytes);
    const Record *recordAt(int64_t inputOffset) const;

    const int64_t m_bytesPerSecond;
    const int64_t m_bufferLimit_bytes;
    std::deque<Entry> m_unacked;  // in input order; the front may be partly acknowledged
    std::deque<Record> m_history; // acknowledged, kept to map transcripts back
    std::vector<Gap> m_gaps;
    std::map<int64_t, int64_t> m_pendingAcks; // start → end, beyond m_ackedEnd
    int64_t m_pushedBytes = 0;
    int64_t m_writtenBytes = 0;
    int64_t m_resentBytes = 0;
    int64_t m_droppedBytes = 0;
    int64_t m_ackedEnd = 0;   // session offset: everything before it is acknowledged
    int64_t m_writtenEnd = 0; // session offset: the open connection has had everything before it
    bool m_connected = false;
};

} // namespace roomscribe::stt
