// webrtcbin's library is marked unstable; this is the API of the Debian 12 build.
#define GST_USE_UNSTABLE_API

#include "ingest/webrtc/gstsupport.h"

#include <QObject>

#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>

#include <utility>

namespace roomscribe::ingest {

std::shared_ptr<GstThreadBridge> GstThreadBridge::create(QObject *target)
{
    return std::shared_ptr<GstThreadBridge>(new GstThreadBridge(target));
}

void GstThreadBridge::post(std::function<void()> work)
{
    std::lock_guard lock(m_mutex);
    if (!m_target)
        return;
    // Posted while the target lives (close() takes the mutex first), and
    // checked again where it runs.
    QMetaObject::invokeMethod(
        m_target,
        [self = shared_from_this(), work = std::move(work)] {
            if (self->isOpen())
                work();
        },
        Qt::QueuedConnection);
}

void GstThreadBridge::close()
{
    std::lock_guard lock(m_mutex);
    m_target = nullptr;
}

bool GstThreadBridge::isOpen() const
{
    std::lock_guard lock(m_mutex);
    return m_target != nullptr;
}

GstElementRef refElement(GstElement *element)
{
    gst_object_ref(element);
    return GstElementRef(element, [](GstElement *held) { gst_object_unref(held); });
}

bool WebRtcBin::create(QString *error)
{
    m_webrtc = gst_element_factory_make("webrtcbin", nullptr);
    if (!m_webrtc) {
        *error = QStringLiteral("webrtcbin cannot be created");
        return false;
    }
    m_pipeline = gst_pipeline_new(nullptr);
    gst_bin_add(GST_BIN(m_pipeline), m_webrtc);
    g_object_set(m_webrtc, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, nullptr);
    return true;
}

void WebRtcBin::connectHolding(const char *signal, void (*callback)(), void *data,
                               void (*release)(void *, GClosure *))
{
    m_handlers.push_back(
        g_signal_connect_data(m_webrtc, signal, callback, data, release, GConnectFlags(0)));
}

void WebRtcBin::release()
{
    if (!m_pipeline)
        return;
    gst_element_set_state(m_pipeline, GST_STATE_NULL);
    GstBus *bus = gst_pipeline_get_bus(GST_PIPELINE(m_pipeline));
    gst_bus_set_sync_handler(bus, nullptr, nullptr, nullptr);
    gst_object_unref(bus);
    for (const gulong handler : std::exchange(m_handlers, {}))
        g_signal_handler_disconnect(m_webrtc, handler);
    gst_object_unref(m_pipeline);
    m_pipeline = nullptr;
    m_webrtc = nullptr;
}

GstPromise *newPromise(std::function<void(GstPromise *)> done)
{
    using Done = std::function<void(GstPromise *)>;
    return gst_promise_new_with_change_func(
        [](GstPromise *promise, gpointer data) { (*static_cast<Done *>(data))(promise); },
        new Done(std::move(done)), [](gpointer data) { delete static_cast<Done *>(data); });
}

QString promiseError(GstPromise *promise, const char *what)
{
    if (gst_promise_wait(promise) != GST_PROMISE_RESULT_REPLIED)
        return QStringLiteral("%1 was not answered").arg(QLatin1String(what));
    const GstStructure *reply = gst_promise_get_reply(promise);
    GError *error = nullptr;
    if (reply && gst_structure_has_field(reply, "error"))
        gst_structure_get(reply, "error", G_TYPE_ERROR, &error, nullptr);
    if (!error)
        return {};
    const QString text =
        QStringLiteral("%1 failed: %2").arg(QLatin1String(what), QString::fromUtf8(error->message));
    g_error_free(error);
    return text;
}

GstWebRTCSessionDescription *parseSessionDescription(bool offer, const QString &sdp, QString *error)
{
    GstSDPMessage *message = nullptr;
    const QByteArray text = sdp.toUtf8();
    if (gst_sdp_message_new_from_text(text.constData(), &message) != GST_SDP_OK) {
        *error = QStringLiteral("the SDP does not parse");
        return nullptr;
    }
    if (gst_sdp_message_medias_len(message) == 0) {
        gst_sdp_message_free(message);
        *error = QStringLiteral("the SDP has no media section");
        return nullptr;
    }
    return gst_webrtc_session_description_new(
        offer ? GST_WEBRTC_SDP_TYPE_OFFER : GST_WEBRTC_SDP_TYPE_ANSWER, message);
}

QString sessionDescriptionText(const GstWebRTCSessionDescription *description)
{
    gchar *text = gst_sdp_message_as_text(description->sdp);
    const QString sdp = QString::fromUtf8(text);
    g_free(text);
    return sdp;
}

} // namespace roomscribe::ingest
