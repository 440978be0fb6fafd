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
// A straight edge is an object's (a door or picture frame, a panel's seam): the edges thinned to lines (Canny,
// from half the edge's slope to the full), and straight runs from half the preset's length on looked for, so
// that the reading shows how near a wall comes (london 001's loose curls: 0.18 face widths; no other studio
// photo or upload has one).
constexpr double canny_low_of_edge = 0.5;
constexpr double shortest_line_of_limit = 0.5;
constexpr double line_votes_per_px = 0.8;

// L* per pixel as the gradient Canny computes on 8-bit images: L* scaled to 0..255, 3x3 Sobel unnormalised (x8).
constexpr double grey_per_lightness = 2.55;
constexpr double canny_units_per_lightness_slope = grey_per_lightness * 8;

struct WallLine {
    double length_face_widths = 0;
    cv::Rect box;  // work pixels
};

WallLine longest_straight_edge(const cv::Mat& smooth_lightness, const cv::Mat& inner_wall, double face_width_px, double limit_face_widths) {
    cv::Mat grey, thin;
    smooth_lightness.convertTo(grey, CV_8U, grey_per_lightness);
    const double high = wall_edge_lightness_per_px * canny_units_per_lightness_slope;
    cv::Canny(grey, thin, canny_low_of_edge * high, high, 3, true);
    thin &= inner_wall;
    const double shortest = shortest_line_of_limit * limit_face_widths * face_width_px;
    std::vector<cv::Vec4i> lines;
    cv::HoughLinesP(thin, lines, 1, CV_PI / 180, std::max(10, cvRound(line_votes_per_px * shortest)), shortest, 1);
    WallLine longest;
    for (const cv::Vec4i& l : lines) {
        const double length = std::hypot(l[2] - l[0], l[3] - l[1]) / face_width_px;
        if (length > longest.length_face_widths)
            longest = {length, cv::Rect(cv::Point(l[0], l[1]), cv::Point(l[2], l[3])) + cv::Size(1, 1)};
    }
    return longest;
}

}  // namespace

Finding check_background_uniform(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("background-uniform");
    const WallModel& wall = a.wall();
    cv::Mat inner_wall;
    cv::erode(wall.mask, inner_wall, cv::getStructuringElement(cv::MORPH_RECT, {2 * wall_border_px + 1, 2 * wall_border_px + 1}));
    int wall_pixels = cv::countNonZero(inner_wall);
    if (wall_pixels == 0) return not_measured("background-uniform", {"No wall in view to measure", "画面中没有可检测的背景"});
    cv::Mat smooth, dx, dy, magnitude;
    cv::GaussianBlur(wall.lightness, smooth, cv::Size(), 1.0);
    cv::Sobel(smooth, dx, CV_32F, 1, 0, 3, 1.0 / 8);
    cv::Sobel(smooth, dy, CV_32F, 0, 1, 3, 1.0 / 8);
    cv::magnitude(dx, dy, magnitude);
    cv::Mat edges = (magnitude > wall_edge_lightness_per_px) & inner_wall;
    // Two cues, each against its own limit; the value is the stronger: edges over much of the wall (texture,
    // clutter), or one straight edge (an object's side, however little of the wall it covers).
    const double edge_share = cv::countNonZero(edges) / double(wall_pixels) / config.number("max_edge_fraction");
    const double line_limit = config.number("max_line_face_widths");
    const WallLine line = longest_straight_edge(smooth, inner_wall, a.face()->face_width_px * a.person().scale, line_limit);
    const double line_share = line.length_face_widths / line_limit;
    const double strongest = std::max(edge_share, line_share);
    Finding f = measured("background-uniform", std::round(strongest * 100) / 100, 1.0,
                         "strongest cue against its limit (share of the wall with edges; a straight edge's length)", false);
    if (edge_share > 1) f.regions.push_back(a.person().to_image(cv::boundingRect(edges)));
    if (line_share > 1) f.regions.push_back(a.person().to_image(line.box));
    return conclude(f, strongest <= 1, config, {"Plain, uniform background", "背景均匀无杂物"},
                    {"The background is not plain (objects, edges or texture behind the person): shoot against a plain wall",
                     "背景不均匀（人物后方有物体、线条或纹理）：请在纯色墙面前拍摄"});
}

}  // namespace certphoto
