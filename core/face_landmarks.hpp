#pragma once
// Faces and their 68 landmarks (iBUG 300-W order). The only place that knows dlib.
#include <algorithm>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace certphoto {

struct FaceLandmarks {
    cv::Rect box;                     // detector box, full-resolution pixels
    double detector_score = 0;
    std::vector<cv::Point2f> points;  // 68 points, full-resolution pixels
};

// Detects on a reduced copy, places landmarks at full resolution. The landmark model (95 MB, read by our own
// reader in ~0.2 s: shape_model.hpp) and the detector (deserialised from bytes made at build time, ~3 ms) are
// loaded once per process, on two background threads that start with the
// first call of shared(): a host that calls it early has them ready by the time its first photo is decoded.
// Each thread detects with its own copy of the detector (dlib's is not const; a copy costs microseconds).
class FaceLandmarker {
public:
    static const FaceLandmarker& shared();
    // grey: bgr as CV_8U when the caller has it already; made here when empty.
    std::vector<FaceLandmarks> find_faces(const cv::Mat& bgr, cv::Mat grey = {}) const;
    // Faces found on another copy of the picture (a preview), their boxes scaled by `bgr_per_found_px` and their
    // landmarks placed anew on bgr: the detector does not run again.
    std::vector<FaceLandmarks> refit_faces(const cv::Mat& bgr, const std::vector<FaceLandmarks>& found, double bgr_per_found_px) const;
    // For a picture with no face upright: the clockwise quarter turns (1, 2 or 3) that show a face, when one
    // does (a photo saved on its side without the orientation tag).
    std::optional<int> quarter_turns_to_upright(const cv::Mat& grey) const;
    // For a picture with no face found: the box (in its pixels, reaching past its edges) of a face the frame cuts
    // off, as in a close-up, found on the picture set in a border of its own edge pixels; none when there is none.
    std::optional<cv::Rect> face_cut_by_frame(const cv::Mat& grey) const;

    static std::string model_path();

    struct Model;
    struct Detector;

private:
    FaceLandmarker();
    std::vector<FaceLandmarks> with_landmarks(const cv::Mat& bgr, std::vector<FaceLandmarks> boxes) const;
    std::shared_future<std::shared_ptr<const Model>> model_;
    std::shared_future<std::shared_ptr<const Detector>> detector_;
};

// Landmark index ranges of the 68-point scheme.
namespace landmark {
inline constexpr int jaw_first = 0, jaw_last = 16, chin = 8;
inline constexpr int right_brow_first = 17, right_brow_last = 21;  // the subject's right: image left
inline constexpr int left_brow_first = 22, left_brow_last = 26;
inline constexpr int nose_bridge_top = 27, nose_tip = 30;
inline constexpr int right_eye_first = 36, right_eye_last = 41;
inline constexpr int left_eye_first = 42, left_eye_last = 47;
inline constexpr int mouth_right = 48, mouth_left = 54;
inline constexpr int outer_lip_first = 48, outer_lip_last = 59, inner_lip_first = 60, inner_lip_last = 67;

// Across the face at the temples: jaw points 0 and 16.
inline double face_width(const std::vector<cv::Point2f>& points) { return cv::norm(points[jaw_last] - points[jaw_first]); }

// The highest point of the brows (image y): where the forehead starts.
inline float brows_top_y(const std::vector<cv::Point2f>& points) {
    float top = points[right_brow_first].y;
    for (int i = right_brow_first; i <= left_brow_last; ++i) top = std::min(top, points[i].y);
    return top;
}

// How open an eye is: lid-to-lid height over corner-to-corner width, from the six points of the eye starting
// at `first` (right_eye_first or left_eye_first).
inline double eye_aspect_ratio(const std::vector<cv::Point2f>& points, int first) {
    double height = cv::norm(points[first + 1] - points[first + 5]) + cv::norm(points[first + 2] - points[first + 4]);
    double width = cv::norm(points[first] - points[first + 3]);
    return width > 0 ? height / (2 * width) : 0;
}

// The face's outline: the jaw line, closed over the brows raised by `lift` pixels (the forehead).
inline std::vector<cv::Point2f> face_outline(const std::vector<cv::Point2f>& points, float lift) {
    std::vector<cv::Point2f> outline(points.begin() + jaw_first, points.begin() + jaw_last + 1);
    for (int i = left_brow_last; i >= right_brow_first; --i) outline.push_back(points[i] - cv::Point2f(0, lift));
    return outline;
}
}  // namespace landmark

}  // namespace certphoto
