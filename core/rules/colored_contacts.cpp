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

double iris_chroma(const cv::Mat& bgr, const Part& opening) {
    if (opening.empty()) return 0;
    cv::Mat lab = lab_of(bgr, opening);
    std::vector<float> chroma;
    for (int y = 0; y < lab.rows; ++y)
        for (int x = 0; x < lab.cols; ++x) {
            cv::Vec3f p = lab.at<cv::Vec3f>(y, x);
            if (opening.mask.at<uchar>(y, x) && p[0] >= min_iris_lightness && p[0] <= max_iris_lightness)
                chroma.push_back(std::hypot(p[1], p[2]));
        }
    return percentile(chroma, iris_chroma_percentile);
}

}  // namespace

Finding check_colored_contacts(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("colored-contacts");
    Part left = eye_opening(a, true), right = eye_opening(a, false);
    double left_chroma = iris_chroma(a.bgr(), left), right_chroma = iris_chroma(a.bgr(), right);
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
