// Reading any accepted file into 8-bit sRGB: format by content (never by extension), limits before decoding,
// colour management, EXIF orientation.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <fstream>

#include <zlib.h>
#include <opencv2/imgproc.hpp>

#include "color_management.hpp"
#include "error.hpp"
#include "image.hpp"
#include "preset.hpp"
#include "stage_times.hpp"
#include "png_codec.hpp"
#include "tiff_directory.hpp"
#include "tiff_reader.hpp"

namespace certphoto {
namespace {

bool starts_with(const Bytes& b, std::initializer_list<std::uint8_t> magic) {
    return b.size() >= magic.size() && std::equal(magic.begin(), magic.end(), b.begin());
}

std::uint32_t be32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}

Error unreadable(const std::string& en, const std::string& zh) {
    return Error(ErrorKind::unreadable_input, {en, zh});
}

// The iCCP chunk: name, NUL, compression method, zlib data.
std::vector<std::uint8_t> png_icc_profile(const Bytes& bytes) {
    std::size_t at = 8;
    while (at + 12 <= bytes.size()) {
        std::uint32_t length = be32(&bytes[at]);
        if (length > bytes.size() - at - 12) break;
        const char* type = reinterpret_cast<const char*>(&bytes[at + 4]);
        const std::uint8_t* data = &bytes[at + 8];
        if (std::memcmp(type, "IDAT", 4) == 0 || std::memcmp(type, "IEND", 4) == 0) break;
        if (std::memcmp(type, "iCCP", 4) == 0) {
            const auto* name_end = static_cast<const std::uint8_t*>(std::memchr(data, 0, std::min<std::size_t>(length, 80)));
            if (!name_end || name_end + 2 > data + length) throw unreadable("Damaged ICC profile in PNG", "PNG 中的 ICC 色彩配置文件已损坏");
            const std::uint8_t* z = name_end + 2;
            std::size_t z_length = data + length - z;
            constexpr uLongf max_profile_bytes = 16u << 20;  // real profiles are well under 1 MB
            std::vector<std::uint8_t> profile(max_profile_bytes);
            uLongf out_length = max_profile_bytes;
            if (uncompress(profile.data(), &out_length, z, static_cast<uLong>(z_length)) != Z_OK)
                throw unreadable("Damaged ICC profile in PNG", "PNG 中的 ICC 色彩配置文件已损坏");
            profile.resize(out_length);
            return profile;
        }
        at += 12 + length;
    }
    return {};
}

PixelLayout layout_for_channels(int channels) {
    switch (channels) {
        case 1: return PixelLayout::grey;
        case 2: return PixelLayout::grey_alpha;
        case 4: return PixelLayout::bgra;
        default: return PixelLayout::bgr;
    }
}

std::string colour_model(PixelLayout layout) {
    switch (layout) {
        case PixelLayout::grey: return "grey";
        case PixelLayout::grey_alpha: return "grey+alpha";
        case PixelLayout::bgra: return "rgb+alpha";
        case PixelLayout::cmyk:
        case PixelLayout::cmyk_inverted: return "cmyk";
        default: return "rgb";
    }
}

}  // namespace

void check_pixel_limit(double width, double height, const InputLimits& limits) {
    if (width < limits.min_side_px || height < limits.min_side_px) {
        std::string size = std::to_string(static_cast<long long>(width)) + "x" + std::to_string(static_cast<long long>(height));
        std::string least = std::to_string(static_cast<long long>(limits.min_side_px));
        throw Error(ErrorKind::unsupported_input, {"Image too small to be a photo: " + size + " (at least " + least + " px a side)",
                                                   "图像太小，不是照片：" + size + "（每边至少 " + least + " 像素）"});
    }
    if (width * height > limits.max_pixels) {
        std::string size = std::to_string(static_cast<long long>(width)) + "x" + std::to_string(static_cast<long long>(height));
        std::string limit = std::to_string(static_cast<long long>(limits.max_pixels / 1e6));
        throw Error(ErrorKind::unsupported_input,
                    {"Image too large: " + size + " is over the limit of " + limit + " megapixels; refused before decoding",
                     "图像过大：" + size + " 超过 " + limit + " 百万像素的上限，未解码即拒绝"});
    }
}

RawImage decode_png(const Bytes& bytes, const InputLimits& limits) {
    if (bytes.size() < 24) throw unreadable("Truncated PNG file", "PNG 文件不完整");
    check_pixel_limit(be32(&bytes[16]), be32(&bytes[20]), limits);
    RawImage image;
    image.format = "png";
    image.icc = png_icc_profile(bytes);
    image.pixels = read_png_pixels(bytes);
    image.layout = layout_for_channels(image.pixels.channels());
    return image;
}

