#include "host_gimp2.hpp"

#include "layer_pixels.hpp"

namespace certphoto::plugin {
namespace {

struct BufferUnref {
    void operator()(GeglBuffer* buffer) const { g_object_unref(buffer); }
};
using Buffer = std::unique_ptr<GeglBuffer, BufferUnref>;

std::string both(const Message& m) { return m.zh + "\n" + m.en; }

// bgr: CV_8UC3 or, with alpha, CV_8UC4.
void write_layer(gint32 layer, const cv::Mat& bgr) {
    {
        Buffer buffer(gimp_drawable_get_buffer(layer));
        write_bgr(buffer.get(), bgr);
    }  // the buffer is flushed to the layer when released
    gimp_drawable_update(layer, 0, 0, bgr.cols, bgr.rows);
}

}  // namespace

Gimp2Host::Gimp2Host(gint32 image, gint32 drawable, GimpRunMode run_mode)
    : image_(image), drawable_(drawable), run_mode_(run_mode) {}

cv::Mat Gimp2Host::read_active_layer() {
    Buffer buffer(gimp_drawable_get_buffer(drawable_));
    return read_bgr(buffer.get());
}

void Gimp2Host::add_overlay_layer(const cv::Mat& bgra, const std::string& name) {
    gint32 layer = gimp_layer_new(image_, name.c_str(), bgra.cols, bgra.rows, GIMP_RGBA_IMAGE, 100.0, GIMP_LAYER_MODE_NORMAL);
    gimp_image_insert_layer(image_, layer, -1, 0);
    write_layer(layer, bgra);
    gimp_image_set_active_layer(image_, layer);
    if (run_mode_ == GIMP_RUN_INTERACTIVE) gimp_displays_flush();
}

int Gimp2Host::open_new_image(const cv::Mat& bgr, double dpi, const std::string& name) {
    gint32 image = gimp_image_new(bgr.cols, bgr.rows, GIMP_RGB);
    gint32 layer = gimp_layer_new(image, name.c_str(), bgr.cols, bgr.rows, GIMP_RGB_IMAGE, 100.0, GIMP_LAYER_MODE_NORMAL);
    gimp_image_insert_layer(image, layer, -1, 0);
    write_layer(layer, bgr);
    gimp_image_set_resolution(image, dpi, dpi);
    if (run_mode_ == GIMP_RUN_INTERACTIVE) {
        gimp_display_new(image);
        gimp_displays_flush();
    }
    return image;
}

std::string Gimp2Host::source_file() {
    gchar* name = gimp_image_get_filename(image_);
    std::string file = name ? name : "";
    g_free(name);
    return file;
}

void Gimp2Host::report(const Message& message) { gimp_message(both(message).c_str()); }

void Gimp2Host::progress(double fraction, const Message& stage) {
    if (run_mode_ == GIMP_RUN_NONINTERACTIVE) return;
    gimp_progress_set_text(both(stage).c_str());
    gimp_progress_update(fraction);
}

}  // namespace certphoto::plugin
