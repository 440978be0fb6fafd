// The GIMP 3 plug-in: a GimpPlugIn that registers the three procedures under Image > Certificate Photo (证件照)
// and dispatches them to procedures.cpp through the GIMP 3 host. The same names, arguments and results as the
// GIMP 2.10 plug-in; GIMP's procedure config remembers the last preset and force setting.
#include <string>

#include <libgimp/gimp.h>

#include "dialog_gimp3.hpp"
#include "error.hpp"
#include "host_gimp3.hpp"
#include "preset.hpp"
#include "procedures.hpp"
#include "translations.hpp"

namespace {

constexpr const char* check_procedure = "plug-in-certphoto-check";
constexpr const char* fix_procedure = "plug-in-certphoto-fix";
constexpr const char* export_procedure = "plug-in-certphoto-export";
constexpr const char* menu_path = N_("<Image>/Image/Certificate Photo");

enum class Procedure { check, fix, export_upload };

GimpValueArray* failure(GimpProcedure* procedure, GimpPDBStatusType status, const std::string& text) {
    GError* error = text.empty() ? nullptr : g_error_new_literal(GIMP_PLUG_IN_ERROR, 0, text.c_str());
    return gimp_procedure_new_return_values(procedure, status, error);
}

std::string string_setting(GimpProcedureConfig* config, const char* name) {
    gchar* value = nullptr;
    g_object_get(config, name, &value, nullptr);
    std::string text = value ? value : "";
    g_free(value);
    return text;
}

bool boolean_setting(GimpProcedureConfig* config, const char* name) {
    gboolean value = FALSE;
    g_object_get(config, name, &value, nullptr);
    return value;
}

GimpValueArray* run(GimpProcedure* procedure, GimpRunMode run_mode, GimpImage* image, GimpDrawable** drawables,
                    GimpProcedureConfig* config, gpointer run_data) {
    using namespace certphoto::plugin;
    init_translations();
    auto which = static_cast<Procedure>(GPOINTER_TO_INT(run_data));
    if (!drawables || !drawables[0] || drawables[1])
        return failure(procedure, GIMP_PDB_CALLING_ERROR, "请只选择一个图层\nSelect exactly one layer");
    if (run_mode == GIMP_RUN_INTERACTIVE && !ask_settings(procedure, config))
        return failure(procedure, GIMP_PDB_CANCEL, "");

    Gimp3Host host(image, drawables[0], run_mode);
    std::string preset = string_setting(config, "preset");
    try {
        GimpValueArray* values = gimp_procedure_new_return_values(procedure, GIMP_PDB_SUCCESS, nullptr);
        switch (which) {
            case Procedure::check: {
                CheckOutcome outcome = check_image(host, preset);
                if (run_mode == GIMP_RUN_INTERACTIVE) show_check_result(summarise(outcome.report), outcome.overlay_bgr);
                GIMP_VALUES_SET_STRING(values, 1, outcome.verdict.c_str());
                GIMP_VALUES_SET_STRING(values, 2, outcome.report.dump().c_str());
                break;
            }
            case Procedure::fix: {
                int fixed = fix_image(host, preset, boolean_setting(config, "force"));
                GIMP_VALUES_SET_IMAGE(values, 1, gimp_image_get_by_id(fixed));
                break;
            }
            case Procedure::export_upload: {
                std::string file = string_setting(config, "filename");
                if (file.empty())
                    throw certphoto::Error(certphoto::ErrorKind::usage, {"Export needs a file name", "导出需要文件名"});
                export_image(host, preset, file);
                break;
            }
        }
        return values;
    } catch (const certphoto::Error& e) {
        std::string text = e.message().zh + "\n" + e.message().en;
        if (run_mode != GIMP_RUN_NONINTERACTIVE) gimp_message(text.c_str());
        return failure(procedure, GIMP_PDB_EXECUTION_ERROR, text);
    }
}

// The presets found now, as GIMP's choice: a dialog shows their names, Script-Fu passes their ids.
GimpChoice* preset_choice() {
    GimpChoice* choice = gimp_choice_new();
    int id = 0;
    for (const auto& p : certphoto::list_presets())
        gimp_choice_add(choice, p.id.c_str(), id++, (p.name.zh + " / " + p.name.en).c_str(), p.source_file.c_str());
    return choice;
}

void describe(GimpProcedure* procedure, const char* label, const char* blurb, const char* help) {
    gimp_procedure_set_image_types(procedure, "RGB*, GRAY*");
    gimp_procedure_set_sensitivity_mask(procedure, GIMP_PROCEDURE_SENSITIVE_DRAWABLE);
    gimp_procedure_set_menu_label(procedure, _(label));
    gimp_procedure_add_menu_path(procedure, _(menu_path));
    gimp_procedure_set_documentation(procedure, _(blurb), _(help), nullptr);
    gimp_procedure_set_attribution(procedure, "certphoto developers", "certphoto developers", "2026");
    std::string icon = certphoto::plugin::icon_path();
    if (!icon.empty()) {
        GFile* file = g_file_new_for_path(icon.c_str());
        gimp_procedure_set_icon_file(procedure, file);
        g_object_unref(file);
    }
    gimp_procedure_add_choice_argument(procedure, "preset", _("Preset"), "certphoto preset id: chsi-graduate, chsi-upload, ...",
                                       preset_choice(), certphoto::default_preset_id, G_PARAM_READWRITE);
}

GimpProcedure* create_procedure(GimpPlugIn* plug_in, const gchar* name) {
    certphoto::plugin::init_translations();
    std::string id = name;
    Procedure which = id == check_procedure ? Procedure::check : id == fix_procedure ? Procedure::fix : Procedure::export_upload;
    GimpProcedure* procedure = gimp_image_procedure_new(plug_in, name, GIMP_PDB_PROC_TYPE_PLUGIN, run,
                                                        GINT_TO_POINTER(static_cast<int>(which)), nullptr);
    switch (which) {
        case Procedure::check:
            describe(procedure, N_("_Check…"), N_("Check a certificate photo against a preset"),
                     N_("Runs every certphoto rule on the layer, adds an overlay layer marking what fails, and "
                        "reports the verdict with messages in Chinese and English."));
            gimp_procedure_add_string_return_value(procedure, "verdict", "Verdict", "pass or fail", "", G_PARAM_READWRITE);
            gimp_procedure_add_string_return_value(procedure, "report", "Report", "The certphoto-report/1 JSON", "",
                                                   G_PARAM_READWRITE);
            break;
        case Procedure::fix:
            describe(procedure, N_("_Fix…"), N_("Make the compliant certificate photo"),
                     N_("Frames, levels, evens the lighting and replaces the background as the preset says, in a "
                        "new image. The face is never retouched (严禁美颜)."));
            gimp_procedure_add_boolean_argument(procedure, "force", _("Make it even when a reshoot is needed"),
                                                "Make the photo even when a rule fix cannot repair fails", FALSE,
                                                G_PARAM_READWRITE);
            gimp_procedure_add_image_return_value(procedure, "new-image", "New image", "The compliant photo", FALSE,
                                                  G_PARAM_READWRITE);
            break;
        case Procedure::export_upload:
            describe(procedure, N_("_Export Upload JPEG…"), N_("Export the upload JPEG"),
                     N_("Writes the layer as the preset's JPEG: sRGB profile, its density, the highest quality "
                        "that fits the file-size range, no other metadata."));
            gimp_procedure_add_string_argument(procedure, "filename", "Filename", "The JPEG to write", "", G_PARAM_READWRITE);
            break;
    }
    return procedure;
}

GList* query_procedures(GimpPlugIn*) {
    GList* names = nullptr;
    for (const char* name : {check_procedure, fix_procedure, export_procedure}) names = g_list_append(names, g_strdup(name));
    return names;
}

// Texts are translated here, with the catalogs of the CLI's locale folder (certphoto::plugin::locale_dir()),
// not GIMP 3's default of a locale/ folder beside the plug-in.
gboolean set_i18n(GimpPlugIn*, const gchar*, gchar**, gchar**) { return FALSE; }

}  // namespace

// GObject boilerplate: the plug-in type GIMP_MAIN instantiates.
struct CertphotoPlugIn {
    GimpPlugIn parent_instance;
};
struct CertphotoPlugInClass {
    GimpPlugInClass parent_class;
};
G_DEFINE_TYPE(CertphotoPlugIn, certphoto_plug_in, GIMP_TYPE_PLUG_IN)

static void certphoto_plug_in_class_init(CertphotoPlugInClass* klass) {
    GimpPlugInClass* plug_in_class = GIMP_PLUG_IN_CLASS(klass);
    plug_in_class->query_procedures = query_procedures;
    plug_in_class->create_procedure = create_procedure;
    plug_in_class->set_i18n = set_i18n;
}

static void certphoto_plug_in_init(CertphotoPlugIn*) {}

GIMP_MAIN(certphoto_plug_in_get_type())
