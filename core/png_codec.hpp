#pragma once
// PNG pixels through libpng: read whole (8 or 16 bits, grey, grey+alpha, BGR or BGRA; palettes and
// transparency expanded), and written (the --overlay picture).
#include <opencv2/core.hpp>

#include "image.hpp"

namespace certphoto {

// Throws Error(unreadable_input) for a damaged or truncated file.
cv::Mat read_png_pixels(const Bytes& bytes);

// 8-bit grey, BGR or BGRA.
Bytes encode_png(const cv::Mat& pixels);

}  // namespace certphoto
