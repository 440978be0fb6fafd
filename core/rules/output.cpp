// The file itself: format, pixel size, colour, and file size. fix always produces these right.
#include <cmath>

#include "analysis.hpp"
#include "color_management.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

std::string kb(double bytes) { return format_number(bytes / 1024, 0) + " KB"; }


Message checked_at_export() {
    return {"No file yet (an image in an editor): checked when it is exported", "尚无文件（编辑器中的图像）：导出时检查"};
}

}  // namespace

Finding check_output_format(const Analysis& a, const RuleConfig& config) {
    const ImageInfo& info = a.info();
    if (info.format.empty()) return skipped("output-format", checked_at_export());
    const OutputSpec& out = a.preset().output;
    std::string icc = info.icc_description.value_or("none (sRGB assumed)");
    bool srgb = !info.icc_description || info.icc_description->find("sRGB") != std::string::npos;
    bool aspect = static_cast<long long>(info.width) * out.aspect_height == static_cast<long long>(info.height) * out.aspect_width;
    bool size = out.width_px.contains(info.width) && out.height_px.contains(info.height);
    bool depth = info.bits_per_sample == 8 && info.colour_model == "rgb";
    bool jpeg = info.format == "jpeg";

    std::string found = info.format + " " + std::to_string(info.width) + "x" + std::to_string(info.height) + " " +
                        std::to_string(info.bits_per_sample) + "-bit " + info.colour_model + ", ICC " + icc;
    std::string wanted = "jpeg " + std::to_string(out.aspect_width) + ":" + std::to_string(out.aspect_height) + " " +
                         format_number(out.width_px.min) + "-" + format_number(out.width_px.max) + " x " +
                         format_number(out.height_px.min) + "-" + format_number(out.height_px.max) + " 8-bit rgb sRGB";
    Finding f = measured("output-format", found, wanted, "format", true);
    if (jpeg && aspect && size && depth && srgb) {
        f.status = Status::pass;
        f.message = {"File format, pixel size and colour space as required", "文件格式、像素尺寸和色彩空间合格"};
        return f;
    }
    f.status = out_of_limit(config);
    std::string en, zh;
    auto add = [&](bool ok, const std::string& e, const std::string& z) {
        if (ok) return;
        en += (en.empty() ? "" : "; ") + e;
        zh += (zh.empty() ? "" : "；") + z;
    };
    add(jpeg, "not a JPEG", "不是 JPEG 格式");
    add(aspect, "not 3:4", "宽高比不是 3:4");
    add(size, "pixel size outside the allowed range", "像素尺寸不在允许范围内");
    add(depth, "not 24-bit colour", "不是 24 位彩色");
    add(srgb, "not sRGB", "不是 sRGB 色彩空间");
    f.message = {"Not an upload file yet (" + en + ")", "还不是可上传的文件（" + zh + "）"};
    if (!a.face()) return f;
    return unless_too_tight(f, a);
}

Finding check_output_size(const Analysis& a, const RuleConfig& config) {
    if (a.info().format.empty()) return skipped("output-size", checked_at_export());
    const Range& allowed = a.preset().output.file_bytes;
    double bytes = static_cast<double>(a.info().file_bytes);
    Finding f = measured("output-size", bytes, range_json(allowed.min, allowed.max), "bytes", true);
    return conclude(f, allowed.contains(bytes), config, {"File size " + kb(bytes) + " within range", "文件大小 " + kb(bytes) + " 合格"},
                    {"File size " + kb(bytes) + ", needs " + kb(allowed.min) + " - " + kb(allowed.max) + ": fix will re-encode",
                     "文件大小 " + kb(bytes) + "，应为 " + kb(allowed.min) + " - " + kb(allowed.max) + "：自动处理将重新压缩"});
}

}  // namespace certphoto
