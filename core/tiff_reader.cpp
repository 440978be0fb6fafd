#include "tiff_reader.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>

#include <opencv2/imgproc.hpp>
#include <tiffio.h>

#include "error.hpp"

namespace certphoto {
namespace {

struct MemoryFile {
    const Bytes* bytes;
    toff_t at = 0;
};

tsize_t read_proc(thandle_t handle, tdata_t out, tsize_t size) {
    auto* file = static_cast<MemoryFile*>(handle);
    if (size < 0 || file->at >= file->bytes->size()) return 0;
    auto count = std::min<toff_t>(static_cast<toff_t>(size), file->bytes->size() - file->at);
    std::memcpy(out, file->bytes->data() + file->at, count);
    file->at += count;
    return static_cast<tsize_t>(count);
}

tsize_t write_proc(thandle_t, tdata_t, tsize_t) { return 0; }

toff_t seek_proc(thandle_t handle, toff_t offset, int whence) {
    auto* file = static_cast<MemoryFile*>(handle);
    toff_t base = whence == SEEK_CUR ? file->at : whence == SEEK_END ? file->bytes->size() : 0;
    file->at = base + offset;
    return file->at;
}

int close_proc(thandle_t) { return 0; }
toff_t size_proc(thandle_t handle) { return static_cast<MemoryFile*>(handle)->bytes->size(); }
int map_proc(thandle_t, tdata_t*, toff_t*) { return 0; }
void unmap_proc(thandle_t, tdata_t, toff_t) {}

struct TiffCloser {
    void operator()(TIFF* tiff) const { TIFFClose(tiff); }
};

const Message data_damaged_or_short{"the image data is damaged or ends early", "图像数据损坏或提前结束"};

Error unreadable_tiff(const Message& why) { return unreadable_file("TIFF", why); }

template <typename T>
T field(TIFF* tiff, ttag_t tag) {
    T value{};
    TIFFGetFieldDefaulted(tiff, tag, &value);
    return value;
}

// Strips of 8- or 16-bit samples, stored pixel after pixel: read row by row as they are.
TiffPixels read_contiguous(TIFF* tiff, int rows, int cols, int channels, int bits, PixelLayout layout) {
    TiffPixels out;
    out.layout = layout;
    out.pixels.create(rows, cols, CV_MAKETYPE(bits == 16 ? CV_16U : CV_8U, channels));
    for (int y = 0; y < rows; ++y)
        if (TIFFReadScanline(tiff, out.pixels.ptr(y), static_cast<uint32_t>(y), 0) < 0)
            throw unreadable_tiff(data_damaged_or_short);
    if (layout == PixelLayout::bgr) cv::cvtColor(out.pixels, out.pixels, cv::COLOR_RGB2BGR);
    if (layout == PixelLayout::bgra) cv::cvtColor(out.pixels, out.pixels, cv::COLOR_RGBA2BGRA);
    return out;
}

// libtiff's RGBA reader, in the file's own orientation (req_orientation = the file's).
TiffPixels read_as_rgba(TIFF* tiff, int rows, int cols) {
    char message[1024] = {};
    TIFFRGBAImage image{};
    if (!TIFFRGBAImageOK(tiff, message) || !TIFFRGBAImageBegin(&image, tiff, 0, message))
        throw unreadable_tiff(message[0] ? decoder_said(message) : Message{"unsupported pixel layout", "像素格式不受支持"});
    image.req_orientation = image.orientation;
    cv::Mat abgr(rows, cols, CV_8UC4);  // each uint32 is A<<24 | B<<16 | G<<8 | R: bytes R, G, B, A in memory
    int ok = TIFFRGBAImageGet(&image, reinterpret_cast<uint32_t*>(abgr.data), static_cast<uint32_t>(cols),
                              static_cast<uint32_t>(rows));
    TIFFRGBAImageEnd(&image);
    if (!ok) throw unreadable_tiff(data_damaged_or_short);
    TiffPixels out;
    out.layout = PixelLayout::bgra;
    cv::cvtColor(abgr, out.pixels, cv::COLOR_RGBA2BGRA);
    return out;
}

}  // namespace

TiffPixels read_tiff_pixels(const Bytes& bytes) {
    static std::once_flag quiet;  // libtiff's default handlers print to stderr; our errors say it in two languages
    std::call_once(quiet, [] {
        TIFFSetErrorHandler(nullptr);
        TIFFSetWarningHandler(nullptr);
    });
    MemoryFile file{&bytes};
    std::unique_ptr<TIFF, TiffCloser> tiff(TIFFClientOpen("memory", "rm", &file, read_proc, write_proc, seek_proc,
                                                          close_proc, size_proc, map_proc, unmap_proc));
    if (!tiff) throw unreadable_tiff({"damaged header", "文件头损坏"});
    const auto cols = static_cast<int>(field<uint32_t>(tiff.get(), TIFFTAG_IMAGEWIDTH));
    const auto rows = static_cast<int>(field<uint32_t>(tiff.get(), TIFFTAG_IMAGELENGTH));
    if (cols <= 0 || rows <= 0) throw unreadable_tiff({"no image size", "缺少图像尺寸"});
    const int bits = field<uint16_t>(tiff.get(), TIFFTAG_BITSPERSAMPLE);
    const int samples = field<uint16_t>(tiff.get(), TIFFTAG_SAMPLESPERPIXEL);
    const int photometric = field<uint16_t>(tiff.get(), TIFFTAG_PHOTOMETRIC);
    const int planar = field<uint16_t>(tiff.get(), TIFFTAG_PLANARCONFIG);
    const int format = field<uint16_t>(tiff.get(), TIFFTAG_SAMPLEFORMAT);
    const int inks = field<uint16_t>(tiff.get(), TIFFTAG_INKSET);

    bool as_stored = !TIFFIsTiled(tiff.get()) && planar == PLANARCONFIG_CONTIG && (bits == 8 || bits == 16) &&
                     format == SAMPLEFORMAT_UINT;
    if (as_stored && photometric == PHOTOMETRIC_MINISBLACK && (samples == 1 || samples == 2))
        return read_contiguous(tiff.get(), rows, cols, samples, bits, samples == 1 ? PixelLayout::grey : PixelLayout::grey_alpha);
    if (as_stored && photometric == PHOTOMETRIC_RGB && (samples == 3 || samples == 4))
        return read_contiguous(tiff.get(), rows, cols, samples, bits, samples == 3 ? PixelLayout::bgr : PixelLayout::bgra);
    if (as_stored && bits == 8 && photometric == PHOTOMETRIC_SEPARATED && inks == INKSET_CMYK && samples == 4)
        return read_contiguous(tiff.get(), rows, cols, samples, bits, PixelLayout::cmyk);
    return read_as_rgba(tiff.get(), rows, cols);
}

}  // namespace certphoto
