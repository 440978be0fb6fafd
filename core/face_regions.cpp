#include "face_regions.hpp"

#include <opencv2/imgproc.hpp>

#include "face_landmarks.hpp"

namespace certphoto {
namespace {

std::vector<cv::Point> polygon(const std::vector<cv::Point2f>& p, int first, int last, cv::Point2f origin) {
    std::vector<cv::Point> out;
    for (int i = first; i <= last; ++i) out.emplace_back(p[i] - origin);
    return out;
}

}  // namespace

FaceCrop crop_face(const cv::Mat& image, const std::vector<cv::Point2f>& p) {
    using namespace landmark;
    FaceCrop crop;
    crop.box = cv::boundingRect(p) & cv::Rect(cv::Point(), image.size());
    crop.bgr = image(crop.box);
    cv::Point2f origin(static_cast<float>(crop.box.x), static_cast<float>(crop.box.y));
    double face_width = landmark::face_width(p);

    crop.skin_mask = cv::Mat::zeros(crop.box.size(), CV_8U);
    std::vector<cv::Point> outline = polygon(p, jaw_first, jaw_last, origin);
    for (int i = left_brow_last; i >= right_brow_first; --i) outline.emplace_back(p[i] - origin);
    cv::fillConvexPoly(crop.skin_mask, outline, 255);

    cv::Mat features = cv::Mat::zeros(crop.box.size(), CV_8U);
    for (auto [first, last] : {std::pair{right_eye_first, right_eye_last}, std::pair{left_eye_first, left_eye_last},
                               std::pair{outer_lip_first, outer_lip_last}})
        cv::fillPoly(features, std::vector<std::vector<cv::Point>>{polygon(p, first, last, origin)}, 255);
    for (auto [first, last] : {std::pair{right_brow_first, right_brow_last}, std::pair{left_brow_first, left_brow_last}})
        cv::polylines(features, polygon(p, first, last, origin), false, 255, std::max(2, cvRound(face_width * 0.04)));
    int grow = std::max(1, cvRound(face_width * 0.03));  // lashes, lid shadows and lip edges stay out of the skin
    // Grown by a distance transform rather than a disc-shaped dilation: the same disc, in time independent of
    // its radius (a 24 MP face grows by 50 px, where dilation took 0.15 s).
    cv::Mat distance;
    cv::distanceTransform(features == 0, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    crop.skin_mask.setTo(0, distance <= grow);

    crop.eyes_mask = cv::Mat::zeros(crop.box.size(), CV_8U);
    std::vector<cv::Point> eyes = polygon(p, right_brow_first, left_brow_last, origin);
    for (int i = left_eye_first; i <= left_eye_last; ++i) eyes.emplace_back(p[i] - origin);
    for (int i = right_eye_first; i <= right_eye_last; ++i) eyes.emplace_back(p[i] - origin);
    std::vector<cv::Point> hull;
    cv::convexHull(eyes, hull);
    cv::fillConvexPoly(crop.eyes_mask, hull, 255);
    return crop;
}

}  // namespace certphoto
