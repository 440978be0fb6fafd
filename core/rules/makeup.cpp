// Makeup (不宜化妆; 口红、描眉、浓重眼妆): each cue is measured against the same face, so skin tone and light do
// not move it.
// - Lipstick: lips far redder and darker than the face's skin. Natural lips of every skin tone are a little
//   redder and darker; calibrated on the london set: natural lips score 1-25, the lipsticks of 002, 113 and the
//   pexels portrait 29-53.
// - Eyeliner (kohl): a dark line along the lower lids. Natural lower lashes are sparse, so the median lightness
//   along the lid just below its edge stays near the skin's; a drawn line is continuous. Its darkness is in
//   stops of luminance under the skin a little lower down: natural eyes 0.4-2.0 (the most for london 006's dark
//   under-eyes), the kohl of london 135 3.2, the liner of 002 2.8.
// The value is the strongest cue as a share of its own limit: above 1 fails.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// Lipstick darkens as well as reddens; a unit of L* darker counts half a unit of a* contrast.
constexpr double darkening_weight = 0.5;
// The lower lid's line: looked for from a little above the lid's edge (the landmarks can settle on a drawn
// line's lower side) to this far below it, against the skin this far below (face widths), along the middle of
// the lid (the corners are shaded by the eye's own shape).
constexpr double line_search_above = 0.005, line_search_depth = 0.03, skin_below = 0.07;
// Above the edge only on a face large enough for that to be 2 px or more: on a small face (under 400 px wide)
// a pixel above the lid's edge is already the eye's opening, dark between narrowed lids.
constexpr double min_search_above_px = 2;
constexpr double lid_middle_from = 0.2, lid_middle_to = 0.8;

// The median L* along a polyline moved down by `down_px`, over the middle of its length.
double median_lightness_along(const cv::Mat& lightness, const std::vector<cv::Point2f>& line, double down_px) {
    auto length_of = [&](std::size_t segment) { return cv::norm(line[segment] - line[segment - 1]); };
    double total = 0;
    for (std::size_t i = 1; i < line.size(); ++i) total += length_of(i);
    std::vector<float> values;
    std::size_t segment = 1;
    double segment_start = 0;
    for (double s = lid_middle_from * total; s <= lid_middle_to * total; s += 0.5) {
        while (segment + 1 < line.size() && segment_start + length_of(segment) < s) segment_start += length_of(segment++);
        double length = length_of(segment);
        cv::Point2f at = line[segment - 1] + (line[segment] - line[segment - 1]) * static_cast<float>(length > 0 ? (s - segment_start) / length : 0);
        int x = cvRound(at.x), y = cvRound(at.y + down_px);
        if (x >= 0 && y >= 0 && x < lightness.cols && y < lightness.rows) values.push_back(lightness.at<float>(y, x));
    }
    if (values.empty()) return -1;
    std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
    return values[values.size() / 2];
}

struct LidLine {
    double stops = 0;  // how much darker the line along the lower lid is than the skin below it
    cv::Rect box;      // the lid, image pixels
};

// The lightness of the eyes and the skin below them: the lids' box, `origin` its corner in the image.
struct EyesLightness {
    cv::Mat lightness;
    cv::Point2f origin;
};

EyesLightness eyes_lightness(const Analysis& a) {
    const auto& p = a.face()->landmarks.points;
    double w = a.face()->face_width_px;
    cv::Rect eyes = cv::boundingRect(std::vector<cv::Point2f>(p.begin() + landmark::right_eye_first, p.begin() + landmark::left_eye_last + 1));
    int margin = cvCeil(std::max(line_search_above, skin_below) * w) + 2;
    cv::Rect box = cv::Rect(eyes.x - margin, eyes.y - margin, eyes.width + 2 * margin, eyes.height + 2 * margin) & cv::Rect(cv::Point(), a.size());
    return {lightness(a.bgr()(box)), cv::Point2f(static_cast<float>(box.x), static_cast<float>(box.y))};
}

