// Mouth closed, no teeth (嘴唇自然闭合，不露齿): teeth are the bright, un-red pixels inside the outer lip line.
// The outer line is used because the inner one collapses on many open smiles; lips, even pale ones, are
// redder than teeth and no brighter.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// Teeth against the lips' own median: this much brighter (L*) and this much less red (a*).
constexpr float teeth_brighter_than_lips = 12.0f;
constexpr float teeth_less_red_than_lips = 8.0f;

}  // namespace

Finding check_mouth_closed(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("mouth-closed");
    Part lips_and_teeth = mouth(a);
    if (lips_and_teeth.empty()) return not_measured("mouth-closed", {"The mouth could not be located", "无法定位嘴部"});
    cv::Mat lab = lab_of(a.bgr(), lips_and_teeth);
    LabStats lips = lab_stats_of(lab, lips_and_teeth.mask);
    int teeth = 0, total = 0;
    for (int y = 0; y < lab.rows; ++y)
        for (int x = 0; x < lab.cols; ++x) {
            if (!lips_and_teeth.mask.at<uchar>(y, x)) continue;
            cv::Vec3f q = lab.at<cv::Vec3f>(y, x);
            ++total;
            if (q[0] > lips.median[0] + teeth_brighter_than_lips && q[1] < lips.median[1] - teeth_less_red_than_lips) ++teeth;
        }
    double fraction = total ? double(teeth) / total : 0;
    double maximum = config.number("max_teeth_fraction");
    Finding f = measured("mouth-closed", std::round(fraction * 1000) / 1000, maximum, "fraction of the mouth showing teeth", false);
    if (fraction > maximum) f.regions = {lips_and_teeth.box};
    return conclude(f, fraction <= maximum, config, {"Mouth naturally closed", "嘴唇自然闭合"},
                    {"Teeth showing: close the lips naturally, no smile with teeth", "露出牙齿：请自然闭合嘴唇，不要露齿微笑"});
}

}  // namespace certphoto
