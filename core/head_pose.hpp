#pragma once
#include <vector>

#include <opencv2/core.hpp>

namespace certphoto {

struct HeadPose {
    double roll_deg = 0;   // positive: head tilted towards the image right (clockwise)
    double yaw_deg = 0;    // positive: face turned towards the image right
    double pitch_deg = 0;  // positive: chin up
};

// Roll from the eye centres, yaw from the symmetry of the face outline, pitch from a generic 3D face fitted
// to six landmarks.
HeadPose estimate_head_pose(const std::vector<cv::Point2f>& landmarks68, cv::Size image_size);

cv::Point2f mean_point(const std::vector<cv::Point2f>& points, int first, int last);

}  // namespace certphoto
