#pragma once

#include "livekit/signal/livekit_signal.pb.h"

#include <QByteArray>
#include <QList>

#include <string>

// SignalResponse frames as a LiveKit server sends them, and candidate JSON:
// the seeds of fuzz_livekit_signal (written by fuzz_seeds).
namespace roomscribe::livekit::fuzz {

inline QByteArray frameOf(const ::livekit::SignalResponse &response)
{
    std::string bytes;
    response.SerializeToString(&bytes);
    return QByteArray::fromStdString(bytes);
}

inline QList<QByteArray> signalSamples()
{
    QList<QByteArray> frames;
    ::livekit::SignalResponse join;
    ::livekit::JoinResponse *joinResponse = join.mutable_join();
    joinResponse->mutable_room()->set_name("standup");
    joinResponse->mutable_room()->set_sid("RM_1");
    joinResponse->mutable_participant()->set_sid("PA_self");
    joinResponse->mutable_participant()->set_identity("roomscribe-1");
    joinResponse->mutable_participant()->mutable_permission()->set_hidden(true);
    ::livekit::ParticipantInfo *alice = joinResponse->add_other_participants();
    alice->set_sid("PA_alice");
    alice->set_identity("alice");
    alice->set_state(::livekit::ParticipantInfo::ACTIVE);
    ::livekit::TrackInfo *mic = alice->add_tracks();
    mic->set_sid("TR_mic");
    mic->set_source(::livekit::MICROPHONE);
    mic->set_mime_type("audio/opus");
    joinResponse->add_ice_servers()->add_urls("stun:stun.example:3478");
    joinResponse->set_ping_interval(5);
    joinResponse->set_ping_timeout(15);
    joinResponse->set_subscriber_primary(true);
    frames.append(frameOf(join));

    ::livekit::SignalResponse offer;
    offer.mutable_offer()->set_type("offer");
    offer.mutable_offer()->set_sdp("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                                   "a=msid:PA_alice|TR_mic TR_mic\r\na=mid:0\r\n");
    frames.append(frameOf(offer));

    ::livekit::SignalResponse trickle;
    trickle.mutable_trickle()->set_candidateinit(
        R"({"candidate":"candidate:1 1 udp 2130706431 192.0.2.1 50000 typ host",)"
        R"("sdpMid":"0","sdpMLineIndex":0})");
    trickle.mutable_trickle()->set_target(::livekit::SUBSCRIBER);
    frames.append(frameOf(trickle));

    ::livekit::SignalResponse update;
    ::livekit::ParticipantInfo *gone = update.mutable_update()->add_participants();
    gone->set_sid("PA_bob");
    gone->set_state(::livekit::ParticipantInfo::DISCONNECTED);
    frames.append(frameOf(update));

    ::livekit::SignalResponse leave;
    leave.mutable_leave()->set_action(::livekit::LeaveRequest::RECONNECT);
    leave.mutable_leave()->set_reason(::livekit::ROOM_DELETED);
    frames.append(frameOf(leave));

    ::livekit::SignalResponse speakers;
    ::livekit::SpeakerInfo *speaker = speakers.mutable_speakers_changed()->add_speakers();
    speaker->set_sid("PA_alice");
    speaker->set_level(0.5f);
    speaker->set_active(true);
    frames.append(frameOf(speakers));

    ::livekit::SignalResponse pong;
    pong.mutable_pong_resp()->set_last_ping_timestamp(1700000000000);
    pong.mutable_pong_resp()->set_timestamp(1700000000010);
    frames.append(frameOf(pong));

    ::livekit::SignalResponse notices[4];
    notices[0].set_refresh_token("a.b.c");
    notices[1].mutable_track_unpublished()->set_track_sid("TR_mic");
    notices[2].mutable_reconnect()->set_last_message_seq(2);
    notices[3].mutable_mute()->set_sid("TR_mic");
    for (const ::livekit::SignalResponse &notice : notices)
        frames.append(frameOf(notice));

    frames.append(R"({"candidate":"","sdpMid":null,"sdpMLineIndex":1})");
    return frames;
}

} // namespace roomscribe::livekit::fuzz
