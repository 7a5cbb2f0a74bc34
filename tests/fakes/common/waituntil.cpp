#include "waituntil.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTimer>

namespace roomscribe::test {

bool waitUntil(const std::function<bool()> &condition, int timeout_ms)
{
    const QDeadlineTimer deadline(timeout_ms);
    QTimer wake; // WaitForMoreEvents must not outlast the deadline
    wake.start(10);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
    return true;
}

} // namespace roomscribe::test
