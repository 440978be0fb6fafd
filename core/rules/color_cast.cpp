// Colour cast: skin of every tone lies in a narrow band of hues (red-orange to yellow-orange in CIE Lab) with a
// moderate chroma; a wrong white balance or coloured light moves the skin out of it (green, blue, magenta,
// or a grey, colourless face).
#include "analysis.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {

Finding check_color_cast(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("color-cast");
    const FaceCrop& crop = a.face_crop();
    const LabStats& skin = a.skin_colour();
    Range hue = config.range("skin_hue_deg");
    Range chroma = config.range("skin_chroma");
    Finding f = measured("color-cast", std::round(skin.hue_deg * 10) / 10, range_json(hue.min, hue.max), "skin hue (degrees, CIE Lab)", false);
    bool natural = hue.contains(skin.hue_deg) && chroma.contains(skin.chroma);
    if (!natural) f.regions = {crop.box};
    if (skin.chroma < chroma.min)
        return conclude(f, natural, config, {}, {"No colour in the face: a black-and-white or washed-out photo; a colour photo is required",
                                                 "面部没有颜色：黑白或褪色照片，须使用彩色照片"});
    const std::string hue_deg = format_number(skin.hue_deg), chroma_value = format_number(skin.chroma);
    return conclude(f, natural, config, {"Natural skin colour", "肤色自然"},
                    {"Colour cast on the face (hue " + hue_deg + "°, chroma " + chroma_value + "): set the white balance for the studio light and reshoot",
                     "面部偏色（色相 " + hue_deg + "°，彩度 " + chroma_value + "）：请按影室灯光设置白平衡后重拍"});
}

}  // namespace certphoto
