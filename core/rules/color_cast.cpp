// Colour cast: skin of every tone lies in a narrow band of hues (red-orange to yellow-orange in CIE Lab) with a
// moderate chroma; a wrong white balance or coloured light moves the skin out of it (green, blue, magenta,
// or a grey, colourless face).
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// A grey face is a black-and-white (or faded) photo only when the picture has no colour anywhere: at most this
// share of it (a copy this many pixels long) above this CIE chroma. pexels angry_bw has none; a studio shot
// against a grey wall in a white shirt still has its skin (london 002: 19 %); a grey face in a colour photo
// (meds S018 against his blue wall, 75 %) is the light's or the white balance's doing.
constexpr double monochrome_max_coloured_share = 0.01;
constexpr double coloured_min_chroma = 10;
constexpr double monochrome_copy_px = 200;

bool picture_has_no_colour(const cv::Mat& bgr) {
    cv::Mat small;
    const double k = std::min(1.0, monochrome_copy_px / std::max(bgr.cols, bgr.rows));
    cv::resize(bgr, small, cv::Size(), k, k, cv::INTER_AREA);
    // A pixel's chroma is its distance from grey in a*b*.
    const cv::Mat chroma = chromaticity_distance(to_lab(small), cv::Vec3d(0, 0, 0));
    return cv::countNonZero(chroma > coloured_min_chroma) <= monochrome_max_coloured_share * chroma.total();
}

}  // namespace

Finding check_color_cast(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("color-cast");
    const FaceCrop& crop = a.face_crop();
    const LabStats& skin = a.skin_colour();
    Range hue = config.range("skin_hue_deg");
    Range chroma = config.range("skin_chroma");
    Finding f = measured("color-cast", std::round(skin.hue_deg * 10) / 10, range_json(hue.min, hue.max), "skin hue (degrees, CIE Lab)", false);
    bool natural = hue.contains(skin.hue_deg) && chroma.contains(skin.chroma);
    if (!natural) f.regions = {crop.box};
    const std::string hue_deg = format_number(skin.hue_deg), chroma_value = format_number(skin.chroma);
    if (skin.chroma < chroma.min && picture_has_no_colour(a.bgr()))
        return conclude(f, natural, config, {}, {"A black-and-white or faded photo (no colour anywhere, the face included): a colour photo is required",
                                                 "黑白或褪色照片（整张照片包括面部都没有颜色）：须使用彩色照片"});
    if (skin.chroma < chroma.min)
        return conclude(f, natural, config, {},
                        {"The face looks grey (chroma " + chroma_value + ", at least " + format_number(chroma.min) +
                             "): the light or the white balance drains the skin's colour; set the white balance for the studio light and reshoot",
                         "面部发灰（彩度 " + chroma_value + "，应至少 " + format_number(chroma.min) + "）：光线或白平衡使肤色失去颜色，请按影室灯光设置白平衡后重拍"});
    return conclude(f, natural, config, {"Natural skin colour", "肤色自然"},
                    {"Colour cast on the face (hue " + hue_deg + "°, chroma " + chroma_value + "): set the white balance for the studio light and reshoot",
                     "面部偏色（色相 " + hue_deg + "°，彩度 " + chroma_value + "）：请按影室灯光设置白平衡后重拍"});
}

}  // namespace certphoto