RawImage decode_tiff(const Bytes& bytes, const InputLimits& limits) {
    auto dir = TiffDirectory::parse(bytes.data(), bytes.size());
    if (!dir) throw unreadable("Damaged TIFF header", "TIFF 文件头损坏");
    auto width = dir->integer(TiffDirectory::tag_width), height = dir->integer(TiffDirectory::tag_height);
    if (!width || !height) throw unreadable("TIFF without image size", "TIFF 文件缺少图像尺寸");
    check_pixel_limit(*width, *height, limits);
    RawImage image;
    image.format = "tiff";
    if (auto icc = dir->byte_range(TiffDirectory::tag_icc_profile))
        image.icc.assign(bytes.begin() + icc->first, bytes.begin() + icc->first + icc->second);
    // The pixels come as stored; the orientation is applied with a JPEG's EXIF orientation.
    if (auto orientation = dir->integer(TiffDirectory::tag_orientation); orientation && *orientation >= 1 && *orientation <= 8)
        image.exif_orientation = static_cast<int>(*orientation);
    TiffPixels pixels = read_tiff_pixels(bytes);
    image.pixels = std::move(pixels.pixels);
    image.layout = pixels.layout;
    return image;
}

cv::Mat apply_exif_orientation(const cv::Mat& image, int orientation) {
    cv::Mat out;
    switch (orientation) {
        case 2: cv::flip(image, out, 1); break;
        case 3: cv::rotate(image, out, cv::ROTATE_180); break;
        case 4: cv::flip(image, out, 0); break;
        case 5: cv::transpose(image, out); break;
        case 6: cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE); break;
        case 7: cv::transpose(image, out); cv::rotate(out, out, cv::ROTATE_180); break;
        case 8: cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE); break;
        default: out = image;
    }
    return out;
}

Bytes read_file_bytes(const std::string& path, double max_file_bytes) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw unreadable("File not found: " + path, "找不到文件：" + path);
    if (!fs::is_regular_file(path, ec))
        throw unreadable("Not a regular file: " + path, "不是普通文件：" + path);
    auto size = fs::file_size(path, ec);
    if (ec) throw unreadable("Cannot read " + path, "无法读取 " + path);
    if (size == 0) throw unreadable("Empty file: " + path, "文件为空：" + path);
    if (static_cast<double>(size) > max_file_bytes)
        throw Error(ErrorKind::unsupported_input, {"File too large: " + path, "文件过大：" + path});
    std::ifstream in(path, std::ios::binary);
    Bytes bytes(size);
    if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
        throw unreadable("Cannot read " + path, "无法读取 " + path);
    return bytes;
}

