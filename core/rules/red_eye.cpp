// Red eye: flash light reflected from the retina turns the pupil red. The share of each pupil disc (around the
// located iris centre) whose red channel stands far above green and blue; natural pupils are black, and
// the pink inner corner of the eye is pink, not red.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// Red well above both other channels, and not so dark that the ratio is noise.
constexpr double red_over_other_channels = 1.8;
constexpr int min_red_level = 70;

double red_fraction(const cv::Mat& bgr, const Part& part) {
    if (part.empty()) return 0;
    int red = 0, total = 0;
    for (int y = 0; y < part.box.height; ++y)
        for (int x = 0; x < part.box.width; ++x) {
            if (!part.mask.at<uchar>(y, x)) continue;
            const cv::Vec3b& p = bgr.at<cv::Vec3b>(part.box.y + y, part.box.x + x);
            ++total;
            if (p[2] >= min_red_level && p[2] > red_over_other_channels * p[1] && p[2] > red_over_other_channels * p[0]) ++red;
        }
    return total ? double(red) / total : 0;
}

}  // namespace

Finding check_red_eye(const Analysis& a, const RuleConfig& config) {
    // A close-up the frame cuts (face-count fails it) still shows its eyes: red pupils are a second thing the
    // reshoot must change.
    const Face* face = a.face() ? a.face() : a.cut_face();
    if (!face) return skipped_without_face("red-eye");
    Part left = pupil(a, *face, true), right = pupil(a, *face, false);
    double left_red = red_fraction(a.bgr(), left), right_red = red_fraction(a.bgr(), right);
    double maximum = config.number("max_red_pupil_fraction");
    double worst = std::max(left_red, right_red);
    Finding f = measured("red-eye", std::round(worst * 1000) / 1000, maximum, "fraction of the pupil red", false);
    if (left_red > maximum) f.regions.push_back(left.box);
    if (right_red > maximum) f.regions.push_back(right.box);
    return conclude(f, worst <= maximum, config, {"No red eye", "无红眼"},
                    {"Red eye: the flash is reflected in the pupils; turn off direct flash or use bounce light and reshoot",
                     "红眼：闪光灯在瞳孔中反射，请关闭直射闪光灯或改用反射光后重拍"});
}

}  // namespace certphoto
