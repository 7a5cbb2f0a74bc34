#include "routing/routingtypes.h"

namespace roomscribe::routing {

QString methodName(Method method)
{
    switch (method) {
    case Method::Auto:
        return QStringLiteral("auto");
    case Method::Composite:
        return QStringLiteral("composite");
    case Method::Track:
        return QStringLiteral("track");
    case Method::Participant:
        return QStringLiteral("participant");
    case Method::Invalid:
        break;
    }
    return QString();
}

std::optional<Method> parseMethod(const QString &name)
{
    for (Method method : {Method::Auto, Method::Composite, Method::Track, Method::Participant}) {
        if (name == methodName(method))
            return method;
    }
    return std::nullopt;
}

QString phaseName(RoomPhase phase)
{
    switch (phase) {
    case RoomPhase::WaitingForRoom:
        return QStringLiteral("waiting_for_room");
    case RoomPhase::WaitingForSpeakers:
        return QStringLiteral("waiting_for_speakers");
    case RoomPhase::Queued:
        return QStringLiteral("queued");
    case RoomPhase::Starting:
        return QStringLiteral("starting");
    case RoomPhase::Running:
        return QStringLiteral("running");
    case RoomPhase::Stopping:
        return QStringLiteral("stopping");
    case RoomPhase::Stopped:
        return QStringLiteral("stopped");
    case RoomPhase::Invalid:
        break;
    }
    return QString();
}

} // namespace roomscribe::routing
