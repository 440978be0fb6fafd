#pragma once
// The three procedures, written once against the Host interface: check (report + overlay layer), fix (the
// compliant photo as a new image), export (the upload JPEG at the preset's size).
#include <string>

#include <nlohmann/json.hpp>

#include "host.hpp"

namespace certphoto::plugin {

struct CheckOutcome {
    std::string verdict;  // pass | fail
    nlohmann::json report;
    cv::Mat overlay_bgr;  // the photo with the results drawn on it, for a preview
};

CheckOutcome check_image(Host& host, const std::string& preset_id);
int fix_image(Host& host, const std::string& preset_id, bool force);  // the new image's id
void export_image(Host& host, const std::string& preset_id, const std::string& path);

// The bilingual text shown after a check: the verdict and each failure or warning.
Message summarise(const nlohmann::json& report);

}  // namespace certphoto::plugin
