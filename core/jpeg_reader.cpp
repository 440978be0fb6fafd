// JPEG decoding with libjpeg: ICC profile (APP2), EXIF orientation (APP1), grey, RGB and CMYK (Adobe).
#include <csetjmp>
#include <cstdio>
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

Error unreadable(const char* why) {
    return Error(ErrorKind::unreadable_input, {std::string("Damaged or unreadable JPEG: ") + why,
                                               std::string("JPEG 文件损坏或无法读取：") + why});
}

// Everything between setjmp and the end of this function is trivially destructible, so longjmp is safe.
bool decode_into(jpeg_decompress_struct& cinfo, JpegErrorManager& err, const Bytes& bytes, const InputLimits& limits,
                 RawImage& out, bool& over_limit) {
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
    jpeg_start_decompress(&cinfo);

    int channels = cinfo.output_components;
    out.pixels.create(static_cast<int>(cinfo.output_height), static_cast<int>(cinfo.output_width), CV_8UC(channels));
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = out.pixels.ptr<JSAMPLE>(static_cast<int>(cinfo.output_scanline));
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    out.layout = cmyk ? (cinfo.saw_Adobe_marker ? PixelLayout::cmyk_inverted : PixelLayout::cmyk)
                      : grey ? PixelLayout::grey : PixelLayout::bgr;
    JOCTET* icc = nullptr;
    unsigned int icc_length = 0;
    if (jpeg_read_icc_profile(&cinfo, &icc, &icc_length) && icc) {
        out.icc.assign(icc, icc + icc_length);
        std::free(icc);
    }
    out.exif_orientation = exif_orientation(&cinfo);
    jpeg_finish_decompress(&cinfo);
    return true;
}

}  // namespace

RawImage decode_jpeg(const Bytes& bytes, const InputLimits& limits) {
    jpeg_decompress_struct cinfo{};
    JpegErrorManager err{};
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = on_fatal;
    err.base.emit_message = on_message;

    RawImage image;
    image.format = "jpeg";
    bool over_limit = false;
    bool ok = decode_into(cinfo, err, bytes, limits, image, over_limit);
    int width = static_cast<int>(cinfo.image_width), height = static_cast<int>(cinfo.image_height);
    jpeg_destroy_decompress(&cinfo);
    if (over_limit) check_pixel_limit(width, height, limits);  // throws the bilingual limit error
    if (!ok) throw unreadable(err.text);
    if (err.truncated) throw unreadable("the file ends before the image data does (truncated)");
    return image;
}

}  // namespace certphoto
