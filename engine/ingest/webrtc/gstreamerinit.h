#pragma once

#include <QString>

namespace roomscribe::ingest {

// Initialises GStreamer once per process (any thread, any number of times)
// and checks that the elements a WebRTC subscriber needs are installed.
// False with error naming the missing Debian package otherwise; the answer
// of the first call is kept.
bool ensureGStreamer(QString *error);

} // namespace roomscribe::ingest
