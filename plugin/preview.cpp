#include "preview.hpp"

#include <algorithm>
#include <cstring>

#include <opencv2/imgproc.hpp>

namespace certphoto::plugin {

GdkPixbuf* preview_pixbuf(const cv::Mat& bgr) {
    double scale = std::min(1.0, static_cast<double>(preview_max_px) / std::max(bgr.cols, bgr.rows));
    cv::Mat small, rgb;
    cv::resize(bgr, small, cv::Size(), scale, scale, cv::INTER_AREA);
    cv::cvtColor(small, rgb, cv::COLOR_BGR2RGB);
    GdkPixbuf* pixbuf = gdk_pixbuf_new(GDK_COLORSPACE_RGB, FALSE, 8, rgb.cols, rgb.rows);
    for (int y = 0; y < rgb.rows; ++y)
        std::memcpy(gdk_pixbuf_get_pixels(pixbuf) + y * gdk_pixbuf_get_rowstride(pixbuf), rgb.ptr(y), rgb.cols * 3);
    return pixbuf;
}

}  // namespace certphoto::plugin
