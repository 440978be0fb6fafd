#pragma once
// The Host for GIMP 2.10 (libgimp-2.0): pixels through the drawable's GEGL buffer.
#include <libgimp/gimp.h>

#include "host.hpp"

namespace certphoto::plugin {

class Gimp2Host : public Host {
public:
    Gimp2Host(gint32 image, gint32 drawable, GimpRunMode run_mode);

    cv::Mat read_active_layer() override;
    void add_overlay_layer(const cv::Mat& bgra, const std::string& name) override;
    int open_new_image(const cv::Mat& bgr, double dpi, const std::string& name) override;
    std::string source_file() override;
    void report(const Message& message) override;
    void progress(double fraction, const Message& stage) override;

private:
    gint32 image_;
    gint32 drawable_;
    GimpRunMode run_mode_;
};

}  // namespace certphoto::plugin
