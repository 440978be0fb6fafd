#include "stage_times.hpp"

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

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

namespace {

// CERTPHOTO_STAGE_TIMES=timeline also prints each stage as it ends: thread, start and end in milliseconds
// since the first stage began, so the bench can see which stages wait on which.
bool timeline_enabled() {
    static const bool enabled = [] {
        const char* value = std::getenv("CERTPHOTO_STAGE_TIMES");
        return value && std::strcmp(value, "timeline") == 0;
    }();
    return enabled;
}

void print_timeline(const char* stage, std::chrono::steady_clock::time_point start, std::chrono::steady_clock::time_point end) {
    static const auto origin = start;
    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::ostringstream line;
    line << "timeline " << std::this_thread::get_id() << " " << ms(start - origin) << " " << ms(end - origin) << " " << stage << "\n";
    std::cerr << line.str();
}

}  // namespace

StageTimer::StageTimer(const char* stage) : stage_(stage) {
    if (!stage_times_enabled()) return;
    start_ = std::chrono::steady_clock::now();
    outer_ = innermost;
    innermost = this;
}

StageTimer::~StageTimer() {
    if (!stage_times_enabled()) return;
    auto end = std::chrono::steady_clock::now();
    if (timeline_enabled()) print_timeline(stage_, start_, end);
    double seconds = std::chrono::duration<double>(end - start_).count();
    add(stage_, seconds - inner_seconds_);
    if (outer_) outer_->inner_seconds_ += seconds;
    innermost = outer_;
}

std::vector<std::pair<std::string, double>> stage_times() {
    std::lock_guard lock(totals_mutex);
    return totals();
}

}  // namespace certphoto
