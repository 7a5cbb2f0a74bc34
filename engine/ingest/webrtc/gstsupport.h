#pragma once

#include <QString>

#include <functional>
#include <memory>
#include <mutex>

class QObject;
typedef struct _GstElement GstElement;
typedef struct _GstPromise GstPromise;
typedef struct _GstWebRTCSessionDescription GstWebRTCSessionDescription;

namespace roomscribe::ingest {

// Hands work from GStreamer's threads to a QObject's thread, as queued
// invocations, until closed. Closing on that thread guarantees that nothing
// posted earlier or later runs, so the object can go away afterwards.
class GstThreadBridge : public std::enable_shared_from_this<GstThreadBridge>
{
public:
    static std::shared_ptr<GstThreadBridge> create(QObject *target);

    void post(std::function<void()> work); // any thread
    void close();                          // the target's thread
    bool isOpen() const;

private:
    explicit GstThreadBridge(QObject *target) : m_target(target) {}

    mutable std::mutex m_mutex;
    QObject *m_target; // null once closed
};

// A reference to an element that work on GStreamer's threads holds, so that
// stopping the pipeline meanwhile leaves it valid.
using GstElementRef = std::shared_ptr<GstElement>;
GstElementRef refElement(GstElement *element);

// A promise whose reply is handed to `done` on the thread that answers it.
GstPromise *newPromise(std::function<void(GstPromise *)> done);
// The reply's error, or the empty string. `what` names the request.
QString promiseError(GstPromise *promise, const char *what);

// An SDP text as webrtcbin takes it; null with error when it does not parse.
GstWebRTCSessionDescription *parseSessionDescription(bool offer, const QString &sdp,
                                                     QString *error);
QString sessionDescriptionText(const GstWebRTCSessionDescription *description);

} // namespace roomscribe::ingest
