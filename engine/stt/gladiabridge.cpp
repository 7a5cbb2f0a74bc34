#include "stt/gladiabridge.h"

#include "core/clock.h"
#include "core/logging.h"
#include "stt/gladialivesession.h"

#include <algorithm>

namespace roomscribe::stt {

GladiaBridge::GladiaBridge(const GladiaConfig &config, const QString &room, const QString &stream,
                           QObject *parent)
    : QObject(parent), m_config(config), m_room(room), m_stream(stream), m_network(this)
{
    // Only the room: the stream name may be a publishing secret. A caller
    // whose room name is itself a secret sets a display name here instead,
    // which the logs use too.
    if (!m_config.customMetadata.contains(u"room"))
        m_config.customMetadata.insert(QStringLiteral("room"), room);
    m_logName = m_config.customMetadata.value(u"room").toString();
}

GladiaBridge::~GladiaBridge()
{
    // Before m_network, which their init requests belong to.
    qDeleteAll(findChildren<GladiaLiveSession *>(Qt::FindDirectChildrenOnly));
}

void GladiaBridge::setSpeakerName(int channel, const QString &name)
{
    m_speakerNames.insert(channel, name);
}

void GladiaBridge::setSpeakerResolver(SpeakerResolver resolver)
{
    m_speakerResolver = std::move(resolver);
}

GladiaLiveSession *GladiaBridge::openSession(int64_t streamOffset_bytes)
{
    auto *session = new GladiaLiveSession(m_config, &m_network, this);
    const int index = ++m_sessionsOpened;
    session->setStreamOffset(streamOffset_bytes);
    connect(session, &GladiaLiveSession::transcript, this,
            [this, index](const TranscriptSegment &segment) { onTranscript(index, segment); });
    connect(session, &GladiaLiveSession::stateChanged, this,
            [this, session](SessionState state, const QString &detail) {
                onSessionState(session, state, detail);
            });
    return session;
}

void GladiaBridge::start()
{
    if (m_current || m_stopping || m_state == SessionState::Failed)
        return;
    m_current = openSession(0);
    m_current->start();
}

void GladiaBridge::pushChunk(const media::PcmChunk &chunk)
{
    if (!m_stopping && m_state != SessionState::Failed) {
        start();
        rollOverIfDue();
    }
    if (!m_current) {
        if (!std::exchange(m_droppingLogged, true))
            qCWarning(lcStt).noquote() << QStringLiteral("stream %1 is %2: its audio is dropped")
                                              .arg(m_logName, stateName(m_state));
        m_endedTotals.bytesPushed += uint64_t(chunk.pcm.size());
        m_endedTotals.bytesDropped += uint64_t(chunk.pcm.size());
        return;
    }
    m_current->pushChunk(chunk);
}

void GladiaBridge::rollOverIfDue()
{
    // Gladia's limit may count wall time or audio; audio runs ahead of wall
    // time while a backlog is sent.
    const int64_t age_ms = std::max(m_current->age_ms(), msOf(m_current->pushedBytes()));
    if (!m_next && age_ms >= m_config.maxSessionDuration_ms - m_config.rolloverLead_ms &&
        monotonicNow_ns() >= m_rolloverRetryAt_ns) {
        qCInfo(lcStt).noquote() << QStringLiteral(
                                       "stream %1: session %2 is %3 s old, opening its successor")
                                       .arg(m_logName, m_current->sessionId())
                                       .arg(age_ms / 1000);
        m_next = openSession(0);
        m_next->start();
    }
    if (m_next &&
        (m_next->state() == SessionState::Streaming || age_ms >= m_config.maxSessionDuration_ms)) {
        GladiaLiveSession *previous = std::exchange(m_current, nullptr);
        m_currentOffset_bytes += previous->pushedBytes();
        promote(std::exchange(m_next, nullptr));
        retire(previous);
    }
}

void GladiaBridge::promote(GladiaLiveSession *successor)
{
    qCInfo(lcStt).noquote() << QStringLiteral("stream %1 continues in a new session at %2 ms")
                                   .arg(m_logName)
                                   .arg(msOf(m_currentOffset_bytes));
    m_current = successor;
    m_current->setStreamOffset(m_currentOffset_bytes);
    m_current->start();
    setState(m_current->state(), m_current->detail());
}

void GladiaBridge::retire(GladiaLiveSession *session)
{
    m_retiring.push_back(session);
    session->stop();
}

void GladiaBridge::onSessionState(GladiaLiveSession *session, SessionState state,
                                  const QString &detail)
{
    if (session == m_current) {
        if (state == SessionState::Failed) {
            m_current = nullptr;
            setState(state, detail);
            if (m_next)
                retire(std::exchange(m_next, nullptr));
        } else if (state == SessionState::Finished) {
            // Gladia ended it on its own (stop() takes sessions out of m_current first).
            m_current = nullptr;
            m_currentOffset_bytes += session->pushedBytes();
            promote(m_next ? std::exchange(m_next, nullptr) : openSession(0));
        } else {
            setState(state, detail);
        }
    }
    if (isEnded(state))
        onSessionEnded(session);
}

void GladiaBridge::onSessionEnded(GladiaLiveSession *session)
{
    if (session == m_next) {
        qCWarning(lcStt).noquote() << QStringLiteral("stream %1: the next session ended early: %2")
                                          .arg(m_logName, session->detail());
        m_next = nullptr;
        m_rolloverRetryAt_ns = monotonicNow_ns() + int64_t(m_config.backoff.cap_ms) * 1000000;
    }
    m_endedTotals.add(session->takeStats());
    m_retiring.erase(std::remove(m_retiring.begin(), m_retiring.end(), session), m_retiring.end());
    session->deleteLater();
    finishIfDone();
}

void GladiaBridge::finishIfDone()
{
    if (!m_stopping || !m_retiring.empty() || std::exchange(m_done, true))
        return;
    if (m_state != SessionState::Failed)
        setState(SessionState::Finished, QString());
    QMetaObject::invokeMethod(this, &GladiaBridge::finished, Qt::QueuedConnection);
}

void GladiaBridge::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_state != SessionState::Failed)
        setState(SessionState::Stopping, QString());
    // All of them count as stopping before any can end (and finish the stream).
    for (GladiaLiveSession *session :
         {std::exchange(m_next, nullptr), std::exchange(m_current, nullptr)})
        if (session)
            m_retiring.push_back(session);
    const std::vector<GladiaLiveSession *> stopping = m_retiring;
    for (GladiaLiveSession *session : stopping)
        session->stop();
    finishIfDone();
}

