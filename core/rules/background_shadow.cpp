// A shadow cast on the wall (背景不得有阴影), found by core/wall_shadow.cpp beside the head on either side of
// the person mask's outline. fix replaces the wall around the person matte: a shadow outside the matte goes
// with the wall; one the matte took in would stay (cutting it out leaves its softer penumbra as a grey
// streak), so that is a reshoot.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// Fixable when at most this share of the shadow is inside the person matte.
constexpr double max_shadow_in_matte = 0.1;

}  // namespace

Finding check_background_shadow(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("background-shadow");
    const cv::Mat& shadow = a.wall_shadow();
    if (shadow.empty()) return not_measured("background-shadow", {"No wall in view to measure a shadow", "画面中没有可检测阴影的背景"});
    double face_px = a.face()->face_width_px * a.person().scale;
    int shadow_pixels = cv::countNonZero(shadow);
    double area = shadow_pixels / (face_px * face_px);
    double in_matte = shadow_pixels ? cv::countNonZero(shadow & a.person().mask) / double(shadow_pixels) : 0;
    bool fixable = in_matte <= max_shadow_in_matte;
    double maximum = config.number("max_shadow_area");
    Finding f = measured("background-shadow", std::round(area * 1000) / 1000, maximum, "shadow area in face widths squared", fixable);
    if (area > maximum) f.regions = {a.person().to_image(cv::boundingRect(shadow))};
    Message failed = fixable ? Message{"A shadow falls on the wall beside the person: fix replaces the background and the shadow with it",
                                       "人物旁的背景上有阴影：自动处理将替换背景，阴影随之去除"}
                             : Message{"A shadow falls on the wall right beside the person, too close to cut away: light the backdrop or step away from it",
                                       "人物旁的背景上有紧贴人物的阴影，无法自动去除：请给背景补光或让人物离背景远一些"};
    return conclude(f, area <= maximum, config, {"No shadow on the background", "背景无阴影"}, failed);
}

}  // namespace certphoto
