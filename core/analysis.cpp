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
// The region read at the file's resolution: the head, the wall beside it and above it (face widths).
constexpr double file_region_beside_face_widths = 0.3, file_region_above_face_widths = 0.6;

std::vector<FaceLandmarks> counted_faces(std::vector<FaceLandmarks> all) {
    if (all.empty()) return all;
    int largest = all.front().box.width;  // sorted largest first
    all.erase(std::remove_if(all.begin(), all.end(),
                             [&](const FaceLandmarks& f) { return f.box.width < counted_face_min_relative_width * largest; }),
              all.end());
    return all;
}

// Whether both eyes' landmarks lie in the picture: of a face the frame cuts, only then are its eyes read.
bool eyes_in_picture(const FaceLandmarks& face, cv::Size picture) {
    const cv::Rect2f inside(0, 0, static_cast<float>(picture.width), static_cast<float>(picture.height));
    for (int i = landmark::right_eye_first; i <= landmark::left_eye_last; ++i)
        if (!inside.contains(face.points[static_cast<std::size_t>(i)])) return false;
    return true;
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
    face.face_width_px = face_width(p);
    face.center_x = (p[jaw_first].x + p[jaw_last].x) / 2;
    face.inter_pupil_px = cv::norm(face.image_right_pupil - face.image_left_pupil);
    face.outline_box = cv::boundingRect(p);
    return face;
}

Analysis::Analysis(DecodedImage image, const Preset& preset, const FaceLandmarker& landmarker,
                   std::optional<std::vector<FaceLandmarks>> faces)
    : image_(std::move(image)), preset_(&preset) {
    if (image_.info.width == 0 || image_.info.height == 0) {  // pixels from no file (an editor, a test)
        image_.info.width = image_.bgr.cols;
        image_.info.height = image_.bgr.rows;
    }
    {
        StageTimer timer("detect");
        cv::cvtColor(image_.bgr, grey_, cv::COLOR_BGR2GRAY);
    }
    faces_ = counted_faces(faces ? std::move(*faces) : landmarker.find_faces(image_.bgr, grey_));
    if (faces_.empty()) quarter_turns_to_upright_ = landmarker.quarter_turns_to_upright(grey_);
    if (faces_.empty() && !quarter_turns_to_upright_) face_cut_by_frame_ = landmarker.face_cut_by_frame(grey_);
    StageTimer timer("landmarks");
    if (faces_.size() == 1) face_ = describe_face(faces_.front(), grey_);
    if (face_cut_by_frame_) {
        const std::vector<FaceLandmarks> cut = landmarker.refit_faces(image_.bgr, {FaceLandmarks{*face_cut_by_frame_, 0, {}}}, 1.0);
        if (!cut.empty() && eyes_in_picture(cut.front(), size())) cut_face_ = describe_face(cut.front(), grey_);
    }
}

cv::Rect Analysis::to_file(const cv::Rect& box) const {
    if (scale() == 1) return box;
    cv::Point tl(cvFloor(box.x / scale()), cvFloor(box.y / scale())), br(cvCeil(box.br().x / scale()), cvCeil(box.br().y / scale()));
    return cv::Rect(tl, br) & cv::Rect(0, 0, info().width, info().height);
}

cv::Rect Analysis::to_analysis(const cv::Rect& box) const {
    if (scale() == 1) return box;
    return scaled(box, scale());
}

cv::Rect Analysis::around_head_file_box() const {
    if (!face_) return {0, 0, info().width, info().height};
    int beside = cvRound(file_region_beside_face_widths * face_->face_width_px);
    int above = cvRound(file_region_above_face_widths * face_->face_width_px);
    cv::Rect around = face_->outline_box;
    around.x -= beside, around.width += 2 * beside, around.y -= above, around.height += above;
    return to_file(around);
}

cv::Mat Analysis::file_pixels(const cv::Rect& file_box) const {
    const cv::Rect box = file_box & cv::Rect(0, 0, info().width, info().height);
    if (!image_.file_region) return image_.bgr(box);
    std::lock_guard lock(file_pixels_mutex_);
    if ((box & file_pixels_box_) != box) {
        StageTimer timer("decode-region");
        file_pixels_box_ = box | around_head_file_box();
        file_pixels_ = image_.file_region(file_pixels_box_);
    }
    return file_pixels_(box - file_pixels_box_.tl());
}

double Analysis::frame_scale_x() const { return static_cast<double>(size().width) / preset_->reference_frame.width; }
double Analysis::frame_scale_y() const { return static_cast<double>(size().height) / preset_->reference_frame.height; }

const PersonMask& Analysis::person() const {
    return person_.get([&] {
        StageTimer timer("matte");
        return segment_person(image_.bgr, face_->landmarks.points);
    });
}

const cv::Mat& Analysis::person_at_image_size() const {
    return person_at_image_size_.get([&] { return person().at_size(size()); });
}

const cv::Mat& Analysis::matte_person_at_image_size() const {
    return matte_person_at_image_size_.get([&] {
        StageTimer timer("matte-for-fix");
        return segment_person_for_matte(person(), wall().lab, face_->landmarks.points).at_size(size());
    });
}

const FaceCrop& Analysis::face_crop() const {
    return face_crop_.get([&] {
        StageTimer timer("face-crop");
        return crop_face(image_.bgr, face_->landmarks.points);
    });
}

const Framing& Analysis::framing() const {
    return framing_.get([&] { return plan_framing(*this); });
}

const cv::Mat& Analysis::face_skin_lightness() const {
    return face_lightness_.get([&] {
        const FaceCrop& crop = face_crop();
        StageTimer timer("face-lightness");
        return lightness(crop.bgr);
    });
}

const FaceLighting& Analysis::lighting() const {
    return lighting_.get([&] {
        cv::Point2d centre(face_->center_x, face_->landmarks.points[landmark::nose_tip].y);
        return measure_face_lighting(face_crop(), face_skin_lightness(), centre, face_->face_width_px);
    });
}

const LabStats& Analysis::skin_colour() const {
    return skin_colour_.get([&] { return lab_stats(image_.bgr, Part{face_crop().box, face_crop().skin_mask}); });
}

const FaceExposure& Analysis::face_exposure() const {
    return face_exposure_.get([&] { return measure_face_exposure(*this); });
}

const Clothes& Analysis::clothes() const {
    return clothes_.get([&] { return measure_clothes(*this); });
}

const cv::Mat& Analysis::wall_shadow() const {
    return wall_shadow_.get([&] { return find_wall_shadow(*this); });
}

const Glasses& Analysis::glasses() const {
    return glasses_.get([&] { return find_glasses(*this); });
}

const WallModel& Analysis::wall() const {
    return wall_.get([&] {
        const PersonMask& person = this->person();
        WallModel wall;
        int margin = std::max(1, cvRound(wall_margin_fraction * person.mask.cols));
        cv::Mat near_person;
        cv::dilate(person.mask, near_person, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * margin + 1, 2 * margin + 1}));
        wall.mask = near_person == 0;
        wall.lab = to_lab(person.work_bgr);
        cv::Scalar mean, stddev;
        cv::meanStdDev(wall.lab, mean, stddev, wall.mask);
        wall.mean_lab = cv::Vec3d(mean[0], mean[1], mean[2]);
        wall.lightness_spread = stddev[0];
        wall.chroma = std::hypot(mean[1], mean[2]);
        cv::extractChannel(wall.lab, wall.lightness, 0);
        return wall;
    });
}

}  // namespace certphoto