void GladiaBridge::onTranscript(int sessionIndex, TranscriptSegment segment)
{
    segment.room = m_room;
    segment.stream = m_stream;
    segment.utteranceId = QStringLiteral("%1:%2").arg(sessionIndex).arg(segment.utteranceId);
    segment.speaker = m_speakerNames.value(segment.channel);
    // Unattributed audio (a room's mix) names a speaker only as inferred.
    if (segment.speaker.isEmpty() && m_speakerResolver) {
        const std::optional<QString> speaker = m_speakerResolver(segment);
        if (speaker && !speaker->isEmpty()) {
            segment.speaker = *speaker;
            segment.speakerInferred = true;
        }
    }
    Q_EMIT this->segment(segment);
}

void GladiaBridge::setState(SessionState state, const QString &detail)
{
    if (state == m_state && detail == m_detail)
        return;
    m_state = state;
    m_detail = detail;
    Q_EMIT stateChanged(state, detail);
}

GladiaStats GladiaBridge::takeStats()
{
    GladiaStats stats = m_endedTotals;
    m_endedTotals.latencies.clear();
    for (GladiaLiveSession *session : findChildren<GladiaLiveSession *>(Qt::FindDirectChildrenOnly))
        if (!isEnded(session->state()))
            stats.add(session->takeStats());
    stats.state = m_state;
    stats.detail = m_detail;
    stats.sessionId = m_current ? m_current->sessionId() : QString();
    return stats;
}

} // namespace roomscribe::stt
