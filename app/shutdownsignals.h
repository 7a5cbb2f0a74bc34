#pragma once

#include <QObject>

class QSocketNotifier;

namespace roomscribe::app {

// Turns SIGINT and SIGTERM into a Qt signal on the main thread (self-pipe:
// the handler only writes a byte).
class ShutdownSignals final : public QObject
{
    Q_OBJECT
public:
    explicit ShutdownSignals(QObject *parent = nullptr);
    ~ShutdownSignals() override;

Q_SIGNALS:
    void shutdownRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace roomscribe::app
