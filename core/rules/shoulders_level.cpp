// Shoulders level (左右肩膀平衡): the angle of the line joining the top of the person at the two shoulders,
// the median over pairs of columns at the same distance either side of the neck. Read at the shoulders (1.0-1.2
// face widths out) where the frame shows them; a tight crop, and every upload (a face 180-300 px wide in 480),
// ends inside those columns, and there the line is read nearer the neck, where it is less sure (below).
#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// Column pairs this far out (face widths), every step; near the neck, and failing that beside it, from the inner
// end to the frame's edge.
constexpr double shoulders_from_face_widths = 1.0, shoulders_to_face_widths = 1.2;
constexpr double near_neck_from_face_widths = 0.7;
constexpr double beside_neck_from_face_widths = 0.6;
constexpr double step_face_widths = 0.025;
constexpr double frame_edge_margin_face_widths = 0.02;
constexpr int min_pairs = 3;
constexpr double narrowest_reach_face_widths = beside_neck_from_face_widths + (min_pairs - 1) * step_face_widths;
// The search for the top of the person in a column starts this far below the chin (hair ending beside the
// chin is no shoulder) and goes up no higher than this far above it: a column whose person reaches higher is
// hair hanging down to the shoulder, or a hood, and is not read. (Capped at the eyes' height instead, the
// flared ends of london 129's hair read 21 degrees on her upload.)
constexpr double search_below_chin_face_widths = 0.1;
constexpr double covered_above_chin_face_widths = 0.25;
// Except in a pair of columns whose tops both lie that high, up to this far above the chin: a head bowed into
// hunched shoulders raises both (meds S028: 0.28-0.36), while hair or a hood hangs down one side alone (canada
// 024f's hood, read in pairs where either column may be raised: a 14.8-degree false fail on her upload).
constexpr double raised_above_chin_face_widths = 0.5;
// Nor further down than this below the chin: the tops of shoulders read 0.7 face widths below it at most over
// the corpus's portraits; a column whose person starts lower is beside the shoulder (an arm, a bag: the beach
// photo debian anne_helene read 53.6 degrees from her arm's top on one side).
constexpr double lowest_below_chin_face_widths = 1.0;
// A frame ending less than this below the chin that gave no line ends close to the neck.
constexpr double frame_bottom_min_below_chin_face_widths = 0.3;

// Where the pairs of columns were read: the nearer the neck, the less sure (the trapezius slopes there).
enum class Reading { at_shoulders, near_neck, beside_neck };

struct ShoulderLine {
    double degrees = 0;
    cv::Point2d left, right;  // image pixels: the outermost pair read
};

// The pairs are centred on the lower jaw (landmarks 4 and 12) rather than the face: a head tilted on its neck
// swings the face's centre off the neck's, and near the neck the slope of the trapezius turns that shift into an
// angle. On the 22 london photos measurable both ways, the jaw-centred reading 0.7-0.8 face widths out is within
// 3.4 degrees of the one at the shoulders (centred on the face, 5.0).
double neck_centre_x(const Face& face) { return (face.landmarks.points[4].x + face.landmarks.points[12].x) / 2; }

// How far out (face widths) the frame lets pairs of columns go.
double frame_reach(const Face& face, cv::Size image) {
    double centre_x = neck_centre_x(face);
    return std::min(centre_x, image.width - 1 - centre_x) / face.face_width_px - frame_edge_margin_face_widths;
}

// The top of the person in a column: down from `start` to the clothes, but not below `lowest`, or up when the
// clothes (raised shoulders, a high collar at a tight crop's edge) already cover that row, but not above `cap`.
// -1 when none.
int top_of_person(const cv::Mat& mask, int x, int start, int cap, int lowest) {
    start = std::clamp(start, 0, mask.rows - 1);
    if (mask.at<uchar>(start, x)) {
        for (int y = start; y >= std::max(0, cap); --y)
            if (!mask.at<uchar>(y, x)) return y + 1;
        return -1;
    }
    for (int y = start; y <= std::min(lowest, mask.rows - 1); ++y)
        if (mask.at<uchar>(y, x)) return y;
    return -1;
}

