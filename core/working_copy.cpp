#include "working_copy.hpp"

#include <cmath>
#include <memory>

#include <opencv2/imgproc.hpp>

#include "stage_times.hpp"

namespace certphoto {
namespace {

// Photos up to this many pixels are decoded whole: the time goes to the work, not the decoding (the studio
// and upload photos the checks were tuned on are at most 2.5 MP).
constexpr double decode_whole_up_to_pixels = 6e6;
// The checks' own working scales reach up to a 400 px face (jewelry); the studio faces they were tuned on
// are 420-550 px across. A reduced picture keeps at least this.
constexpr double min_working_face_px = 360;
// A 1/8 preview (libjpeg's cheapest decode) is enough to find a face that fills a usable portrait.
constexpr int preview_eighths = 1;


// A large picture that libjpeg cannot decode reduced for less (a PNG, a TIFF, a progressive JPEG, whose every
// decode reads all its coefficients): decoded whole once, then resized; its regions are views of the whole.
WorkingCopy reduced_after_decoding(DecodedImage whole, const Preset& preset, const FaceLandmarker& landmarker) {
    if (double(whole.bgr.total()) <= decode_whole_up_to_pixels) return {std::move(whole), std::nullopt};
    std::vector<FaceLandmarks> faces = landmarker.find_faces(whole.bgr);
    if (faces.empty()) return {std::move(whole), std::nullopt};
    double scale = working_face_width_px(preset) / std::max(1.0, landmark::face_width(faces.front().points));
    if (scale >= 0.9) return {std::move(whole), std::move(faces)};  // not worth a resampling
    auto full = std::make_shared<const cv::Mat>(std::move(whole.bgr));
    DecodedImage out;
    out.info = whole.info;
    out.scale = scale;
    {
        StageTimer timer("reduce");
        cv::resize(*full, out.bgr, cv::Size(cvRound(full->cols * scale), cvRound(full->rows * scale)), 0, 0, cv::INTER_AREA);
    }
    out.file_region = [full](const cv::Rect& region) { return (*full)(region & cv::Rect(cv::Point(), full->size())); };
    std::vector<FaceLandmarks> refitted = landmarker.refit_faces(out.bgr, faces, scale);
    return {std::move(out), std::move(refitted)};
}

}  // namespace

double working_face_width_px(const Preset& preset) {
    double widest_output_face = 0;
    if (const RuleConfig* size = preset.rule("head-size"))
        widest_output_face = size->range("face_width_px").max * preset.output.preferred_width_px / preset.reference_frame.width;
    return std::max(min_working_face_px, widest_output_face);
}

WorkingCopy decode_for_analysis(std::shared_ptr<const Bytes> bytes, const Preset& preset, const FaceLandmarker& landmarker,
                                Resolution resolution) {
    const InputLimits& limits = preset.input;
    if (resolution == Resolution::full) return {decode_image(*bytes, limits), std::nullopt};
    if (!is_jpeg(*bytes)) return reduced_after_decoding(decode_image(*bytes, limits), preset, landmarker);
    RawImage header = decode_jpeg(*bytes, limits, {8, std::nullopt, true});
    if (header.file_size.area() <= decode_whole_up_to_pixels) return {decode_image(*bytes, limits), std::nullopt};
    if (header.progressive) return reduced_after_decoding(decode_image(*bytes, limits), preset, landmarker);

    DecodedImage preview = decode_image(bytes, limits, preview_eighths);
    std::vector<FaceLandmarks> faces = landmarker.find_faces(preview.bgr);
    // A small face, or none: the whole picture, searched anew, says which.
    if (faces.empty()) return {decode_image(*bytes, limits), std::nullopt};
    double face_file_px = landmark::face_width(faces.front().points) / preview.scale;  // the largest face
    int eighths = static_cast<int>(std::ceil(8 * working_face_width_px(preset) / std::max(1.0, face_file_px)));
    DecodedImage image = eighths >= 8 ? decode_image(*bytes, limits) : decode_image(std::move(bytes), limits, eighths);
    // The preview's detection is as good as one on the working copy (640 px is all the detector looks at).
    std::vector<FaceLandmarks> refitted = landmarker.refit_faces(image.bgr, faces, image.scale / preview.scale);
    return {std::move(image), std::move(refitted)};
}

}  // namespace certphoto
