#include "dialog_gimp2.hpp"

#include <cstring>

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "preset.hpp"
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
    if (!done) gimp_ui_init("certphoto", FALSE);
    done = true;
}

GtkWidget* content_box(GtkWidget* dialog) {
    GtkWidget* box = gtk_vbox_new(FALSE, 12);
    gtk_container_set_border_width(GTK_CONTAINER(box), 12);
    gtk_box_pack_start(GTK_BOX(gtk_dialog_get_content_area(GTK_DIALOG(dialog))), box, TRUE, TRUE, 0);
    return box;
}

}  // namespace

std::optional<DialogChoice> ask_settings(const char* procedure, const DialogChoice& last, bool show_force) {
    init_ui();
    Dialog dialog(gimp_dialog_new(_("Certificate Photo"), "certphoto", nullptr, GtkDialogFlags(0),
                                  gimp_standard_help_func, procedure, _("_Cancel"), GTK_RESPONSE_CANCEL,
                                  _("_OK"), GTK_RESPONSE_OK, nullptr));
    gtk_dialog_set_default_response(GTK_DIALOG(dialog.get()), GTK_RESPONSE_OK);
    GtkWidget* box = content_box(dialog.get());
    GtkWidget* label = gtk_label_new(_("Preset"));
    gtk_misc_set_alignment(GTK_MISC(label), 0.0, 0.5);
    gtk_box_pack_start(GTK_BOX(box), label, FALSE, FALSE, 0);

    GtkWidget* presets = gtk_combo_box_new_text();
    std::vector<std::string> ids;
    for (const auto& p : list_presets()) {
        ids.push_back(p.id);
        gtk_combo_box_append_text(GTK_COMBO_BOX(presets), (p.name.zh + "\n" + p.name.en).c_str());
        if (p.id == last.preset) gtk_combo_box_set_active(GTK_COMBO_BOX(presets), static_cast<gint>(ids.size() - 1));
    }
    if (gtk_combo_box_get_active(GTK_COMBO_BOX(presets)) < 0) gtk_combo_box_set_active(GTK_COMBO_BOX(presets), 0);
    gtk_box_pack_start(GTK_BOX(box), presets, FALSE, FALSE, 0);

    GtkWidget* force = nullptr;
    if (show_force) {
        force = gtk_check_button_new_with_label(_("Make it even when a reshoot is needed"));
        gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(force), last.force);
        gtk_box_pack_start(GTK_BOX(box), force, FALSE, FALSE, 0);
    }
    GtkWidget* promise = gtk_label_new(_("Crop, scale, level, lighting and background only. The face is never retouched (严禁美颜)."));
    gtk_misc_set_alignment(GTK_MISC(promise), 0.0, 0.5);
    gtk_box_pack_start(GTK_BOX(box), promise, FALSE, FALSE, 0);
    gtk_widget_show_all(dialog.get());

    if (gimp_dialog_run(GIMP_DIALOG(dialog.get())) != GTK_RESPONSE_OK) return std::nullopt;
    DialogChoice choice;
    gint active = gtk_combo_box_get_active(GTK_COMBO_BOX(presets));
    choice.preset = active >= 0 && active < static_cast<gint>(ids.size()) ? ids[active] : default_preset_id;
    choice.force = force && gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(force));
    return choice;
}

void show_check_result(const Message& summary, const cv::Mat& overlay_bgr) {
    init_ui();
    Dialog dialog(gimp_dialog_new(_("Certificate Photo: check"), "certphoto-result", nullptr, GtkDialogFlags(0),
                                  gimp_standard_help_func, "plug-in-certphoto-check", _("_Close"), GTK_RESPONSE_CLOSE,
                                  nullptr));
    GtkWidget* box = gtk_hbox_new(FALSE, 12);
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