std::optional<ShoulderLine> line_between(const Face& face, const PersonMask& person, double from_fw, double to_fw) {
    const double width = face.face_width_px, centre_x = neck_centre_x(face), chin_y = face.landmarks.points[landmark::chin].y;
    int start = cvRound((chin_y + search_below_chin_face_widths * width) * person.scale);
    int cap = cvRound((chin_y - covered_above_chin_face_widths * width) * person.scale);
    int raised_cap = cvRound((chin_y - raised_above_chin_face_widths * width) * person.scale);
    int lowest = cvRound((chin_y + lowest_below_chin_face_widths * width) * person.scale);
    std::vector<double> angles;
    ShoulderLine outermost;
    for (double d = from_fw; d <= to_fw + 1e-9; d += step_face_widths) {
        int left_x = cvRound((centre_x - d * width) * person.scale), right_x = cvRound((centre_x + d * width) * person.scale);
        if (left_x < 0 || right_x >= person.mask.cols) break;
        int left_y = top_of_person(person.mask, left_x, start, raised_cap, lowest), right_y = top_of_person(person.mask, right_x, start, raised_cap, lowest);
        const bool left_raised = left_y <= cap, right_raised = right_y <= cap;
        if (left_y < 0 || right_y < 0 || left_raised != right_raised) continue;
        angles.push_back(std::atan2(right_y - left_y, right_x - left_x) * 180 / CV_PI);
        outermost.left = cv::Point2d(left_x, left_y) / person.scale;
        outermost.right = cv::Point2d(right_x, right_y) / person.scale;
    }
    if (static_cast<int>(angles.size()) < min_pairs) return std::nullopt;
    std::nth_element(angles.begin(), angles.begin() + angles.size() / 2, angles.end());
    outermost.degrees = angles[angles.size() / 2];
    return outermost;
}

// How far off a reading may be, measured against the one at the shoulders on the london photos where both are
// read (docs/decisions.md): 0.7-0.8 face widths out by up to 3.4 degrees, 0.6-0.7 out by up to 4.8.
double uncertainty(Reading where, const RuleConfig& config) {
    switch (where) {
    case Reading::at_shoulders: return 0;
    case Reading::near_neck: return config.number_or("near_neck_uncertainty_degrees", 0);
    case Reading::beside_neck: return config.number_or("beside_neck_uncertainty_degrees", 0);
    }
    return 0;
}

Message shoulders_message(double degrees, bool near_neck) {
    std::string deg = format_number(std::abs(degrees), 1);
    if (near_neck)
        return {"One shoulder looks higher (" + deg + "° measured near the neck, the shoulders further out could not be read): check, sit or stand straight",
                "一侧肩膀似乎偏高（在颈部附近测得 " + deg + "°，未能读取双肩外侧）：请核对，端正坐姿"};
    return {"One shoulder is higher (" + deg + "°): sit or stand straight, shoulders level",
            "两肩不平（" + deg + "°）：请端正坐姿，保持双肩水平"};
}

// The line at the shoulders, or nearer the neck where the frame or the outline leaves too few pairs there; each
// read on fix's matte (made with the wall beside the neck started as wall; a few ms once the rules' mask is made),
// else on the rules' mask. The rules' mask first read london 004's block of grey wall beside the neck as
// shoulders whenever GrabCut drew it a little differently (-2.3 degrees as shot, -7.5 saved again at JPEG
// quality 95).
std::pair<std::optional<ShoulderLine>, Reading> shoulder_line(const Analysis& a, double reach) {
    const Face& face = *a.face();
    auto line_read = [&](double from_fw, double to_fw) {
        auto in = [&](const PersonMask& person) { return line_between(face, person, from_fw, to_fw); };
        std::optional<ShoulderLine> line = in(PersonMask{a.matte_person_at_image_size() >= 128, {}, 1.0});
        return line ? line : in(a.person());
    };
    const double neck_reach = std::min(reach, shoulders_from_face_widths);
    if (reach >= shoulders_to_face_widths)
        if (auto line = line_read(shoulders_from_face_widths, shoulders_to_face_widths)) return {line, Reading::at_shoulders};
    // A shoulder the frame shows only near the neck (it drops out of the frame's corner, or the shirt is lost
    // on the wall further out: london 002's white shirt on grey) is read there, as on a tight crop.
    if (auto line = line_read(near_neck_from_face_widths, neck_reach)) return {line, Reading::near_neck};
    // Hair lying on a shoulder at a tight crop's edge (canada 053f) leaves the columns next to the neck.
    return {line_read(beside_neck_from_face_widths, neck_reach), Reading::beside_neck};
}

