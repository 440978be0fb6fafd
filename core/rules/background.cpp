// The wall behind the person: uniform (no objects, texture or edges). It is measured at the person mask's
// work scale (about 110 px across the face), where the wall's own grain is gone and a door, a frame or a
// clock still shows. A busy wall cannot be keyed cleanly, so fix does not try.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// An edge on the wall: L* changing this fast per work pixel, after a slight blur.
constexpr float wall_edge_lightness_per_px = 3.0f;
// The border of the wall mask touches the person's edge; it is left out of the edge count.
constexpr int wall_border_px = 2;

}  // namespace

Finding check_background_uniform(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("background-uniform");
    const WallModel& wall = a.wall();
    cv::Mat inner_wall;
    cv::erode(wall.mask, inner_wall, cv::getStructuringElement(cv::MORPH_RECT, {2 * wall_border_px + 1, 2 * wall_border_px + 1}));
    int wall_pixels = cv::countNonZero(inner_wall);
    if (wall_pixels == 0) return skipped("background-uniform", {"No wall in view to measure", "画面中没有可检测的背景"});
    cv::Mat smooth, dx, dy, magnitude;
    cv::GaussianBlur(wall.lightness, smooth, cv::Size(), 1.0);
    cv::Sobel(smooth, dx, CV_32F, 1, 0, 3, 1.0 / 8);
    cv::Sobel(smooth, dy, CV_32F, 0, 1, 3, 1.0 / 8);
    cv::magnitude(dx, dy, magnitude);
    cv::Mat edges = (magnitude > wall_edge_lightness_per_px) & inner_wall;
    double fraction = cv::countNonZero(edges) / double(wall_pixels);
    double maximum = config.number("max_edge_fraction");
    Finding f = measured("background-uniform", std::round(fraction * 1000) / 1000, maximum, "fraction of the wall with edges", false);
    if (fraction > maximum) f.regions = {a.person().to_image(cv::boundingRect(edges))};
    return conclude(f, fraction <= maximum, config, {"Plain, uniform background", "背景均匀无杂物"},
                    {"The background is not plain (objects, edges or texture behind the person): shoot against a plain wall",
                     "背景不均匀（人物后方有物体、线条或纹理）：请在纯色墙面前拍摄"});
}

}  // namespace certphoto
