#include "analysis.hpp"

#include <opencv2/imgproc.hpp>

#include "color.hpp"
#include "pupils.hpp"
#include "stage_times.hpp"
#include "wall_shadow.hpp"

namespace certphoto {
namespace {

// A face less than half as wide as the largest is a bystander far behind, not a second sitter.
constexpr double counted_face_min_relative_width = 0.5;
// The wall is sampled this far from the person (fraction of the work width), away from hair and shadows.
constexpr double wall_margin_fraction = 0.03;

std::vector<FaceLandmarks> counted_faces(std::vector<FaceLandmarks> all) {
    if (all.empty()) return all;
    int largest = all.front().box.width;  // sorted largest first
    all.erase(std::remove_if(all.begin(), all.end(),
                             [&](const FaceLandmarks& f) { return f.box.width < counted_face_min_relative_width * largest; }),
              all.end());
    return all;
}

}  // namespace

Face describe_face(const FaceLandmarks& landmarks, const cv::Mat& grey) {
    using namespace landmark;
    const auto& p = landmarks.points;
    Face face;
    face.landmarks = landmarks;
    face.pose = estimate_head_pose(p, grey.size());
    face.image_left_eye = mean_point(p, right_eye_first, right_eye_last);
    face.image_right_eye = mean_point(p, left_eye_first, left_eye_last);
    face.image_left_pupil = locate_pupil(grey, {p.begin() + right_eye_first, p.begin() + right_eye_last + 1});
    face.image_right_pupil = locate_pupil(grey, {p.begin() + left_eye_first, p.begin() + left_eye_last + 1});
    face.eye_line_y = (face.image_left_pupil.y + face.image_right_pupil.y) / 2;
    face.face_width_px = cv::norm(p[jaw_last] - p[jaw_first]);
    face.center_x = (p[jaw_first].x + p[jaw_last].x) / 2;
    face.inter_pupil_px = cv::norm(face.image_right_pupil - face.image_left_pupil);
    face.outline_box = cv::boundingRect(p);
    return face;
}

Analysis::Analysis(DecodedImage image, const Preset& preset, const FaceLandmarker& landmarker)
    : image_(std::move(image)), preset_(&preset) {
    {
        StageTimer timer("detect");
        cv::cvtColor(image_.bgr, grey_, cv::COLOR_BGR2GRAY);
    }
    faces_ = counted_faces(landmarker.find_faces(image_.bgr, grey_));
    StageTimer timer("landmarks");
    if (faces_.size() == 1) face_ = describe_face(faces_.front(), grey_);
}

double Analysis::frame_scale_x() const { return static_cast<double>(size().width) / preset_->reference_frame.width; }
double Analysis::frame_scale_y() const { return static_cast<double>(size().height) / preset_->reference_frame.height; }

const PersonMask& Analysis::person() const {
    if (!person_) {
        StageTimer timer("matte");
        person_ = segment_person(image_.bgr, face_->landmarks.points);
    }
    return *person_;
}

const cv::Mat& Analysis::person_at_image_size() const {
    if (person_at_image_size_.empty()) person_at_image_size_ = person().at_size(size());
    return person_at_image_size_;
}

const FaceCrop& Analysis::face_crop() const {
    if (!face_crop_) {
        StageTimer timer("face-crop");
        face_crop_ = crop_face(image_.bgr, face_->landmarks.points);
    }
    return *face_crop_;
}

const Framing& Analysis::framing() const {
    if (!framing_) framing_ = plan_framing(*this);
    return *framing_;
}

const cv::Mat& Analysis::face_skin_lightness() const {
    if (face_lightness_.empty()) {
        const FaceCrop& crop = face_crop();
        StageTimer timer("face-lightness");
        face_lightness_ = lightness(crop.bgr);
    }
    return face_lightness_;
}

const FaceLighting& Analysis::lighting() const {
    if (!lighting_) {
        cv::Point2d centre(face_->center_x, face_->landmarks.points[landmark::nose_tip].y);
        lighting_ = measure_face_lighting(face_crop(), face_skin_lightness(), centre, face_->face_width_px);
    }
    return *lighting_;
}

const LabStats& Analysis::skin_colour() const {
    if (!skin_colour_) skin_colour_ = lab_stats(image_.bgr, Part{face_crop().box, face_crop().skin_mask});
    return *skin_colour_;
}

const FaceExposure& Analysis::face_exposure() const {
    if (!face_exposure_) face_exposure_ = measure_face_exposure(*this);
    return *face_exposure_;
}

const Clothes& Analysis::clothes() const {
    if (!clothes_) clothes_ = measure_clothes(*this);
    return *clothes_;
}

const cv::Mat& Analysis::wall_shadow() const {
    if (!wall_shadow_) wall_shadow_ = find_wall_shadow(*this);
    return *wall_shadow_;
}

const Glasses& Analysis::glasses() const {
    if (!glasses_) glasses_ = find_glasses(*this);
    return *glasses_;
}

const WallModel& Analysis::wall() const {
    if (wall_) return *wall_;
    const PersonMask& person = this->person();
    WallModel wall;
    int margin = std::max(1, cvRound(wall_margin_fraction * person.mask.cols));
    cv::Mat near_person;
    cv::dilate(person.mask, near_person, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * margin + 1, 2 * margin + 1}));
    wall.mask = near_person == 0;
    cv::Mat lab = to_lab(person.work_bgr);
    cv::Scalar mean, stddev;
    cv::meanStdDev(lab, mean, stddev, wall.mask);
    wall.mean_lab = cv::Vec3d(mean[0], mean[1], mean[2]);
    wall.lightness_spread = stddev[0];
    wall.chroma = std::hypot(mean[1], mean[2]);
    cv::extractChannel(lab, wall.lightness, 0);
    wall_ = std::move(wall);
    return *wall_;
}

}  // namespace certphoto
