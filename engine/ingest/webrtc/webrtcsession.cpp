// webrtcbin's library is marked unstable; this is the API of the Debian 12 build.
#define GST_USE_UNSTABLE_API

#include "ingest/webrtc/webrtcsession.h"

#include "core/clock.h"
#include "core/logging.h"
#include "ingest/webrtc/gstreamerinit.h"
#include "ingest/webrtc/gstsupport.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>

#include <QByteArray>
#include <QHash>
#include <QPointer>

#include <deque>
#include <mutex>
#include <vector>

namespace roomscribe::ingest {

namespace {

struct QueuedPacket
{
    QString mid;
    QByteArray rtp;
    int64_t arrival_ns = 0;
};

// What the offer says of one m-section.
struct OfferedTrack
{
    QString mid;
    QString trackSid;
    bool sending = false; // the remote end sends on it
};

std::vector<OfferedTrack> offeredTracks(const GstSDPMessage *sdp)
{
    std::vector<OfferedTrack> tracks;
    for (guint i = 0; i < gst_sdp_message_medias_len(sdp); ++i) {
        const GstSDPMedia *media = gst_sdp_message_get_media(sdp, i);
        OfferedTrack track;
        track.mid = QString::fromUtf8(gst_sdp_media_get_attribute_val(media, "mid"));
        // "<participantSid>|<trackSid> <trackSid>"
        const QString msid = QString::fromUtf8(gst_sdp_media_get_attribute_val(media, "msid"));
        const QStringList ids = msid.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (ids.size() >= 2)
            track.trackSid = ids.at(1);
        else if (!ids.isEmpty())
            track.trackSid = ids.at(0).section(QLatin1Char('|'), -1);
        if (track.trackSid.isEmpty())
            track.trackSid = track.mid;
        // Port 0 rejects the section, unless it is bundle-only (RFC 8843 §6).
        track.sending = (gst_sdp_media_get_port(media) != 0 ||
                         gst_sdp_media_get_attribute_val(media, "bundle-only")) &&
                        qstrcmp(gst_sdp_media_get_media(media), "audio") == 0 &&
                        !gst_sdp_media_get_attribute_val(media, "inactive") &&
                        !gst_sdp_media_get_attribute_val(media, "recvonly");
        tracks.push_back(track);
    }
    return tracks;
}

QString padMid(GstPad *pad)
{
    GstWebRTCRTPTransceiver *transceiver = nullptr;
    g_object_get(pad, "transceiver", &transceiver, nullptr);
    if (!transceiver)
        return {};
    gchar *mid = nullptr;
    g_object_get(transceiver, "mid", &mid, nullptr);
    const QString text = QString::fromUtf8(mid);
    g_free(mid);
    gst_object_unref(transceiver);
    return text;
}

} // namespace

// What GStreamer's threads may touch: held by every signal handler and
// promise, so it outlives the session when it must. `session` is only used
// in work posted through the bridge, which runs while the session lives.
struct WebRtcSessionShared
{
    std::shared_ptr<GstThreadBridge> bridge;
    WebRtcSession *session = nullptr;
    std::mutex mutex; // guards the packets
    std::deque<QueuedPacket> packets;
    bool deliveryPosted = false;
};

using Shared = std::shared_ptr<WebRtcSessionShared>;

struct WebRtcSession::Private
{
    WebRtcSessionConfig config;
    Shared shared;
    WebRtcBin bin;
    PacketSink sink;

    bool offerApplied = false;
    bool negotiating = false;
    QStringList queuedOffers; // re-offers that came during a negotiation
    std::vector<livekit::IceCandidate> pendingCandidates;
    std::vector<OfferedTrack> offered;     // the offer being negotiated
    std::vector<OfferedTrack> applied;     // the last one answered
    QHash<QString, QString> midToTrackSid; // sending tracks of `applied`

    static Private *of(const Shared &shared) { return shared->session->d.get(); }

    void applyOffer(const QString &sdp);
    void offerDone(const QString &answer, const QString &error);
    void addCandidate(const livekit::IceCandidate &candidate);
    void deliverPackets();

