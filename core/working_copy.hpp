#pragma once
// The picture the checks and fix work on. A large camera JPEG is decoded reduced, with libjpeg's DCT scaling,
// to the scale the work needs: the face at least as wide as the checks' measures and the largest output face
// want. The file's own pixels stay at hand for the measures that read them (DecodedImage::file_region).
#include <optional>
#include <vector>

#include "face_landmarks.hpp"
#include "image.hpp"
#include "preset.hpp"

namespace certphoto {

struct WorkingCopy {
    DecodedImage image;
    // The faces, landmarks placed on image.bgr, when finding them was part of choosing the scale (the detector
    // need not run twice); otherwise empty, and the analysis finds them.
    std::optional<std::vector<FaceLandmarks>> faces;
};

WorkingCopy decode_for_analysis(std::shared_ptr<const Bytes> bytes, const Preset& preset, const FaceLandmarker& landmarker,
                                Resolution resolution = Resolution::as_needed);

// Face width (px) the work needs: the larger of what the checks' measures need and the widest face the
// preset's largest output holds.
double working_face_width_px(const Preset& preset);

}  // namespace certphoto
