#pragma once

#include "stt/gladiaconfig.h"

#include <QRandomGenerator>

namespace roomscribe::stt {

// Delays between attempts after failures (see BackoffConfig).
class Backoff
{
public:
    explicit Backoff(const BackoffConfig &config,
                     QRandomGenerator random = QRandomGenerator::securelySeeded());

    // The delay before the next attempt; each call counts one more failure.
    int nextDelay_ms();
    // The upper bound the next call draws from.
    int nextCeiling_ms() const;
    void reset() { m_failures = 0; }
    int failures() const { return m_failures; }

private:
    BackoffConfig m_config;
    QRandomGenerator m_random;
    int m_failures = 0;
};

} // namespace roomscribe::stt
