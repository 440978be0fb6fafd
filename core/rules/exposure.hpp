#pragma once
// What the exposure rules measure on the face, shared with fix, which lifts an underexposed face by the gain
// the exposure-dark rule says is needed (the rule decides; fix only acts).
namespace certphoto {

class Analysis;
class RuleConfig;

// A channel at or above this is clipped, burnt out (JPEG ringing keeps true clipping a little under 255).
inline constexpr int clipped_channel_level = 250;

struct FaceExposure {
    double highlight_lightness = 0;  // L* of the lit skin (90th percentile)
    double eye_white_lightness = 0;  // L* of the brightest sclera (99th percentile of the eye openings)
};

// Analysis::face_exposure() keeps it: the exposure rule, retouched, background-color and fix all read it.
FaceExposure measure_face_exposure(const Analysis& a);

// The global gain, in stops, that brings the face past exposure-dark's limits with a small margin: 0 when
// it passes already. The cheaper of lifting the lit skin or the eye whites, since either passes the rule.
double stops_to_expose(const FaceExposure& exposure, const RuleConfig& exposure_dark);

// The gain fix will give this photo's person, in stops: stops_to_expose when exposure-dark fails and it is
// within the rule's fix_max_stops, else 0. fix applies it; background-color judges the wall at that exposure.
double stops_fix_will_expose(const Analysis& a);

}  // namespace certphoto
