#pragma once
// 严禁美颜: the face in the output must carry the input's own fine detail. The input is resampled with the
// affine the edit audit reports (plain OpenCV, not the fix code), and the high-frequency content of the
// face is compared. Smoothing, whitening or reshaping the face changes it.
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "face_landmarks.hpp"

namespace certphoto::test {

struct FaceDetailComparison {
    double energy_ratio = 0;  // output's face detail / the resampled input's
    double correlation = 0;   // of the two detail images
};

inline cv::Mat face_detail(const cv::Mat& bgr, const cv::Rect& face) {
    cv::Mat grey, detail;
    cv::cvtColor(bgr(face), grey, cv::COLOR_BGR2GRAY);
    grey.convertTo(grey, CV_32F);
    cv::Laplacian(grey, detail, CV_32F, 3);
    return detail;
}

inline FaceDetailComparison compare_face_detail(const cv::Mat& input, const cv::Mat& output, const cv::Matx23d& affine) {
    // The input brought into the output frame by the audited affine: an area-averaging downscale, then the
    // remaining rotation and shift. The scale is the affine's own: the audit's `scale` is rounded to 4 decimals,
    // which can change the downscaled size by a pixel and shift the face by half a pixel (london 021, 136).
    const double scale = std::hypot(affine(0, 0), affine(0, 1));
    cv::Mat reduced = input, expected;
    cv::Matx23d m = affine;
    if (scale < 1) {
        cv::resize(input, reduced, cv::Size(), scale, scale, cv::INTER_AREA);
        double ax = double(reduced.cols) / input.cols, ay = double(reduced.rows) / input.rows;
        m = cv::Matx23d(m(0, 0) / ax, m(0, 1) / ay, m(0, 2), m(1, 0) / ax, m(1, 1) / ay, m(1, 2));
    }
    cv::warpAffine(reduced, expected, m, output.size(), cv::INTER_CUBIC, cv::BORDER_REPLICATE);
    auto faces = FaceLandmarker::shared().find_faces(output);
    if (faces.size() != 1) return {};
    const auto& p = faces.front().points;
    // Inside the face: between the outer eye corners, from the brows to the mouth.
    cv::Rect face(cvRound(p[36].x), cvRound(std::min(p[19].y, p[24].y)), cvRound(p[45].x - p[36].x),
                  cvRound(p[57].y - std::min(p[19].y, p[24].y)));
    face &= cv::Rect(cv::Point(), output.size());
    cv::Mat a = face_detail(output, face), b = face_detail(expected, face);
    cv::Scalar mean_a, std_a, mean_b, std_b;
    cv::meanStdDev(a, mean_a, std_a);
    cv::meanStdDev(b, mean_b, std_b);
    FaceDetailComparison result;
    result.energy_ratio = std_a[0] / std::max(1e-6, std_b[0]);
    cv::Mat product = (a - mean_a[0]).mul(b - mean_b[0]);
    result.correlation = cv::mean(product)[0] / std::max(1e-6, std_a[0] * std_b[0]);
    return result;
}

}  // namespace certphoto::test
