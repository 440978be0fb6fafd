// certphoto:replace-background — the wall behind the person replaced by a flat colour; the person untouched.
#ifdef GEGL_PROPERTIES

property_string (preset, "Preset", "chsi-graduate")
    description ("certphoto preset whose analysis finds the person / 预设")

property_color (color, "Background colour", "#64c5ff")
    description ("The new background; the CHSI light blue is RGB(100,197,255) / 背景颜色")

property_double (edge_softness, "Edge softness", 1.0)
    description ("Width of the edge band where hair and the wall mix, relative to the default / 边缘宽度")
    value_range (0.25, 4.0)

#else

#define GEGL_OP_FILTER
#define GEGL_OP_NAME certphoto_replace_background
#define GEGL_OP_C_SOURCE certphoto-replace-background.cpp

#include "gegl-op.h"

#include "certphoto-gegl-bridge.hpp"
#include "fix.hpp"

static gboolean process(GeglOperation* operation, GeglBuffer* input, GeglBuffer* output, const GeglRectangle*, gint) {
    GeglProperties* o = GEGL_PROPERTIES(operation);
    certphoto::gegl_bridge::edit_whole_image(operation, input, output, o->preset, "certphoto:replace-background",
                                             [o](const certphoto::Analysis& analysis, const cv::Mat&) {
        guchar rgb[3];
        gegl_color_get_pixel(o->color, babl_format("R'G'B' u8"), rgb);
        return certphoto::replace_background_in_place(analysis, cv::Vec3b(rgb[0], rgb[1], rgb[2]), o->edge_softness);
    });
    return TRUE;
}

static void gegl_op_class_init(GeglOpClass* klass) {
    GeglOperationClass* operation_class = GEGL_OPERATION_CLASS(klass);
    GeglOperationFilterClass* filter_class = GEGL_OPERATION_FILTER_CLASS(klass);
    certphoto::gegl_bridge::configure_whole_image_filter(operation_class);
    filter_class->process = process;
    gegl_operation_class_set_keys(operation_class,
        "name", "certphoto:replace-background",
        "title", "Replace background (certificate photo) / 替换背景",
        "categories", "certphoto",
        "description", "Replaces the wall behind the person with a flat colour; the person, hair and clothes are kept.",
        NULL);
}

#endif
