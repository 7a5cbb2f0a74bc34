#pragma once

#include <QString>

namespace roomscribe::media {

// A libav error code (AVERROR(...)) as text.
QString avErrorText(int error);

} // namespace roomscribe::media
