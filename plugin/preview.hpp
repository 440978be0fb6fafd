#pragma once
// The photo as a dialog preview (GTK 2 and 3 alike): scaled to fit preview_max_px, as a GdkPixbuf.
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <opencv2/core.hpp>

namespace certphoto::plugin {

// The preview fits in this box, so the dialog fits a laptop screen.
inline constexpr int preview_max_px = 480;

GdkPixbuf* preview_pixbuf(const cv::Mat& bgr);  // the caller owns the reference

}  // namespace certphoto::plugin
