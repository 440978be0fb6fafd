#include "check.hpp"

#include "error.hpp"
#include "stage_times.hpp"
#include "working_copy.hpp"

namespace certphoto {
namespace {

// A report speaks in the file's pixels; a large JPEG is analysed reduced (working_copy.hpp).
Face in_file_pixels(Face face, double k) {
    face.landmarks.box = scaled(face.landmarks.box, k);
    for (auto& p : face.landmarks.points) p *= static_cast<float>(k);
    for (cv::Point2f* p : {&face.image_left_eye, &face.image_right_eye, &face.image_left_pupil, &face.image_right_pupil})
        *p *= static_cast<float>(k);
    face.eye_line_y *= k;
    face.face_width_px *= k;
    face.center_x *= k;
    face.inter_pupil_px *= k;
    face.outline_box = scaled(face.outline_box, k);
    return face;
}

}  // namespace

CheckedPhoto check_image(DecodedImage image, const std::string& name, const Preset& preset,
                         std::optional<std::vector<FaceLandmarks>> faces) {
    CheckedPhoto checked;
    checked.analysis = std::make_unique<Analysis>(std::move(image), preset, FaceLandmarker::shared(), std::move(faces));
    const Analysis& a = *checked.analysis;
    Report& r = checked.report;
    r.file = name;
    r.preset_id = preset.id;
    r.image = a.info();
    if (a.face()) r.face = a.scale() == 1 ? *a.face() : in_file_pixels(*a.face(), 1 / a.scale());
    StageTimer timer("rules");
    r.checks = run_rules(a);
    if (a.scale() != 1)
        for (Finding& f : r.checks)
            for (cv::Rect& region : f.regions) region = scaled(region, 1 / a.scale()) & cv::Rect(0, 0, r.image->width, r.image->height);
    r.verdict = verdict_of(r.checks);
    return checked;
}

LoadedPhoto load_photo(const std::string& path, const Preset& preset, Resolution resolution) {
    LoadedPhoto loaded{path, std::nullopt, {}};
    try {
        std::shared_ptr<const Bytes> bytes;
        {
            StageTimer timer("read");
            bytes = std::make_shared<const Bytes>(read_file_bytes(path, preset.input.max_file_bytes));
        }
        loaded.copy = decode_for_analysis(std::move(bytes), preset, FaceLandmarker::shared(), resolution);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::unreadable_input && e.kind() != ErrorKind::unsupported_input) throw;
        loaded.error = e.message();
    }
    return loaded;
}

CheckedPhoto check_loaded(LoadedPhoto photo, const Preset& preset) {
    if (!photo.copy) return {nullptr, error_report(photo.path, preset.id, photo.error)};
    return check_image(std::move(photo.copy->image), photo.path, preset, std::move(photo.copy->faces));
}

CheckedPhoto check_file(const std::string& path, const Preset& preset, Resolution resolution) {
    return check_loaded(load_photo(path, preset, resolution), preset);
}

}  // namespace certphoto
