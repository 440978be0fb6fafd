#pragma once
// Decoded images: what a file held (RawImage) and what analysis works on (DecodedImage: 8-bit sRGB BGR,
// EXIF orientation applied).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace certphoto {

struct InputLimits;

enum class PixelLayout { grey, grey_alpha, bgr, bgra, cmyk, cmyk_inverted };

struct RawImage {
    cv::Mat pixels;                 // CV_8U or CV_16U, channels as the layout says
    cv::Size file_size;             // the file's own pixel size, before scaling, cropping and orientation
    bool progressive = false;       // a progressive JPEG: every decode, reduced or not, reads all its coefficients
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

// What the file's own pixels are wanted for: a whole picture, or the picture reduced where that is all
// the work needs (a large camera JPEG: the checks' measures work at a set face scale).
enum class Resolution { as_needed, full };

struct DecodedImage {
    cv::Mat bgr;  // CV_8UC3, sRGB
    ImageInfo info;  // of the file: its width and height are the file's, even when bgr is reduced
    double scale = 1;  // bgr pixels per file pixel: below 1 when a large JPEG was decoded reduced
    // The file's pixels inside a rectangle of bgr, at the file's own resolution (8-bit sRGB BGR, oriented).
    // Set whenever scale < 1; the measures of grain, block edges and screen patterns read these.
    std::function<cv::Mat(const cv::Rect& file_px)> file_region;
};

// libjpeg's DCT scaling (scale_eighths/8 of each side) and a region of the scaled picture (stored orientation).
struct JpegRequest {
    int scale_eighths = 8;
    std::optional<cv::Rect> region;
    bool header_only = false;  // file_size, orientation and nothing else
};

using Bytes = std::vector<std::uint8_t>;

Bytes read_file_bytes(const std::string& path, double max_file_bytes);
bool is_jpeg(const Bytes& bytes);  // by its first bytes, never by a file name
// A JPEG may be decoded reduced (scale_eighths < 8, libjpeg's DCT scaling); other formats always whole.
DecodedImage decode_image(const Bytes& bytes, const InputLimits& limits, int scale_eighths = 8);
// The same; a reduced picture's file_region reads these bytes, shared, instead of a copy of them.
DecodedImage decode_image(std::shared_ptr<const Bytes> bytes, const InputLimits& limits, int scale_eighths);
DecodedImage read_image_file(const std::string& path, const InputLimits& limits);

// Format-specific decoders; each checks the pixel limit from the header before decoding pixels.
RawImage decode_jpeg(const Bytes& bytes, const InputLimits& limits, const JpegRequest& request = {});
RawImage decode_png(const Bytes& bytes, const InputLimits& limits);
RawImage decode_tiff(const Bytes& bytes, const InputLimits& limits);

cv::Mat apply_exif_orientation(const cv::Mat& image, int orientation);
// A rectangle of one copy of a picture in the pixels of a copy k times as large (a reduced copy, a preview).
inline cv::Rect scaled(const cv::Rect& r, double k) {
    return {cvRound(r.x * k), cvRound(r.y * k), cvRound(r.width * k), cvRound(r.height * k)};
}
void check_pixel_limit(double width, double height, const InputLimits& limits);

}  // namespace certphoto
