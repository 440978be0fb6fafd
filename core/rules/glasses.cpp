// Spectacles (眼镜): allowed, but without reflections on the lenses, without tinted lenses and with the frame
// clear of the eyes. Each rule passes at once when the face wears no glasses (Analysis::glasses()).
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// A lens reflection pixel: every channel near white and far above the skin's median lightness (glare on the
// skin uses the same test; lens reflections are seldom quite as burnt out, hence a lower channel floor).
constexpr int reflection_min_channel = 225;
constexpr double reflection_above_skin_lightness = 10;
// A frame pixel beside an eye: darker than this share of the skin's median lightness...
constexpr double frame_of_skin_lightness = 0.7;
// ...and a bar, not a shadow: darker by this share of the skin's lightness than the skin this far above and
// below it (in eye widths). Shares, so a black frame on very dark skin counts as on fair skin.
constexpr double bar_depth_of_skin_lightness = 0.2;
constexpr double bar_reach_eyes = 0.15;

Finding without_glasses(Finding f, const RuleConfig& config, const Message& passed) {
    return conclude(f, true, config, passed, passed);
}

}  // namespace

Finding check_glare_glasses(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("glare-glasses");
    const Glasses& g = a.glasses();
    double maximum = config.number("max_reflection_fraction");
    Message passed{"No reflections on glasses", "眼镜无反光"};
    if (!g.present) return without_glasses(measured("glare-glasses", 0, maximum, "fraction of the lenses reflecting", false), config, passed);
    double skin_lightness = a.skin_colour().median[0];
    int lens_pixels = 0, reflecting = 0;
    std::vector<cv::Rect> regions;
    for (const Part& lens : g.lenses) {
        if (lens.empty()) continue;
        cv::Mat lens_bgr = a.bgr()(lens.box);
        cv::Mat white = min_channel(lens_bgr) >= reflection_min_channel;
        cv::Mat reflection = white & (lightness(lens_bgr) > skin_lightness + reflection_above_skin_lightness) & lens.mask;
        int n = cv::countNonZero(reflection);
        lens_pixels += cv::countNonZero(lens.mask);
        reflecting += n;
        if (n > 0) regions.push_back(cv::boundingRect(reflection) + lens.box.tl());
    }
    double fraction = reflecting / double(std::max(1, lens_pixels));
    Finding f = measured("glare-glasses", std::round(fraction * 10000) / 10000, maximum, "fraction of the lenses reflecting", false);
    if (fraction > maximum) f.regions = regions;
    return conclude(f, fraction <= maximum, config, passed,
                    {"Reflections on the glasses (" + format_number(fraction * 100, 1) + "% of the lenses): tilt the glasses slightly down or move the lights to the side",
                     "眼镜有反光（镜片的 " + format_number(fraction * 100, 1) + "%）：请将眼镜稍向下倾斜或把灯移到两侧"});
}

Finding check_glasses_tinted(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("glasses-tinted");
    const Glasses& g = a.glasses();
    double maximum = config.number("max_lens_darkening");
    Message passed{"No tinted glasses", "未戴有色眼镜"};
    if (!g.present) return without_glasses(measured("glasses-tinted", 0, maximum, "L* the lenses darken the skin below the eyes", false), config, passed);
    // Behind a shut or squeezed eye the skin folds into the lens's lower half and darkens it as a tint would
    // (pexels_angry_bw's scowl read 35 over a limit of 16): only open eyes, as eyes-open sees them, are read.
    double darkest = 0;
    int read = 0;
    cv::Rect darkest_lens;
    for (int i = 0; i < 2; ++i) {
        const Part &lens = g.lower_lenses[i], &cheek = g.below_lenses[i];
        const int first = i == 0 ? landmark::right_eye_first : landmark::left_eye_first;
        if (lens.empty() || cheek.empty() || !eye_is_open(a, first)) continue;
        ++read;
        double darkening = lab_stats(a.bgr(), cheek).median[0] - lab_stats(a.bgr(), lens).median[0];
        if (darkening > darkest) darkest = darkening, darkest_lens = g.lenses[i].box;
    }
    if (read == 0)
        return not_measured("glasses-tinted", {"Lens tint not measured: the eyes are shut or squeezed (see eyes-open)", "未测量镜片颜色：双眼闭合或眯起（见“双眼自然睁开”一项）"});
    Finding f = measured("glasses-tinted", std::round(darkest * 10) / 10, maximum, "L* the lenses darken the skin below the eyes", false);
    if (darkest > maximum) f.regions = {darkest_lens};
    return conclude(f, darkest <= maximum, config, passed,
                    {"Tinted glasses or sunglasses: take them off or wear clear lenses",
                     "佩戴了有色眼镜或墨镜：请摘下或换用无色镜片"});
}

Finding check_glasses_frame(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("glasses-frame");
    const Glasses& g = a.glasses();
    double maximum = config.number("max_crossing_fraction");
    Message passed{"Frames clear of the eyes", "镜框未遮挡眼睛"};
    if (!g.present) return without_glasses(measured("glasses-frame", 0, maximum, "share of the eye's flanks a frame bar crosses", false), config, passed);
    double dark_below = frame_of_skin_lightness * a.skin_colour().median[0];
    float bar_depth = static_cast<float>(bar_depth_of_skin_lightness * a.skin_colour().median[0]);
    const auto& p = a.face()->landmarks.points;
    double worst = 0;
    cv::Rect worst_eye;
    for (int eye = 0; eye < 2; ++eye) {
        const cv::Rect& band = g.eye_bands[eye];
        if (band.empty()) continue;
        int first = eye == 0 ? landmark::right_eye_first : landmark::left_eye_first;
        int inner_end = cvRound(std::min(p[first].x, p[first + 3].x)) - band.x;   // left corner
        int outer_start = cvRound(std::max(p[first].x, p[first + 3].x)) - band.x; // right corner
        if (inner_end <= 0 || outer_start >= band.width) continue;
        int reach = std::max(2, cvRound(bar_reach_eyes * cv::norm(p[first + 3] - p[first])));
        cv::Rect around = cv::Rect(band.x, band.y - reach, band.width, band.height + 2 * reach) & cv::Rect(cv::Point(), a.size());
        if (around.y != band.y - reach || around.height != band.height + 2 * reach) continue;
        cv::Mat l = lightness(a.bgr()(around));
        cv::Mat centre = l.rowRange(reach, reach + band.height);
        cv::Mat skin_beside = cv::min(l.rowRange(0, band.height), l.rowRange(2 * reach, 2 * reach + band.height));
        cv::Mat dark = (centre < dark_below) & (centre + bar_depth < skin_beside);
        // A bar across the eye is dark on both sides of the eye in the same row; lashes and eyeliner stay
        // inside the corners.
        for (int y = 0; y < band.height; ++y) {
            double left = cv::countNonZero(dark.row(y).colRange(0, inner_end)) / double(inner_end);
            double right = cv::countNonZero(dark.row(y).colRange(outer_start, band.width)) / double(band.width - outer_start);
            if (std::min(left, right) > worst) worst = std::min(left, right), worst_eye = band;
        }
    }
    Finding f = measured("glasses-frame", std::round(worst * 100) / 100, maximum, "share of the eye's flanks a frame bar crosses", false);
    if (worst > maximum) f.regions = {worst_eye};
    return conclude(f, worst <= maximum, config, passed,
                    {"The glasses' frame crosses the eyes: push the glasses up or wear a frame that leaves the eyes clear",
                     "镜框遮挡了眼睛：请扶正眼镜或换用不遮挡眼睛的镜框"});
}

}  // namespace certphoto
