#pragma once
// TIFF pixels through libtiff: 8- and 16-bit grey, RGB and CMYK strips as stored (with alpha when present);
// every other kind (palette, tiles, planes, YCbCr, 1-bit...) through libtiff's RGBA reader at 8 bits.
// Pixels come in the file's stored order: the caller applies the orientation tag.
#include <opencv2/core.hpp>

#include "image.hpp"

namespace certphoto {

struct TiffPixels {
    cv::Mat pixels;  // CV_8U or CV_16U
    PixelLayout layout = PixelLayout::bgr;
};

// Throws Error(unreadable_input) for a damaged or truncated file.
TiffPixels read_tiff_pixels(const Bytes& bytes);

}  // namespace certphoto
