#pragma once
// Defects injected into clean studio photos, one per rule: each makes what the rule must catch, in the way a
// camera, a light or a retoucher would, using the clean photo's own geometry (landmarks, person mask).
#include <functional>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "face_lighting.hpp"
#include "image.hpp"

namespace certphoto::test {

// A clean photo and what its own analysis found.
struct Sample {
    std::string name;
    cv::Mat bgr;
    Face face;
    cv::Mat person;  // CV_8U 0..255 at the photo's size
    int index = 0;   // alternates the direction of one-sided defects
};

struct Defect {
    std::string name;
    std::string rule_id;
    std::function<Bytes(const Sample&)> inject;
};

inline Bytes as_jpeg(const cv::Mat& bgr, int quality = 95) {
    std::vector<uchar> buffer;
    cv::imencode(".jpg", bgr, buffer, {cv::IMWRITE_JPEG_QUALITY, quality});
    return Bytes(buffer.begin(), buffer.end());
}

// A gain in linear light, per pixel (CV_32F), applied as light would be.
inline cv::Mat apply_linear_gain(const cv::Mat& bgr, const cv::Mat& gain) {
    cv::Mat lut_to_linear(1, 256, CV_32F);
    for (int i = 0; i < 256; ++i) lut_to_linear.at<float>(i) = static_cast<float>(srgb_to_linear(i / 255.0));
    cv::Mat out(bgr.size(), CV_8UC3);
    for (int y = 0; y < bgr.rows; ++y)
        for (int x = 0; x < bgr.cols; ++x) {
            const cv::Vec3b& in = bgr.at<cv::Vec3b>(y, x);
            float g = gain.at<float>(y, x);
            for (int c = 0; c < 3; ++c) {
                double linear = std::min(1.0, double(lut_to_linear.at<float>(in[c])) * g);
                out.at<cv::Vec3b>(y, x)[c] = cv::saturate_cast<uchar>(linear_to_srgb(linear) * 255);
            }
        }
    return out;
}

inline cv::Mat uniform_gain(cv::Size size, double stops) { return cv::Mat(size, CV_32F, cv::Scalar(std::exp2(stops))); }

// One-sided light: the gain falls off across the face so one cheek is `cheek_stops` darker than the other.
// It falls on the person; the backdrop has its own light, as in a studio.
inline cv::Mat one_sided_light(const Sample& s, double cheek_stops) {
    double direction = s.index % 2 ? 1 : -1;
    double per_pixel = direction * cheek_stops / FaceLighting::cheek_spacing_face_widths / s.face.face_width_px;
    cv::Mat gain(s.bgr.size(), CV_32F);
    for (int x = 0; x < gain.cols; ++x) {
        double stops = std::clamp(per_pixel * (x - s.face.center_x), -2.5, 2.5);
        gain.col(x).setTo(std::exp2(stops));
    }
    cv::Mat person;
    s.person.convertTo(person, CV_32F, 1.0 / 255);
    gain = gain.mul(person) + (1 - person);
    return apply_linear_gain(s.bgr, gain);
}

inline cv::Mat rotated_about_face(const Sample& s, double degrees) {
    cv::Point2f centre(static_cast<float>(s.face.center_x), static_cast<float>(s.face.eye_line_y));
    cv::Mat out;
    cv::warpAffine(s.bgr, out, cv::getRotationMatrix2D(centre, degrees, 1.0), s.bgr.size(), cv::INTER_CUBIC,
                   cv::BORDER_REPLICATE);
    return out;
}

inline std::vector<Defect> injected_defects() {
    return {
        {"underexposed by 2.3 stops", "exposure-dark",
         [](const Sample& s) { return as_jpeg(apply_linear_gain(s.bgr, uniform_gain(s.bgr.size(), -2.3))); }},
        {"overexposed by 1.5 stops", "exposure-bright",
         [](const Sample& s) { return as_jpeg(apply_linear_gain(s.bgr, uniform_gain(s.bgr.size(), 1.5))); }},
        {"one-sided light, 1.6 stops between the cheeks", "lighting-even",
         [](const Sample& s) { return as_jpeg(one_sided_light(s, 1.6)); }},
        {"out of focus", "sharpness",
         [](const Sample& s) {
             cv::Mat blurred;
             cv::GaussianBlur(s.bgr, blurred, cv::Size(), s.face.face_width_px * 0.012);
             return as_jpeg(blurred);
         }},
        {"head tilted 9 degrees", "head-roll",
         [](const Sample& s) { return as_jpeg(rotated_about_face(s, s.index % 2 ? 9 : -9)); }},
        {"tiny face (120 px wide)", "face-resolution",
         [](const Sample& s) {
             cv::Mat small;
             double scale = 120.0 / s.face.face_width_px;
             cv::resize(s.bgr, small, cv::Size(), scale, scale, cv::INTER_AREA);
             return as_jpeg(small);
         }},
    };
}

}  // namespace certphoto::test
