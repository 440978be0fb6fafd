// The certphoto GEGL module: one shared object registering every certphoto:* operation.
#include <gegl-plugin.h>

extern "C" {
void gegl_op_certphoto_replace_background_register_type(GTypeModule* module);
void gegl_op_certphoto_frame_register_type(GTypeModule* module);
void gegl_op_certphoto_annotate_register_type(GTypeModule* module);
void gegl_op_certphoto_relight_register_type(GTypeModule* module);

static const GeglModuleInfo module_info = {GEGL_MODULE_ABI_VERSION};

G_MODULE_EXPORT const GeglModuleInfo* gegl_module_query(GTypeModule*) { return &module_info; }

G_MODULE_EXPORT gboolean gegl_module_register(GTypeModule* module) {
    gegl_op_certphoto_replace_background_register_type(module);
    gegl_op_certphoto_frame_register_type(module);
    gegl_op_certphoto_annotate_register_type(module);
    gegl_op_certphoto_relight_register_type(module);
    return TRUE;
}
}
