#pragma once

#include <QObject>
#include <QString>

namespace roomscribe::test {

// The media side of one egress: whatever really carries audio to the URL the
// egress was given. FakeLiveKit turns these signals into egress statuses.
class EgressMedia : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    virtual void start() = 0;
    // Ends the media cleanly; finished() follows, from the event loop.
    virtual void stop() = 0;

Q_SIGNALS:
    // Media reaches the destination: EGRESS_STARTING -> EGRESS_ACTIVE.
    void running();
    // The destination was lost after it had been reached; trying it again.
    void retrying(const QString &error);
    // For good. Empty error: ended cleanly (after stop()); otherwise the
    // egress failed with that text.
    void finished(const QString &error);
};

} // namespace roomscribe::test
