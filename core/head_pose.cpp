#include "head_pose.hpp"

#include <cmath>
#include <optional>

#include <opencv2/calib3d.hpp>

#include "face_landmarks.hpp"

namespace certphoto {

cv::Point2f mean_point(const std::vector<cv::Point2f>& points, int first, int last) {
    cv::Point2f sum(0, 0);
    for (int i = first; i <= last; ++i) sum += points[i];
    return sum / static_cast<float>(last - first + 1);
}

namespace {

constexpr double degrees_per_radian = 180.0 / CV_PI;

// A generic adult head in millimetres (x right, y up, z towards the camera), the usual model for six-point
// head-pose fitting: nose tip, chin, eye outer corners, mouth corners.
const std::vector<cv::Point3d>& generic_head_mm() {
    static const std::vector<cv::Point3d> model{
        {0.0, 0.0, 0.0},          {0.0, -63.6, -12.5},      {-43.3, 32.7, -26.0},
        {43.3, 32.7, -26.0},      {-28.9, -28.9, -24.1},    {28.9, -28.9, -24.1}};
    return model;
}

// The pitch of the fitted rotation (degrees, chin raised positive), or nothing when the fit fails.
std::optional<double> fitted_pitch(const std::vector<cv::Point3d>& model, const std::vector<cv::Point2d>& image_points, cv::Size image_size,
                                   int method) {
    double focal_px = std::max(image_size.width, image_size.height);  // a normal lens; the fit is not sensitive to it
    cv::Matx33d camera(focal_px, 0, image_size.width / 2.0, 0, focal_px, image_size.height / 2.0, 0, 0, 1);
    cv::Vec3d rvec, tvec;
    if (!cv::solvePnP(model, image_points, camera, cv::noArray(), rvec, tvec, false, method)) return std::nullopt;
    cv::Matx33d r;
    cv::Rodrigues(rvec, r);
    // Model y is up, image y is down: the fitted rotation includes a flip about x; undo it before reading angles.
    cv::Matx33d flip(1, 0, 0, 0, -1, 0, 0, 0, -1);
    cv::Matx33d head = flip * r;
    return std::atan2(head(2, 1), head(2, 2)) * degrees_per_radian;
}

// A big smile lifts and widens the mouth's corners and drops the jaw, and the six-point fit reads that as a
// raised chin (Biden 23, Rudd 26 degrees on the shared photos). Without the mouth's corners the fit reads on
// faces this much lower (the median over the shared photos; between -4 and +7 on all of them with the mouth
// closed); when the two fits disagree by more than this beyond it, the mouth has moved, and the four-point
// fit, put on the six-point scale, is the pitch.
constexpr double six_above_four_point_pitch_at_rest = 3.7;
constexpr double mouth_moved_disagreement = 6.0;

}  // namespace

HeadPose estimate_head_pose(const std::vector<cv::Point2f>& p, cv::Size image_size) {
    using namespace landmark;
    HeadPose pose;
    cv::Point2f image_left_eye = mean_point(p, right_eye_first, right_eye_last);
    cv::Point2f image_right_eye = mean_point(p, left_eye_first, left_eye_last);
    cv::Point2f d = image_right_eye - image_left_eye;
    pose.roll_deg = std::atan2(d.y, d.x) * degrees_per_radian;

    // Yaw from symmetry: where the nose bridge sits between the two sides of the face outline. On frontal studio
    // shots it is far steadier than the fitted model, whose generic depth biases it by up to 15 degrees.
    double outline_left = (p[0].x + p[1].x + p[2].x) / 3, outline_right = (p[14].x + p[15].x + p[16].x) / 3;
    double nose = (p[27].x + p[28].x + p[29].x + p[30].x) / 4;
    double width = std::max(1.0, outline_right - outline_left);
    pose.yaw_deg = std::asin(std::clamp(2 * (nose - outline_left) / width - 1, -1.0, 1.0)) * degrees_per_radian;

    std::vector<cv::Point2d> image_points{p[nose_tip], p[chin], p[36], p[45], p[mouth_right], p[mouth_left]};
    std::optional<double> pitch = fitted_pitch(generic_head_mm(), image_points, image_size, cv::SOLVEPNP_ITERATIVE);
    if (!pitch) return pose;
    const std::vector<cv::Point3d> still_points(generic_head_mm().begin(), generic_head_mm().begin() + 4);  // no mouth corners
    image_points.resize(4);
    std::optional<double> without_mouth = fitted_pitch(still_points, image_points, image_size, cv::SOLVEPNP_SQPNP);
    pose.pitch_deg = *pitch;
    if (without_mouth && *pitch - *without_mouth > six_above_four_point_pitch_at_rest + mouth_moved_disagreement)
        pose.pitch_deg = *without_mouth + six_above_four_point_pitch_at_rest;
    return pose;
}

}  // namespace certphoto
