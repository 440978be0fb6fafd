// Re-photographed (严禁翻拍): a photo of a print or a screen carries a regular fine pattern, the halftone
// screen or the display's pixel grid, often beating into moire. In the spectrum of the face region that shows
// as sharp peaks far above the smooth fall-off of a real scene. The JPEG block grid's own harmonics are
// left out.
#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// The face's spectrum is read over a square this wide (file pixels), moved into the picture where the face
// is near its edge, and narrower (a multiple of the JPEG block) on a photo smaller than it, down to the least
// that still holds a pattern's peaks apart from the scene's fall-off.
constexpr int window_px = 256, min_window_px = 192;
// Fine patterns only: between 2.2 and 12 pixels a period.
constexpr double min_frequency = 1.0 / 12, max_frequency = 1.0 / 2.2;
constexpr int jpeg_block_px = 8;

bool near_jpeg_harmonic(int u, int v, int window) {
    auto near = [window](int f) {
        int step = window / jpeg_block_px;
        int r = std::abs(f) % step;
        return r <= 1 || r >= step - 1;
    };
    return (near(u) && std::abs(v) <= 1) || (near(v) && std::abs(u) <= 1) || (near(u) && near(v));
}

}  // namespace

Finding check_rephotographed(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("rephotographed");
    // In the file's own pixels: a reduced copy would have averaged the pattern away.
    cv::Point2d centre(a.face()->center_x / a.scale(), a.face()->eye_line_y / a.scale());
    const int side = std::min({window_px, a.info().width, a.info().height}) / jpeg_block_px * jpeg_block_px;
    if (side < min_window_px)
        return not_measured("rephotographed", {"The photo is too small to look for a print or screen pattern", "照片太小，无法检测翻拍纹理"});
    cv::Rect window(std::clamp(cvRound(centre.x) - side / 2, 0, a.info().width - side), std::clamp(cvRound(centre.y) - side / 4, 0, a.info().height - side),
                    side, side);
    cv::Mat pixels, hann, spectrum, planes[2], magnitude;
    if (a.scale() == 1)
        a.grey()(window).convertTo(pixels, CV_32F);
    else
        pixels = grey_levels(a.file_pixels(window));
    pixels -= cv::mean(pixels)[0];
    cv::createHanningWindow(hann, pixels.size(), CV_32F);
    cv::dft(pixels.mul(hann), spectrum, cv::DFT_COMPLEX_OUTPUT);
    cv::split(spectrum, planes);
    cv::magnitude(planes[0], planes[1], magnitude);
    std::vector<float> band;
    float peak = 0;
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side / 2; ++x) {
            int u = x, v = y <= side / 2 ? y : y - side;
            double frequency = std::hypot(u, v) / side;
            if (frequency < min_frequency || frequency > max_frequency || near_jpeg_harmonic(u, v, side)) continue;
            float m = magnitude.at<float>(y, x);
            band.push_back(m);
            peak = std::max(peak, m);
        }
    double median = percentile(band, 0.5);
    double ratio = median > 0 ? peak / median : 0;
    double maximum = config.number("max_peak_to_median");
    Finding f = measured("rephotographed", std::round(ratio * 10) / 10, maximum, "strongest fine-pattern peak / median (face spectrum)", false);
    if (ratio > maximum) f.regions = {a.to_analysis(window)};
    return conclude(f, ratio <= maximum, config, {"No print or screen pattern (not re-photographed)", "未见翻拍纹理"},
                    {"A print or screen pattern shows (moire): photograph the person, not a photo or a screen",
                     "有印刷网点或屏幕纹理（摩尔纹）：严禁翻拍，请直接拍摄本人"});
}

}  // namespace certphoto
