// Eyes open: the eye aspect ratio (lid-to-lid height over corner-to-corner width, from the six landmarks of
// each eye) of the narrower eye. Open eyes measure 0.23-0.42 on the studio sets; nearly closed, squinting
// or grinning eyes under 0.16.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

cv::Rect eye_box(const std::vector<cv::Point2f>& p, int first) {
    return cv::boundingRect(std::vector<cv::Point2f>(p.begin() + first, p.begin() + first + 6));
}

}  // namespace

Finding check_eyes_open(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("eyes-open");
    using namespace landmark;
    const auto& p = a.face()->landmarks.points;
    double image_left = eye_aspect_ratio(p, right_eye_first), image_right = eye_aspect_ratio(p, left_eye_first);
    double narrower = std::min(image_left, image_right);
    double minimum = config.number("min_eye_aspect_ratio");
    Finding f = measured("eyes-open", std::round(narrower * 1000) / 1000, minimum, "eye height / width", false);
    if (narrower < minimum) f.regions = {eye_box(p, image_left < image_right ? right_eye_first : left_eye_first)};
    return conclude(f, narrower >= minimum, config, {"Eyes naturally open", "双眼自然睁开"},
                    {"Eyes closed or half closed: open both eyes naturally and look into the lens",
                     "眼睛闭合或半闭：请双眼自然睁开，平视镜头"});
}

}  // namespace certphoto
