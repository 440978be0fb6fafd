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

static void prepare(GeglOperation* operation) {
    gegl_operation_set_format(operation, "input", babl_format("R'G'B' u8"));
    gegl_operation_set_format(operation, "output", babl_format("R'G'B' u8"));
}

static GeglRectangle get_required_for_output(GeglOperation* operation, const gchar*, const GeglRectangle*) {
    return *gegl_operation_source_get_bounding_box(operation, "input");
}

static GeglRectangle get_cached_region(GeglOperation* operation, const GeglRectangle*) {
    return *gegl_operation_source_get_bounding_box(operation, "input");
}

static gboolean process(GeglOperation* operation, GeglBuffer* input, GeglBuffer* output, const GeglRectangle*, gint) {
    GeglProperties* o = GEGL_PROPERTIES(operation);
    const GeglRectangle whole = *gegl_operation_source_get_bounding_box(operation, "input");
    cv::Mat photo = certphoto::gegl_bridge::read_bgr(input, whole);
    auto analysis = certphoto::gegl_bridge::analyse(photo, o->preset, "certphoto:annotate");
    cv::Mat drawn = analysis ? certphoto::draw_overlay(*analysis, certphoto::run_rules(*analysis)) : photo;
    certphoto::gegl_bridge::write_bgr(output, whole, drawn);
    return TRUE;
}

static void gegl_op_class_init(GeglOpClass* klass) {
    GeglOperationClass* operation_class = GEGL_OPERATION_CLASS(klass);
    GeglOperationFilterClass* filter_class = GEGL_OPERATION_FILTER_CLASS(klass);
    filter_class->process = process;
    operation_class->prepare = prepare;
    operation_class->get_required_for_output = get_required_for_output;
    operation_class->get_cached_region = get_cached_region;
    operation_class->threaded = FALSE;
    gegl_operation_class_set_keys(operation_class,
        "name", "certphoto:annotate",
        "title", "Annotate check results (certificate photo) / 标注检测结果",
        "categories", "certphoto",
        "description", "Draws landmarks, the allowed head-top and eye-line bands and every failing region.",
        NULL);
}

#endif
