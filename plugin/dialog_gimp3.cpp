#include "dialog_gimp3.hpp"

#include <cstring>
#include <memory>

#include <libgimp/gimpui.h>

#include "preview.hpp"
#include "translations.hpp"

namespace certphoto::plugin {
namespace {

struct WidgetDestroyer {
    void operator()(GtkWidget* w) const { gtk_widget_destroy(w); }
};
using Dialog = std::unique_ptr<GtkWidget, WidgetDestroyer>;

void init_ui() {
    static bool done = false;
    if (!done) gimp_ui_init("certphoto");
    done = true;
}

}  // namespace

bool ask_settings(GimpProcedure* procedure, GimpProcedureConfig* config) {
    init_ui();
    Dialog dialog(gimp_procedure_dialog_new(procedure, config, _("Certificate Photo")));
    auto* procedure_dialog = GIMP_PROCEDURE_DIALOG(dialog.get());
    gimp_procedure_dialog_get_label(procedure_dialog, "promise",
                                    _("Crop, scale, level, lighting and background only. The face is never retouched (严禁美颜)."),
                                    FALSE, FALSE);
    // Every argument of the procedure (preset; force for fix), then the promise.
    gimp_procedure_dialog_fill(procedure_dialog, nullptr);
    gimp_procedure_dialog_fill(procedure_dialog, "promise", nullptr);
    return gimp_procedure_dialog_run(procedure_dialog);
}

void show_check_result(const Message& summary, const cv::Mat& overlay_bgr) {
    init_ui();
    Dialog dialog(gimp_dialog_new(_("Certificate Photo: check"), "certphoto-result", nullptr, GtkDialogFlags(0),
                                  gimp_standard_help_func, "plug-in-certphoto-check", _("_Close"), GTK_RESPONSE_CLOSE,
                                  nullptr));
    GtkWidget* box = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 12);
    gtk_container_set_border_width(GTK_CONTAINER(box), 12);
    gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(dialog.get()))), box, TRUE, TRUE, 0);

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
    gtk_widget_show_all(dialog.get());
    gimp_dialog_run(GIMP_DIALOG(dialog.get()));
}

}  // namespace certphoto::plugin
