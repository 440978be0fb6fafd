// certphoto:frame — scale, crop and level the photo to the preset's geometry (head top, eye line, face
// width, centring). The output has the preset's upload size.
#ifdef GEGL_PROPERTIES

property_string (preset, "Preset", "chsi-graduate")
    description ("certphoto preset giving the output size and head position / 预设")

#else

#define GEGL_OP_FILTER
#define GEGL_OP_NAME certphoto_frame
#define GEGL_OP_C_SOURCE certphoto-frame.cpp

#include "gegl-op.h"

#include <opencv2/imgproc.hpp>

#include "certphoto-gegl-bridge.hpp"
#include "fix.hpp"

static void prepare(GeglOperation* operation) {
    gegl_operation_set_format(operation, "input", babl_format("R'G'B' u8"));
    gegl_operation_set_format(operation, "output", babl_format("R'G'B' u8"));
}

static GeglRectangle get_bounding_box(GeglOperation* operation) {
    GeglProperties* o = GEGL_PROPERTIES(operation);
    cv::Size size = certphoto::gegl_bridge::preset_output_size(o->preset);
    return GeglRectangle{0, 0, size.width, size.height};
}

static GeglRectangle get_required_for_output(GeglOperation* operation, const gchar*, const GeglRectangle*) {
    return *gegl_operation_source_get_bounding_box(operation, "input");
}

static GeglRectangle get_cached_region(GeglOperation* operation, const GeglRectangle*) {
    return get_bounding_box(operation);
}

static gboolean process(GeglOperation* operation, GeglBuffer* input, GeglBuffer* output, const GeglRectangle*, gint) {
    GeglProperties* o = GEGL_PROPERTIES(operation);
    const GeglRectangle whole = *gegl_operation_source_get_bounding_box(operation, "input");
    const GeglRectangle target = get_bounding_box(operation);
    cv::Mat photo = certphoto::gegl_bridge::read_bgr(input, whole);
    auto analysis = certphoto::gegl_bridge::analyse(photo, o->preset, "certphoto:frame");
    cv::Mat framed;
    if (analysis) {
        framed = certphoto::frame_photo(*analysis, analysis->framing()).bgr;
    } else {
        cv::resize(photo, framed, cv::Size(target.width, target.height), 0, 0, cv::INTER_AREA);
    }
    certphoto::gegl_bridge::write_bgr(output, target, framed);
    return TRUE;
}

static void gegl_op_class_init(GeglOpClass* klass) {
    GeglOperationClass* operation_class = GEGL_OPERATION_CLASS(klass);
    GeglOperationFilterClass* filter_class = GEGL_OPERATION_FILTER_CLASS(klass);
    filter_class->process = process;
    operation_class->prepare = prepare;
    operation_class->get_bounding_box = get_bounding_box;
    operation_class->get_required_for_output = get_required_for_output;
    operation_class->get_cached_region = get_cached_region;
    operation_class->threaded = FALSE;
    gegl_operation_class_set_keys(operation_class,
        "name", "certphoto:frame",
        "title", "Frame to preset (certificate photo) / 按规格构图",
        "categories", "certphoto",
        "description", "Scales, crops and levels the photo so the head sits where the preset wants it.",
        NULL);
}

#endif
