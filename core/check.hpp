#pragma once
// Checking a photo: what every host calls. Decode once, analyse once, run the rules, report.
#include <memory>
#include <string>

#include "analysis.hpp"
#include "image.hpp"
#include "report.hpp"
#include "working_copy.hpp"

namespace certphoto {

struct CheckedPhoto {
    std::unique_ptr<Analysis> analysis;  // null when the file could not be read
    Report report;
};

// faces: when already found (working_copy.hpp); otherwise the analysis finds them.
CheckedPhoto check_image(DecodedImage image, const std::string& name, const Preset& preset,
                         std::optional<std::vector<FaceLandmarks>> faces = std::nullopt);
// Never throws for a bad photo: an unreadable file gives a report with verdict "error".
// A large JPEG is checked on a reduced copy (working_copy.hpp) unless the full resolution is asked for.
CheckedPhoto check_file(const std::string& path, const Preset& preset, Resolution resolution = Resolution::as_needed);

// check_file in two steps, so a batch can read and decode its next photo while it checks this one.
struct LoadedPhoto {
    std::string path;
    std::optional<WorkingCopy> copy;  // empty when the file could not be read: then `error` says why
    Message error;
};
LoadedPhoto load_photo(const std::string& path, const Preset& preset, Resolution resolution = Resolution::as_needed);
CheckedPhoto check_loaded(LoadedPhoto photo, const Preset& preset);

}  // namespace certphoto
