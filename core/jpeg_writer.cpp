#include "jpeg_writer.hpp"

#include <csetjmp>
#include <cstdlib>

#include <jpeglib.h>

#include "color_management.hpp"
#include "error.hpp"

namespace certphoto {
namespace {

struct CompressError {
    jpeg_error_mgr base;
    std::jmp_buf jump;
};

void on_compress_fatal(j_common_ptr cinfo) { std::longjmp(reinterpret_cast<CompressError*>(cinfo->err)->jump, 1); }

// Locals between setjmp and return are trivially destructible, so longjmp is safe here.
bool compress(const cv::Mat& bgr, int quality, int dpi, unsigned char** buffer, unsigned long* size) {
    jpeg_compress_struct cinfo{};
    CompressError err{};
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = on_compress_fatal;
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&cinfo);
        return false;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, buffer, size);
    cinfo.image_width = static_cast<JDIMENSION>(bgr.cols);
    cinfo.image_height = static_cast<JDIMENSION>(bgr.rows);
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_EXT_BGR;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    cinfo.density_unit = 1;  // dots per inch
    cinfo.X_density = cinfo.Y_density = static_cast<UINT16>(dpi);
    cinfo.write_JFIF_header = TRUE;
    cinfo.optimize_coding = TRUE;
    // Full chroma resolution: colour edges at the hair and collar stay clean.
    for (int i = 0; i < 3; ++i) cinfo.comp_info[i].h_samp_factor = cinfo.comp_info[i].v_samp_factor = 1;
    jpeg_start_compress(&cinfo, TRUE);
    const auto& icc = srgb_profile_bytes();
    jpeg_write_icc_profile(&cinfo, icc.data(), static_cast<unsigned int>(icc.size()));
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = const_cast<JSAMPROW>(bgr.ptr<JSAMPLE>(static_cast<int>(cinfo.next_scanline)));
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    return true;
}

}  // namespace

Bytes encode_jpeg(const cv::Mat& bgr, int quality, int dpi) {
    CV_Assert(bgr.type() == CV_8UC3);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    bool ok = compress(bgr, quality, dpi, &buffer, &size);
    Bytes bytes;
    if (ok) bytes.assign(buffer, buffer + size);
    std::free(buffer);
    if (!ok) throw Error(ErrorKind::write_failed, {"JPEG encoding failed", "JPEG 编码失败"});
    return bytes;
}

nlohmann::json EncodedJpeg::audit() const { return {{"quality", quality}, {"bytes", bytes.size()}}; }

EncodedJpeg encode_for_preset(const cv::Mat& bgr, const OutputSpec& spec) {
    // File size grows with quality: binary search for the highest quality under the maximum.
    int lo = spec.min_jpeg_quality, hi = 100;
    EncodedJpeg best;
    while (lo <= hi) {
        int q = (lo + hi) / 2;
        Bytes bytes = encode_jpeg(bgr, q, spec.dpi);
        if (bytes.size() <= spec.file_bytes.max) {
            best = {std::move(bytes), q};
            lo = q + 1;
        } else {
            hi = q - 1;
        }
    }
    if (best.bytes.empty())
        throw Error(ErrorKind::cannot_fix, {"Even at JPEG quality " + std::to_string(spec.min_jpeg_quality) + " the file is over the size limit",
                                            "即使 JPEG 质量降到 " + std::to_string(spec.min_jpeg_quality) + "，文件仍超过大小上限"});
    if (best.bytes.size() < spec.file_bytes.min)
        throw Error(ErrorKind::cannot_fix, {"Even at the highest JPEG quality the file is under the minimum size (" +
                                                std::to_string(best.bytes.size()) + " bytes): the photo has too little detail",
                                            "即使使用最高 JPEG 质量，文件仍小于下限（" + std::to_string(best.bytes.size()) +
                                                " 字节）：照片细节过少"});
    return best;
}

}  // namespace certphoto
