// webrtcbin's library is marked unstable; this is the API of the Debian 12 build.
#define GST_USE_UNSTABLE_API

#include "webrtcsender.h"

#include "ingest/webrtc/gstreamerinit.h"
#include "ingest/webrtc/gstsupport.h"

#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>
#include <opus/opus.h>

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QtEndian>

#include <algorithm>

namespace roomscribe::test {

using ingest::GstThreadBridge;

namespace {

constexpr int kFrameSamples = 960; // 20 ms at 48 kHz
constexpr int kMaxOpusPacket = 1275;
const char kRtpCaps[] = "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,"
                        "payload=111,encoding-params=(string)2";

} // namespace

std::vector<QByteArray> encodeOpusPackets(const std::vector<int16_t> &pcm48kMono, int bitrate,
                                          bool fec)
{
    int status = OPUS_OK;
    OpusEncoder *encoder = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &status);
    if (status != OPUS_OK)
        return {};
    opus_encoder_ctl(encoder, OPUS_SET_BITRATE(bitrate));
    opus_encoder_ctl(encoder, OPUS_SET_COMPLEXITY(10));
    opus_encoder_ctl(encoder, OPUS_SET_INBAND_FEC(fec ? 1 : 0));
    opus_encoder_ctl(encoder, OPUS_SET_PACKET_LOSS_PERC(fec ? 10 : 0));
    std::vector<QByteArray> packets;
    std::vector<int16_t> frame(kFrameSamples);
    unsigned char out[kMaxOpusPacket];
    for (size_t at = 0; at < pcm48kMono.size(); at += kFrameSamples) {
        const size_t take = std::min<size_t>(kFrameSamples, pcm48kMono.size() - at);
        std::fill(std::copy_n(pcm48kMono.begin() + ptrdiff_t(at), take, frame.begin()), frame.end(),
                  0);
        const int size = opus_encode(encoder, frame.data(), kFrameSamples, out, kMaxOpusPacket);
        if (size < 0)
            break;
        packets.emplace_back(reinterpret_cast<const char *>(out), size);
    }
    opus_encoder_destroy(encoder);
    return packets;
}

struct SenderShared
{
    std::shared_ptr<GstThreadBridge> bridge;
    OpusWebRtcSender *sender = nullptr; // only in work posted through the bridge
};
using Shared = std::shared_ptr<SenderShared>;

struct OpusWebRtcSender::Private
{
    struct Sending
    {
        Track track;
        GstElement *appsrc = nullptr;
        uint32_t ssrc = 0;
        uint16_t firstSequence = 0;
        size_t sent = 0;
        bool paused = false;
        bool finished = false;
        bool negotiated = false; // in an answer applied
    };

    OpusWebRtcSender *q = nullptr;
    Shared shared;
    ingest::WebRtcBin bin;
    std::vector<Sending> tracks;
    QStringList mids; // of the offer, by m-line
    QTimer pacer;
    QElapsedTimer clock;
    uint64_t ticks = 0; // 20 ms periods since sending started, paused or not
    bool connected = false;

    void pace();
    void addSending(const Track &track);
    void createOffer();
    void send(Sending &sending);
    void push(Sending &sending); // the next packet, as RTP

    // webrtcbin's thread.
    static void offerCreated(const Shared &shared, const ingest::GstElementRef &webrtc,
                             const QStringList &msids, GstWebRTCSessionDescription *offer);
    static void onIceCandidate(GstElement *, guint mline, gchar *candidate, gpointer data);
    static void onConnectionState(GObject *webrtc, GParamSpec *, gpointer data);
};

OpusWebRtcSender::OpusWebRtcSender(QObject *parent) : QObject(parent), d(new Private)
{
    d->q = this;
    d->pacer.setTimerType(Qt::PreciseTimer);
    d->pacer.setInterval(kPacketDuration_ms);
    connect(&d->pacer, &QTimer::timeout, this, [this] { d->pace(); });
}

OpusWebRtcSender::~OpusWebRtcSender()
{
    stop();
}

