#pragma once
// The GIMP 2.10 dialogs (GTK 2, the GIMP look): choose the preset before a run, see the check's result after.
#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "message.hpp"

namespace certphoto::plugin {

struct DialogChoice {
    std::string preset;
    bool force = false;
};

// Returns nothing when cancelled. show_force: offer "make it even if a reshoot is needed".
std::optional<DialogChoice> ask_settings(const char* procedure, const DialogChoice& last, bool show_force);

// The verdict, the overlay as a preview and the list of failures, each in Chinese and English.
void show_check_result(const Message& summary, const cv::Mat& overlay_bgr);

}  // namespace certphoto::plugin
