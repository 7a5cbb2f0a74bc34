#pragma once

#include "routing/routingtypes.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

namespace roomscribe::console {

// What the console calls the ways to get a room's audio, for every view.
class MethodNames : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
public:
    using QObject::QObject;

    static QString text(routing::Method method);
    // name: one of ConsoleBackend::methods(); an unknown name comes back as is.
    Q_INVOKABLE QString textOf(const QString &name) const;
};

} // namespace roomscribe::console