namespace {

// Where a rectangle of the oriented picture lies in the file's stored pixels (the inverse of
// apply_exif_orientation, corner by corner).
cv::Rect stored_rect(const cv::Rect& oriented, int orientation, cv::Size stored) {
    const int w = stored.width, h = stored.height;
    auto stored_point = [&](int x, int y) -> cv::Point {
        switch (orientation) {
            case 2: return {w - 1 - x, y};
            case 3: return {w - 1 - x, h - 1 - y};
            case 4: return {x, h - 1 - y};
            case 5: return {y, x};
            case 6: return {y, h - 1 - x};
            case 7: return {w - 1 - y, h - 1 - x};
            case 8: return {w - 1 - y, x};
            default: return {x, y};
        }
    };
    cv::Point a = stored_point(oriented.x, oriented.y), b = stored_point(oriented.br().x - 1, oriented.br().y - 1);
    return {cv::Point(std::min(a.x, b.x), std::min(a.y, b.y)), cv::Point(std::max(a.x, b.x) + 1, std::max(a.y, b.y) + 1)};
}

bool has_text_at(const Bytes& b, std::size_t at, std::string_view text) {
    return b.size() >= at + text.size() && std::equal(text.begin(), text.end(), b.begin() + static_cast<std::ptrdiff_t>(at));
}

// Image formats that are not read, by their signatures (the format's name in English and Chinese): a phone's
// HEIC or a web page's WebP is a photo the studio can export as JPEG, which the error says, not "not an image".
std::optional<Message> other_image_format(const Bytes& b) {
    if (has_text_at(b, 0, "RIFF") && has_text_at(b, 8, "WEBP")) return Message{"WebP", "WebP"};
    if (has_text_at(b, 4, "ftyp")) {
        for (std::string_view brand : {"heic", "heix", "hevc", "heim", "heis", "mif1", "msf1"})
            if (has_text_at(b, 8, brand)) return Message{"HEIC/HEIF", "HEIC/HEIF"};
        if (has_text_at(b, 8, "avif") || has_text_at(b, 8, "avis")) return Message{"AVIF", "AVIF"};
        if (has_text_at(b, 8, "crx ")) return Message{"Canon CR3 (camera raw)", "Canon CR3（相机 RAW 原片）"};
        if (has_text_at(b, 8, "jp2 ")) return Message{"JPEG 2000", "JPEG 2000"};
    }
    if (has_text_at(b, 0, "GIF87a") || has_text_at(b, 0, "GIF89a")) return Message{"GIF", "GIF"};
    if (has_text_at(b, 0, "8BPS")) return Message{"Photoshop (PSD)", "Photoshop（PSD）"};
    if (has_text_at(b, 0, "BM") && b.size() >= 26) return Message{"BMP", "BMP"};
    if (starts_with(b, {0xFF, 0x0A}) || has_text_at(b, 4, "JXL ")) return Message{"JPEG XL", "JPEG XL"};
    if (has_text_at(b, 0, "FUJIFILMCCD-RAW")) return Message{"Fujifilm RAF (camera raw)", "富士 RAF（相机 RAW 原片）"};
    if (has_text_at(b, 0, "%PDF")) return Message{"PDF", "PDF"};
    return std::nullopt;
}

RawImage decode_raw(const Bytes& bytes, const InputLimits& limits, int scale_eighths) {
    if (is_jpeg(bytes)) return decode_jpeg(bytes, limits, {scale_eighths, std::nullopt});
    if (starts_with(bytes, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return decode_png(bytes, limits);
    if (starts_with(bytes, {'I', 'I', 42, 0}) || starts_with(bytes, {'M', 'M', 0, 42})) return decode_tiff(bytes, limits);
    if (std::optional<Message> format = other_image_format(bytes))
        throw Error(ErrorKind::unsupported_input,
                    {format->en + " files are not read (only JPEG, PNG and TIFF): export or save the photo as JPEG and try again",
                     "不支持 " + format->zh + " 格式（只能读取 JPEG、PNG 和 TIFF）：请将照片导出或另存为 JPEG 后再试"});
    throw unreadable("Not an image: only JPEG, PNG and TIFF files are read",
                     "不是图像文件：只能读取 JPEG、PNG 和 TIFF 格式");
}

}  // namespace

bool is_jpeg(const Bytes& bytes) { return starts_with(bytes, {0xFF, 0xD8, 0xFF}); }

namespace {

// kept_bytes: called only for a reduced picture, whose file_region decodes the file's own pixels again.
DecodedImage decode_keeping(const Bytes& bytes, const std::function<std::shared_ptr<const Bytes>()>& kept_bytes,
                            const InputLimits& limits, int scale_eighths) {
    StageTimer timer("decode");
    RawImage raw = decode_raw(bytes, limits, scale_eighths);
    if (raw.file_size.empty()) raw.file_size = raw.pixels.size();

    DecodedImage decoded;
    decoded.info.format = raw.format;
    decoded.info.bits_per_sample = raw.pixels.depth() == CV_16U ? 16 : 8;
    decoded.info.channels = raw.pixels.channels();
    decoded.info.colour_model = colour_model(raw.layout);
    decoded.info.exif_orientation = raw.exif_orientation;
    decoded.info.file_bytes = bytes.size();
    ConvertedColour converted = convert_to_srgb(raw);
    decoded.info.icc_description = converted.source_profile_description;
    decoded.bgr = apply_exif_orientation(converted.bgr, raw.exif_orientation);
    bool turned = raw.exif_orientation >= 5;
    decoded.info.width = turned ? raw.file_size.height : raw.file_size.width;
    decoded.info.height = turned ? raw.file_size.width : raw.file_size.height;
    if (raw.pixels.size() != raw.file_size) {
        decoded.scale = scale_eighths / 8.0;
        decoded.file_region = [file = kept_bytes(), limits, orientation = raw.exif_orientation,
                               stored = raw.file_size](const cv::Rect& region) {
            RawImage part = decode_jpeg(*file, limits, {8, stored_rect(region, orientation, stored)});
            return apply_exif_orientation(convert_to_srgb(part).bgr, orientation);
        };
    }
    return decoded;
}

}  // namespace

DecodedImage decode_image(const Bytes& bytes, const InputLimits& limits, int scale_eighths) {
    return decode_keeping(bytes, [&] { return std::make_shared<const Bytes>(bytes); }, limits, scale_eighths);
}

DecodedImage decode_image(std::shared_ptr<const Bytes> bytes, const InputLimits& limits, int scale_eighths) {
    return decode_keeping(*bytes, [&] { return bytes; }, limits, scale_eighths);
}

DecodedImage read_image_file(const std::string& path, const InputLimits& limits) {
    Bytes bytes;
    {
        StageTimer timer("read");
        bytes = read_file_bytes(path, limits.max_file_bytes);
    }
    return decode_image(bytes, limits);
}

}  // namespace certphoto
