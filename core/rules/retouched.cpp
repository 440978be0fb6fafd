// Retouched (严禁美颜): a real photo carries fine grain on the skin everywhere (pores, fine hair, the sensor's
// own noise); a beauty filter smooths it away and leaves patches of skin dead flat, pixel to pixel. The share
// of the skin whose 3x3 neighbourhood is flatter than any camera delivers, at the photo's own resolution.
// Clean studio shots: at most 7 %; the skin smoothing of a beauty app: 15 % and more.
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
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
// The share is a statistic: of a large face (a camera original read at its own resolution) evenly spread
// bands of rows are read, about this many pixels.
constexpr double max_pixels_read = 1.5e6;
constexpr int band_rows = 16;

struct SkinCount {
    double flat = 0;
    double skin = 0;
};

// Skin crushed to black (grey level under this) is flat whatever the camera: the shadows of an underexposed face
// (meds S031: two thirds of its skin) say nothing of smoothing and are left out. Well-lit dark skin is far above
// it (london 042, 062, 099: all their skin).
constexpr float crushed_black_grey = 15;

SkinCount count_flat_skin(const cv::Mat& bgr, const cv::Mat& skin, double grain) {
    cv::Mat grey = grey_levels(bgr);
    cv::Mat measurable = skin & (grey >= crushed_black_grey);
    cv::Mat flat = (local_variance(grey, 3) < grain * grain) & measurable;
    return {double(cv::countNonZero(flat)), double(cv::countNonZero(measurable))};
}

// Bands of rows, each read with a row of context above and below so its 3x3 neighbourhoods are whole.
SkinCount count_flat_skin_in_bands(const cv::Mat& bgr, const cv::Mat& skin, double grain, int band_step) {
    SkinCount total;
    for (int y = 0; y < bgr.rows; y += band_rows * band_step) {
        int top = std::max(0, y - 1), bottom = std::min(bgr.rows, y + band_rows + 1);
        cv::Mat band_skin = skin.rowRange(top, bottom).clone();
        if (top < y) band_skin.row(0).setTo(0);
        if (bottom > y + band_rows) band_skin.row(band_skin.rows - 1).setTo(0);
        SkinCount band = count_flat_skin(bgr.rowRange(top, bottom), band_skin, grain);
        total.flat += band.flat;
        total.skin += band.skin;
    }
    return total;
}

}  // namespace

Finding check_retouched(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("retouched");
    const FaceCrop& crop = a.face_crop();
    cv::Mat bgr = crop.bgr, skin = crop.skin_mask;
    if (a.scale() != 1) {  // the grain is in the file's own pixels, not in a reduced copy
        bgr = a.file_pixels(a.to_file(crop.box));
        cv::resize(crop.skin_mask, skin, bgr.size(), 0, 0, cv::INTER_NEAREST);
    }
    double exposure = a.face_exposure().eye_white_lightness / reference_eye_white_lightness;
    double grain = flat_grain * std::clamp(exposure, min_grain_share, 1.0);
    int band_step = static_cast<int>(std::ceil(bgr.total() / max_pixels_read));
    SkinCount count = band_step <= 1 ? count_flat_skin(bgr, skin, grain) : count_flat_skin_in_bands(bgr, skin, grain, band_step);
    double fraction = count.flat / std::max(1.0, count.skin);
    double maximum = config.number("max_flat_skin_fraction");
    Finding f = measured("retouched", std::round(fraction * 1000) / 1000, maximum, "fraction of the skin without grain", false);
    if (fraction > maximum) f.regions = {crop.box};
    return conclude(f, fraction <= maximum, config, {"Skin texture natural (not beautified)", "皮肤纹理自然（未美颜）"},
                    {"The skin looks smoothed (beautified): use the original, unretouched photo",
                     "皮肤疑似经过磨皮美颜：请使用未经修饰的原始照片"});
}

}  // namespace certphoto
