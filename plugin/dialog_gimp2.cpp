#include "dialog_gimp2.hpp"


#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>

#include "preset.hpp"
#include "result_view.hpp"
#include "translations.hpp"

namespace certphoto::plugin {
namespace {

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
    run_check_result_dialog(summary, overlay_bgr);
}

}  // namespace certphoto::plugin
