#pragma once
// JPEG export: sRGB profile embedded, the preset's density, nothing else (no EXIF, GPS or thumbnails).
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "image.hpp"
#include "preset.hpp"

namespace certphoto {

Bytes encode_jpeg(const cv::Mat& bgr, int quality, int dpi);

struct EncodedJpeg {
    Bytes bytes;
    int quality = 0;
    nlohmann::json audit() const;
};

// The highest quality whose file fits the preset's size range; throws cannot_fix when none does.
EncodedJpeg encode_for_preset(const cv::Mat& bgr, const OutputSpec& spec);

}  // namespace certphoto
