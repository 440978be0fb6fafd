// Clothing pattern (避免复杂图案、条纹): stripes, checks and busy prints make many strong edges across the
// clothes; plain tops have a few folds and the collar. The share of the clothes' pixels on a strong edge.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// A strong edge: L* changing this much per pixel at the clothes' measured scale (128 px across the face).
constexpr float edge_lightness_per_px = 6.0f;
// The clothes' outline (against the wall, the neck) is not pattern.
constexpr int outline_px = 3;

}  // namespace

Finding check_clothing_pattern(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("clothing-pattern");
    const Clothes& clothes = a.clothes();
    if (clothes.empty()) return skipped("clothing-pattern", {"No clothes in the frame to measure", "画面中没有可检测的服装"});
    cv::Mat l, mask;
    cv::extractChannel(clothes.lab, l, 0);
    cv::erode(clothes.mask, mask, cv::getStructuringElement(cv::MORPH_RECT, {2 * outline_px + 1, 2 * outline_px + 1}));
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