    // GStreamer's threads.
    static void onIceCandidate(GstElement *, guint mline, gchar *candidate, gpointer data);
    static void onConnectionState(GObject *webrtc, GParamSpec *, gpointer data);
    static void onPadAdded(GstElement *, GstPad *pad, gpointer data);
    static GstFlowReturn onSample(GstAppSink *appsink, gpointer data);
    static GstBusSyncReply onBusMessage(GstBus *, GstMessage *message, gpointer data);
    static void answerTo(const Shared &shared, const GstElementRef &webrtc);
};

WebRtcSession::WebRtcSession(WebRtcSessionConfig config, QObject *parent)
    : QObject(parent), d(new Private)
{
    d->config = std::move(config);
}

WebRtcSession::~WebRtcSession()
{
    stop();
}

void WebRtcSession::setPacketSink(PacketSink sink)
{
    d->sink = std::move(sink);
}

bool WebRtcSession::start(QString *error)
{
    if (d->bin.pipeline()) {
        *error = QStringLiteral("the WebRTC session is already started");
        return false;
    }
    if (!ensureGStreamer(error))
        return false;
    if (!d->bin.create(error))
        return false;
    GstElement *webrtc = d->bin.webrtc();
    g_object_set(webrtc, "latency", guint(qMax(0, d->config.jitterLatency_ms)), nullptr);
    if (!d->config.loopbackOnly && !d->config.stunServers.isEmpty()) {
        g_object_set(webrtc, "stun-server", d->config.stunServers.first().toUtf8().constData(),
                     nullptr);
    }

    d->shared = std::make_shared<WebRtcSessionShared>();
    d->shared->bridge = GstThreadBridge::create(this);
    d->shared->session = this;
    d->bin.connect("on-ice-candidate", G_CALLBACK(&Private::onIceCandidate), d->shared);
    d->bin.connect("notify::connection-state", G_CALLBACK(&Private::onConnectionState), d->shared);
    d->bin.connect("pad-added", G_CALLBACK(&Private::onPadAdded), d->shared);
    GstBus *bus = gst_pipeline_get_bus(GST_PIPELINE(d->bin.pipeline()));
    gst_bus_set_sync_handler(bus, &Private::onBusMessage, holdShared(d->shared),
                             &releaseShared<WebRtcSessionShared>);
    gst_object_unref(bus);

    if (gst_element_set_state(d->bin.pipeline(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
        stop();
        *error = QStringLiteral("the WebRTC pipeline does not start");
        return false;
    }
    return true;
}

void WebRtcSession::stop()
{
    if (!d->bin.pipeline())
        return;
    // First: nothing posted from now on runs, nor anything still queued.
    d->shared->bridge->close();
    d->bin.release();
    d->shared.reset();
    d->offerApplied = false;
    d->negotiating = false;
    d->queuedOffers.clear();
    d->pendingCandidates.clear();
}

void WebRtcSession::setRemoteOffer(const QString &sdp)
{
    if (!d->bin.pipeline()) {
        Q_EMIT failed(QStringLiteral("the WebRTC session is not started"));
        return;
    }
    if (d->negotiating) {
        d->queuedOffers.append(sdp);
        return;
    }
    d->applyOffer(sdp);
}

void WebRtcSession::addRemoteCandidate(const livekit::IceCandidate &candidate)
{
    if (!d->bin.pipeline())
        return;
    if (!d->offerApplied) {
        d->pendingCandidates.push_back(candidate);
        return;
    }
    d->addCandidate(candidate);
}

void WebRtcSession::Private::applyOffer(const QString &sdp)
{
    QString error;
    GstWebRTCSessionDescription *offer = parseSessionDescription(true, sdp, &error);
    if (!offer) {
        Q_EMIT shared->session->failed(
            QStringLiteral("the remote offer is unusable: %1").arg(error));
        return;
    }
    negotiating = true;
    offered = offeredTracks(offer->sdp);
    // The answer is made and applied on webrtcbin's thread, and comes back
    // through the bridge.
    const Shared held = shared;
    GstPromise *promise = newPromise([held, element = refElement(bin.webrtc())](GstPromise *reply) {
        const QString failure = promiseError(reply, "setting the remote offer");
        if (!failure.isEmpty()) {
            held->bridge->post([held, failure] { of(held)->offerDone({}, failure); });
            return;
        }
        answerTo(held, element);
    });
    g_signal_emit_by_name(bin.webrtc(), "set-remote-description", offer, promise);
    gst_webrtc_session_description_free(offer);
    gst_promise_unref(promise);
}

void WebRtcSession::Private::answerTo(const Shared &shared, const GstElementRef &webrtc)
{
    GstPromise *promise = newPromise([shared, webrtc](GstPromise *reply) {
        QString failure = promiseError(reply, "creating the answer");
        GstWebRTCSessionDescription *answer = nullptr;
        if (failure.isEmpty()) {
            gst_structure_get(gst_promise_get_reply(reply), "answer",
                              GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, nullptr);
            if (!answer)
                failure = QStringLiteral("webrtcbin made no answer");
        }
        if (!failure.isEmpty()) {
            shared->bridge->post([shared, failure] { of(shared)->offerDone({}, failure); });
            return;
        }
        const QString text = sessionDescriptionText(answer);
        GstPromise *applied = newPromise([shared, text](GstPromise *reply) {
            const QString failure = promiseError(reply, "setting the local answer");
            shared->bridge->post([shared, text, failure] {
                of(shared)->offerDone(failure.isEmpty() ? text : QString(), failure);
            });
        });
        g_signal_emit_by_name(webrtc.get(), "set-local-description", answer, applied);
        gst_promise_unref(applied);
        gst_webrtc_session_description_free(answer);
    });
    g_signal_emit_by_name(webrtc.get(), "create-answer", nullptr, promise);
    gst_promise_unref(promise);
}

void WebRtcSession::Private::offerDone(const QString &answer, const QString &error)
{
    WebRtcSession *q = shared->session;
    negotiating = false;
    if (!error.isEmpty()) {
        Q_EMIT q->failed(error);
        return;
    }
    offerApplied = true;
    const std::vector<OfferedTrack> before = std::exchange(applied, std::move(offered));
    const QHash<QString, QString> previous = std::exchange(midToTrackSid, {});
    for (const OfferedTrack &track : applied) {
        if (track.sending)
            midToTrackSid.insert(track.mid, track.trackSid);
    }
    const QHash<QString, QString> now = midToTrackSid;
    for (const livekit::IceCandidate &candidate : std::exchange(pendingCandidates, {}))
        addCandidate(candidate);
    // In the offers' order. A slot may stop or delete the session: nothing of
    // it is used after that.
    const QPointer<WebRtcSession> alive(q);
    const auto running = [&alive] {
        return alive && alive->d->bin.pipeline();
    };
    for (const OfferedTrack &track : before) {
        if (running() && previous.contains(track.mid) && now.value(track.mid) != track.trackSid)
            Q_EMIT q->trackRemoved(track.trackSid);
    }
    for (const OfferedTrack &track : std::vector<OfferedTrack>(applied)) {
        if (running() && now.contains(track.mid) && previous.value(track.mid) != track.trackSid)
            Q_EMIT q->trackAdded(track.trackSid, track.mid);
    }
    if (!alive || !q->d->bin.pipeline())
        return;
    Q_EMIT q->answerReady(answer);
    if (alive && q->d->bin.pipeline() && !q->d->queuedOffers.isEmpty() && !q->d->negotiating)
        q->d->applyOffer(q->d->queuedOffers.takeFirst());
}

void WebRtcSession::Private::addCandidate(const livekit::IceCandidate &candidate)
{
    if (candidate.candidate.isEmpty())
        return; // the end of the remote gathering: libnice needs no word of it
    int mline = candidate.sdpMLineIndex;
    for (size_t i = 0; i < applied.size(); ++i) {
        if (!candidate.sdpMid.isEmpty() && applied[i].mid == candidate.sdpMid)
            mline = int(i);
    }
    g_signal_emit_by_name(bin.webrtc(), "add-ice-candidate", guint(mline),
                          candidate.candidate.toUtf8().constData());
}

void WebRtcSession::Private::deliverPackets()
{
    std::deque<QueuedPacket> packets;
    {
        std::lock_guard lock(shared->mutex);
        packets.swap(shared->packets);
        shared->deliveryPosted = false;
    }
    // The sink may stop the session.
    const Shared held = shared;
    for (const QueuedPacket &packet : packets) {
        if (!held->bridge->isOpen() || !sink)
            return;
        const QString trackSid = midToTrackSid.value(packet.mid, packet.mid);
        sink(trackSid, packet.rtp.constData(), size_t(packet.rtp.size()), packet.arrival_ns);
    }
}

void WebRtcSession::Private::onIceCandidate(GstElement *, guint mline, gchar *candidate,
                                            gpointer data)
{
    const Shared &shared = heldShared<WebRtcSessionShared>(data);
    const QString text = QString::fromUtf8(candidate);
    shared->bridge->post([shared, mline, text] {
        Private *self = of(shared);
        if (self->config.loopbackOnly && !text.contains(QLatin1String(" typ host")))
            return;
        livekit::IceCandidate ice;
        ice.candidate = text;
        ice.sdpMLineIndex = int(mline);
        if (mline < self->applied.size())
            ice.sdpMid = self->applied[mline].mid;
        Q_EMIT shared->session->localCandidate(ice);
    });
}

void WebRtcSession::Private::onConnectionState(GObject *webrtc, GParamSpec *, gpointer data)
{
    GstWebRTCPeerConnectionState state = GST_WEBRTC_PEER_CONNECTION_STATE_NEW;
    g_object_get(webrtc, "connection-state", &state, nullptr);
    const Shared &shared = heldShared<WebRtcSessionShared>(data);
    shared->bridge->post([shared, state] {
        static const char *const kNames[] = {"new",          "connecting", "connected",
                                             "disconnected", "failed",     "closed"};
        const int index = int(state);
        const QString name =
            index >= 0 && index < 6 ? QLatin1String(kNames[index]) : QStringLiteral("unknown");
        WebRtcSession *q = shared->session;
        const QPointer<WebRtcSession> alive(q);
        Q_EMIT q->connectionStateChanged(name);
        if (alive && shared->bridge->isOpen() &&
            (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED ||
             state == GST_WEBRTC_PEER_CONNECTION_STATE_CLOSED)) {
            Q_EMIT q->failed(QStringLiteral("the WebRTC connection is %1").arg(name));
        }
    });
}

void WebRtcSession::Private::onPadAdded(GstElement *, GstPad *pad, gpointer data)
{
    if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC)
        return;
    const Shared &shared = heldShared<WebRtcSessionShared>(data);
    GstElement *webrtc = gst_pad_get_parent_element(pad);
    GstObject *bin = webrtc ? gst_object_get_parent(GST_OBJECT(webrtc)) : nullptr;
    if (webrtc)
        gst_object_unref(webrtc);
    if (!bin)
        return;
    GstElement *appsink = gst_element_factory_make("appsink", nullptr);
    const QByteArray mid = padMid(pad).toUtf8();
    g_object_set_data_full(G_OBJECT(appsink), "roomscribe-mid", g_strdup(mid.constData()), g_free);
    // Packets as they leave the jitter buffer, unpaced: the sink keeps no clock.
    g_object_set(appsink, "sync", FALSE, "async", FALSE, "max-buffers", guint(0), nullptr);
    GstAppSinkCallbacks callbacks = {};
    callbacks.new_sample = &Private::onSample;
    gst_app_sink_set_callbacks(GST_APP_SINK(appsink), &callbacks, holdShared(shared),
                               &releaseShared<WebRtcSessionShared>);
    gst_bin_add(GST_BIN(bin), appsink);
    gst_element_sync_state_with_parent(appsink);
    GstPad *sinkPad = gst_element_get_static_pad(appsink, "sink");
    if (gst_pad_link(pad, sinkPad) != GST_PAD_LINK_OK)
        qCWarning(lcMedia) << "cannot take the RTP of mid" << mid;
    gst_object_unref(sinkPad);
    gst_object_unref(bin);
}

GstFlowReturn WebRtcSession::Private::onSample(GstAppSink *appsink, gpointer data)
{
    const int64_t arrival_ns = monotonicNow_ns();
    GstSample *sample = gst_app_sink_pull_sample(appsink);
    if (!sample)
        return GST_FLOW_EOS;
    QueuedPacket packet;
    packet.arrival_ns = arrival_ns;
    packet.mid = QString::fromUtf8(
        static_cast<const char *>(g_object_get_data(G_OBJECT(appsink), "roomscribe-mid")));
    GstBuffer *buffer = gst_sample_get_buffer(sample);
    GstMapInfo map;
    if (buffer && gst_buffer_map(buffer, &map, GST_MAP_READ)) {
        packet.rtp = QByteArray(reinterpret_cast<const char *>(map.data), qsizetype(map.size));
        gst_buffer_unmap(buffer, &map);
    }
    gst_sample_unref(sample);
    if (packet.rtp.isEmpty())
        return GST_FLOW_OK;
    const Shared &shared = heldShared<WebRtcSessionShared>(data);
    bool post = false;
    {
        std::lock_guard lock(shared->mutex);
        shared->packets.push_back(std::move(packet));
        post = !std::exchange(shared->deliveryPosted, true);
    }
    // One invocation a burst: it takes all that queued up meanwhile.
    if (post)
        shared->bridge->post([shared] { of(shared)->deliverPackets(); });
    return GST_FLOW_OK;
}

GstBusSyncReply WebRtcSession::Private::onBusMessage(GstBus *, GstMessage *message, gpointer data)
{
    if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
        GError *error = nullptr;
        gst_message_parse_error(message, &error, nullptr);
        const QString text = QString::fromUtf8(error ? error->message : "unknown");
        g_clear_error(&error);
        const Shared &shared = heldShared<WebRtcSessionShared>(data);
        shared->bridge->post([shared, text] {
            Q_EMIT shared->session->failed(QStringLiteral("WebRTC pipeline error: %1").arg(text));
        });
    }
    return GST_BUS_DROP; // nothing reads the bus
}

} // namespace roomscribe::ingest
