#include "procedures.hpp"

#include <opencv2/imgproc.hpp>

#include "atomic_file.hpp"
#include "check.hpp"
#include "error.hpp"
#include "fix.hpp"
#include "jpeg_writer.hpp"
#include "overlay.hpp"

namespace certphoto::plugin {
namespace {

DecodedImage editor_pixels(Host& host) {
    DecodedImage image;
    image.bgr = host.read_active_layer();
    image.info.width = image.bgr.cols;
    image.info.height = image.bgr.rows;
    return image;  // no file: the file rules are checked at export
}

// The overlay as its own layer: only what was drawn is opaque.
cv::Mat drawn_only(const cv::Mat& photo, const cv::Mat& overlay) {
    cv::Mat difference, alpha, bgra;
    cv::absdiff(photo, overlay, difference);
    cv::cvtColor(difference, alpha, cv::COLOR_BGR2GRAY);
    alpha = alpha > 0;
    cv::cvtColor(overlay, bgra, cv::COLOR_BGR2BGRA);
    cv::insertChannel(alpha, bgra, 3);
    return bgra;
}

}  // namespace

Message summarise(const nlohmann::json& report) {
    bool pass = report.value("verdict", "") == "pass";
    Message m{pass ? "Pass: the photo meets the preset" : "Fail: the photo does not meet the preset",
              pass ? "合格：照片符合规格" : "不合格：照片不符合规格"};
    for (const auto& c : report["checks"]) {
        std::string status = c["status"];
        if (status != "fail" && status != "warn") continue;
        std::string mark = status == "fail" ? "✗ " : "! ";
        bool fixable = c["fixable"].get<bool>();
        m.en += "\n" + mark + c["id"].get<std::string>() + (fixable ? " [fixable]" : "") + ": " + c["message"].get<std::string>();
        m.zh += "\n" + mark + c["id"].get<std::string>() + (fixable ? " [可自动修复]" : "") + "：" + c["message_zh"].get<std::string>();
    }
    return m;
}

CheckOutcome check_image(Host& host, const std::string& preset_id) {
    Preset preset = find_preset(preset_id);
    host.progress(0.1, {"Finding the face", "正在检测人脸"});
    CheckedPhoto checked = certphoto::check_image(editor_pixels(host), host.source_file(), preset);
    host.progress(0.8, {"Drawing the results", "正在标注结果"});
    const Analysis& analysis = *checked.analysis;
    cv::Mat overlay = draw_overlay(analysis, checked.report.checks);
    host.add_overlay_layer(drawn_only(analysis.bgr(), overlay), "certphoto: " + checked.report.verdict);
    host.progress(1.0, {"Done", "完成"});
    return {checked.report.verdict, to_json(checked.report), overlay};
}

int fix_image(Host& host, const std::string& preset_id, bool force) {
    Preset preset = find_preset(preset_id);
    host.progress(0.1, {"Analysing the photo", "正在分析照片"});
    FixedPhoto fixed = fix_photo(certphoto::check_image(editor_pixels(host), host.source_file(), preset), {force});
    if (fixed.jpeg.empty())
        throw Error(ErrorKind::cannot_fix, fixed.refusal.value_or(Message{"Cannot be fixed", "无法自动修复"}));
    host.progress(0.9, {"Opening the result", "正在打开结果"});
    cv::Mat result = decode_image(fixed.jpeg, preset.input).bgr;
    int id = host.open_new_image(result, preset.output.dpi, "certphoto " + preset.id);
    host.progress(1.0, {"Done", "完成"});
    if (auto note = filled_beyond_photo_note(fixed.edits, result.rows)) host.report(*note);
    return id;
}

void export_image(Host& host, const std::string& preset_id, const std::string& path) {
    require_extension(path, "Export", "JPEG", {".jpg", ".jpeg"});
    Preset preset = find_preset(preset_id);
    cv::Mat photo = host.read_active_layer();
    EncodedJpeg jpeg = encode_for_preset(photo, preset.output);
    CheckedPhoto exported = certphoto::check_image(decode_image(jpeg.bytes, preset.input), path, preset);
    // The editor's own file is protected like any input; the chosen export file is replaced, as GIMP does.
    write_file_atomically(path, jpeg.bytes, {true, {host.source_file()}});
    host.report(summarise(to_json(exported.report)));
}

}  // namespace certphoto::plugin
