// Both ears show (露双耳; 头发不得遮挡耳朵): beside each cheek, at the height of the eyes and nose, an ear is a patch
// of the face's own skin colour against the wall or the hair behind it. Hair let down over it, or a turn of the
// head that hides it, leaves only hair or wall there. Each pixel of the band beside the cheek is taken as ear
// when it is not the wall's colour and is nearer to the skin's colour than to the hair's; thin runs (strands
// of hair, a lit edge) are opened away. The value is the smaller ear's area.
//
// Colours are compared at a common lightness (a*, b* scaled as if L* were 50, L* itself weighted down): an ear
// in the shadow of the head keeps the skin's hue and its chroma for its lightness, where black hair has none.
// Compared as they are, a dark ear in shadow is as near to black hair as to the cheek (docs/rules.md).
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// The bands are measured with the face this wide (px).
constexpr double work_face_width_px = 200;
// A band mostly outside the picture is an ear the frame cuts off, shown in the photo or not: its area counts 0
// (the cheek's edge inside it read 0.0017 on london 021 cut beside the jaw).
constexpr double min_band_in_picture = 0.5;
// Lightness the colours are compared at, the darkest lightness scaled up to it (below, noise is chroma), and
// the weight left on lightness itself (a light ear against blond hair differs mostly in it; at 0.5 the lit
// edge of an ear in shade went to the hair, at 0.25 blond strands went to the ear).
constexpr double reference_lightness = 50, darkest_scaled = 15, lightness_weight = 0.35;
// The wall: this near to its mean colour (L* half-weighted) is wall.
constexpr double wall_delta_e = 8;
// Ear: this near to the skin's colour (at a common lightness), and nearer to it than to the hair's.
constexpr double ear_from_skin = 20;
// The hair's colour: the head above the forehead, less what is the skin's or the wall's colour, or lighter than
// the skin (a bald scalp's shine) unless of another hue (bleached or blond hair). Black when too little is hair.
constexpr double hair_top = 0.5, hair_bottom = 0.12;  // face widths above the brows
constexpr double hair_from_skin = 10, hair_from_wall_delta_e = 10;
constexpr double lighter_than_skin = 10, other_hue_deg = 25, other_hue_min_chroma = 8;
constexpr double min_hair_share = 0.03;
const cv::Vec3d black_hair(15, 2, 3);
// Runs of ear narrower than this (face widths) are strands or edges, not an ear.
constexpr double thinnest_ear = 0.025;

cv::Vec3d at_common_lightness(const cv::Vec3d& lab) {
    double k = reference_lightness / std::max(lab[0], darkest_scaled);
    return {lightness_weight * lab[0], k * lab[1], k * lab[2]};
}

