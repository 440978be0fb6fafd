#include "certphoto-gegl-bridge.hpp"

#include <opencv2/imgproc.hpp>

#include "error.hpp"

namespace certphoto::gegl_bridge {

cv::Mat read_bgr(GeglBuffer* buffer, const GeglRectangle& rect) {
    cv::Mat rgb(rect.height, rect.width, CV_8UC3), bgr;
    gegl_buffer_get(buffer, &rect, 1.0, babl_format("R'G'B' u8"), rgb.data, static_cast<gint>(rgb.step), GEGL_ABYSS_CLAMP);
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    return bgr;
}

void write_bgr(GeglBuffer* buffer, const GeglRectangle& rect, const cv::Mat& bgr) {
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    gegl_buffer_set(buffer, &rect, 0, babl_format("R'G'B' u8"), rgb.data, static_cast<gint>(rgb.step));
}

std::unique_ptr<Analysis> analyse(const cv::Mat& bgr, const std::string& preset_id, const char* operation) {
    try {
        static thread_local std::unique_ptr<Preset> preset;
        if (!preset || preset->id != preset_id) preset = std::make_unique<Preset>(find_preset(preset_id));
        DecodedImage image;
        image.bgr = bgr;
        image.info.width = bgr.cols;
        image.info.height = bgr.rows;
        auto analysis = std::make_unique<Analysis>(std::move(image), *preset, FaceLandmarker::shared());
        if (!analysis->face()) {
            g_warning("%s: needs exactly one face (found %zu); the image is left as it is / 需要恰好一张人脸", operation,
                      analysis->faces().size());
            return nullptr;
        }
        return analysis;
    } catch (const Error& e) {
        g_warning("%s: %s / %s", operation, e.message().en.c_str(), e.message().zh.c_str());
        return nullptr;
    }
}

namespace {

void prepare_srgb_u8(GeglOperation* operation) {
    gegl_operation_set_format(operation, "input", babl_format("R'G'B' u8"));
    gegl_operation_set_format(operation, "output", babl_format("R'G'B' u8"));
}

GeglRectangle required_whole_input(GeglOperation* operation, const gchar*, const GeglRectangle*) {
    return whole_input(operation);
}

GeglRectangle cached_whole_output(GeglOperation* operation, const GeglRectangle*) {
    GeglOperationClass* klass = GEGL_OPERATION_GET_CLASS(operation);
    return klass->get_bounding_box ? klass->get_bounding_box(operation) : whole_input(operation);
}

}  // namespace

GeglRectangle whole_input(GeglOperation* operation) {
    const GeglRectangle* box = gegl_operation_source_get_bounding_box(operation, "input");
    return box ? *box : GeglRectangle{0, 0, 0, 0};
}

void configure_whole_image_filter(GeglOperationClass* operation_class) {
    operation_class->prepare = prepare_srgb_u8;
    operation_class->get_required_for_output = required_whole_input;
    operation_class->get_cached_region = cached_whole_output;
    operation_class->threaded = FALSE;
}

cv::Size preset_output_size(const std::string& preset_id) {
    try {
        Preset preset = find_preset(preset_id);
        int w = static_cast<int>(std::min<double>(preset.output.preferred_width_px, preset.output.width_px.max));
        return {w, w / preset.output.aspect_width * preset.output.aspect_height};
    } catch (const Error&) {
        return {480, 640};
    }
}

void edit_whole_image(GeglOperation* operation, GeglBuffer* input, GeglBuffer* output, const std::string& preset_id,
                      const char* operation_name, const WholeImageEdit& edit) {
    const GeglRectangle whole = whole_input(operation);
    cv::Mat photo = read_bgr(input, whole);
    auto analysis = analyse(photo, preset_id, operation_name);
    write_bgr(output, whole, analysis ? edit(*analysis, photo) : photo);
}

}  // namespace certphoto::gegl_bridge
