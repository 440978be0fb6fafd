#include "overlay.hpp"

#include <filesystem>

#include <opencv2/freetype.hpp>
#include <opencv2/imgproc.hpp>

#include "certphoto_config.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

const cv::Scalar band_green(80, 200, 80), band_blue(230, 160, 40), fail_red(40, 40, 230), warn_orange(0, 160, 255),
    landmark_yellow(0, 230, 255), text_white(255, 255, 255);
constexpr double band_opacity = 0.25;

void translucent_band(cv::Mat& canvas, int y0, int y1, const cv::Scalar& colour) {
    cv::Rect band = cv::Rect(0, std::min(y0, y1), canvas.cols, std::abs(y1 - y0) + 1) & cv::Rect(cv::Point(), canvas.size());
    if (band.empty()) return;
    cv::Mat roi = canvas(band), tint(roi.size(), roi.type(), colour);
    cv::addWeighted(roi, 1 - band_opacity, tint, band_opacity, 0, roi);
}

// The labels name each rule in Chinese and English, drawn with a font that has Chinese (meson option
// label_font); without it, the rule's id alone in OpenCV's own font. One renderer per thread: it is not shared.
cv::freetype::FreeType2* chinese_font() {
    thread_local cv::Ptr<cv::freetype::FreeType2> font = []() -> cv::Ptr<cv::freetype::FreeType2> {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(CERTPHOTO_LABEL_FONT, ec)) return nullptr;
        try {
            cv::Ptr<cv::freetype::FreeType2> loaded = cv::freetype::createFreeType2();
            loaded->loadFontData(CERTPHOTO_LABEL_FONT, 0);
            return loaded;
        } catch (const cv::Exception&) {
            return nullptr;
        }
    }();
    return font.get();
}

void label(cv::Mat& canvas, const std::string& text, cv::Point at, const cv::Scalar& colour, double font_scale, int thickness) {
    cv::freetype::FreeType2* font = chinese_font();
    const int height_px = cvRound(22 * font_scale);  // about the Hershey font's height at this scale
    int baseline = 0;
    cv::Size size = font ? font->getTextSize(text, height_px, -1, &baseline)
                         : cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, font_scale, thickness, &baseline);
    at.x = std::clamp(at.x, 0, std::max(0, canvas.cols - size.width));
    at.y = std::clamp(at.y, size.height + baseline, canvas.rows - 1);
    cv::rectangle(canvas, at + cv::Point(0, baseline), at + cv::Point(size.width, -size.height - baseline), colour, cv::FILLED);
    if (font)
        font->putText(canvas, text, at, height_px, text_white, -1, cv::LINE_AA, true);
    else
        cv::putText(canvas, text, at, cv::FONT_HERSHEY_SIMPLEX, font_scale, text_white, thickness, cv::LINE_AA);
}

void draw_allowed_bands(cv::Mat& canvas, const Analysis& a, int line) {
    const Preset& preset = a.preset();
    if (const RuleConfig* top = preset.rule("head-top")) {
        Range r = top->range("top_px").scaled(a.frame_scale_y());
        translucent_band(canvas, cvRound(r.min), cvRound(r.max), band_green);
    }
    if (const RuleConfig* eyes = preset.rule("eye-line")) {
        Range r = eyes->range("eye_line_px").scaled(a.frame_scale_y());
        translucent_band(canvas, cvRound(r.min), cvRound(r.max), band_blue);
    }
    int centre = canvas.cols / 2;
    cv::line(canvas, {centre, 0}, {centre, canvas.rows}, band_green, std::max(1, line / 2), cv::LINE_AA);
    if (const RuleConfig* size = preset.rule("head-size"); size && a.face()) {
        Range r = size->range("face_width_px").scaled(a.frame_scale_x());
        int y = cvRound(a.face()->eye_line_y);
        int cx = cvRound(a.face()->center_x);
        for (double w : {r.min, r.max}) {
            cv::line(canvas, {cx - cvRound(w / 2), y - 4 * line}, {cx - cvRound(w / 2), y + 4 * line}, band_blue, line);
            cv::line(canvas, {cx + cvRound(w / 2), y - 4 * line}, {cx + cvRound(w / 2), y + 4 * line}, band_blue, line);
        }
    }
}

}  // namespace

std::string overlay_label(const Finding& f) {
    const Rule* rule = find_rule(f.id);
    if (!chinese_font() || !rule) return f.id + (f.fixable ? " (fixable)" : "");
    return rule->title.zh + " " + f.id + (f.fixable ? "（可自动修复 fixable）" : "");
}

cv::Mat draw_overlay(const Analysis& a, const std::vector<Finding>& findings) {
    cv::Mat canvas = a.bgr().clone();
    int line = std::max(1, canvas.cols / 400);
    double font_scale = std::max(0.4, canvas.cols / 1200.0);
    draw_allowed_bands(canvas, a, line);
    for (const auto& face : a.faces())
        for (const auto& p : face.points) cv::circle(canvas, p, line + 1, landmark_yellow, cv::FILLED, cv::LINE_AA);

    int stacked = 0;  // labels of regions that coincide are stacked, not drawn over each other
    for (const auto& f : findings) {
        if (f.status != Status::fail && f.status != Status::warn) continue;
        const cv::Scalar& colour = f.status == Status::fail ? fail_red : warn_orange;
        std::string text = overlay_label(f);
        if (f.regions.empty()) {
            label(canvas, text, {line * 4, canvas.rows - line * 4 - stacked++ * cvRound(30 * font_scale)}, colour, font_scale, line);
            continue;
        }
        // The report's regions are in the file's pixels; the canvas is the analysed copy (reduced for a large JPEG).
        for (const auto& r : f.regions) cv::rectangle(canvas, a.to_analysis(r), colour, line, cv::LINE_AA);
        const cv::Rect first = a.to_analysis(f.regions.front());
        label(canvas, text, {first.x, first.y - line * 2 + (stacked % 4) * cvRound(28 * font_scale)}, colour, font_scale, line);
        ++stacked;
    }
    return canvas;
}

}  // namespace certphoto
