#pragma once
// Where a photo's time goes, for the benchmark (scripts/bench): wall time per stage (decode, colour, detect,
// landmarks, rules, matte, frame, encode, ...). A stage that runs inside another (the matte a rule asks for)
// counts for itself only. Off unless CERTPHOTO_STAGE_TIMES is set; then certphoto prints the totals to
// standard error at exit; CERTPHOTO_STAGE_TIMES=timeline also prints each stage as it ends (thread, start, end),
// to see which stage waits on which. Costs two clock reads per stage when on, one branch when off.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace certphoto {

class StageTimer {
public:
    explicit StageTimer(const char* stage);
    ~StageTimer();
    StageTimer(const StageTimer&) = delete;
    StageTimer& operator=(const StageTimer&) = delete;

private:
    const char* stage_;
    std::chrono::steady_clock::time_point start_;
    double inner_seconds_ = 0;
    StageTimer* outer_ = nullptr;
};

bool stage_times_enabled();
// Seconds per stage, summed over every photo and thread of the process, in first-seen order.
std::vector<std::pair<std::string, double>> stage_times();

}  // namespace certphoto
