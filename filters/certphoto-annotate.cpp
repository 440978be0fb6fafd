// certphoto:annotate — the photo with the report drawn on it: landmarks, the allowed bands, failing regions.
#ifdef GEGL_PROPERTIES

property_string (preset, "Preset", "chsi-graduate")
    description ("certphoto preset to check against / 预设")

#else

#define GEGL_OP_FILTER
#define GEGL_OP_NAME certphoto_annotate
#define GEGL_OP_C_SOURCE certphoto-annotate.cpp

#include "gegl-op.h"

#include "certphoto-gegl-bridge.hpp"
#include "overlay.hpp"

static gboolean process(GeglOperation* operation, GeglBuffer* input, GeglBuffer* output, const GeglRectangle*, gint) {
    GeglProperties* o = GEGL_PROPERTIES(operation);
    certphoto::gegl_bridge::edit_whole_image(operation, input, output, o->preset, "certphoto:annotate",
                                             [](const certphoto::Analysis& analysis, const cv::Mat&) {
        return certphoto::draw_overlay(analysis, certphoto::run_rules(analysis));
    });
    return TRUE;
}

static void gegl_op_class_init(GeglOpClass* klass) {
    GeglOperationClass* operation_class = GEGL_OPERATION_CLASS(klass);
    GeglOperationFilterClass* filter_class = GEGL_OPERATION_FILTER_CLASS(klass);
    certphoto::gegl_bridge::configure_whole_image_filter(operation_class);
    filter_class->process = process;
    gegl_operation_class_set_keys(operation_class,
        "name", "certphoto:annotate",
        "title", "Annotate check results (certificate photo) / 标注检测结果",
        "categories", "certphoto",
        "description", "Draws landmarks, the allowed head-top and eye-line bands and every failing region.",
        NULL);
}

#endif
