#include "png_codec.hpp"

#include <csetjmp>
#include <cstring>
#include <string>

#include <png.h>

#include "error.hpp"

namespace certphoto {
namespace {

// libpng reports errors by longjmp to the setjmp of the function that called it.
struct PngErrors {
    std::jmp_buf jump;
    char text[200] = {};
};

void on_error(png_structp png, png_const_charp message) {
    auto* errors = static_cast<PngErrors*>(png_get_error_ptr(png));
    std::strncpy(errors->text, message, sizeof errors->text - 1);
    std::longjmp(errors->jump, 1);
}

void on_warning(png_structp, png_const_charp) {}

struct MemorySource {
    const Bytes* bytes;
    std::size_t at = 0;
    bool ended_early = false;
};

void read_from_memory(png_structp png, png_bytep out, png_size_t length) {
    auto* source = static_cast<MemorySource*>(png_get_io_ptr(png));
    if (source->bytes->size() - source->at < length) {
        source->ended_early = true;
        png_error(png, file_ends_early.en.c_str());
    }
    std::memcpy(out, source->bytes->data() + source->at, length);
    source->at += length;
}

class PngReader {
public:
    PngReader() {
        png_ = png_create_read_struct(PNG_LIBPNG_VER_STRING, &errors_, on_error, on_warning);
        if (png_) info_ = png_create_info_struct(png_);
    }
    ~PngReader() { png_destroy_read_struct(&png_, &info_, nullptr); }
    PngReader(const PngReader&) = delete;
    PngReader& operator=(const PngReader&) = delete;

    bool ok() const { return png_ && info_; }
    const char* error() const { return errors_.text; }

    // Everything between setjmp and the end of these functions is trivially destructible: longjmp is safe.
    bool read_layout(MemorySource& source, int& rows, int& cols, int& channels, int& depth) {
        if (setjmp(errors_.jump)) return false;
        png_set_read_fn(png_, &source, read_from_memory);
        png_read_info(png_, info_);
        png_byte colour = png_get_color_type(png_, info_);
        if (colour == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png_);
        if (colour == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png_, info_) < 8) png_set_expand_gray_1_2_4_to_8(png_);
        if (png_get_valid(png_, info_, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png_);
        if (png_get_bit_depth(png_, info_) == 16) png_set_swap(png_);  // to the host's (little-endian) order
        png_set_bgr(png_);
        png_set_interlace_handling(png_);
        png_read_update_info(png_, info_);
        rows = static_cast<int>(png_get_image_height(png_, info_));
        cols = static_cast<int>(png_get_image_width(png_, info_));
        channels = png_get_channels(png_, info_);
        depth = png_get_bit_depth(png_, info_);
        return true;
    }

    bool read_rows(png_bytepp row_pointers) {
        if (setjmp(errors_.jump)) return false;
        png_read_image(png_, row_pointers);
        return true;
    }

private:
    PngErrors errors_;
    png_structp png_ = nullptr;
    png_infop info_ = nullptr;
};

Error unreadable_png(const MemorySource& source, const char* decoder_text) {
    return unreadable_file("PNG", source.ended_early ? file_ends_early : decoder_said(decoder_text));
}

}  // namespace

cv::Mat read_png_pixels(const Bytes& bytes) {
    PngReader reader;
    if (!reader.ok()) throw std::bad_alloc();
    MemorySource source{&bytes};
    int rows = 0, cols = 0, channels = 0, depth = 0;
    if (!reader.read_layout(source, rows, cols, channels, depth)) throw unreadable_png(source, reader.error());
    if ((depth != 8 && depth != 16) || channels < 1 || channels > 4)
        throw unreadable_file("PNG", {"unexpected pixel layout", "像素格式不受支持"});
    cv::Mat pixels(rows, cols, CV_MAKETYPE(depth == 16 ? CV_16U : CV_8U, channels));
    std::vector<png_bytep> row_pointers(static_cast<std::size_t>(rows));
    for (int y = 0; y < rows; ++y) row_pointers[static_cast<std::size_t>(y)] = pixels.ptr(y);
    if (!reader.read_rows(row_pointers.data())) throw unreadable_png(source, reader.error());
    return pixels;
}

namespace {

void write_to_memory(png_structp png, png_bytep data, png_size_t length) {
    auto* out = static_cast<Bytes*>(png_get_io_ptr(png));
    out->insert(out->end(), data, data + length);
}

void no_flush(png_structp) {}

class PngWriter {
public:
    PngWriter() {
        png_ = png_create_write_struct(PNG_LIBPNG_VER_STRING, &errors_, on_error, on_warning);
        if (png_) info_ = png_create_info_struct(png_);
    }
    ~PngWriter() { png_destroy_write_struct(&png_, &info_); }
    PngWriter(const PngWriter&) = delete;
    PngWriter& operator=(const PngWriter&) = delete;

    bool ok() const { return png_ && info_; }

    bool write(Bytes& out, int rows, int cols, int channels, png_bytepp row_pointers) {
        if (setjmp(errors_.jump)) return false;
        png_set_write_fn(png_, &out, write_to_memory, no_flush);
        int colour = channels == 1 ? PNG_COLOR_TYPE_GRAY : channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGBA;
        png_set_IHDR(png_, info_, static_cast<png_uint_32>(cols), static_cast<png_uint_32>(rows), 8, colour,
                     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
        png_set_compression_level(png_, 3);  // OpenCV's default: a quick pass, a few percent larger
        png_write_info(png_, info_);
        png_set_bgr(png_);
        png_write_image(png_, row_pointers);
        png_write_end(png_, nullptr);
        return true;
    }

private:
    PngErrors errors_;
    png_structp png_ = nullptr;
    png_infop info_ = nullptr;
};

}  // namespace

Bytes encode_png(const cv::Mat& pixels) {
    CV_Assert(pixels.depth() == CV_8U && (pixels.channels() == 1 || pixels.channels() == 3 || pixels.channels() == 4));
    PngWriter writer;
    if (!writer.ok()) throw std::bad_alloc();
    std::vector<png_bytep> row_pointers(static_cast<std::size_t>(pixels.rows));
    for (int y = 0; y < pixels.rows; ++y) row_pointers[static_cast<std::size_t>(y)] = const_cast<png_bytep>(pixels.ptr(y));
    Bytes out;
    if (!writer.write(out, pixels.rows, pixels.cols, pixels.channels(), row_pointers.data()))
        throw std::runtime_error("PNG encoding failed");
    return out;
}

}  // namespace certphoto
