#pragma once
// Decoded images: what a file held (RawImage) and what analysis works on (DecodedImage: 8-bit sRGB BGR,
// EXIF orientation applied).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace certphoto {

struct InputLimits;

enum class PixelLayout { grey, grey_alpha, bgr, bgra, cmyk, cmyk_inverted };

struct RawImage {
    cv::Mat pixels;                 // CV_8U or CV_16U, channels as the layout says
    PixelLayout layout = PixelLayout::bgr;
    std::vector<std::uint8_t> icc;  // embedded profile, empty when none
    int exif_orientation = 1;       // 1..8 as in EXIF
    std::string format;             // "jpeg", "png", "tiff"
};

struct ImageInfo {
    std::string format;  // empty for pixels that come from no file (an image in an editor)
    int width = 0;   // after orientation
    int height = 0;
    int bits_per_sample = 8;
    int channels = 3;
    std::string colour_model;  // "rgb", "grey", "cmyk", with "+alpha" when there is one
    std::optional<std::string> icc_description;
    std::uintmax_t file_bytes = 0;
    int exif_orientation = 1;
};

struct DecodedImage {
    cv::Mat bgr;  // CV_8UC3, sRGB
    ImageInfo info;
};

using Bytes = std::vector<std::uint8_t>;

Bytes read_file_bytes(const std::string& path, double max_file_bytes);
DecodedImage decode_image(const Bytes& bytes, const InputLimits& limits);
DecodedImage read_image_file(const std::string& path, const InputLimits& limits);

// Format-specific decoders; each checks the pixel limit from the header before decoding pixels.
RawImage decode_jpeg(const Bytes& bytes, const InputLimits& limits);
RawImage decode_png(const Bytes& bytes, const InputLimits& limits);
RawImage decode_tiff(const Bytes& bytes, const InputLimits& limits);

cv::Mat apply_exif_orientation(const cv::Mat& image, int orientation);
void check_pixel_limit(double width, double height, const InputLimits& limits);

}  // namespace certphoto
