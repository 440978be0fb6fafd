// Sharpness: the fine detail around the eyes (lashes, iris rims, brows), measured at a fixed face scale so
// that a large photo is not "sharper" than a small one of the same quality.
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// The eye region is resampled so the pupils are this far apart: enough for lashes, small enough to be fast
// and to hide JPEG blocking.
constexpr double normalised_inter_pupil_px = 64.0;

}  // namespace

Finding check_sharpness(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("sharpness");
    const FaceCrop& crop = a.face_crop();
    double scale = normalised_inter_pupil_px / std::max(1.0, a.face()->inter_pupil_px);
    cv::Mat grey, small, mask, laplacian;
    cv::cvtColor(crop.bgr, grey, cv::COLOR_BGR2GRAY);
    cv::resize(grey, small, cv::Size(), scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    cv::resize(crop.eyes_mask, mask, small.size(), 0, 0, cv::INTER_NEAREST);
    cv::Laplacian(small, laplacian, CV_32F, 1);
    cv::Scalar mean, stddev;
    cv::meanStdDev(laplacian, mean, stddev, mask);
    double detail = stddev[0];
    double minimum = config.number("min_detail");

    Finding f = measured("sharpness", std::round(detail * 100) / 100, minimum, "eye-region detail", false);
    f.regions = {cv::boundingRect(crop.eyes_mask) + crop.box.tl()};
    return conclude(f, detail >= minimum, config, {"Photo sharp", "图像清晰"},
                    {"Photo blurred: clean the lens, hold the camera still, focus on the eyes",
                     "图像模糊：请擦拭镜头、保持相机稳定并对焦眼睛"});
}

}  // namespace certphoto
