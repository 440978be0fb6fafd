#include "check.hpp"

#include "error.hpp"
#include "stage_times.hpp"

namespace certphoto {

CheckedPhoto check_image(DecodedImage image, const std::string& name, const Preset& preset) {
    CheckedPhoto checked;
    checked.analysis = std::make_unique<Analysis>(std::move(image), preset, FaceLandmarker::shared());
    const Analysis& a = *checked.analysis;
    Report& r = checked.report;
    r.file = name;
    r.preset_id = preset.id;
    r.image = a.info();
    if (a.face()) r.face = *a.face();
    StageTimer timer("rules");
    r.checks = run_rules(a);
    r.verdict = verdict_of(r.checks);
    return checked;
}

CheckedPhoto check_file(const std::string& path, const Preset& preset) {
    DecodedImage image;
    try {
        image = read_image_file(path, preset.input);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::unreadable_input && e.kind() != ErrorKind::unsupported_input) throw;
        return {nullptr, error_report(path, preset.id, e.message())};
    }
    return check_image(std::move(image), path, preset);
}

}  // namespace certphoto
