// Clothing pattern (避免复杂图案、条纹): stripes, checks and busy prints make many strong edges across the
// clothes; plain tops have a few folds and the collar. The share of the clothes' pixels on a strong edge, at a
// scale set by the face.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

constexpr double measured_face_width_px = 128;
// A strong edge: L* changing this much per pixel at the measured scale.
constexpr float edge_lightness_per_px = 6.0f;
// The clothes' outline (against the wall, the neck) is not pattern.
constexpr int outline_px = 3;
// Within this distance (CIE76) of the face's skin a pixel is the neck or chest.
constexpr double skin_delta_e = 18;

}  // namespace

Finding check_clothing_pattern(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("clothing-pattern");
    Part clothes = clothing(a);
    if (clothes.empty()) return skipped("clothing-pattern", {"No clothes in the frame to measure", "画面中没有可检测的服装"});
    double scale = std::min(1.0, measured_face_width_px / a.face()->face_width_px);
    cv::Mat small, mask;
    cv::resize(a.bgr()(clothes.box), small, cv::Size(), scale, scale, cv::INTER_AREA);
    cv::resize(clothes.mask, mask, small.size(), 0, 0, cv::INTER_NEAREST);
    cv::Mat lab = to_lab(small), l;
    cv::extractChannel(lab, l, 0);
    const FaceCrop& crop = a.face_crop();
    cv::Vec3d skin = lab_stats(a.bgr(), Part{crop.box, crop.skin_mask}).median;
    for (int y = 0; y < lab.rows; ++y)
        for (int x = 0; x < lab.cols; ++x) {
            cv::Vec3f p = lab.at<cv::Vec3f>(y, x);
            if (cv::norm(cv::Vec3d(p[0], p[1], p[2]) - skin) < skin_delta_e) mask.at<uchar>(y, x) = 0;
        }
    cv::erode(mask, mask, cv::getStructuringElement(cv::MORPH_RECT, {2 * outline_px + 1, 2 * outline_px + 1}));
    int pixels = cv::countNonZero(mask);
    if (pixels == 0) return skipped("clothing-pattern", {"No clothes in the frame to measure", "画面中没有可检测的服装"});
    cv::Mat dx, dy, magnitude;
    cv::Sobel(l, dx, CV_32F, 1, 0, 3, 1.0 / 8);
    cv::Sobel(l, dy, CV_32F, 0, 1, 3, 1.0 / 8);
    cv::magnitude(dx, dy, magnitude);
    double fraction = cv::countNonZero((magnitude > edge_lightness_per_px) & mask) / double(pixels);
    double maximum = config.number("max_edge_fraction");
    Finding f = measured("clothing-pattern", std::round(fraction * 1000) / 1000, maximum, "fraction of the clothes on a strong edge", false);
    if (fraction > maximum) f.regions = {clothes.box};
    return conclude(f, fraction <= maximum, config, {"Plain clothing", "服装无复杂图案"},
                    {"Striped or busy clothing: wear a plain top", "服装有条纹或复杂图案：请穿着纯色上衣"});
}

}  // namespace certphoto
