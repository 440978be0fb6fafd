#pragma once
// Lighting only: a smooth gain field in linear light that evens one-sided light across the subject and lifts
// an underexposed one. One number per column (a ramp bounded by the preset, plus one exposure gain), applied
// to the person matte; the wall and every local detail of the face are left as they are (严禁美颜: nothing
// local, no smoothing, no whitening).
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

namespace certphoto {

class Analysis;

struct RelightPlan {
    bool needed = false;
    double centre_x = 0;           // image x where the gain is 1
    double stops_per_px = 0;       // the ramp: log2 gain per image pixel to the right of centre_x
    double max_stops = 0;          // the ramp never exceeds this many stops either way
    double exposure_stops = 0;     // a global gain on the person, added to the ramp
    double face_width_px = 1;
    double cheek_difference_before = 0;
    nlohmann::json audit(int image_width) const;
    double stops_at(double x) const;
};

// Evens `strength` (0..1) of the measured left-right imbalance, never more than max_stops either way. fix
// calls it when the lighting-even rule found the light uneven and fixable; a host, when the user asks.
RelightPlan plan_relight(const Analysis& analysis, double strength, double max_stops);
// Adds a global exposure gain (stops) to a plan: fix calls it when the exposure-dark rule found the face dark
// and fixable, with the gain that rule computes.
RelightPlan with_exposure(RelightPlan plan, double stops);

// The share of the face's skin a plan would burn out, counted as exposure-bright counts it.
double clipped_skin_after(const Analysis& analysis, const RelightPlan& plan);
// The plan with its exposure lowered, in steps, until it burns out no more of the skin than `allowed` (a share):
// a ramp evening the light brightens the shadow side, and a sheen there must not be burnt out by it.
RelightPlan within_headroom(const Analysis& analysis, RelightPlan plan, double allowed);

// person_mask: CV_8U 0..255 at the image's size; the gain is blended in by it.
cv::Mat apply_relight(const cv::Mat& bgr, const cv::Mat& person_mask, const RelightPlan& plan);

}  // namespace certphoto
