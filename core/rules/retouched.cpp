// Retouched (严禁美颜): a real photo carries fine grain on the skin everywhere (pores, fine hair, the sensor's
// own noise); a beauty filter smooths it away and leaves patches of skin dead flat, pixel to pixel. The share
// of the skin whose 3x3 neighbourhood is flatter than any camera delivers, at the photo's own resolution.
// Clean studio shots: at most 7 %; the skin smoothing of a beauty app: 15 % and more.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// Standard deviation (grey levels) of a 3x3 neighbourhood under which the skin has no grain left...
constexpr double flat_grain = 0.6;
// ...in a photo whose eye whites are this light (L*). The skin's texture is a share of its light, so in an
// underexposed photo it is smaller in grey levels (about in proportion: sRGB is close to a power of the
// light); the threshold follows the exposure down to this share, lest a dark photo read as a smoothed one.
// The eye whites, not the skin, tell the exposure: dark skin is not underexposure.
constexpr double reference_eye_white_lightness = 75;
constexpr double min_grain_share = 0.4;

}  // namespace

Finding check_retouched(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("retouched");
    const FaceCrop& crop = a.face_crop();
    cv::Mat grey, mean, mean_of_squares;
    cv::cvtColor(crop.bgr, grey, cv::COLOR_BGR2GRAY);
    grey.convertTo(grey, CV_32F);
    cv::blur(grey, mean, {3, 3});
    cv::blur(grey.mul(grey), mean_of_squares, {3, 3});
    cv::Mat variance = mean_of_squares - mean.mul(mean);
    double exposure = a.face_exposure().eye_white_lightness / reference_eye_white_lightness;
    double grain = flat_grain * std::clamp(exposure, min_grain_share, 1.0);
    cv::Mat flat = (variance < grain * grain) & crop.skin_mask;
    double fraction = cv::countNonZero(flat) / std::max(1.0, double(cv::countNonZero(crop.skin_mask)));
    double maximum = config.number("max_flat_skin_fraction");
    Finding f = measured("retouched", std::round(fraction * 1000) / 1000, maximum, "fraction of the skin without grain", false);
    if (fraction > maximum) f.regions = {crop.box};
    return conclude(f, fraction <= maximum, config, {"Skin texture natural (not beautified)", "皮肤纹理自然（未美颜）"},
                    {"The skin looks smoothed (beautified): use the original, unretouched photo",
                     "皮肤疑似经过磨皮美颜：请使用未经修饰的原始照片"});
}

}  // namespace certphoto
