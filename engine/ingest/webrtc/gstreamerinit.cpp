#include "ingest/webrtc/gstreamerinit.h"

#include <gst/gst.h>

#include <mutex>

namespace roomscribe::ingest {

namespace {

struct Element
{
    const char *name;
    const char *package;
};

// webrtcbin's ICE is libnice (nicesrc/nicesink); its DTLS and SRTP come
// with it in plugins-bad; rtpbin and the app elements are in -good/-base.
constexpr Element kElements[] = {
    {"webrtcbin", "gstreamer1.0-plugins-bad"}, {"nicesrc", "gstreamer1.0-nice"},
    {"nicesink", "gstreamer1.0-nice"},         {"dtlsenc", "gstreamer1.0-plugins-bad"},
    {"srtpdec", "gstreamer1.0-plugins-bad"},   {"rtpbin", "gstreamer1.0-plugins-good"},
    {"appsrc", "gstreamer1.0-plugins-base"},   {"appsink", "gstreamer1.0-plugins-base"},
};

QString initialise()
{
    GError *gerror = nullptr;
    if (!gst_init_check(nullptr, nullptr, &gerror)) {
        const QString text = QStringLiteral("GStreamer does not initialise: %1")
                                 .arg(QString::fromUtf8(gerror ? gerror->message : "unknown"));
        g_clear_error(&gerror);
        return text;
    }
    for (const Element &element : kElements) {
        GstElementFactory *factory = gst_element_factory_find(element.name);
        if (!factory) {
            return QStringLiteral("the GStreamer element %1 is missing (Debian package %2)")
                .arg(QLatin1String(element.name), QLatin1String(element.package));
        }
        gst_object_unref(factory);
    }
    return {};
}

} // namespace

bool ensureGStreamer(QString *error)
{
    static std::once_flag once;
    static QString failure;
    std::call_once(once, [] { failure = initialise(); });
    if (failure.isEmpty())
        return true;
    if (error)
        *error = failure;
    return false;
}

} // namespace roomscribe::ingest
