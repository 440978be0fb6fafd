#pragma once
// Operations on CV_8U masks (0 or 255) that several steps share.
#include <opencv2/core.hpp>

namespace certphoto {

// The pixels of `candidates` 8-connected, through candidates, to a pixel of `seeds` (seeds need not be candidates).
cv::Mat reaching(const cv::Mat& candidates, const cv::Mat& seeds);

}  // namespace certphoto
