#include "face_lighting.hpp"

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "face_regions.hpp"

namespace certphoto {
namespace {

// Skin darker than this L* is shadow in a crease or a stray hair, not the light on the face.
constexpr float min_skin_lightness = 5.0f;
// Pixels further than this many standard deviations from the first fit (glare, moles, stubble) are left out
// of the second.
constexpr double outlier_sigmas = 2.0;
// One pixel in this many, each way, is enough for a three-parameter fit.
constexpr int sample_step_px = 2;

struct Sample {
    double u, v, stops;
};

cv::Vec3d fit_plane(const std::vector<Sample>& samples, const cv::Vec3d* previous, double max_residual) {
    cv::Matx33d normal = cv::Matx33d::zeros();
    cv::Vec3d rhs(0, 0, 0);
    for (const Sample& s : samples) {
        if (previous) {
            double predicted = (*previous)[0] + (*previous)[1] * s.u + (*previous)[2] * s.v;
            if (std::abs(s.stops - predicted) > max_residual) continue;
        }
        cv::Vec3d row(1, s.u, s.v);
        normal += row * row.t();
        rhs += row * s.stops;
    }
    return normal.solve(rhs, cv::DECOMP_SVD);
}

}  // namespace

double srgb_to_linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }
double linear_to_srgb(double l) { return l <= 0.0031308 ? 12.92 * l : 1.055 * std::pow(l, 1 / 2.4) - 0.055; }
double lightness_to_luminance(double l) {
    double f = (l + 16) / 116;
    return l > 8 ? f * f * f : l / 903.3;
}

FaceLighting measure_face_lighting(const FaceCrop& crop, const cv::Mat& skin_lightness, cv::Point2d centre,
                                   double face_width_px) {
    FaceLighting lighting;
    lighting.centre = centre;
    lighting.face_width_px = std::max(1.0, face_width_px);
    std::vector<Sample> samples;
    for (int y = 0; y < skin_lightness.rows; y += sample_step_px)
        for (int x = 0; x < skin_lightness.cols; x += sample_step_px) {
            float l = skin_lightness.at<float>(y, x);
            if (!crop.skin_mask.at<uchar>(y, x) || l < min_skin_lightness) continue;
            samples.push_back({(crop.box.x + x - centre.x) / lighting.face_width_px,
                               (crop.box.y + y - centre.y) / lighting.face_width_px,
                               std::log2(lightness_to_luminance(l))});
        }
    if (samples.size() < 3) return lighting;
    cv::Vec3d first = fit_plane(samples, nullptr, 0);
    double sum_squares = 0;
    for (const Sample& s : samples) sum_squares += std::pow(s.stops - (first[0] + first[1] * s.u + first[2] * s.v), 2);
    double sigma = std::sqrt(sum_squares / samples.size());
    cv::Vec3d plane = fit_plane(samples, &first, outlier_sigmas * sigma);
    lighting.stops = plane[0];
    lighting.left_right_stops = plane[1];
    lighting.top_bottom_stops = plane[2];
    int middle = cvRound(centre.x);
    lighting.darker_side = plane[1] > 0 ? cv::Rect(crop.box.x, crop.box.y, std::max(0, middle - crop.box.x), crop.box.height)
                                        : cv::Rect(middle, crop.box.y, std::max(0, crop.box.br().x - middle), crop.box.height);
    return lighting;
}

}  // namespace certphoto
