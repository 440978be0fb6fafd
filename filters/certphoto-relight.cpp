// certphoto:relight — one-sided light evened by a smooth left-right gain in linear light, on the person only
// (the wall and every local detail of the face stay as they are: 严禁美颜).
#ifdef GEGL_PROPERTIES

property_string (preset, "Preset", "chsi-graduate")
    description ("certphoto preset whose analysis finds the face and the person / 预设")

property_double (strength, "Strength", 1.0)
    description ("Share of the measured left-right imbalance that is evened / 校正比例")
    value_range (0.0, 1.0)

property_double (max_stops, "Largest gain (stops)", 1.5)
    description ("No part of the person is brightened or darkened by more than this / 最大增益（档）")
    value_range (0.0, 3.0)

#else

#define GEGL_OP_FILTER
#define GEGL_OP_NAME certphoto_relight
#define GEGL_OP_C_SOURCE certphoto-relight.cpp

#include "gegl-op.h"

#include "certphoto-gegl-bridge.hpp"
#include "fix/relight.hpp"

static gboolean process(GeglOperation* operation, GeglBuffer* input, GeglBuffer* output, const GeglRectangle*, gint) {
    GeglProperties* o = GEGL_PROPERTIES(operation);
    certphoto::gegl_bridge::edit_whole_image(operation, input, output, o->preset, "certphoto:relight",
                                             [o](const certphoto::Analysis& analysis, const cv::Mat& photo) {
        certphoto::RelightPlan plan = certphoto::plan_relight(analysis, o->strength, o->max_stops);
        return certphoto::apply_relight(photo, analysis.matte_person_at_image_size(), plan);
    });
    return TRUE;
}

static void gegl_op_class_init(GeglOpClass* klass) {
    GeglOperationClass* operation_class = GEGL_OPERATION_CLASS(klass);
    GeglOperationFilterClass* filter_class = GEGL_OPERATION_FILTER_CLASS(klass);
    certphoto::gegl_bridge::configure_whole_image_filter(operation_class);
    filter_class->process = process;
    gegl_operation_class_set_keys(operation_class,
        "name", "certphoto:relight",
        "title", "Even the lighting (certificate photo) / 平衡光线",
        "categories", "certphoto",
        "description", "Evens one-sided light across the person with a smooth, bounded gain; nothing local, the face's detail is kept.",
        NULL);
}

#endif
