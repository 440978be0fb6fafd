// Glare on the skin (光斑): specular highlights from flash or a hard light, white and burnt out, standing far
// above the face's own skin lightness. Shiny skin in soft light has bright but unclipped, skin-coloured
// highlights and passes.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// A glare pixel: every channel near white...
constexpr int glare_min_channel = 235;
// ...and far brighter than the median skin (L*).
constexpr double glare_above_skin_lightness = 15;
// Spots smaller than this share of the skin are catchlight-sized noise, not a light spot to point at.
constexpr double min_spot_fraction = 0.0005;
constexpr std::size_t max_regions = 3;
// The forehead above the brows, where flash glare falls most, up to this share of the face width.
constexpr double forehead_height_face_widths = 0.25;

// The skin mask with the forehead added (the landmarks stop at the brows), over a box that reaches up to
// it. Hair there is dark, and glare is white, so the forehead band needs no finer outline.
Part skin_with_forehead(const Analysis& a) {
    using namespace landmark;
    const FaceCrop& crop = a.face_crop();
    const auto& p = a.face()->landmarks.points;
    int lift = cvRound(forehead_height_face_widths * a.face()->face_width_px);
    cv::Rect box = (crop.box | (crop.box - cv::Point(0, lift))) & cv::Rect(cv::Point(), a.size());
    Part part{box, cv::Mat::zeros(box.size(), CV_8U)};
    crop.skin_mask.copyTo(part.mask(cv::Rect(crop.box.tl() - box.tl(), crop.box.size())));
    std::vector<cv::Point> band;
    for (int i = right_brow_first; i <= left_brow_last; ++i) band.emplace_back(cvRound(p[i].x) - box.x, cvRound(p[i].y) - box.y);
    for (int i = left_brow_last; i >= right_brow_first; --i) band.emplace_back(cvRound(p[i].x) - box.x, cvRound(p[i].y) - box.y - lift);
    cv::fillPoly(part.mask, std::vector<std::vector<cv::Point>>{band}, 255);
    return part;
}

}  // namespace

Finding check_glare_skin(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("glare-skin");
    Part skin = skin_with_forehead(a);
    cv::Mat bgr = a.bgr()(skin.box), l;
    cv::extractChannel(lab_of(a.bgr(), skin), l, 0);
    std::vector<float> skin_l;
    for (int y = 0; y < l.rows; ++y)
        for (int x = 0; x < l.cols; ++x)
            if (skin.mask.at<uchar>(y, x)) skin_l.push_back(l.at<float>(y, x));
    double skin_median = percentile(skin_l, 0.5);
    cv::Mat white = min_channel(bgr) >= glare_min_channel;
    cv::Mat glare = white & (l > skin_median + glare_above_skin_lightness) & skin.mask;
    double skin_pixels = std::max<std::size_t>(1, skin_l.size());
    double fraction = cv::countNonZero(glare) / skin_pixels;
    double maximum = config.number("max_glare_fraction");
    Finding f = measured("glare-skin", std::round(fraction * 10000) / 10000, maximum, "fraction of the skin glaring", false);
    if (fraction > maximum) {
        for (const Patch& spot : patches_largest_first(glare)) {
            if (f.regions.size() == max_regions) break;
            if (spot.pixels >= min_spot_fraction * skin_pixels) f.regions.push_back(spot.box + skin.box.tl());
        }
    }
    return conclude(f, fraction <= maximum, config, {"No light spots on the skin", "皮肤无光斑"},
                    {"Light spots on the face (" + format_number(fraction * 100, 1) + "% of the skin): soften or move the light, avoid direct flash",
                     "面部有光斑（" + format_number(fraction * 100, 1) + "% 皮肤）：请柔化或调整灯光角度，避免闪光灯直射"});
}

}  // namespace certphoto
