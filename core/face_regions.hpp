#pragma once
// Regions of the face drawn from the 68 landmarks, as masks over a crop around the face.
#include <vector>

#include <opencv2/core.hpp>

namespace certphoto {

struct FaceCrop {
    cv::Rect box;        // in image pixels
    cv::Mat bgr;         // view into the image
    cv::Mat skin_mask;   // CV_8U 0/255: inside the face outline, without eyes, brows and mouth
    cv::Mat eyes_mask;   // CV_8U 0/255: both eyes with their lids and brows
};

FaceCrop crop_face(const cv::Mat& image_bgr, const std::vector<cv::Point2f>& landmarks68);

}  // namespace certphoto
