// Framing rules: where the head sits in the frame and how large it is. All are fixable by crop and scale,
// except a face too small for the output size and a head cut off by the top edge.
#include <cmath>

#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

Finding range_finding(const char* id, double value, Range allowed, const RuleConfig& config, const char* unit) {
    Finding f = measured(id, std::round(value * 10) / 10, range_json(allowed.min, allowed.max), unit, true);
    f.status = allowed.contains(value) ? Status::pass : out_of_limit(config);
    return f;
}

cv::Rect horizontal_band(const Analysis& a, double y, int thickness) {
    return cv::Rect(0, cvRound(y) - thickness / 2, a.size().width, thickness) & cv::Rect(cv::Point(), a.size());
}

std::string px(double v) { return format_number(v) + " px"; }

// A framing failure is fixable only when fix can frame the photo without inventing much of it; the message
// ends with what happens next.
}  // namespace

Finding& unless_too_tight(Finding& f, const Analysis& a) {
    if (f.status == Status::pass || !f.fixable) return f;
    const Framing& framing = a.framing();
    if (!framing.too_tight(a.preset())) {
        f.message.en += ": fix will reframe the photo";
        f.message.zh += "：自动处理将重新构图";
        return f;
    }
    f.fixable = false;
    std::string rows = format_number(framing.missing_bottom_px) + " px";
    f.message.en += ". The shot is too tight to reframe (the photo would end " + rows +
                    " above the bottom of the output): reshoot with the shoulders and upper chest in the frame";
    f.message.zh += "。取景过紧，无法重新构图（照片底部还缺 " + rows + "）：请重拍，取景包含肩膀和上胸部";
    return f;
}

namespace {

// Geometry is reported in the file's own pixels; the analysis may work on a reduced copy (working_copy.hpp).
double in_file_px(const Analysis& a, double analysis_px) { return analysis_px / a.scale(); }
double file_frame_scale_x(const Analysis& a) { return a.frame_scale_x() / a.scale(); }
double file_frame_scale_y(const Analysis& a) { return a.frame_scale_y() / a.scale(); }

}  // namespace

Finding check_face_resolution(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("face-resolution");
    const Preset& preset = a.preset();
    const RuleConfig* head_size = preset.rule("head-size");
    double smallest_output_face = head_size ? head_size->range("face_width_px").min : 0;
    double output_scale = preset.output.width_px.min / preset.reference_frame.width;
    double needed = smallest_output_face * output_scale / config.number("max_upscale");
    double face = in_file_px(a, a.face()->face_width_px);
    Finding f = measured("face-resolution", std::round(face), std::round(needed), "px face width", false);
    f.regions = {a.face()->outline_box};
    return conclude(f, face >= needed, config,
                    {"The face has enough pixels for the output", "人脸像素足够生成合格照片"},
                    {"Face too small (" + px(face) + " wide, needs " + px(needed) +
                         "): come closer, frame head and shoulders, not the whole body",
                     "人脸太小（宽 " + px(face) + "，至少需要 " + px(needed) +
                         "）：请靠近拍摄，取头部和肩膀，不要拍全身"});
}

Finding check_head_size(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("head-size");
    Range allowed = config.range("face_width_px").scaled(file_frame_scale_x(a));
    double face = in_file_px(a, a.face()->face_width_px);
    Finding f = range_finding("head-size", face, allowed, config, "px");
    f.regions = {a.face()->outline_box};
    if (f.status == Status::pass)
        f.message = {"Face width within range", "人脸宽度合格"};
    else if (face < allowed.min)
        f.message = {"Face too small in the frame (" + px(face) + ", needs " + px(allowed.min) + "-" + px(allowed.max) + ")",
                     "人脸在画面中偏小（" + px(face) + "，应为 " + px(allowed.min) + "-" + px(allowed.max) + "）"};
    else
        f.message = {"Face too large in the frame (" + px(face) + ", needs " + px(allowed.min) + "-" + px(allowed.max) + ")",
                     "人脸在画面中偏大（" + px(face) + "，应为 " + px(allowed.min) + "-" + px(allowed.max) + "）"};
    return unless_too_tight(f, a);
}