LidLine lower_lid_line(const Analysis& a, const EyesLightness& eyes, bool image_left_eye) {
    const auto& p = a.face()->landmarks.points;
    double w = a.face()->face_width_px;
    // From the outer corner to the inner one along the lower lid, in the eyes' box.
    std::vector<cv::Point2f> lid = image_left_eye ? std::vector<cv::Point2f>{p[36], p[41], p[40], p[39]}
                                                  : std::vector<cv::Point2f>{p[45], p[46], p[47], p[42]};
    for (auto& q : lid) q -= eyes.origin;
    const cv::Mat& lightness = eyes.lightness;
    double darkest = HUGE_VAL;
    double above = line_search_above * w >= min_search_above_px ? line_search_above * w : 0;
    for (double down = -above; down <= line_search_depth * w; down += 1) {
        double median = median_lightness_along(lightness, lid, down);
        if (median >= 0) darkest = std::min(darkest, median);
    }
    double skin = median_lightness_along(lightness, lid, skin_below * w);
    if (skin < 0 || darkest == HUGE_VAL) return {};
    LidLine line;
    line.stops = std::log2(luminance_of_lightness(skin) / std::max(1e-4, luminance_of_lightness(darkest)));
    cv::Rect lid_box = cv::boundingRect(lid) + cv::Point(cvRound(eyes.origin.x), cvRound(eyes.origin.y));
    line.box = cv::Rect(lid_box.x, lid_box.y, lid_box.width, lid_box.height + cvRound(line_search_depth * w)) & cv::Rect(cv::Point(), a.size());
    return line;
}

}  // namespace

Finding check_makeup(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("makeup");
    const LabStats& skin = a.skin_colour();
    Part lip_part = lips(a);
    LabStats lip = lab_stats(a.bgr(), lip_part);
    if (lip.pixels == 0) return not_measured("makeup", {"The lips could not be located", "无法定位嘴唇"});
    double lip_contrast = lip.median[1] - skin.median[1] + darkening_weight * std::max(0.0, skin.median[0] - lip.median[0]);
    double lipstick = lip_contrast / config.number("max_lip_contrast");

    // The line is looked for on open eyes only: a closed or squeezed eye's lids meet in a dark crease.
    bool eyes_open = eye_is_open(a, landmark::right_eye_first) && eye_is_open(a, landmark::left_eye_first);
    LidLine left, right;
    if (eyes_open) {
        EyesLightness eyes = eyes_lightness(a);
        left = lower_lid_line(a, eyes, true);
        right = lower_lid_line(a, eyes, false);
    }
    // Both eyes: a shadow or a stray lash darkens one lid, eyeliner is worn on both.
    double eyeliner = std::min(left.stops, right.stops) / config.number("max_lid_line_stops");

    double strongest = std::max(lipstick, eyeliner);
    Finding f = measured("makeup", std::round(strongest * 100) / 100, 1.0,
                         "strongest cue against its limit (lip colour; dark line along the lower lids)", false);
    if (lipstick > 1) f.regions.push_back(lip_part.box);
    if (eyeliner > 1) f.regions.insert(f.regions.end(), {left.box, right.box});
    Message found = lipstick > 1 && eyeliner > 1
        ? Message{"Lipstick and eyeliner: remove the makeup (lipstick, drawn eyebrows, heavy eye makeup) and reshoot",
                  "涂有口红和眼线：请卸妆（口红、描眉、浓重眼妆）后重拍"}
        : lipstick > 1 ? Message{"Lipstick: remove the makeup (lipstick, drawn eyebrows, heavy eye makeup) and reshoot",
                                 "涂有口红：请卸妆（口红、描眉、浓重眼妆）后重拍"}
                       : Message{"Eyeliner along the lower lids: remove the makeup (lipstick, drawn eyebrows, heavy eye makeup) and reshoot",
                                 "下眼睑画有眼线：请卸妆（口红、描眉、浓重眼妆）后重拍"};
    return conclude(f, strongest <= 1, config, {"No lipstick or eyeliner", "未见口红、眼线"}, found);
}

}  // namespace certphoto
