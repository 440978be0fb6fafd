// Top light (问题五): light from above burns out the top of the head, the hair turning white or shiny patches.
// The share of the head above the brows (hair or scalp) that is clipped, at the person mask's work scale.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

constexpr int clipped_level = 245;
// The head's top region ends this far (face widths) above the brows, clear of the forehead's own highlight.
constexpr double above_brows_face_widths = 0.15;

}  // namespace

Finding check_top_light(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("top-light");
    const PersonMask& person = a.person();
    const auto& p = a.face()->landmarks.points;
    double brows_y = std::min(p[landmark::right_brow_first + 2].y, p[landmark::left_brow_first + 2].y);
    int bottom = cvRound((brows_y - above_brows_face_widths * a.face()->face_width_px) * person.scale);
    int top = cvRound(person.head_top_y * person.scale);
    if (bottom <= top) return not_measured("top-light", {"The top of the head is not in the frame", "画面中没有头顶"});
    cv::Rect band(0, std::max(0, top), person.mask.cols, std::min(bottom, person.mask.rows) - std::max(0, top));
    cv::Mat head = person.mask(band);
    // Burnt out is white: every channel clipped (the light-blue background of an upload clips blue alone).
    cv::Mat clipped = (min_channel(person.work_bgr(band)) >= clipped_level) & head;
    double fraction = cv::countNonZero(clipped) / std::max(1.0, double(cv::countNonZero(head)));
    double maximum = config.number("max_clipped_fraction");
    Finding f = measured("top-light", std::round(fraction * 1000) / 1000, maximum, "fraction of the top of the head burnt out", false);
    if (fraction > maximum) f.regions = {person.to_image(cv::boundingRect(clipped) + band.tl())};
    return conclude(f, fraction <= maximum, config, {"No burnt-out light on the top of the head", "头顶无过曝"},
                    {"Light from above burns out the top of the head: lower or soften the top light",
                     "顶光过强，头顶过曝：请降低或柔化顶灯"});
}

}  // namespace certphoto
