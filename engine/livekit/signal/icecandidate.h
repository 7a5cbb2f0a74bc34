#pragma once

#include <QString>

namespace roomscribe::livekit {

// One ICE candidate as WebRTC's RTCIceCandidateInit names it: what the
// signalling carries (as JSON) and what a PeerConnection takes and gives.
struct IceCandidate
{
    QString candidate; // "candidate:…" (an empty one ends the gathering)
    QString sdpMid;
    int sdpMLineIndex = 0;

    bool operator==(const IceCandidate &other) const
    {
        return candidate == other.candidate && sdpMid == other.sdpMid &&
               sdpMLineIndex == other.sdpMLineIndex;
    }
};

} // namespace roomscribe::livekit
