#pragma once
// One analysis per photo: decode once, then compute once what many rules need. Rules read this; no rule
// detects a face again. Costly parts (the person mask, the wall) are computed on first use and kept.
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "face_landmarks.hpp"
#include "face_lighting.hpp"
#include "face_parts.hpp"
#include "face_regions.hpp"
#include "fix/framing.hpp"
#include "glasses.hpp"
#include "head_pose.hpp"
#include "image.hpp"
#include "lazy.hpp"
#include "person_mask.hpp"
#include "preset.hpp"
#include "rules/exposure.hpp"

namespace certphoto {

struct Face {
    FaceLandmarks landmarks;
    HeadPose pose;
    cv::Point2f image_left_eye;   // the subject's right eye
    cv::Point2f image_right_eye;
    cv::Point2f image_left_pupil;  // iris centres, located in the image (the landmarks give the lids)
    cv::Point2f image_right_pupil;
    double eye_line_y = 0;        // mean height of the two pupils
    double face_width_px = 0;     // across the face at the temples (jaw points 0 and 16)
    double center_x = 0;          // middle of the face outline
    double inter_pupil_px = 0;
    cv::Rect outline_box;         // bounding box of the 68 points
};

// The wall around the person, in CIE Lab (L 0..100).
struct WallModel {
    cv::Vec3d mean_lab;
    double lightness_spread = 0;  // std. dev. of L over the wall
    double chroma = 0;
    cv::Mat mask;                 // CV_8U 0/255 at the person mask's work scale
    cv::Mat lab;                  // CV_32FC3 Lab of the whole photo at that scale
    cv::Mat lightness;            // CV_32F, its L*
};

class Analysis {
public:
    // faces: when already found on the way to this picture (working_copy.hpp); otherwise found here.
    Analysis(DecodedImage image, const Preset& preset, const FaceLandmarker& landmarker,
             std::optional<std::vector<FaceLandmarks>> faces = std::nullopt);
    Analysis(const Analysis&) = delete;
    Analysis& operator=(const Analysis&) = delete;

    const cv::Mat& bgr() const { return image_.bgr; }
    const cv::Mat& grey() const { return grey_; }  // CV_8U, of bgr(): made once for detection, pupils, rules
    const ImageInfo& info() const { return image_.info; }
    const Preset& preset() const { return *preset_; }
    cv::Size size() const { return image_.bgr.size(); }

    // bgr() pixels per pixel of the file: 1 unless a large JPEG was decoded reduced (working_copy.hpp).
    double scale() const { return image_.scale; }
    cv::Rect to_file(const cv::Rect& analysis_box) const;  // clipped to the file's picture
    cv::Rect to_analysis(const cv::Rect& file_box) const;
    // The file's own pixels (BGR) in a rectangle of file pixels: the measures of grain, block edges and
    // screen patterns read these, whatever scale the rest of the work is done at. For a reduced picture the
    // head and the wall around it are decoded once, on first use, and rectangles inside it are views.
    cv::Mat file_pixels(const cv::Rect& file_box) const;
    cv::Rect around_head_file_box() const;  // that region: the head with the wall beside and above it

    // Faces that count (similar in size to the largest); more than one is a face-count failure.
    const std::vector<FaceLandmarks>& faces() const { return faces_; }
    // With no face found upright, the clockwise quarter turns that show one (a photo on its side), if any.
    std::optional<int> quarter_turns_to_upright() const { return quarter_turns_to_upright_; }
    // With no face found, upright or turned: a face the frame cuts off (a close-up), if any, in image pixels.
    std::optional<cv::Rect> face_cut_by_frame() const { return face_cut_by_frame_; }
    // That face with its landmarks placed as far as the picture shows them. Only what needs the eyes alone reads
    // it (red-eye: a close-up taken with the flash); every other rule needs the whole face and skips.
    const Face* cut_face() const { return cut_face_ ? &*cut_face_ : nullptr; }
    // The one face the rules measure, when there is exactly one.
    const Face* face() const { return face_ ? &*face_ : nullptr; }

    // How much larger this image is than the preset's reference frame, per axis.
    double frame_scale_x() const;
    double frame_scale_y() const;

    const PersonMask& person() const;  // requires face()
    const cv::Mat& person_at_image_size() const;  // person().at_size(size()), made once; requires face()
    // fix's matte: the person segmented again with the wall beside the neck started as wall
    // (segment_person_for_matte), at size(), made once; requires face()
    const cv::Mat& matte_person_at_image_size() const;
    const WallModel& wall() const;     // requires face()
    const FaceCrop& face_crop() const; // requires face()
    const Framing& framing() const;    // how fix would frame this photo; requires face()
    const cv::Mat& face_skin_lightness() const;  // CV_32F L* over face_crop(), requires face()
    const FaceLighting& lighting() const;        // the light on the face, requires face()
    const LabStats& skin_colour() const;         // the skin's median colour, requires face()
    const FaceExposure& face_exposure() const;   // lit skin and eye whites (rules/exposure.hpp), requires face()
    const Clothes& clothes() const;              // the clothes below the chin, requires face()
    const Glasses& glasses() const;              // spectacles and their lenses, requires face()
    const cv::Mat& wall_shadow() const;          // a shadow on the wall beside the person (wall_shadow.hpp), requires face()

private:
    DecodedImage image_;
    cv::Mat grey_;
    const Preset* preset_;
    std::vector<FaceLandmarks> faces_;
    std::optional<Face> face_;
    std::optional<int> quarter_turns_to_upright_;
    std::optional<cv::Rect> face_cut_by_frame_;
    std::optional<Face> cut_face_;
    // Made on first use, by whichever rule asks first (rules run side by side: rule.hpp).
    Lazy<PersonMask> person_;
    Lazy<cv::Mat> person_at_image_size_;
    Lazy<cv::Mat> matte_person_at_image_size_;
    Lazy<WallModel> wall_;
    Lazy<FaceCrop> face_crop_;
    Lazy<Framing> framing_;
    Lazy<cv::Mat> face_lightness_;
    Lazy<FaceLighting> lighting_;
    Lazy<LabStats> skin_colour_;
    Lazy<FaceExposure> face_exposure_;
    Lazy<Clothes> clothes_;
    Lazy<Glasses> glasses_;
    Lazy<cv::Mat> wall_shadow_;
    mutable std::mutex file_pixels_mutex_;
    mutable cv::Mat file_pixels_;  // a region of the file at its own resolution, decoded once
    mutable cv::Rect file_pixels_box_;
};

Face describe_face(const FaceLandmarks& landmarks, const cv::Mat& image_grey);

}  // namespace certphoto
