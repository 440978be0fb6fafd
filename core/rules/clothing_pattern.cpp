// Clothing pattern (避免复杂图案、条纹): stripes, checks and busy prints make many strong edges across the
// clothes; plain tops have a few folds and the collar. The share of the clothes' pixels on a strong edge.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "face_parts.hpp"
#include "masks.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// A strong edge: L* changing this much per pixel at the clothes' measured scale (128 px across the face).
constexpr float edge_lightness_per_px = 6.0f;
// The clothes' outline (against the wall, the neck) is not pattern.
constexpr int outline_px = 3;
// Long hair lying over the clothes (canada 026f's, on her shoulders) is not their pattern. The hair's colour is the
// median of the person beside the face (this far out, face widths) from the eyes to the chin, its skin left out
// (CIE76 from the face's); the clothes' pixels this near that colour, in patches reaching the clothes' top edge
// (hair falls from the head), are left out, unless that leaves less than this share of the clothes (a black top
// under black hair is the clothes).
constexpr double hair_beside_face = 0.3;
constexpr double hair_not_skin_delta_e = 25;
constexpr double hair_min_pixels_face_widths_sq = 0.02;
constexpr double hair_colour_delta_e = 15;
constexpr double clothes_kept_min_share = 0.5;

std::optional<cv::Vec3d> hair_colour(const Analysis& a) {
    using namespace landmark;
    const Face& face = *a.face();
    const auto& p = face.landmarks.points;
    const double w = face.face_width_px;
    const int top = cvRound(std::min(p[right_eye_first].y, p[left_eye_last].y)), bottom = cvRound(p[chin].y);
    if (bottom <= top) return std::nullopt;
    const cv::Vec3d skin = a.skin_colour().median;
    // The two bands side by side (same rows), so their pixels make one median.
    std::vector<cv::Mat> labs, hair_masks;
    for (auto [from, to] : {std::pair{p[jaw_first].x - hair_beside_face * w, double(p[jaw_first].x)}, std::pair{double(p[jaw_last].x), p[jaw_last].x + hair_beside_face * w}}) {
        const cv::Rect band = cv::Rect(cv::Point(cvRound(from), top), cv::Point(cvRound(to), bottom)) & cv::Rect(cv::Point(), a.size());
        if (band.empty()) continue;
        labs.push_back(to_lab(a.bgr()(band)));
        hair_masks.push_back((a.person_at_image_size()(band) >= 128) & (lab_distance(labs.back(), skin) >= hair_not_skin_delta_e));
    }
    if (labs.empty()) return std::nullopt;
    cv::Mat lab, mask;
    cv::hconcat(labs, lab);
    cv::hconcat(hair_masks, mask);
    const LabStats hair = lab_stats_of(lab, mask);
    if (hair.pixels < hair_min_pixels_face_widths_sq * w * w) return std::nullopt;
    return hair.median;
}

// The clothes' mask less the hair lying over them.
cv::Mat without_hair(const Analysis& a, const Clothes& clothes) {
    const auto hair = hair_colour(a);
    if (!hair) return clothes.mask;
    const cv::Mat hair_like = (lab_distance(clothes.lab, *hair) < hair_colour_delta_e) & clothes.mask;
    cv::Mat top_row = cv::Mat::zeros(hair_like.size(), CV_8U);
    hair_like.row(0).copyTo(top_row.row(0));
    cv::Mat kept = clothes.mask & ~reaching(hair_like, top_row);
    return cv::countNonZero(kept) >= clothes_kept_min_share * cv::countNonZero(clothes.mask) ? kept : clothes.mask;
}

}  // namespace

Finding check_clothing_pattern(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("clothing-pattern");
    const Clothes& clothes = a.clothes();
    if (clothes.empty()) return not_measured("clothing-pattern", {"No clothes in the frame to measure", "画面中没有可检测的服装"});
    cv::Mat l, mask;
    cv::extractChannel(clothes.lab, l, 0);
    cv::erode(without_hair(a, clothes), mask, cv::getStructuringElement(cv::MORPH_RECT, {2 * outline_px + 1, 2 * outline_px + 1}));
    int pixels = cv::countNonZero(mask);
    if (pixels == 0) return not_measured("clothing-pattern", {"No clothes in the frame to measure", "画面中没有可检测的服装"});
    cv::Mat dx, dy, magnitude;
    cv::Sobel(l, dx, CV_32F, 1, 0, 3, 1.0 / 8);
    cv::Sobel(l, dy, CV_32F, 0, 1, 3, 1.0 / 8);
    cv::magnitude(dx, dy, magnitude);
    double fraction = cv::countNonZero((magnitude > edge_lightness_per_px) & mask) / double(pixels);
    double maximum = config.number("max_edge_fraction");
    Finding f = measured("clothing-pattern", std::round(fraction * 1000) / 1000, maximum, "fraction of the clothes on a strong edge", false);
    if (fraction > maximum) f.regions = {clothes.box};
    return conclude(f, fraction <= maximum, config, {"Plain clothing", "服装无复杂图案"},
                    {"Striped or busy clothing: wear a plain top", "服装有条纹或复杂图案：请穿着纯色上衣"});
}

}  // namespace certphoto
