// Hair over the brows or eyes (头发不得遮挡眉毛、眼睛): the strip of forehead just above the brows is skin on a
// face with the brows clear; a fringe turns it into hair. The share of that strip far from the face's own
// skin colour and darker than it.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// The strip: from this far above the brows' top to the brows' top (face widths), across the brows.
constexpr double strip_height_face_widths = 0.08;
constexpr double strip_gap_face_widths = 0.02;
// Hair is darker than the skin it covers (glare and shine on a forehead are brighter) and of another colour:
// this much darker (L*) and this far (CIE76) from the skin's median colour.
constexpr double darker_than_skin = 12;
constexpr double not_skin_delta_e = 15;

}  // namespace

Finding check_hair_occlusion(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("hair-occlusion");
    using namespace landmark;
    const auto& p = a.face()->landmarks.points;
    double w = a.face()->face_width_px;
    float brows_top = brows_top_y(p);
    int bottom = cvRound(brows_top - strip_gap_face_widths * w), height = std::max(1, cvRound(strip_height_face_widths * w));
    cv::Rect strip(cvRound(p[right_brow_first].x), bottom - height, cvRound(p[left_brow_last].x - p[right_brow_first].x), height);
    strip &= cv::Rect(cv::Point(), a.size());
    if (strip.area() == 0) return not_measured("hair-occlusion", {"The forehead is not in the frame", "画面中没有额头"});
    cv::Mat lab = to_lab(a.bgr()(strip));
    cv::Vec3d skin = a.skin_colour().median;
    int hair = 0;
    for (int y = 0; y < lab.rows; ++y)
        for (int x = 0; x < lab.cols; ++x) {
            cv::Vec3f q = lab.at<cv::Vec3f>(y, x);
            if (skin[0] - q[0] > darker_than_skin && cv::norm(cv::Vec3d(q[0], q[1], q[2]) - skin) > not_skin_delta_e) ++hair;
        }
    double fraction = double(hair) / strip.area();
    double maximum = config.number("max_covered_fraction");
    Finding f = measured("hair-occlusion", std::round(fraction * 1000) / 1000, maximum, "fraction of the forehead above the brows covered", false);
    if (fraction > maximum) f.regions = {strip};
    return conclude(f, fraction <= maximum, config, {"Brows and eyes clear of hair", "眉毛、眼睛未被头发遮挡"},
                    {"Hair covers the eyebrows: pin the fringe back so the brows and eyes show", "头发遮挡眉毛：请将刘海梳起，露出眉毛和眼睛"});
}

}  // namespace certphoto
