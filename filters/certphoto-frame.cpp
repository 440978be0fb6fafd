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

static GeglRectangle get_bounding_box(GeglOperation* operation) {
    GeglProperties* o = GEGL_PROPERTIES(operation);
    cv::Size size = certphoto::gegl_bridge::preset_output_size(o->preset);
    return GeglRectangle{0, 0, size.width, size.height};
}

static gboolean process(GeglOperation* operation, GeglBuffer* input, GeglBuffer* output, const GeglRectangle*, gint) {
    GeglProperties* o = GEGL_PROPERTIES(operation);
    const GeglRectangle whole = certphoto::gegl_bridge::whole_input(operation);
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
    certphoto::gegl_bridge::configure_whole_image_filter(operation_class);
    filter_class->process = process;
    operation_class->get_bounding_box = get_bounding_box;
    gegl_operation_class_set_keys(operation_class,
        "name", "certphoto:frame",
        "title", "Frame to preset (certificate photo) / 按规格构图",
        "categories", "certphoto",
        "description", "Scales, crops and levels the photo so the head sits where the preset wants it.",
        NULL);
}

#endif
