#pragma once

#include <cstdint>
#include <ctime>

namespace roomscribe {

// Monotonic nanoseconds shared by every thread and process on the machine
// (CLOCK_MONOTONIC), so stamps taken in different stages can be subtracted.
inline int64_t monotonicNow_ns()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

} // namespace roomscribe
