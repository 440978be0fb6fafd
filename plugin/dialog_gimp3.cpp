#include "dialog_gimp3.hpp"

#include <memory>

#include <libgimp/gimpui.h>

#include "result_view.hpp"
#include "translations.hpp"

namespace certphoto::plugin {
namespace {

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
    run_check_result_dialog(summary, overlay_bgr);
}

}  // namespace certphoto::plugin
