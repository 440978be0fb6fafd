// Exposure of the face. Dark skin is not underexposure: a face is too dark when its lit skin (forehead,
// cheeks) is dark *and* the whites of the eyes are dim; in a well-exposed photo of any skin tone the eye
// whites stay bright.
#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "face_parts.hpp"
#include "rules/exposure.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// The 90th percentile: the lit side of the face, past the odd specular spot.
constexpr double highlight_percentile = 0.90;
// The 99th percentile of the eye openings: the brightest sclera, past lashes and iris.
constexpr double eye_white_percentile = 0.99;
// fix lifts a dark face this far past the limit (L*), so JPEG and resampling do not leave it at the edge.
constexpr double exposure_margin_lightness = 4.0;

double stops_to_reach(double lightness, double target) {
    if (lightness >= target) return 0;
    return std::log2(luminance_of_lightness(target) / std::max(1e-4, luminance_of_lightness(lightness)));
}

std::vector<float> skin_values(const Analysis& a) {
    const cv::Mat& l = a.face_skin_lightness();
    const cv::Mat& mask = a.face_crop().skin_mask;
    std::vector<float> values;
    values.reserve(static_cast<std::size_t>(cv::countNonZero(mask)));
    for (int y = 0; y < l.rows; ++y)
        for (int x = 0; x < l.cols; ++x)
            if (mask.at<uchar>(y, x)) values.push_back(l.at<float>(y, x));
    return values;
}


cv::Rect face_region(const Analysis& a) { return a.face_crop().box; }

// CV_8U 255 inside the two eye openings (face_parts' eye_opening), over face_crop().
cv::Mat eye_openings(const Analysis& a) {
    const FaceCrop& crop = a.face_crop();
    cv::Mat mask = cv::Mat::zeros(crop.box.size(), CV_8U);
    for (bool image_left : {true, false}) {
        Part eye = eye_opening(a, image_left);
        cv::Rect in_crop = (eye.box - crop.box.tl()) & cv::Rect(cv::Point(), mask.size());
        if (in_crop.empty()) continue;
        cv::Mat target = mask(in_crop);
        target |= eye.mask(in_crop + crop.box.tl() - eye.box.tl());
    }
    return mask;
}

std::vector<float> eye_opening_values(const Analysis& a) {
    cv::Mat mask = eye_openings(a);
    const cv::Mat& l = a.face_skin_lightness();
    std::vector<float> values;
    for (int y = 0; y < l.rows; ++y)
        for (int x = 0; x < l.cols; ++x)
            if (mask.at<uchar>(y, x)) values.push_back(l.at<float>(y, x));
    return values;
}

cv::Mat clipped_pixels(const cv::Mat& bgr) {
    std::vector<cv::Mat> planes;
    cv::split(bgr, planes);
    return cv::max(cv::max(planes[0], planes[1]), planes[2]) >= clipped_channel_level;
}

double fraction(const cv::Mat& selected, const cv::Mat& of) {
    return cv::countNonZero(selected & of) / std::max(1.0, double(cv::countNonZero(of)));
}

}  // namespace

FaceExposure measure_face_exposure(const Analysis& a) {
    return {percentile(skin_values(a), highlight_percentile), percentile(eye_opening_values(a), eye_white_percentile)};
}

double stops_to_expose(const FaceExposure& e, const RuleConfig& config) {
    double minimum = config.number("min_face_highlight_lightness"), eye_minimum = config.number("min_eye_white_lightness");
    if (e.highlight_lightness >= minimum || e.eye_white_lightness >= eye_minimum) return 0;
    return std::min(stops_to_reach(e.highlight_lightness, minimum + exposure_margin_lightness),
                    stops_to_reach(e.eye_white_lightness, eye_minimum + exposure_margin_lightness));
}

double stops_fix_will_expose(const Analysis& a) {
    const RuleConfig* dark = a.preset().rule("exposure-dark");
    if (!a.face() || !dark) return 0;
    double stops = stops_to_expose(a.face_exposure(), *dark);
    return stops <= dark->number("fix_max_stops") ? stops : 0;
}

Finding check_exposure_dark(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("exposure-dark");
    const FaceExposure& exposure = a.face_exposure();
    double highlight = exposure.highlight_lightness;
    double minimum = config.number("min_face_highlight_lightness");
    bool eye_whites_bright = exposure.eye_white_lightness >= config.number("min_eye_white_lightness");
    // Fixable when a global gain within the preset's limit brings the face back: fix applies it to the person.
    double needed_stops = stops_to_expose(exposure, config);
    bool fixable = needed_stops > 0 && needed_stops <= config.number("fix_max_stops");
    Finding f = measured("exposure-dark", std::round(highlight * 10) / 10, minimum, "L* of the lit skin", fixable);
    f.regions = {face_region(a)};
    if (highlight >= minimum) {
        f.status = Status::pass;
        f.message = {"Face well lit", "面部亮度合适"};
    } else if (eye_whites_bright) {
        f.status = Status::pass;
        f.message = {"Face well lit (dark skin, bright eye whites)", "面部亮度合适（肤色较深，眼白明亮）"};
    } else if (fixable) {
        f.status = out_of_limit(config);
        f.message = {"Face too dark: fix will brighten the person by " + format_number(needed_stops, 1) + " stops (lighting only)",
                     "脸部光线太暗：自动处理将整体提亮人物 " + format_number(needed_stops, 1) + " 档（仅调整光线）"};
    } else {
        f.status = out_of_limit(config);
        f.message = {"Face too dark: find better light or face the light source",
                     "脸部光线太暗：请在光线良好的地方拍摄"};
    }
    return f;
}

// Dark skin does not clip when a photo is overexposed; the whites of the eyes do (a catchlight is a few pixels).
Finding check_exposure_bright(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("exposure-bright");
    const FaceCrop& crop = a.face_crop();
    cv::Mat clipped = clipped_pixels(crop.bgr);
    double clipped_fraction = fraction(clipped, crop.skin_mask);
    double eyes_clipped_fraction = fraction(clipped, eye_openings(a));
    double median = percentile(skin_values(a), 0.5);
    double max_clipped = config.number("max_clipped_fraction");
    double max_median = config.number("max_face_median_lightness");
    double max_eyes_clipped = config.number("max_eye_white_clipped_fraction");

    Finding f = measured("exposure-bright", std::round(clipped_fraction * 1000) / 1000, max_clipped, "fraction of skin clipped", false);
    if (clipped_fraction <= max_clipped && median <= max_median && eyes_clipped_fraction <= max_eyes_clipped) {
        f.status = Status::pass;
        f.message = {"No overexposure on the face", "面部无过度曝光"};
        return f;
    }
    f.status = out_of_limit(config);
    cv::Rect clipped_box = cv::boundingRect(clipped & crop.skin_mask);
    f.regions = {clipped_box.area() > 0 ? clipped_box + crop.box.tl() : crop.box};
    f.message = {"Face overexposed (" + format_number(clipped_fraction * 100, 1) + "% of the skin, " +
                     format_number(eyes_clipped_fraction * 100, 0) + "% of the eye whites burnt out): avoid flash and direct strong light",
                 "脸部曝光过度（" + format_number(clipped_fraction * 100, 1) + "% 皮肤、" + format_number(eyes_clipped_fraction * 100, 0) +
                     "% 眼白过曝）：避免使用闪光灯或强光直射"};
    return f;
}

}  // namespace certphoto
