// Background colour. On an output: is it the preset colour? On a studio shot: fix replaces the wall, which
// works when the wall is light, fairly neutral and even; a dark, strongly coloured or busy wall needs a reshoot.
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "rules/exposure.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// An underexposed shot that fix will brighten (exposure-dark fixable) has its wall judged at the exposure
// fix gives the face: the wall stands to the hair and skin as it did, only darker.
double wall_lightness_at_fixed_exposure(const Analysis& a) {
    double lightness = a.wall().mean_lab[0];
    return std::min(100.0, lightness_of_luminance(luminance_of_lightness(lightness) * std::exp2(stops_fix_will_expose(a))));
}

}  // namespace

Finding check_background_color(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("background-color");
    const WallModel& wall = a.wall();
    cv::Vec3d target = rgb_to_lab(a.preset().background_rgb);
    double distance = delta_e_2000(wall.mean_lab, target);
    Finding f = measured("background-color", std::round(distance * 10) / 10, config.number("max_delta_e"),
                         "CIEDE2000 from the preset colour", true);
    if (distance <= config.number("max_delta_e")) {
        f.status = Status::pass;
        f.message = {"Background is the required light blue", "背景为规定的浅蓝色"};
        return f;
    }
    f.status = out_of_limit(config);
    f.regions = {a.person().to_image(cv::boundingRect(wall.mask)) & cv::Rect(cv::Point(), a.size())};
    bool light = wall_lightness_at_fixed_exposure(a) >= config.number("replaceable_min_lightness");
    bool neutral = wall.chroma <= config.number("replaceable_max_chroma");
    bool even = wall.lightness_spread <= config.number("max_wall_spread");
    f.fixable = light && neutral && even;
    if (f.fixable)
        f.message = {"Background is not light blue: fix will replace it", "背景不是浅蓝色：自动处理将替换背景"};
    else if (!even)
        f.message = {"Background too busy to replace (objects, texture, strong gradient): reshoot against a plain light wall",
                     "背景杂乱（有物体、纹理或明显渐变），无法替换：请在纯色浅色墙前重拍"};
    else
        f.message = {"Background too dark or too colourful to replace: reshoot against a white or light wall",
                     "背景过暗或颜色过重，无法替换：请在白色或浅色墙前重拍"};
    return f;
}

}  // namespace certphoto
