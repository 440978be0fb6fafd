#pragma once
// Pupil centres from the eye opening: the 68-point scheme gives the eyelids, not the iris.
#include <vector>

#include <opencv2/core.hpp>

namespace certphoto {

// grey: the whole image, CV_8U; eye: the six landmarks of one eye opening.
cv::Point2f locate_pupil(const cv::Mat& grey, const std::vector<cv::Point2f>& eye);

}  // namespace certphoto
