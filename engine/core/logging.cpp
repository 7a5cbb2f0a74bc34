#include "core/logging.h"

Q_LOGGING_CATEGORY(lcRtmp, "roomscribe.rtmp", QtInfoMsg)
Q_LOGGING_CATEGORY(lcIngest, "roomscribe.ingest", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMedia, "roomscribe.media", QtInfoMsg)
Q_LOGGING_CATEGORY(lcEngine, "roomscribe.engine", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStt, "roomscribe.stt", QtInfoMsg)
Q_LOGGING_CATEGORY(lcLiveKit, "roomscribe.livekit", QtInfoMsg)
Q_LOGGING_CATEGORY(lcLiveKitSignal, "roomscribe.livekit.signal", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRouting, "roomscribe.routing", QtInfoMsg)
Q_LOGGING_CATEGORY(lcPublish, "roomscribe.publish", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "roomscribe.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcParticipant, "roomscribe.participant", QtInfoMsg)
