// Clothing colour: no blue top (it would merge with the light-blue background), and no top close to the
// background colour. The share of the clothes' pixels that are blue, or near the preset's background colour,
// below the neck across the shoulders. Dark navy reads as dark clothing, not as blue.
#include "analysis.hpp"
#include "color.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// Blue in CIE Lab: b* well below zero, with a hue between cyan and violet.
constexpr double blue_min_hue_deg = 200, blue_max_hue_deg = 315;
// Colour distance (CIE76) within which a pixel would merge with the background.
constexpr double merges_with_background_delta_e = 12;
// ...and within which it is the wall the person mask takes in above the shoulders (GrabCut starts every
// shoulder-wide row below the chin as person), not clothes: on an upload, the new background itself, which beside
// canada 053f's bare shoulders made up to 28 % of her clothes, all of it counted near the background colour.
constexpr double wall_delta_e = 3;

}  // namespace

Finding check_clothing_color(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("clothing-color");
    const Clothes& clothes = a.clothes();
    if (clothes.empty()) return not_measured("clothing-color", {"No clothes in the frame to measure", "画面中没有可检测的服装"});
    const cv::Vec3d background = rgb_to_lab(a.preset().background_rgb), wall = a.wall().mean_lab;
    double min_blue_chroma = config.number("min_blue_chroma"), min_lightness = config.number("min_blue_lightness");
    int blue = 0, total = 0;
    for (int y = 0; y < clothes.lab.rows; ++y)
        for (int x = 0; x < clothes.lab.cols; ++x) {
            if (!clothes.mask.at<uchar>(y, x)) continue;
            cv::Vec3f p = clothes.lab.at<cv::Vec3f>(y, x);
            cv::Vec3d colour(p[0], p[1], p[2]);
            if (cv::norm(colour - wall) < wall_delta_e) continue;
            double hue = hue_degrees(p[1], p[2]), chroma = std::hypot(p[1], p[2]);
            bool is_blue = p[0] >= min_lightness && chroma >= min_blue_chroma && hue >= blue_min_hue_deg && hue <= blue_max_hue_deg;
            bool near_background = cv::norm(colour - background) < merges_with_background_delta_e;
            ++total;
            if (is_blue || near_background) ++blue;
        }
    double fraction = total ? double(blue) / total : 0;
    double maximum = config.number("max_blue_fraction");
    Finding f = measured("clothing-color", std::round(fraction * 1000) / 1000, maximum, "fraction of the clothes blue", false);
    if (fraction > maximum) f.regions = {clothes.box};
    return conclude(f, fraction <= maximum, config, {"Clothing colour contrasts with the background", "服装颜色与背景区分明显"},
                    {"Blue top (or a top close to the background colour): change into a top of another colour and reshoot",
                     "穿着蓝色上衣（或与背景颜色相近）：请更换其他颜色的上衣后重拍"});
}

}  // namespace certphoto
