#pragma once
// What the procedures need from an image editor. One implementation per GIMP line (host_gimp2.cpp for
// GIMP 2.10; GIMP 3 gets its own file), so version differences stay behind this interface.
#include <string>

#include <opencv2/core.hpp>

#include "message.hpp"

namespace certphoto::plugin {

class Host {
public:
    virtual ~Host() = default;
    virtual cv::Mat read_active_layer() = 0;  // 8-bit sRGB, BGR
    // A layer above the others, shown over the photo, that can be hidden: BGRA, transparent where nothing is drawn.
    virtual void add_overlay_layer(const cv::Mat& bgra, const std::string& name) = 0;
    virtual int open_new_image(const cv::Mat& bgr, double dpi, const std::string& name) = 0;  // returns its id
    virtual std::string source_file() = 0;  // the file the image came from, "" when none
    virtual void report(const Message& message) = 0;
    virtual void progress(double fraction, const Message& stage) = 0;
};

}  // namespace certphoto::plugin
