#include "fix/relight.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "analysis.hpp"
#include "face_lighting.hpp"
#include "rules/exposure.hpp"

namespace certphoto {

double RelightPlan::stops_at(double x) const {
    return exposure_stops + std::clamp(stops_per_px * (x - centre_x), -max_stops, max_stops);
}

nlohmann::json RelightPlan::audit(int image_width) const {
    double lo = std::min(stops_at(0), stops_at(image_width - 1)), hi = std::max(stops_at(0), stops_at(image_width - 1));
    auto round2 = [](double v) { return std::round(v * 100) / 100; };
    return {{"field", "left-right ramp and exposure gain in linear light, applied to the person only"},
            {"cheek_difference_stops_before", round2(cheek_difference_before)},
            {"gain_stops", {round2(lo), round2(hi)}},
            {"stops_per_face_width", round2(stops_per_px * face_width_px)},
            {"exposure_stops", round2(exposure_stops)},
            {"centre_x", std::round(centre_x)}};
}

RelightPlan plan_relight(const Analysis& a, double strength, double max_stops) {
    RelightPlan plan;
    if (!a.face()) return plan;
    const FaceLighting& lighting = a.lighting();
    plan.cheek_difference_before = lighting.cheek_difference_stops();
    plan.needed = strength > 0 && max_stops > 0 && lighting.left_right_stops != 0;
    plan.centre_x = lighting.centre.x;
    plan.stops_per_px = -strength * lighting.left_right_stops / lighting.face_width_px;
    plan.face_width_px = lighting.face_width_px;
    plan.max_stops = max_stops;
    return plan;
}

RelightPlan with_exposure(RelightPlan plan, double stops) {
    plan.exposure_stops = stops;
    plan.needed = plan.needed || stops != 0;
    return plan;
}

namespace {

// The exposure is lowered by this much at a time, and by this much at most, to keep the skin's highlights.
constexpr double headroom_step_stops = 0.1, max_headroom_stops = 1.0;

const std::array<float, 256>& linear_of_coded() {
    static const std::array<float, 256> table = [] {
        std::array<float, 256> t{};
        for (int i = 0; i < 256; ++i) t[i] = static_cast<float>(srgb_to_linear(i / 255.0));
        return t;
    }();
    return table;
}

// A coded value under a gain in linear light, coded again: what apply_relight writes for the person.
uchar relit_value(int coded, double gain) {
    return cv::saturate_cast<uchar>(linear_to_srgb(std::min(1.0, linear_of_coded()[coded] * gain)) * 255);
}

// The lowest coded value a gain burns out (relit to the clipped level or above); 256 when none.
int lowest_burnt_out(double gain) {
    int low = 0, high = 256;  // relit_value rises with the coded value: the first that clips is in [low, high]
    while (low < high) {
        const int mid = (low + high) / 2;
        if (relit_value(mid, gain) >= clipped_channel_level) high = mid;
        else low = mid + 1;
    }
    return low;
}

}  // namespace

double clipped_skin_after(const Analysis& a, const RelightPlan& plan) {
    const FaceCrop& crop = a.face_crop();
    int skin = 0, clipped = 0;
    for (int x = 0; x < crop.bgr.cols; ++x) {
        const int burnt_from = lowest_burnt_out(std::exp2(plan.stops_at(crop.box.x + x)));
        for (int y = 0; y < crop.bgr.rows; ++y) {
            if (!crop.skin_mask.at<uchar>(y, x)) continue;
            const cv::Vec3b& p = crop.bgr.at<cv::Vec3b>(y, x);
            ++skin;
            if (std::max({p[0], p[1], p[2]}) >= burnt_from) ++clipped;
        }
    }
    return clipped / std::max(1.0, static_cast<double>(skin));
}

RelightPlan within_headroom(const Analysis& a, RelightPlan plan, double allowed) {
    if (!plan.needed) return plan;
    const double lowest = plan.exposure_stops - max_headroom_stops;
    while (plan.exposure_stops - headroom_step_stops >= lowest - 1e-9 && clipped_skin_after(a, plan) > allowed)
        plan.exposure_stops -= headroom_step_stops;
    return plan;
}

cv::Mat apply_relight(const cv::Mat& bgr, const cv::Mat& person_mask, const RelightPlan& plan) {
    if (!plan.needed) return bgr.clone();
    cv::Mat out(bgr.size(), CV_8UC3);
    std::vector<std::array<uchar, 256>> column_lut(bgr.cols);  // the gain depends on x alone
    for (int x = 0; x < bgr.cols; ++x) {
        const double gain = std::exp2(plan.stops_at(x));
        for (int i = 0; i < 256; ++i) column_lut[x][i] = relit_value(i, gain);
    }
    for (int y = 0; y < bgr.rows; ++y) {
        const auto* in = bgr.ptr<cv::Vec3b>(y);
        const auto* alpha = person_mask.ptr<uchar>(y);
        auto* o = out.ptr<cv::Vec3b>(y);
        for (int x = 0; x < bgr.cols; ++x)
            for (int c = 0; c < 3; ++c) {
                int relit = column_lut[x][in[x][c]];
                o[x][c] = static_cast<uchar>((in[x][c] * (255 - alpha[x]) + relit * alpha[x] + 127) / 255);
            }
    }
    return out;
}

}  // namespace certphoto
