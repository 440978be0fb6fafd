#include "host_gimp3.hpp"

#include <memory>

#include "layer_pixels.hpp"

namespace certphoto::plugin {
namespace {

struct ObjectUnref {
    void operator()(gpointer object) const { g_object_unref(object); }
};
using Buffer = std::unique_ptr<GeglBuffer, ObjectUnref>;
using File = std::unique_ptr<GFile, ObjectUnref>;

std::string both(const Message& m) { return m.zh + "\n" + m.en; }

// bgr: CV_8UC3 or, with alpha, CV_8UC4.
void write_layer(GimpLayer* layer, const cv::Mat& bgr) {
    {
        Buffer buffer(gimp_drawable_get_buffer(GIMP_DRAWABLE(layer)));
        write_bgr(buffer.get(), bgr);
    }  // the buffer is flushed to the layer when released
    gimp_drawable_update(GIMP_DRAWABLE(layer), 0, 0, bgr.cols, bgr.rows);
}

}  // namespace

Gimp3Host::Gimp3Host(GimpImage* image, GimpDrawable* drawable, GimpRunMode run_mode)
    : image_(image), drawable_(drawable), run_mode_(run_mode) {}

cv::Mat Gimp3Host::read_active_layer() {
    Buffer buffer(gimp_drawable_get_buffer(drawable_));
    return read_bgr(buffer.get());
}

void Gimp3Host::add_overlay_layer(const cv::Mat& bgra, const std::string& name) {
    GimpLayer* layer = gimp_layer_new(image_, name.c_str(), bgra.cols, bgra.rows, GIMP_RGBA_IMAGE, 100.0, GIMP_LAYER_MODE_NORMAL);
    gimp_image_insert_layer(image_, layer, nullptr, 0);
    write_layer(layer, bgra);
    const GimpLayer* selected[] = {layer, nullptr};
    gimp_image_set_selected_layers(image_, selected);
    if (run_mode_ == GIMP_RUN_INTERACTIVE) gimp_displays_flush();
}

int Gimp3Host::open_new_image(const cv::Mat& bgr, double dpi, const std::string& name) {
    GimpImage* image = gimp_image_new(bgr.cols, bgr.rows, GIMP_RGB);
    GimpLayer* layer = gimp_layer_new(image, name.c_str(), bgr.cols, bgr.rows, GIMP_RGB_IMAGE, 100.0, GIMP_LAYER_MODE_NORMAL);
    gimp_image_insert_layer(image, layer, nullptr, 0);
    write_layer(layer, bgr);
    gimp_image_set_resolution(image, dpi, dpi);
    if (run_mode_ == GIMP_RUN_INTERACTIVE) {
        gimp_display_new(image);
        gimp_displays_flush();
    }
    return gimp_image_get_id(image);
}

std::string Gimp3Host::source_file() {
    File file(gimp_image_get_file(image_));
    if (!file) return {};
    gchar* path = g_file_get_path(file.get());
    std::string name = path ? path : "";
    g_free(path);
    return name;
}

void Gimp3Host::report(const Message& message) { gimp_message(both(message).c_str()); }

void Gimp3Host::progress(double fraction, const Message& stage) {
    if (run_mode_ == GIMP_RUN_NONINTERACTIVE) return;
    gimp_progress_set_text(both(stage).c_str());
    gimp_progress_update(fraction);
}

}  // namespace certphoto::plugin
