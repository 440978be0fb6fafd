#pragma once
// The GIMP 3 dialogs (GTK 3): the procedure's own arguments in GIMP's procedure dialog before a run (GIMP
// remembers them), the check's result after.
#include <libgimp/gimp.h>
#include <opencv2/core.hpp>

#include "message.hpp"

namespace certphoto::plugin {

// false when cancelled; the chosen values are in config.
bool ask_settings(GimpProcedure* procedure, GimpProcedureConfig* config);

// The verdict, the overlay as a preview and the list of failures, each in Chinese and English.
void show_check_result(const Message& summary, const cv::Mat& overlay_bgr);

}  // namespace certphoto::plugin
