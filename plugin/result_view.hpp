#pragma once
// What both GIMP lines show after a check (GTK 2 and 3 alike): the overlay as a preview beside the bilingual
// summary, in a GIMP dialog.
#include <memory>

#include <gtk/gtk.h>
#include <opencv2/core.hpp>

#include "message.hpp"

namespace certphoto::plugin {

struct WidgetDestroyer {
    void operator()(GtkWidget* w) const { gtk_widget_destroy(w); }
};
using Dialog = std::unique_ptr<GtkWidget, WidgetDestroyer>;  // a dialog, destroyed when it goes out of scope

// The preview fits in this box, so the dialog fits a laptop screen.
inline constexpr int preview_max_px = 480;

GdkPixbuf* preview_pixbuf(const cv::Mat& bgr);  // the caller owns the reference

// A box with the preview and the summary (Chinese, then English), for a dialog's content area.
GtkWidget* check_result_view(const Message& summary, const cv::Mat& overlay_bgr);

// That box in a GIMP dialog with a Close button, until closed. The GIMP UI must be initialised.
void run_check_result_dialog(const Message& summary, const cv::Mat& overlay_bgr);

}  // namespace certphoto::plugin
