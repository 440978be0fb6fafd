#pragma once
// Operations on CV_8U masks (0 or 255) that several steps share.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace certphoto {

// The pixels of `candidates` 8-connected, through candidates, to a pixel of `seeds` (seeds need not be candidates).
cv::Mat reaching(const cv::Mat& candidates, const cv::Mat& seeds);

// The bounding box of component k in the statistics cv::connectedComponentsWithStats returns.
inline cv::Rect component_box(const cv::Mat& stats, int k) {
    return {stats.at<int>(k, cv::CC_STAT_LEFT), stats.at<int>(k, cv::CC_STAT_TOP), stats.at<int>(k, cv::CC_STAT_WIDTH),
            stats.at<int>(k, cv::CC_STAT_HEIGHT)};
}

}  // namespace certphoto
