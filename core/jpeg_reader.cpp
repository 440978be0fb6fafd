// JPEG decoding with libjpeg: ICC profile (APP2), EXIF orientation (APP1), grey, RGB and CMYK (Adobe).
#include <csetjmp>
#include <cstdio>
#include <algorithm>
#include <cstring>

#include <jerror.h>
#include <jpeglib.h>

#include "error.hpp"
#include "image.hpp"
#include "preset.hpp"
#include "tiff_directory.hpp"

namespace certphoto {
namespace {

struct JpegErrorManager {
    jpeg_error_mgr base;
    std::jmp_buf jump;
    char text[JMSG_LENGTH_MAX];
    bool truncated;
};

void on_fatal(j_common_ptr cinfo) {
    auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, err->text);
    std::longjmp(err->jump, 1);
}

void on_message(j_common_ptr cinfo, int level) {
    // A premature end of data is a truncated file: libjpeg would fill the rest with grey.
    auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) err->truncated = true;
}

int exif_orientation(j_decompress_ptr cinfo) {
    static constexpr char exif_header[] = "Exif\0\0";
    for (jpeg_saved_marker_ptr m = cinfo->marker_list; m; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length < 6 || std::memcmp(m->data, exif_header, 6) != 0) continue;
        auto dir = TiffDirectory::parse(m->data + 6, m->data_length - 6);
        if (!dir) return 1;
        auto value = dir->integer(TiffDirectory::tag_orientation);
        return value && *value >= 1 && *value <= 8 ? static_cast<int>(*value) : 1;
    }
    return 1;
}

// Everything between setjmp and the end of this function is trivially destructible, so longjmp is safe.
bool decode_into(jpeg_decompress_struct& cinfo, JpegErrorManager& err, const Bytes& bytes, const InputLimits& limits,
                 const JpegRequest& request, RawImage& out, bool& over_limit) {
    if (setjmp(err.jump)) return false;
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
    jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_save_markers(&cinfo, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(&cinfo, TRUE);
    if (double(cinfo.image_width) * double(cinfo.image_height) > limits.max_pixels) {
        over_limit = true;
        return false;
    }
    bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    bool grey = cinfo.jpeg_color_space == JCS_GRAYSCALE;
    cinfo.out_color_space = cmyk ? JCS_CMYK : grey ? JCS_GRAYSCALE : JCS_EXT_BGR;
    out.file_size = {static_cast<int>(cinfo.image_width), static_cast<int>(cinfo.image_height)};
    out.exif_orientation = exif_orientation(&cinfo);
    out.progressive = jpeg_has_multiple_scans(&cinfo);
    if (request.header_only) return true;
    cinfo.scale_num = static_cast<unsigned int>(std::clamp(request.scale_eighths, 1, 8));
    cinfo.scale_denom = 8;
    jpeg_start_decompress(&cinfo);

    int channels = cinfo.output_components;
    const cv::Rect rows = request.region ? *request.region & cv::Rect(0, 0, static_cast<int>(cinfo.output_width),
                                                                    static_cast<int>(cinfo.output_height))
                                         : cv::Rect(0, 0, static_cast<int>(cinfo.output_width), static_cast<int>(cinfo.output_height));
    // A region: libjpeg decodes whole iMCU columns around it (xoffset moves left, width grows) and skips the
    // rows above it without their colour conversion; the rows below are never read.
    auto xoffset = static_cast<JDIMENSION>(rows.x), width = static_cast<JDIMENSION>(rows.width);
    if (request.region && !rows.empty()) jpeg_crop_scanline(&cinfo, &xoffset, &width);
    if (rows.y > 0) jpeg_skip_scanlines(&cinfo, static_cast<JDIMENSION>(rows.y));
    out.pixels.create(rows.height, static_cast<int>(cinfo.output_width), CV_8UC(channels));
    for (int y = 0; y < rows.height; ++y) {
        JSAMPROW row = out.pixels.ptr<JSAMPLE>(y);
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    int left = rows.x - static_cast<int>(xoffset);
    if (left > 0 || rows.width < out.pixels.cols) out.pixels = out.pixels.colRange(left, left + rows.width).clone();
    out.layout = cmyk ? (cinfo.saw_Adobe_marker ? PixelLayout::cmyk_inverted : PixelLayout::cmyk)
                      : grey ? PixelLayout::grey : PixelLayout::bgr;
    JOCTET* icc = nullptr;
    unsigned int icc_length = 0;
    if (jpeg_read_icc_profile(&cinfo, &icc, &icc_length) && icc) {
        out.icc.assign(icc, icc + icc_length);
        std::free(icc);
    }
    if (cinfo.output_scanline < cinfo.output_height)
        jpeg_abort_decompress(&cinfo);
    else
        jpeg_finish_decompress(&cinfo);
    return true;
}

}  // namespace

RawImage decode_jpeg(const Bytes& bytes, const InputLimits& limits, const JpegRequest& request) {
    jpeg_decompress_struct cinfo{};
    JpegErrorManager err{};
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = on_fatal;
    err.base.emit_message = on_message;

    RawImage image;
    image.format = "jpeg";
    bool over_limit = false;
    bool ok = decode_into(cinfo, err, bytes, limits, request, image, over_limit);
    int width = static_cast<int>(cinfo.image_width), height = static_cast<int>(cinfo.image_height);
    jpeg_destroy_decompress(&cinfo);
    if (over_limit) check_pixel_limit(width, height, limits);  // throws the bilingual limit error
    if (!ok) throw unreadable_file("JPEG", decoder_said(err.text));
    if (err.truncated) throw unreadable_file("JPEG", file_ends_early);
    return image;
}

}  // namespace certphoto
