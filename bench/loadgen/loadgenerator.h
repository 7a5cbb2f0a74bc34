#pragma once

#include "flvaudio.h"
#include "publisher.h"

#include <QByteArray>
#include <QTimer>

#include <cstdint>
#include <memory>
#include <vector>

namespace roomscribe::bench {

// Runs all publishers from one timer on the calling thread's event loop:
// staggered starts, due frames, periodic JSON reports on stdout, and the end.
class LoadGenerator
{
public:
    struct Options
    {
        std::vector<PublishTarget> targets; // one per stream
        double duration_s = 60;
        double ramp_s = 2;
        double report_s = 1;
    };

    LoadGenerator(const FlvAudio &audio, Options options);

    void start();

private:
    void tick();
    void report(int64_t now_ns);
    void finish(int64_t now_ns);

    const FlvAudio &m_audio;
    Options m_options;
    std::vector<std::unique_ptr<Publisher>> m_publishers;
    LoadCounters m_counters;
    QTimer m_timer;
    QByteArray m_scratch;
    size_t m_started = 0;
    int64_t m_start_ns = 0;
    int64_t m_nextReport_ns = 0;
};

} // namespace roomscribe::bench
