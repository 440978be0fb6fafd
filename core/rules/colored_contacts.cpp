// Coloured contact lenses (美瞳): the iris's colour. Natural irises, brown, hazel, green, blue and grey, are
// muted (low chroma in CIE Lab); tinted lenses are saturated. The iris is the most colourful part of the eye
// opening (the white is grey, the lids' skin moderate), so the rule takes a high percentile of the chroma over
// the opening, without the catchlight and the lashes' shadow: it does not depend on where the gaze falls.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// Lashes and the lid's shadow are darker, the catchlight brighter, than any iris.
constexpr float min_iris_lightness = 12.0f;
constexpr float max_iris_lightness = 85.0f;

// The iris covers roughly a third of a studio eye opening; this percentile lands inside it.
constexpr double iris_chroma_percentile = 0.85;

// A warm cast (a scanned print: grace hopper's portrait) tints the whole opening, the white of the eye too: read
// as they are, her brown irises measured 50. The white of the eye, the opening's lightest pixels, shows the cast,
// and the irises are measured from its colour when it is one: this colourful and of the skin's own hue. A tinted
// lens seen among the lightest pixels (little white showing) is of another hue and is not taken away.
constexpr double white_of_eye_share = 0.2;
constexpr double cast_min_chroma = 10;
constexpr double cast_max_from_skin_hue_deg = 30;

cv::Vec2f cast_of(const std::vector<cv::Vec3f>& pixels, const cv::Vec3d& skin) {
    std::vector<float> lightness;
    for (const auto& p : pixels) lightness.push_back(p[0]);
    const double lightest = percentile(lightness, 1 - white_of_eye_share);
    std::vector<float> a, b;
    for (const auto& p : pixels)
        if (p[0] >= lightest) a.push_back(p[1]), b.push_back(p[2]);
    const cv::Vec2f white(static_cast<float>(percentile(a, 0.5)), static_cast<float>(percentile(b, 0.5)));
    const bool cast = std::hypot(white[0], white[1]) >= cast_min_chroma &&
                      hue_apart_deg(hue_degrees(white[0], white[1]), hue_degrees(skin[1], skin[2])) <= cast_max_from_skin_hue_deg;
    return cast ? white : cv::Vec2f(0, 0);
}

double iris_chroma(const cv::Mat& bgr, const Part& opening, const cv::Vec3d& skin) {
    if (opening.empty()) return 0;
    cv::Mat lab = lab_of(bgr, opening);
    std::vector<cv::Vec3f> pixels;
    for (int y = 0; y < lab.rows; ++y)
        for (int x = 0; x < lab.cols; ++x) {
            cv::Vec3f p = lab.at<cv::Vec3f>(y, x);
            if (opening.mask.at<uchar>(y, x) && p[0] >= min_iris_lightness && p[0] <= max_iris_lightness) pixels.push_back(p);
        }
    if (pixels.empty()) return 0;
    const cv::Vec2f cast = cast_of(pixels, skin);
    std::vector<float> chroma;
    for (const auto& p : pixels) chroma.push_back(std::hypot(p[1] - cast[0], p[2] - cast[1]));
    return percentile(chroma, iris_chroma_percentile);
}

}  // namespace

Finding check_colored_contacts(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("colored-contacts");
    Part left = eye_opening(a, true), right = eye_opening(a, false);
    const cv::Vec3d skin = a.skin_colour().median;
    double left_chroma = iris_chroma(a.bgr(), left, skin), right_chroma = iris_chroma(a.bgr(), right, skin);
    double maximum = config.number("max_iris_chroma");
    double worst = std::max(left_chroma, right_chroma);
    Finding f = measured("colored-contacts", std::round(worst * 10) / 10, maximum, "iris chroma (CIE Lab)", false);
    if (left_chroma > maximum) f.regions.push_back(left.box);
    if (right_chroma > maximum) f.regions.push_back(right.box);
    return conclude(f, worst <= maximum, config, {"Natural iris colour", "虹膜颜色自然"},
                    {"The irises are unnaturally coloured: take out coloured contact lenses and reshoot",
                     "虹膜颜色不自然：请摘下美瞳（有色隐形眼镜）后重拍"});
}

}  // namespace certphoto
