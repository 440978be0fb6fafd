// Shoulders level (左右肩膀平衡): the top edge of the person mask at the two shoulders, one face width and a
// bit to either side of the face centre, gives the shoulder line's angle. Calibrated on the shared photos:
// studio shots measure within 3.5 degrees.
#include <cmath>

#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

constexpr double shoulder_offset_face_widths = 1.1;
// Hair hanging down is no shoulder: the search starts this far (face widths) below the chin.
constexpr double search_below_chin_face_widths = 0.1;

// The first person row at or below `from` in a column (work pixels), or -1.
int first_person_row(const cv::Mat& mask, int x, int from) {
    for (int y = std::max(0, from); y < mask.rows; ++y)
        if (mask.at<uchar>(y, x)) return y;
    return -1;
}

}  // namespace

Finding check_shoulders_level(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("shoulders-level");
    const PersonMask& person = a.person();
    const Face& face = *a.face();
    double offset = shoulder_offset_face_widths * face.face_width_px;
    int left_x = cvRound((face.center_x - offset) * person.scale), right_x = cvRound((face.center_x + offset) * person.scale);
    int from = cvRound((face.landmarks.points[landmark::chin].y + search_below_chin_face_widths * face.face_width_px) * person.scale);
    // A tight crop ends at the collar; an upload's frame (a face 180-300 px wide in 480) ends inside the columns.
    Message not_in_frame{"Shoulder level not measured: the frame ends before the outer part of the shoulders",
                         "未测量双肩是否水平：画面未包括双肩外侧"};
    if (left_x < 0 || right_x >= person.mask.cols) return skipped("shoulders-level", not_in_frame);
    int left_y = first_person_row(person.mask, left_x, from), right_y = first_person_row(person.mask, right_x, from);
    if (left_y < 0 || right_y < 0) return skipped("shoulders-level", not_in_frame);
    double degrees = std::atan2(right_y - left_y, right_x - left_x) * 180 / CV_PI;
    double maximum = config.number("max_degrees");
    // A camera held askew tilts head and shoulders alike; fix levels the eyes and the shoulders with them.
    const RuleConfig* roll = a.preset().rule("head-roll");
    double head_roll = face.pose.roll_deg;
    bool levelled_by_fix = roll && std::abs(head_roll) <= roll->number_or("fix_max_degrees", 0) &&
                           std::abs(degrees - head_roll) <= maximum;
    Finding f = measured("shoulders-level", std::round(degrees * 10) / 10, maximum, "degrees", levelled_by_fix);
    if (std::abs(degrees) > maximum) {
        double scale = person.scale;
        f.regions = {cv::Rect(cvRound(left_x / scale), cvRound(std::min(left_y, right_y) / scale), cvRound((right_x - left_x) / scale),
                              cvRound(std::abs(right_y - left_y) / scale) + 1)};
    }
    return conclude(f, std::abs(degrees) <= maximum, config, {"Shoulders level", "双肩水平"},
                    {"One shoulder is higher (" + format_number(std::abs(degrees), 1) + "°): sit or stand straight, shoulders level",
                     "两肩不平（" + format_number(std::abs(degrees), 1) + "°）：请端正坐姿，保持双肩水平"});
}

}  // namespace certphoto