bool OpusWebRtcSender::start(const std::vector<Track> &tracks, QString *error)
{
    if (d->bin.pipeline()) {
        *error = QStringLiteral("the sender is already started");
        return false;
    }
    if (!ingest::ensureGStreamer(error))
        return false;
    if (!d->bin.create(error))
        return false;
    d->shared = std::make_shared<SenderShared>();
    d->shared->bridge = GstThreadBridge::create(this);
    d->shared->sender = this;
    d->bin.connect("on-ice-candidate", G_CALLBACK(&Private::onIceCandidate), d->shared);
    d->bin.connect("notify::connection-state", G_CALLBACK(&Private::onConnectionState), d->shared);

    d->tracks.clear();
    for (const Track &track : tracks)
        d->addSending(track);
    if (gst_element_set_state(d->bin.pipeline(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
        stop();
        *error = QStringLiteral("the sender's pipeline does not start");
        return false;
    }
    d->createOffer();
    return true;
}

void OpusWebRtcSender::Private::addSending(const Track &track)
{
    Sending sending;
    sending.track = track;
    // Fixed per track, so that runs are alike.
    sending.ssrc = 0x10000000u + uint32_t(tracks.size());
    sending.firstSequence = uint16_t(1000 * (tracks.size() + 1));
    GstCaps *caps = gst_caps_from_string(kRtpCaps);
    // Announced in the offer (a=ssrc), so that the bundled receiver can tell
    // the tracks apart.
    gst_caps_set_simple(caps, "ssrc", G_TYPE_UINT, sending.ssrc, nullptr);
    sending.appsrc = gst_element_factory_make("appsrc", nullptr);
    g_object_set(sending.appsrc, "caps", caps, "is-live", TRUE, "format", GST_FORMAT_TIME,
                 "do-timestamp", TRUE, nullptr);
    gst_bin_add(GST_BIN(bin.pipeline()), sending.appsrc);
    GstPad *source = gst_element_get_static_pad(sending.appsrc, "src");
    GstPad *sink = gst_element_request_pad_simple(bin.webrtc(), "sink_%u");
    gst_pad_link(source, sink);
    GstWebRTCRTPTransceiver *transceiver = nullptr;
    g_object_get(sink, "transceiver", &transceiver, nullptr);
    if (transceiver) {
        g_object_set(transceiver, "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY,
                     "codec-preferences", caps, nullptr);
        gst_object_unref(transceiver);
    }
    gst_object_unref(sink);
    gst_object_unref(source);
    gst_caps_unref(caps);
    gst_element_sync_state_with_parent(sending.appsrc);
    tracks.push_back(std::move(sending));
}

void OpusWebRtcSender::Private::createOffer()
{
    QStringList msids; // LiveKit's
    for (const Sending &sending : tracks) {
        msids.append(sending.track.participantSid + QLatin1Char('|') + sending.track.trackSid +
                     QLatin1Char(' ') + sending.track.trackSid);
    }
    GstPromise *promise = ingest::newPromise(
        [shared = shared, msids, element = ingest::refElement(bin.webrtc())](GstPromise *reply) {
            const QString failure = ingest::promiseError(reply, "creating the offer");
            GstWebRTCSessionDescription *offer = nullptr;
            if (failure.isEmpty()) {
                gst_structure_get(gst_promise_get_reply(reply), "offer",
                                  GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, nullptr);
            }
            if (!offer) {
                shared->bridge->post([shared, failure] {
                    Q_EMIT shared->sender->failed(failure.isEmpty() ? QStringLiteral("no offer")
                                                                    : failure);
                });
                return;
            }
            offerCreated(shared, element, msids, offer);
        });
    g_signal_emit_by_name(bin.webrtc(), "create-offer", nullptr, promise);
    gst_promise_unref(promise);
}

void OpusWebRtcSender::addTrack(const Track &track)
{
    if (!d->bin.pipeline())
        return;
    d->addSending(track);
    d->createOffer();
}

void OpusWebRtcSender::Private::offerCreated(const Shared &shared,
                                             const ingest::GstElementRef &webrtc,
                                             const QStringList &msids,
                                             GstWebRTCSessionDescription *offer)
{
    // LiveKit's track attribution, in place of webrtcbin's own msid.
    QStringList offerMids;
    for (guint i = 0; i < gst_sdp_message_medias_len(offer->sdp); ++i) {
        auto *media = const_cast<GstSDPMedia *>(gst_sdp_message_get_media(offer->sdp, i));
        for (guint a = gst_sdp_media_attributes_len(media); a-- > 0;) {
            if (qstrcmp(gst_sdp_media_get_attribute(media, a)->key, "msid") == 0)
                gst_sdp_media_remove_attribute(media, a);
        }
        offerMids.append(QString::fromUtf8(gst_sdp_media_get_attribute_val(media, "mid")));
        if (int(i) < msids.size())
            gst_sdp_media_add_attribute(media, "msid", msids.at(int(i)).toUtf8().constData());
    }
    const QString text = ingest::sessionDescriptionText(offer);
    const Shared held = shared;
    GstPromise *applied = ingest::newPromise([held, text, offerMids](GstPromise *reply) {
        const QString failure = ingest::promiseError(reply, "setting the local offer");
        held->bridge->post([held, text, offerMids, failure] {
            if (!failure.isEmpty()) {
                Q_EMIT held->sender->failed(failure);
                return;
            }
            held->sender->d->mids = offerMids;
            Q_EMIT held->sender->offerReady(text);
        });
    });
    g_signal_emit_by_name(webrtc.get(), "set-local-description", offer, applied);
    gst_promise_unref(applied);
    gst_webrtc_session_description_free(offer);
}

void OpusWebRtcSender::setRemoteAnswer(const QString &sdp)
{
    if (!d->bin.pipeline())
        return;
    QString error;
    GstWebRTCSessionDescription *answer = ingest::parseSessionDescription(false, sdp, &error);
    if (!answer) {
        Q_EMIT failed(error);
        return;
    }
    const Shared shared = d->shared;
    // The tracks of the offer answered.
    const size_t count = d->tracks.size();
    GstPromise *promise = ingest::newPromise([shared, count](GstPromise *reply) {
        const QString failure = ingest::promiseError(reply, "setting the remote answer");
        shared->bridge->post([shared, failure, count] {
            if (!failure.isEmpty()) {
                Q_EMIT shared->sender->failed(failure);
                return;
            }
            auto &tracks = shared->sender->d->tracks;
            for (size_t i = 0; i < count && i < tracks.size(); ++i)
                tracks[i].negotiated = true;
        });
    });
    g_signal_emit_by_name(d->bin.webrtc(), "set-remote-description", answer, promise);
    gst_promise_unref(promise);
    gst_webrtc_session_description_free(answer);
}

void OpusWebRtcSender::addRemoteCandidate(const livekit::IceCandidate &candidate)
{
    if (!d->bin.pipeline() || candidate.candidate.isEmpty())
        return;
    g_signal_emit_by_name(d->bin.webrtc(), "add-ice-candidate", guint(candidate.sdpMLineIndex),
                          candidate.candidate.toUtf8().constData());
}

void OpusWebRtcSender::setTrackPaused(const QString &trackSid, bool paused)
{
    for (Private::Sending &sending : d->tracks) {
        if (sending.track.trackSid == trackSid)
            sending.paused = paused;
    }
}

size_t OpusWebRtcSender::packetsSent(const QString &trackSid) const
{
    for (const Private::Sending &sending : d->tracks) {
        if (sending.track.trackSid == trackSid)
            return sending.sent;
    }
    return 0;
}

void OpusWebRtcSender::stop()
{
    d->pacer.stop();
    if (!d->bin.pipeline())
        return;
    d->shared->bridge->close();
    d->bin.release();
    d->shared.reset();
    d->tracks.clear();
    d->connected = false;
}

void OpusWebRtcSender::Private::pace()
{
    // Every period due by the clock, so that a late timer catches up.
    const uint64_t due = uint64_t(clock.elapsed() / kPacketDuration_ms) + 1;
    const QPointer<OpusWebRtcSender> alive(q);
    while (ticks < due && alive && bin.pipeline()) {
        for (size_t i = 0; i < tracks.size() && alive && bin.pipeline(); ++i)
            send(tracks[i]);
        ++ticks;
    }
}

void OpusWebRtcSender::Private::send(Sending &sending)
{
    if (sending.finished || sending.paused || !sending.negotiated)
        return;
    if (sending.sent < sending.track.opusPackets.size())
        push(sending);
    if (sending.sent == sending.track.opusPackets.size()) {
        sending.finished = true;
        Q_EMIT q->finished(sending.track.trackSid);
    }
}

void OpusWebRtcSender::Private::push(Sending &sending)
{
    const QByteArray &opus = sending.track.opusPackets[sending.sent];
    const uint16_t sequence = uint16_t(sending.firstSequence + sending.sent);
    const uint32_t timestamp = uint32_t(ticks * kFrameSamples);
    GstBuffer *buffer = gst_buffer_new_allocate(nullptr, gsize(12 + opus.size()), nullptr);
    GstMapInfo map;
    gst_buffer_map(buffer, &map, GST_MAP_WRITE);
    map.data[0] = 0x80; // version 2
    map.data[1] = kPayloadType | (sending.sent == 0 ? 0x80 : 0);
    qToBigEndian<quint16>(sequence, map.data + 2);
    qToBigEndian<quint32>(timestamp, map.data + 4);
    qToBigEndian<quint32>(sending.ssrc, map.data + 8);
    std::copy(opus.begin(), opus.end(), map.data + 12);
    gst_buffer_unmap(buffer, &map);
    gst_app_src_push_buffer(GST_APP_SRC(sending.appsrc), buffer);
    ++sending.sent;
}

void OpusWebRtcSender::Private::onIceCandidate(GstElement *, guint mline, gchar *candidate,
                                               gpointer data)
{
    const Shared &shared = ingest::heldShared<SenderShared>(data);
    const QString text = QString::fromUtf8(candidate);
    shared->bridge->post([shared, mline, text] {
        livekit::IceCandidate ice;
        ice.candidate = text;
        ice.sdpMLineIndex = int(mline);
        ice.sdpMid = shared->sender->d->mids.value(int(mline));
        Q_EMIT shared->sender->localCandidate(ice);
    });
}

void OpusWebRtcSender::Private::onConnectionState(GObject *webrtc, GParamSpec *, gpointer data)
{
    GstWebRTCPeerConnectionState state = GST_WEBRTC_PEER_CONNECTION_STATE_NEW;
    g_object_get(webrtc, "connection-state", &state, nullptr);
    const Shared &shared = ingest::heldShared<SenderShared>(data);
    shared->bridge->post([shared, state] {
        OpusWebRtcSender *q = shared->sender;
        Private *self = q->d.get();
        if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED && !self->connected) {
            self->connected = true;
            self->clock.start();
            self->ticks = 0;
            self->pacer.start();
            Q_EMIT q->connected();
        } else if (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED) {
            Q_EMIT q->failed(QStringLiteral("the sender's connection failed"));
        }
    });
}

} // namespace roomscribe::test
