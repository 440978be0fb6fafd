#include "layer_pixels.hpp"

#include <opencv2/imgproc.hpp>

namespace certphoto::plugin {

cv::Mat read_bgr(GeglBuffer* buffer) {
    const GeglRectangle* extent = gegl_buffer_get_extent(buffer);
    cv::Mat rgb(extent->height, extent->width, CV_8UC3), bgr;
    gegl_buffer_get(buffer, extent, 1.0, babl_format("R'G'B' u8"), rgb.data, static_cast<gint>(rgb.step), GEGL_ABYSS_NONE);
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    return bgr;
}

void write_bgr(GeglBuffer* buffer, const cv::Mat& bgr) {
    bool alpha = bgr.channels() == 4;
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, alpha ? cv::COLOR_BGRA2RGBA : cv::COLOR_BGR2RGB);
    GeglRectangle rect{0, 0, bgr.cols, bgr.rows};
    gegl_buffer_set(buffer, &rect, 0, babl_format(alpha ? "R'G'B'A u8" : "R'G'B' u8"), rgb.data, static_cast<gint>(rgb.step));
}

}  // namespace certphoto::plugin
