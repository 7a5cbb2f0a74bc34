#include "media/averror.h"

extern "C" {
#include <libavutil/error.h>
}

namespace roomscribe::media {

QString avErrorText(int error)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(error, text, sizeof text);
    return QString::fromUtf8(text);
}

} // namespace roomscribe::media