double half_lightness_delta_e(const cv::Vec3d& a, const cv::Vec3d& b) {
    cv::Vec3d d = a - b;
    return std::sqrt(0.25 * d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

cv::Vec3d hair_colour(const Analysis& a, const cv::Vec3d& skin, const cv::Vec3d& wall) {
    const auto& p = a.face()->landmarks.points;
    double w = a.face()->face_width_px;
    float brows_top = landmark::brows_top_y(p);
    cv::Rect head(cv::Point(cvRound(p[landmark::right_brow_first].x), cvRound(brows_top - hair_top * w)),
                  cv::Point(cvRound(p[landmark::left_brow_last].x), cvRound(brows_top - hair_bottom * w)));
    head &= cv::Rect(cv::Point(), a.size());
    if (head.area() == 0) return black_hair;
    double scale = std::min(1.0, work_face_width_px / w);
    cv::Mat bgr;
    cv::resize(a.bgr()(head), bgr, cv::Size(), scale, scale, cv::INTER_AREA);
    cv::Mat lab = to_lab(bgr);
    cv::Vec3d skin_common = at_common_lightness(skin);
    double skin_hue = hue_degrees(skin[1], skin[2]);
    cv::Mat hair = cv::Mat::zeros(lab.size(), CV_8U);
    for (int y = 0; y < lab.rows; ++y)
        for (int x = 0; x < lab.cols; ++x) {
            cv::Vec3d q = lab.at<cv::Vec3f>(y, x);
            if (cv::norm(at_common_lightness(q) - skin_common) <= hair_from_skin || cv::norm(q - wall) <= hair_from_wall_delta_e) continue;
            bool other_hue = hue_apart_deg(hue_degrees(q[1], q[2]), skin_hue) > other_hue_deg && std::hypot(q[1], q[2]) > other_hue_min_chroma;
            if (q[0] > skin[0] + lighter_than_skin && !other_hue) continue;
            hair.at<uchar>(y, x) = 255;
        }
    if (cv::countNonZero(hair) < min_hair_share * lab.total()) return black_hair;
    return lab_stats_of(lab, hair).median;
}

struct Band {
    cv::Rect box;           // image pixels, inside the picture
    double ear_area = 0;    // face widths squared
    bool cut_by_frame = false;
};

// Where a band wholly outside the picture is pointed at: the picture's edge beside it, at its height.
cv::Rect edge_beside(const cv::Rect& band, cv::Size picture) {
    int x = band.x >= picture.width ? picture.width - 1 : 0;
    return cv::Rect(x, band.y, 1, band.height) & cv::Rect(cv::Point(), picture);
}

Band measure_band(const Analysis& a, bool image_left, const cv::Vec3d& skin, const cv::Vec3d& hair, const cv::Vec3d& wall) {
    double w = a.face()->face_width_px;
    cv::Rect2d looked_at = ear_band(*a.face(), image_left);
    cv::Rect full(cv::Point(cvRound(looked_at.x), cvRound(looked_at.y)), cv::Point(cvRound(looked_at.br().x), cvRound(looked_at.br().y)));
    Band band{full & cv::Rect(cv::Point(), a.size())};
    band.cut_by_frame = band.box.area() < min_band_in_picture * full.area();
    if (band.box.empty()) band.box = edge_beside(full, a.size());
    if (band.cut_by_frame) return band;

    double scale = std::min(1.0, work_face_width_px / w);
    cv::Mat bgr;
    cv::resize(a.bgr()(band.box), bgr, cv::Size(), scale, scale, cv::INTER_AREA);
    cv::Mat lab = to_lab(bgr);
    cv::Vec3d skin_common = at_common_lightness(skin), hair_common = at_common_lightness(hair);
    cv::Mat ear = cv::Mat::zeros(lab.size(), CV_8U);
    for (int y = 0; y < lab.rows; ++y)
        for (int x = 0; x < lab.cols; ++x) {
            cv::Vec3d q = lab.at<cv::Vec3f>(y, x);
            if (half_lightness_delta_e(q, wall) <= wall_delta_e) continue;
            cv::Vec3d common = at_common_lightness(q);
            double from_skin = cv::norm(common - skin_common);
            if (from_skin < ear_from_skin && from_skin < cv::norm(common - hair_common)) ear.at<uchar>(y, x) = 255;
        }
    int thinnest = std::max(1, cvRound(thinnest_ear * w * scale)) | 1;
    cv::morphologyEx(ear, ear, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_ELLIPSE, {thinnest, thinnest}));
    band.ear_area = cv::countNonZero(ear) / (w * scale * w * scale);
    return band;
}

}  // namespace

Finding check_ears_visible(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("ears-visible");
    cv::Vec3d skin = a.skin_colour().median, wall = a.wall().mean_lab;
    cv::Vec3d hair = hair_colour(a, skin, wall);
    Band left = measure_band(a, true, skin, hair, wall), right = measure_band(a, false, skin, hair, wall);

    double smaller = std::min(left.ear_area, right.ear_area), minimum = config.number("min_ear_area");
    Finding f = measured("ears-visible", std::round(smaller * 10000) / 10000, minimum, "face widths squared of the smaller ear", false);
    bool left_hidden = left.ear_area < minimum, right_hidden = right.ear_area < minimum;
    if (left_hidden) f.regions.push_back(left.box);
    if (right_hidden) f.regions.push_back(right.box);
    // An ear the frame cuts off cannot show in the upload either (meds S015's, the head at the photo's edge).
    Message cut{"An ear is outside the photo's frame: centre the head and leave room beside it",
                "有耳朵在照片画面之外：请将头部居中，两侧留出空间"};
    Message hidden = (left_hidden && left.cut_by_frame) || (right_hidden && right.cut_by_frame) ? cut
                   : left_hidden && right_hidden
        ? Message{"Both ears are hidden: tuck the hair behind the ears", "双耳被遮挡：请将头发拢到耳后，露出双耳"}
        : left_hidden ? Message{"The ear on the left of the photo is hidden (by hair, or the head is turned): tuck the hair behind it and face the camera squarely",
                                "照片左侧的耳朵被遮挡（头发遮挡或头部侧转）：请将头发拢到耳后，正对镜头"}
                      : Message{"The ear on the right of the photo is hidden (by hair, or the head is turned): tuck the hair behind it and face the camera squarely",
                                "照片右侧的耳朵被遮挡（头发遮挡或头部侧转）：请将头发拢到耳后，正对镜头"};
    return conclude(f, !left_hidden && !right_hidden, config, {"Both ears visible", "露出双耳"}, hidden);
}

}  // namespace certphoto
