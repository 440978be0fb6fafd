// Makeup (不宜化妆): lipstick shows as lips far contrast and darker than the same face's skin. Natural lips of
// every skin tone are a little contrast and darker than the skin around them; the contrast is measured against
// the face's own skin, so skin tone and light do not move it. Calibrated on the london set: natural lips
// score 1-25, the lipsticks of 002, 113 and the pexels portrait 29-53.
#include "analysis.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// Lipstick darkens as well as reddens; a unit of L* darker counts half a unit of a* contrast.
constexpr double darkening_weight = 0.5;

}  // namespace

Finding check_makeup(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("makeup");
    const LabStats& skin = a.skin_colour();
    Part lip_part = lips(a);
    LabStats lip = lab_stats(a.bgr(), lip_part);
    if (lip.pixels == 0) return skipped("makeup", {"The lips could not be located", "无法定位嘴唇"});
    double contrast = lip.median[1] - skin.median[1] + darkening_weight * std::max(0.0, skin.median[0] - lip.median[0]);
    double maximum = config.number("max_lip_contrast");
    Finding f = measured("makeup", std::round(contrast * 10) / 10, maximum, "lip colour against the skin (CIE Lab: a* contrast + L* darker / 2)", false);
    if (contrast > maximum) f.regions = {lip_part.box};
    return conclude(f, contrast <= maximum, config, {"No lipstick", "未见口红"},
                    {"Lipstick: remove the makeup (lipstick, drawn eyebrows, heavy eye makeup) and reshoot",
                     "涂有口红：请卸妆（口红、描眉、浓重眼妆）后重拍"});
}

}  // namespace certphoto
