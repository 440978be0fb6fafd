#pragma once
// Pixels between a layer's GEGL buffer and OpenCV, the same in GIMP 2.10 and 3: 8-bit sRGB, BGR(A) on our side.
#include <gegl.h>
#include <opencv2/core.hpp>

namespace certphoto::plugin {

cv::Mat read_bgr(GeglBuffer* buffer);                   // CV_8UC3
void write_bgr(GeglBuffer* buffer, const cv::Mat& bgr);  // CV_8UC3, or CV_8UC4 with alpha

}  // namespace certphoto::plugin
