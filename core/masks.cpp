#include "masks.hpp"

#include <vector>

#include <opencv2/imgproc.hpp>

namespace certphoto {

cv::Mat reaching(const cv::Mat& candidates, const cv::Mat& seeds) {
    cv::Mat labels;
    const int n = cv::connectedComponents(candidates | seeds, labels, 8, CV_32S);
    std::vector<uchar> reaches(static_cast<std::size_t>(n), 0);
    for (int y = 0; y < labels.rows; ++y)
        for (int x = 0; x < labels.cols; ++x)
            if (seeds.at<uchar>(y, x)) reaches[static_cast<std::size_t>(labels.at<int>(y, x))] = 1;
    cv::Mat out = cv::Mat::zeros(candidates.size(), CV_8U);
    for (int y = 0; y < labels.rows; ++y)
        for (int x = 0; x < labels.cols; ++x)
            if (candidates.at<uchar>(y, x) && reaches[static_cast<std::size_t>(labels.at<int>(y, x))]) out.at<uchar>(y, x) = 255;
    return out;
}

}  // namespace certphoto
