#pragma once
// What every certphoto GEGL operation shares: the whole input as an sRGB cv::Mat, the one core analysis of
// it, and the result written back. The operations are global (they need the face), so each processes its
// whole extent at once.
#include <functional>
#include <memory>
#include <string>

#include <gegl-plugin.h>
#include <opencv2/core.hpp>

#include "analysis.hpp"

namespace certphoto::gegl_bridge {

cv::Mat read_bgr(GeglBuffer* buffer, const GeglRectangle& rect);
void write_bgr(GeglBuffer* buffer, const GeglRectangle& rect, const cv::Mat& bgr);

// The analysis of the whole input under the named preset; null (with a warning logged) when the preset is
// unknown or the photo has not exactly one face.
std::unique_ptr<Analysis> analyse(const cv::Mat& bgr, const std::string& preset_id, const char* operation);

// The shape of a same-size operation: the whole input read, analysed, edited and written back; a photo that
// cannot be analysed passes through unchanged (the warning says why).
using WholeImageEdit = std::function<cv::Mat(const Analysis& analysis, const cv::Mat& photo)>;
void edit_whole_image(GeglOperation* operation, GeglBuffer* input, GeglBuffer* output, const std::string& preset_id,
                      const char* operation_name, const WholeImageEdit& edit);

// Sets up a filter class that works on the whole image at once, 8-bit sRGB in and out: prepare, the
// required and cached regions (the whole input; the whole output), and no tiling threads.
void configure_whole_image_filter(GeglOperationClass* operation_class);
GeglRectangle whole_input(GeglOperation* operation);

// The size the preset's upload has for this input (the frame operation's extent).
cv::Size preset_output_size(const std::string& preset_id);

}  // namespace certphoto::gegl_bridge
