#include "stage_times.hpp"

#include <cstdlib>
#include <mutex>

namespace certphoto {
namespace {

std::mutex totals_mutex;
std::vector<std::pair<std::string, double>>& totals() {
    static std::vector<std::pair<std::string, double>> seconds_by_stage;
    return seconds_by_stage;
}
thread_local StageTimer* innermost = nullptr;

void add(const char* stage, double seconds) {
    std::lock_guard lock(totals_mutex);
    for (auto& [name, total] : totals())
        if (name == stage) {
            total += seconds;
            return;
        }
    totals().emplace_back(stage, seconds);
}

}  // namespace

bool stage_times_enabled() {
    static const bool enabled = std::getenv("CERTPHOTO_STAGE_TIMES") != nullptr;
    return enabled;
}

StageTimer::StageTimer(const char* stage) : stage_(stage) {
    if (!stage_times_enabled()) return;
    start_ = std::chrono::steady_clock::now();
    outer_ = innermost;
    innermost = this;
}

StageTimer::~StageTimer() {
    if (!stage_times_enabled()) return;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    add(stage_, seconds - inner_seconds_);
    if (outer_) outer_->inner_seconds_ += seconds;
    innermost = outer_;
}

std::vector<std::pair<std::string, double>> stage_times() {
    std::lock_guard lock(totals_mutex);
    return totals();
}

}  // namespace certphoto
