#include "result_view.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>
#include <opencv2/imgproc.hpp>

#include "translations.hpp"

namespace certphoto::plugin {

GdkPixbuf* preview_pixbuf(const cv::Mat& bgr) {
    double scale = std::min(1.0, static_cast<double>(preview_max_px) / std::max(bgr.cols, bgr.rows));
    cv::Mat small, rgb;
    cv::resize(bgr, small, cv::Size(), scale, scale, cv::INTER_AREA);
    cv::cvtColor(small, rgb, cv::COLOR_BGR2RGB);
    GdkPixbuf* pixbuf = gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, rgb.cols, rgb.rows);
    for (int y = 0; y < rgb.rows; ++y)
        std::memcpy(gdk_pixbuf_get_pixels(pixbuf) + y * gdk_pixbuf_get_rowstride(pixbuf), rgb.ptr(y), rgb.cols * 3);
    return pixbuf;
}

GtkWidget* check_result_view(const Message& summary, const cv::Mat& overlay_bgr) {
#if GTK_MAJOR_VERSION >= 3
    GtkWidget* box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
#else
    GtkWidget* box = gtk_hbox_new(FALSE, 12);
#endif
    gtk_container_set_border_width(GTK_CONTAINER(box), 12);
    GdkPixbuf* pixbuf = preview_pixbuf(overlay_bgr);
    gtk_box_pack_start(GTK_BOX(box), gtk_image_new_from_pixbuf(pixbuf), FALSE, FALSE, 0);
    g_object_unref(pixbuf);

    GtkWidget* text = gtk_text_view_new();
    gtk_text_view_set_editable(GTK_TEXT_VIEW(text), FALSE);
    gtk_text_view_set_wrap_mode(GTK_TEXT_VIEW(text), GTK_WRAP_WORD);
    std::string both = summary.zh + "\n\n" + summary.en;
    gtk_text_buffer_set_text(gtk_text_view_get_buffer(GTK_TEXT_VIEW(text)), both.c_str(), -1);
    GtkWidget* scrolled = gtk_scrolled_window_new(nullptr, nullptr);
    gtk_scrolled_window_set_policy(GTK_SCROLLED_WINDOW(scrolled), GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
    gtk_widget_set_size_request(scrolled, 420, preview_max_px);
    gtk_container_add(GTK_CONTAINER(scrolled), text);
    gtk_box_pack_start(GTK_BOX(box), scrolled, TRUE, TRUE, 0);
    return box;
}

void run_check_result_dialog(const Message& summary, const cv::Mat& overlay_bgr) {
    Dialog dialog(
        gimp_dialog_new(_("Certificate Photo: check"), "certphoto-result", nullptr, GtkDialogFlags(0), gimp_standard_help_func,
                        "plug-in-certphoto-check", _("_Close"), GTK_RESPONSE_CLOSE, nullptr));
    gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(dialog.get()))),
                       check_result_view(summary, overlay_bgr), TRUE, TRUE, 0);
    gtk_widget_show_all(dialog.get());
    gimp_dialog_run(GIMP_DIALOG(dialog.get()));
}

}  // namespace certphoto::plugin
