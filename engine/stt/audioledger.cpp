#include "stt/audioledger.h"

#include <algorithm>

namespace roomscribe::stt {

// Acknowledged records kept for mapping transcripts back: far more than the
// longest utterance Gladia reports.
constexpr int64_t kHistory_s = 600;

void StageLatencies::merge(const StageLatencies &other)
{
    send.merge(other.send);
    ackRoundTrip.merge(other.ackRoundTrip);
    sttPartial.merge(other.sttPartial);
    sttFinal.merge(other.sttFinal);
}

void StageLatencies::clear()
{
    *this = StageLatencies();
}

AudioLedger::AudioLedger(int64_t bytesPerSecond, int64_t bufferLimit_bytes)
    : m_bytesPerSecond(bytesPerSecond), m_bufferLimit_bytes(bufferLimit_bytes)
{
}

void AudioLedger::append(const media::PcmChunk &chunk)
{
    if (chunk.pcm.isEmpty())
        return;
    m_unacked.push_back(
        {{m_pushedBytes, chunk.pcm.size(), chunk.ready_ns, chunk.firstArrival_ns, 0}, chunk.pcm});
    m_pushedBytes += chunk.pcm.size();
}

void AudioLedger::connectionOpened()
{
    m_connected = true;
    m_writtenEnd = m_ackedEnd;
    m_pendingAcks.clear();
}

void AudioLedger::connectionClosed()
{
    m_connected = false;
    // Ranges past a hole are forgotten with the connection: Gladia resumes
    // at the acknowledged end and gets them again.
    m_pendingAcks.clear();
}

std::vector<QByteArray> AudioLedger::takeUnwritten(int64_t now_ns)
{
    std::vector<QByteArray> writes;
    if (!m_connected)
        return writes;
    // Usually only the newest chunk is unwritten: search from the back.
    auto it = m_unacked.end();
    while (it != m_unacked.begin() &&
           sessionStartOf(*std::prev(it)) + std::prev(it)->pcm.size() > m_writtenEnd)
        --it;
    for (; it != m_unacked.end(); ++it) {
        const int64_t skip = std::max<int64_t>(0, m_writtenEnd - sessionStartOf(*it));
        const QByteArray bytes = skip ? it->pcm.mid(skip) : it->pcm;
        if (it->record.write_ns)
            m_resentBytes += bytes.size();
        it->record.write_ns = now_ns;
        m_writtenBytes += bytes.size();
        m_writtenEnd += bytes.size();
        writes.push_back(bytes);
    }
    return writes;
}

AudioLedger::AckStatus AudioLedger::acknowledge(int64_t start, int64_t end, int64_t now_ns,
                                                StageLatencies *latencies)
{
    if (start < 0 || start >= end || !m_connected || end > m_writtenEnd)
        return AckStatus::Invalid;
    if (end <= m_ackedEnd)
        return AckStatus::Duplicate;
    if (const std::optional<int64_t> written = writeTimeBefore(end))
        latencies->ackRoundTrip.record((now_ns - *written) / 1000);
    if (start > m_ackedEnd) {
        int64_t &pendingEnd = m_pendingAcks[start];
        pendingEnd = std::max(pendingEnd, end);
        return AckStatus::Pending;
    }
    m_ackedEnd = end;
    for (auto it = m_pendingAcks.begin(); it != m_pendingAcks.end() && it->first <= m_ackedEnd;
         it = m_pendingAcks.erase(it))
        m_ackedEnd = std::max(m_ackedEnd, it->second);
    release(latencies);
    return AckStatus::Advanced;
}

void AudioLedger::release(StageLatencies *latencies)
{
    while (!m_unacked.empty() &&
           sessionStartOf(m_unacked.front()) + m_unacked.front().pcm.size() <= m_ackedEnd) {
        Entry &entry = m_unacked.front();
        latencies->send.record((entry.record.write_ns - entry.record.ready_ns) / 1000);
        retire(std::move(entry));
        m_unacked.pop_front();
    }
}

void AudioLedger::retire(Entry &&entry)
{
    m_history.push_back(entry.record);
    const Record &newest = m_history.back();
    const int64_t keepFrom = newest.inputOffset + newest.size - kHistory_s * m_bytesPerSecond;
    while (m_history.size() > 1 &&
           m_history.front().inputOffset + m_history.front().size <= keepFrom)
        m_history.pop_front();
}

void AudioLedger::dropFront(int64_t bytes)
{
    if (!m_gaps.empty() && m_gaps.back().sessionOffset == m_ackedEnd)
        m_gaps.back().droppedUpTo += bytes;
    else
        m_gaps.push_back({m_ackedEnd, m_droppedBytes + bytes});
    m_droppedBytes += bytes;
}

int64_t AudioLedger::dropBeyondLimit()
{
    int64_t dropped = 0;
    // Audio written on the open connection may be in Gladia's hands: only
    // closing the connection makes dropping it exact.
    while (overLimit() && !m_unacked.empty() && inFlightBytes() == 0) {
        Entry &front = m_unacked.front();
        const int64_t unacked = sessionStartOf(front) + front.pcm.size() - m_ackedEnd;
        const bool partlyAcknowledged = unacked < front.pcm.size();
        dropFront(unacked);
        dropped += unacked;
        if (partlyAcknowledged)
            retire(std::move(front));
        m_unacked.pop_front();
    }
    return dropped;
}

int64_t AudioLedger::dropAll()
{
    const int64_t dropped = bufferedBytes();
    if (dropped > 0)
        dropFront(dropped);
    m_unacked.clear();
    m_writtenEnd = m_ackedEnd;
    return dropped;
}

int64_t AudioLedger::inputOffsetOf(int64_t sessionOffset, Edge edge) const
{
    // The last gap at (Start) or before (End) the offset.
    auto it = edge == Edge::Start ? std::upper_bound(m_gaps.begin(), m_gaps.end(), sessionOffset,
                                                     [](int64_t offset, const Gap &gap) {
                                                         return offset < gap.sessionOffset;
                                                     })
                                  : std::lower_bound(m_gaps.begin(), m_gaps.end(), sessionOffset,
                                                     [](const Gap &gap, int64_t offset) {
                                                         return gap.sessionOffset < offset;
                                                     });
    return sessionOffset + (it == m_gaps.begin() ? 0 : std::prev(it)->droppedUpTo);
}

const AudioLedger::Record *AudioLedger::recordAt(int64_t inputOffset) const
{
    const auto before = [](int64_t offset, const Record &record) {
        return offset < record.inputOffset;
    };
    if (!m_unacked.empty() && inputOffset >= m_unacked.front().record.inputOffset) {
        auto it = std::upper_bound(
            m_unacked.begin(), m_unacked.end(), inputOffset,
            [&](int64_t offset, const Entry &entry) { return before(offset, entry.record); });
        return &std::prev(it)->record;
    }
    auto it = std::upper_bound(m_history.begin(), m_history.end(), inputOffset, before);
    if (it == m_history.begin())
        return m_history.empty() ? nullptr : &m_history.front();
    return &*std::prev(it);
}

std::optional<int64_t> AudioLedger::writeTimeBefore(int64_t sessionOffset) const
{
    if (sessionOffset <= 0)
        return std::nullopt;
    const int64_t input = inputOffsetOf(sessionOffset - 1, Edge::Start);
    const Record *record = recordAt(input);
    if (!record || input < record->inputOffset || input >= record->inputOffset + record->size ||
        !record->write_ns)
        return std::nullopt;
    return record->write_ns;
}

std::optional<int64_t> AudioLedger::arrivalAt(int64_t inputOffset) const
{
    // The nearest record when the offset's own is gone: arrival is then
    // extrapolated at the audio's own pace.
    const Record *record = recordAt(inputOffset);
    if (!record)
        return std::nullopt;
    return record->firstArrival_ns +
           (inputOffset - record->inputOffset) * 1000000000 / m_bytesPerSecond;
}

} // namespace roomscribe::stt
