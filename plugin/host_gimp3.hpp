#pragma once
// The Host for GIMP 3 (libgimp-3.0): objects instead of ids, pixels through the drawable's GEGL buffer.
#include <libgimp/gimp.h>

#include "host.hpp"

namespace certphoto::plugin {

class Gimp3Host : public Host {
public:
    Gimp3Host(GimpImage* image, GimpDrawable* drawable, GimpRunMode run_mode);

    cv::Mat read_active_layer() override;
    void add_overlay_layer(const cv::Mat& bgra, const std::string& name) override;
    int open_new_image(const cv::Mat& bgr, double dpi, const std::string& name) override;
    std::string source_file() override;
    void report(const Message& message) override;
    void progress(double fraction, const Message& stage) override;

private:
    GimpImage* image_;
    GimpDrawable* drawable_;
    GimpRunMode run_mode_;
};

}  // namespace certphoto::plugin
