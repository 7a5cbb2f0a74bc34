#pragma once

#include <cstdio>
#include <cstdlib>

namespace roomscribe::fuzz {

// Aborts on a broken invariant, so that libFuzzer records the input as a crash.
inline void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

} // namespace roomscribe::fuzz