Finding check_head_top(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("head-top");
    const PersonMask& person = a.person();
    Range allowed = config.range("top_px").scaled(file_frame_scale_y(a));
    double top = in_file_px(a, person.head_top_y);
    Finding f = range_finding("head-top", top, allowed, config, "px from top");
    f.regions = {horizontal_band(a, person.head_top_y, std::max(3, a.size().height / 100))};
    if (person.head_cut_at_top) {
        f.status = out_of_limit(config);
        f.fixable = false;
        f.message = {"The top of the head is cut off by the frame: reshoot with space above the hair",
                     "头顶被画面裁掉：请重拍，头发上方留出空间"};
    } else if (f.status == Status::pass) {
        f.message = {"Space above the head within range", "头顶留白合格"};
    } else if (top < allowed.min) {
        f.message = {"Too little space above the hair (" + px(top) + ", needs " + px(allowed.min) + "-" + px(allowed.max) + ")",
                     "头顶留白过少（" + px(top) + "，应为 " + px(allowed.min) + "-" + px(allowed.max) + "）"};
    } else {
        f.message = {"Too much space above the hair (" + px(top) + ", needs " + px(allowed.min) + "-" + px(allowed.max) + ")",
                     "头顶留白过多（" + px(top) + "，应为 " + px(allowed.min) + "-" + px(allowed.max) + "）"};
    }
    return unless_too_tight(f, a);
}

Finding check_eye_line(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("eye-line");
    Range allowed = config.range("eye_line_px").scaled(file_frame_scale_y(a));
    double y = in_file_px(a, a.face()->eye_line_y);
    Finding f = range_finding("eye-line", y, allowed, config, "px from top");
    f.regions = {horizontal_band(a, a.face()->eye_line_y, std::max(3, a.size().height / 100))};
    if (f.status == Status::pass)
        f.message = {"Eye line height within range", "眼睛高度合格"};
    else
        f.message = {"Eye line at " + px(y) + " from the top, needs " + px(allowed.min) + "-" + px(allowed.max) + "",
                     "眼睛位于距顶部 " + px(y) + "，应为 " + px(allowed.min) + "-" + px(allowed.max) + ""};
    return unless_too_tight(f, a);
}

Finding check_face_centered(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("face-centered");
    double limit = config.number("max_offset_px") * file_frame_scale_x(a);
    double offset = in_file_px(a, a.face()->center_x - a.size().width / 2.0);
    Finding f = measured("face-centered", std::round(std::abs(offset) * 10) / 10, std::round(limit * 10) / 10, "px off centre", true);
    f.regions = {a.face()->outline_box};
    const cv::Rect& outline = a.face()->outline_box;
    bool cut_by_frame = outline.x <= 0 || outline.y <= 0 || outline.x + outline.width >= a.size().width ||
                        outline.y + outline.height >= a.size().height;
    if (cut_by_frame) {
        f.status = out_of_limit(config);
        f.fixable = false;
        f.message = {"The face is cut by the edge of the photo: reshoot with the whole head in the frame",
                     "人脸被照片边缘截断：请重拍，完整拍入头部"};
        return f;
    }
    if (std::abs(offset) <= limit) {
        f.status = Status::pass;
        f.message = {"Face centred left-right", "人脸左右居中"};
    } else {
        f.status = out_of_limit(config);
        const char* side_en = offset < 0 ? "left" : "right";
        const char* side_zh = offset < 0 ? "左" : "右";
        f.message = {"Face " + px(std::abs(offset)) + " " + side_en + " of centre (at most " + px(limit) + ")",
                     std::string("人脸偏") + side_zh + " " + px(std::abs(offset)) + "（最多 " + px(limit) + "）"};
    }
    return unless_too_tight(f, a);
}

}  // namespace certphoto