// The notice wants head and shoulders in the photo (头部及肩膀上身完整): a photo ending at the neck shows no
// shoulders to level, and its upload would end in rows made up below the neck (meds S042's, 0.17 face widths
// below the chin, in a flat block of the collar's colour). Not fixable: reshoot.
Finding photo_ends_at_neck(const Analysis& a, double below_chin, double minimum, const RuleConfig& config) {
    const Face& face = *a.face();
    const double width = face.face_width_px, centre_x = neck_centre_x(face), chin_y = face.landmarks.points[landmark::chin].y;
    Finding f = measured("shoulders-level", std::round(below_chin * 100) / 100, minimum, "face widths of photo below the chin", false);
    f.status = out_of_limit(config);
    f.regions = {cv::Rect(cv::Point(cvRound(centre_x - width), cvRound(chin_y)), cv::Point(cvRound(centre_x + width), a.size().height)) &
                 cv::Rect(cv::Point(), a.size())};
    std::string fw = format_number(below_chin, 2);
    f.message = {"The photo ends at the neck (" + fw + " face widths below the chin): the shoulders must show; reshoot with the head, shoulders and upper chest in the frame",
                 "照片止于颈部（下巴以下仅 " + fw + " 个脸宽）：须拍到双肩；请重拍，取景包含头部、双肩和上胸部"};
    return f;
}

}  // namespace

Finding check_shoulders_level(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("shoulders-level");
    const Face& face = *a.face();
    double reach = frame_reach(face, a.size());
    auto [line, where] = shoulder_line(a, reach);
    // A frame ending this near below the chin that gave no line ends at or close to the neck (the tops read over
    // the corpus's portraits lie up to 0.72 face widths below it, about 0.4 as a rule; canada 119m's, raised to
    // the chin's height, were read in a frame ending 0.28 below it, and canada 024f's hood shows her shoulders'
    // tops in one ending 0.30 below it). Under the preset's minimum (0.25: meds S012 0.16, S013 0.09, S042 0.17)
    // it fails; else the level is left to the eye.
    const double below_chin = (a.size().height - face.landmarks.points[landmark::chin].y) / face.face_width_px;
    // A preset without the minimum (written before session 25) does not ask for it.
    const double minimum_below_chin = config.number_or("min_photo_below_chin_face_widths", 0);
    if (!line && below_chin < minimum_below_chin) return photo_ends_at_neck(a, below_chin, minimum_below_chin, config);
    if (!line && (reach < narrowest_reach_face_widths || below_chin < frame_bottom_min_below_chin_face_widths))
        return not_measured("shoulders-level", {"Shoulder level not measured: the frame ends close to the neck", "未测量双肩是否水平：画面止于颈部附近"});
    if (!line)
        return not_measured("shoulders-level", {"Shoulder level not measured: the shoulders' outline is not clear (hair, a hood or a high collar over it, or clothes against a busy or alike wall)",
                                           "未测量双肩是否水平：肩部轮廓不清（头发、帽兜或高领遮挡，或背景杂乱、与衣服颜色相近）"});
    double degrees = line->degrees, size = std::abs(degrees);
    double maximum = config.number("max_degrees");
    // Nearer the neck the reading may be off by this much: beyond the limit by no more, it is a warning.
    double failing = maximum + uncertainty(where, config);
    // A camera held askew tilts head and shoulders alike; fix levels the eyes and the shoulders with them.
    const RuleConfig* roll = a.preset().rule("head-roll");
    double head_roll = face.pose.roll_deg;
    bool levelled_by_fix = roll && std::abs(head_roll) <= roll->number_or("fix_max_degrees", 0) &&
                           std::abs(degrees - head_roll) <= maximum;
    Finding f = measured("shoulders-level", std::round(degrees * 10) / 10, maximum, "degrees", levelled_by_fix);
    if (size > maximum) {
        const cv::Point2d &l = line->left, &r = line->right;
        f.regions = {cv::Rect(cv::Point(cvRound(l.x), cvRound(std::min(l.y, r.y))), cv::Point(cvRound(r.x), cvRound(std::max(l.y, r.y)) + 1))};
    }
    conclude(f, size <= failing, config, {"Shoulders level", "双肩水平"}, shoulders_message(degrees, where != Reading::at_shoulders));
    if (size > maximum && size <= failing) {
        f.status = Status::warn;
        f.message = shoulders_message(degrees, where != Reading::at_shoulders);
    }
    return f;
}

}  // namespace certphoto
