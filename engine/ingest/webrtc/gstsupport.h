#pragma once

#include <QString>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

class QObject;
typedef struct _GClosure GClosure;
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

// GStreamer handler data holding a reference to `shared`; releaseShared<T>
// drops it.
template <typename T> void *holdShared(const std::shared_ptr<T> &shared)
{
    return new std::shared_ptr<T>(shared);
}
template <typename T> void releaseShared(void *data)
{
    delete static_cast<std::shared_ptr<T> *>(data);
}
template <typename T> const std::shared_ptr<T> &heldShared(void *data)
{
    return *static_cast<const std::shared_ptr<T> *>(data);
}

// A pipeline of one webrtcbin that bundles every m-section on one transport,
// as LiveKit does, and the owner's handlers on webrtcbin's signals, each
// holding a reference to what the owner shares with GStreamer's threads.
class WebRtcBin
{
public:
    WebRtcBin() = default;
    WebRtcBin(const WebRtcBin &) = delete;
    WebRtcBin &operator=(const WebRtcBin &) = delete;
    ~WebRtcBin() { release(); }

    // False with error when webrtcbin cannot be created.
    bool create(QString *error);
    template <typename T>
    void connect(const char *signal, void (*callback)(), const std::shared_ptr<T> &shared)
    {
        connectHolding(signal, callback, holdShared(shared),
                       [](void *data, GClosure *) { releaseShared<T>(data); });
    }
    // Stops the pipeline, drops the bus's sync handler and disconnects the
    // handlers (dropping what they hold), then lets the pipeline go.
    void release();

    GstElement *pipeline() const { return m_pipeline; }
    GstElement *webrtc() const { return m_webrtc; }

private:
    void connectHolding(const char *signal, void (*callback)(), void *data,
                        void (*release)(void *, GClosure *));

    GstElement *m_pipeline = nullptr;
    GstElement *m_webrtc = nullptr;
    std::vector<unsigned long> m_handlers;
};

// A promise whose reply is handed to `done` on the thread that answers it.
GstPromise *newPromise(std::function<void(GstPromise *)> done);
// The reply's error, or the empty string. `what` names the request.
QString promiseError(GstPromise *promise, const char *what);

// An SDP text as webrtcbin takes it; null with error when it does not parse.
GstWebRTCSessionDescription *parseSessionDescription(bool offer, const QString &sdp,
                                                     QString *error);
QString sessionDescriptionText(const GstWebRTCSessionDescription *description);

} // namespace roomscribe::ingest
