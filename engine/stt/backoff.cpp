#include "stt/backoff.h"

#include <algorithm>
#include <cmath>

namespace roomscribe::stt {

Backoff::Backoff(const BackoffConfig &config, QRandomGenerator random)
    : m_config(config), m_random(random)
{
}

int Backoff::nextCeiling_ms() const
{
    const double ceiling = m_config.initial_ms * std::pow(m_config.factor, m_failures);
    return int(std::min<double>(ceiling, m_config.cap_ms));
}

int Backoff::nextDelay_ms()
{
    const int ceiling = nextCeiling_ms();
    ++m_failures;
    return int(m_random.bounded(qint64(ceiling) + 1));
}

} // namespace roomscribe::stt
