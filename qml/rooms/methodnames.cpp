#include "methodnames.h"

namespace roomscribe::console {

QString MethodNames::text(routing::Method method)
{
    switch (method) {
    case routing::Method::Auto:
        return tr("Auto");
    case routing::Method::Composite:
        return tr("Room mix (composite)");
    case routing::Method::Track:
        return tr("Per speaker (track)");
    case routing::Method::Participant:
        return tr("Per speaker, no egress (participant)");
    case routing::Method::Invalid:
        break;
    }
    return QString();
}

QString MethodNames::textOf(const QString &name) const
{
    const std::optional<routing::Method> method = routing::parseMethod(name);
    return method ? text(*method) : name;
}

} // namespace roomscribe::console
