#include "stt/gladiastats.h"

namespace roomscribe::stt {

QString stateName(SessionState state)
{
    switch (state) {
    case SessionState::Initializing:
        return QStringLiteral("initializing");
    case SessionState::Connecting:
        return QStringLiteral("connecting");
    case SessionState::Streaming:
        return QStringLiteral("streaming");
    case SessionState::Reconnecting:
        return QStringLiteral("reconnecting");
    case SessionState::Stopping:
        return QStringLiteral("stopping");
    case SessionState::Finished:
        return QStringLiteral("finished");
    case SessionState::Failed:
        return QStringLiteral("failed");
    case SessionState::Invalid:
        break;
    }
    return QStringLiteral("invalid");
}

void GladiaStats::add(const GladiaStats &other)
{
    sessions += other.sessions;
    bytesPushed += other.bytesPushed;
    bytesSent += other.bytesSent;
    bytesResent += other.bytesResent;
    bytesAcknowledged += other.bytesAcknowledged;
    bytesBuffered += other.bytesBuffered;
    bytesDropped += other.bytesDropped;
    reconnects += other.reconnects;
    initRetries += other.initRetries;
    partials += other.partials;
    finals += other.finals;
    malformedMessages += other.malformedMessages;
    serverErrors += other.serverErrors;
    if (!other.lastError.isEmpty())
        lastError = other.lastError;
    latencies.merge(other.latencies);
}

} // namespace roomscribe::stt
