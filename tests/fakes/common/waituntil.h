#pragma once

#include <functional>

namespace roomscribe::test {

// Runs the event loop until `condition` holds; false once `timeout_ms` has
// passed without it. Like QTest::qWaitFor, without its 10 ms naps: the fakes'
// tests wait hundreds of times, and the naps add up.
bool waitUntil(const std::function<bool()> &condition, int timeout_ms = 15000);

} // namespace roomscribe::test
