// The GIMP 2.10 plug-in: registers the three procedures under Image > Certificate Photo (证件照) and
// dispatches them to procedures.cpp through the GIMP 2 host. Every procedure runs non-interactively from
// Script-Fu with all its parameters; interactively it uses the settings of the last run.
#include <cstring>
#include <optional>
#include <string>

#include <libgimp/gimp.h>

#include "dialog_gimp2.hpp"
#include "error.hpp"
#include "host_gimp2.hpp"
#include "preset.hpp"
#include "procedures.hpp"
#include "translations.hpp"

namespace {

constexpr const char* check_procedure = "plug-in-certphoto-check";
constexpr const char* fix_procedure = "plug-in-certphoto-fix";
constexpr const char* export_procedure = "plug-in-certphoto-export";
constexpr const char* settings_key = "plug-in-certphoto-settings";
constexpr const char* menu_path = N_("<Image>/Image/Certificate Photo");

// Remembered between runs (gimp_set_data), as GIMP's own plug-ins remember theirs.
struct Settings {
    char preset[64] = "chsi-graduate";
    gint32 force = 0;
};

Settings load_settings() {
    Settings settings;
    gimp_get_data(settings_key, &settings);
    settings.preset[sizeof settings.preset - 1] = '\0';
    return settings;
}

void save_settings(const std::string& preset, bool force) {
    Settings settings;
    std::strncpy(settings.preset, preset.c_str(), sizeof settings.preset - 1);
    settings.force = force;
    gimp_set_data(settings_key, &settings, sizeof settings);
}

void query() {
    certphoto::plugin::init_translations();
    gimp_plugin_domain_register(GETTEXT_PACKAGE, certphoto::plugin::locale_dir().c_str());
    static const GimpParamDef image_args[] = {
        {GIMP_PDB_INT32, const_cast<gchar*>("run-mode"), const_cast<gchar*>("The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }")},
        {GIMP_PDB_IMAGE, const_cast<gchar*>("image"), const_cast<gchar*>("Input image")},
        {GIMP_PDB_DRAWABLE, const_cast<gchar*>("drawable"), const_cast<gchar*>("The photo layer")},
        {GIMP_PDB_STRING, const_cast<gchar*>("preset"), const_cast<gchar*>("certphoto preset id: chsi-graduate, chsi-upload, ...")},
    };
    static const GimpParamDef check_returns[] = {
        {GIMP_PDB_STRING, const_cast<gchar*>("verdict"), const_cast<gchar*>("pass or fail")},
        {GIMP_PDB_STRING, const_cast<gchar*>("report"), const_cast<gchar*>("The certphoto-report/1 JSON")},
    };
    static const GimpParamDef fix_args[] = {
        image_args[0], image_args[1], image_args[2], image_args[3],
        {GIMP_PDB_INT32, const_cast<gchar*>("force"), const_cast<gchar*>("Make the photo even when a rule fix cannot repair fails (0/1)")},
    };
    static const GimpParamDef fix_returns[] = {
        {GIMP_PDB_IMAGE, const_cast<gchar*>("new-image"), const_cast<gchar*>("The compliant photo")},
    };
    static const GimpParamDef export_args[] = {
        image_args[0], image_args[1], image_args[2],
        {GIMP_PDB_STRING, const_cast<gchar*>("filename"), const_cast<gchar*>("The JPEG to write")},
        image_args[3],
    };
    gimp_install_procedure(check_procedure, N_("Check a certificate photo against a preset"),
                           N_("Runs every certphoto rule on the layer, adds an overlay layer marking what fails, and "
                              "reports the verdict with messages in Chinese and English."),
                           "certphoto developers", "certphoto developers", "2026", N_("_Check…"), "RGB*, GRAY*",
                           GIMP_PLUGIN, G_N_ELEMENTS(image_args), G_N_ELEMENTS(check_returns), image_args, check_returns);
    gimp_install_procedure(fix_procedure, N_("Make the compliant certificate photo"),
                           N_("Frames, levels, evens the lighting and replaces the background as the preset says, in a "
                              "new image. The face is never retouched (严禁美颜)."),
                           "certphoto developers", "certphoto developers", "2026", N_("_Fix…"), "RGB*, GRAY*",
                           GIMP_PLUGIN, G_N_ELEMENTS(fix_args), G_N_ELEMENTS(fix_returns), fix_args, fix_returns);
    gimp_install_procedure(export_procedure, N_("Export the upload JPEG"),
                           N_("Writes the layer as the preset's JPEG: sRGB profile, its density, the highest quality "
                              "that fits the file-size range, no other metadata."),
                           "certphoto developers", "certphoto developers", "2026", N_("_Export Upload JPEG…"),
                           "RGB*, GRAY*", GIMP_PLUGIN, G_N_ELEMENTS(export_args), 0, export_args, nullptr);
    std::string icon = certphoto::plugin::icon_path();
    for (const char* procedure : {check_procedure, fix_procedure, export_procedure}) {
        gimp_plugin_menu_register(procedure, menu_path);
        if (!icon.empty())
            gimp_plugin_icon_register(procedure, GIMP_ICON_TYPE_IMAGE_FILE, reinterpret_cast<const guint8*>(icon.c_str()));
    }
}

// GIMP reads a procedure's return values after run() returns: they, and the strings they point at, outlive it.
GimpParam return_values[3];
std::string verdict_text, report_text, error_text;

void return_string(int index, const std::string& text) {
    return_values[index].type = GIMP_PDB_STRING;
    return_values[index].data.d_string = const_cast<gchar*>(text.c_str());
}

// The settings a run starts from: the last run's, or interactively the dialog's (nullopt: cancelled).
std::optional<Settings> settings_for(const gchar* name, GimpRunMode run_mode) {
    Settings settings = load_settings();
    if (run_mode != GIMP_RUN_INTERACTIVE) return settings;
    bool is_fix = std::strcmp(name, fix_procedure) == 0;
    auto choice = certphoto::plugin::ask_settings(name, {settings.preset, settings.force != 0}, is_fix);
    if (!choice) return std::nullopt;
    save_settings(choice->preset, choice->force);
    return load_settings();
}

// Each returns how many values it returns.
gint run_check(certphoto::plugin::Gimp2Host& host, GimpRunMode run_mode, const std::string& preset, const Settings& settings) {
    auto outcome = certphoto::plugin::check_image(host, preset);
    verdict_text = outcome.verdict;
    report_text = outcome.report.dump();
    if (run_mode == GIMP_RUN_INTERACTIVE)
        certphoto::plugin::show_check_result(certphoto::plugin::summarise(outcome.report), outcome.overlay_bgr);
    else if (run_mode != GIMP_RUN_NONINTERACTIVE)
        host.report(certphoto::plugin::summarise(outcome.report));
    save_settings(preset, settings.force);
    return_string(1, verdict_text);
    return_string(2, report_text);
    return 3;
}

gint run_fix(certphoto::plugin::Gimp2Host& host, const std::string& preset, bool force) {
    gint32 fixed = certphoto::plugin::fix_image(host, preset, force);
    save_settings(preset, force);
    return_values[1].type = GIMP_PDB_IMAGE;
    return_values[1].data.d_image = fixed;
    return 2;
}

gint run_failed(const certphoto::Error& e, bool interactive) {
    error_text = e.message().zh + "\n" + e.message().en;
    return_values[0].data.d_status = GIMP_PDB_EXECUTION_ERROR;
    return_string(1, error_text);
    if (interactive) gimp_message(error_text.c_str());
    return 2;
}

void run(const gchar* name, gint nparams, const GimpParam* param, gint* nreturn_vals, GimpParam** return_vals) {
    certphoto::plugin::init_translations();
    gegl_init(nullptr, nullptr);
    *return_vals = return_values;
    *nreturn_vals = 1;
    return_values[0].type = GIMP_PDB_STATUS;
    return_values[0].data.d_status = GIMP_PDB_SUCCESS;

    auto run_mode = static_cast<GimpRunMode>(param[0].data.d_int32);
    bool interactive = run_mode != GIMP_RUN_NONINTERACTIVE;
    const std::optional<Settings> settings = settings_for(name, run_mode);
    if (!settings) {
        return_values[0].data.d_status = GIMP_PDB_CANCEL;
        return;
    }
    certphoto::plugin::Gimp2Host host(param[1].data.d_image, param[2].data.d_drawable, run_mode);
    try {
        if (std::strcmp(name, check_procedure) == 0) {
            std::string preset = interactive || nparams < 4 ? settings->preset : param[3].data.d_string;
            *nreturn_vals = run_check(host, run_mode, preset, *settings);
        } else if (std::strcmp(name, fix_procedure) == 0) {
            std::string preset = interactive || nparams < 5 ? settings->preset : param[3].data.d_string;
            bool force = interactive || nparams < 5 ? settings->force != 0 : param[4].data.d_int32 != 0;
            *nreturn_vals = run_fix(host, preset, force);
        } else if (std::strcmp(name, export_procedure) == 0) {
            if (nparams < 5 || !param[3].data.d_string || !*param[3].data.d_string)
                throw certphoto::Error(certphoto::ErrorKind::usage, {"Export needs a file name", "导出需要文件名"});
            std::string preset = interactive ? settings->preset : param[4].data.d_string;
            certphoto::plugin::export_image(host, preset, param[3].data.d_string);
        } else {
            return_values[0].data.d_status = GIMP_PDB_CALLING_ERROR;
        }
    } catch (const certphoto::Error& e) {
        *nreturn_vals = run_failed(e, interactive);
    }
}

}  // namespace

const GimpPlugInInfo PLUG_IN_INFO = {nullptr, nullptr, query, run};

MAIN()
