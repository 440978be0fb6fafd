#include "sheet.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include <opencv2/imgproc.hpp>

#include "certphoto_config.hpp"
#include "check.hpp"
#include "common_problems.hpp"
#include "fix.hpp"
#include "jpeg_writer.hpp"
#include "overlay.hpp"
#include "text.hpp"

namespace certphoto {
namespace {

// Heights of the embedded pictures: the card's overlay is read at about the upload's size; thumbnails only
// have to show which photo it is. JPEG at this quality keeps a sheet of 40 photos near 10 MB.
constexpr int overlay_height_px = 640;
constexpr int thumbnail_height_px = 180;
constexpr int embedded_jpeg_quality = 82;

Bytes reduced_jpeg(const cv::Mat& bgr, int height_px) {
    cv::Mat small;
    double scale = std::min(1.0, double(height_px) / bgr.rows);
    cv::resize(bgr, small, {}, scale, scale, cv::INTER_AREA);
    return encode_jpeg(small, embedded_jpeg_quality, 72);
}

std::string base64(const Bytes& bytes) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        unsigned chunk = unsigned(bytes[i]) << 16;
        if (i + 1 < bytes.size()) chunk |= unsigned(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) chunk |= bytes[i + 2];
        out += alphabet[(chunk >> 18) & 63];
        out += alphabet[(chunk >> 12) & 63];
        out += i + 1 < bytes.size() ? alphabet[(chunk >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? alphabet[chunk & 63] : '=';
    }
    return out;
}

std::string escaped(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string image_tag(const Bytes& jpeg, const std::string& css_class, const std::string& alt) {
    return "<img class=\"" + css_class + "\" alt=\"" + escaped(alt) + "\" src=\"data:image/jpeg;base64," + base64(jpeg) + "\">";
}

std::string number_text(double v) {
    if (std::abs(v - std::round(v)) < 1e-9) return std::to_string(std::llround(v));
    std::ostringstream out;
    out.precision(3);
    out << v;
    return out.str();
}

std::string json_text(const nlohmann::json& v) {
    if (v.is_null()) return "—";
    if (v.is_number()) return number_text(v.get<double>());
    if (v.is_string()) return v.get<std::string>();
    if (v.is_array() && v.size() == 2 && v[0].is_number() && v[1].is_number())
        return number_text(v[0].get<double>()) + " – " + number_text(v[1].get<double>());
    return v.dump();
}

bool shown(const Finding& f) { return f.status == Status::fail || f.status == Status::warn; }

std::string file_name(const SheetPhoto& photo) { return as_utf8(std::filesystem::path(photo.report.file).filename().string()); }

std::string photo_anchor(std::size_t index) { return "photo-" + std::to_string(index + 1); }

class Writer {
public:
    Writer(const std::vector<SheetPhoto>& photos, const Preset& preset, const SheetOptions& options)
        : photos_(photos), preset_(preset), zh_(options.language == Language::zh), generated_on_(options.generated_on) {}

    std::string page() {
        head();
        summary();
        problems();
        rules();
        cards();
        unmeasured();
        footer();
        return out_.str();
    }

private:
    const std::string& t(const Message& m) const { return zh_ ? m.zh : m.en; }
    std::string t(const char* en, const char* zh) const { return zh_ ? zh : en; }

    std::string title(const std::string& rule_id) const {
        const Rule* rule = find_rule(rule_id);
        return rule ? t(rule->title) : rule_id;
    }

    std::string outcome_label(const std::string& outcome) const {
        if (outcome == "pass") return t("Passes as shot", "原片合格");
        if (outcome == "fixable") return t("Fixable: the upload fix made is beside it", "可修正：右侧为修正后的上传照片");
        if (outcome == "reshoot") return t("Reshoot", "需重拍");
        return t("Cannot be read", "无法读取");
    }

    void head() {
        std::string heading = t("Certificate photos: what passes and what fails", "证件照合格与不合格示例");
        out_ << "<!DOCTYPE html>\n<html lang=\"" << (zh_ ? "zh-CN" : "en") << "\">\n<head>\n<meta charset=\"utf-8\">\n"
             << "<meta name=\"generator\" content=\"certphoto " << CERTPHOTO_VERSION << "\">\n"
             << "<title>" << escaped(heading) << " — " << escaped(preset_.id) << "</title>\n<style>\n" << style() << "</style>\n"
             << "</head>\n<body data-preset=\"" << escaped(preset_.id) << "\" data-photos=\"" << photos_.size() << "\">\n"
             << "<header><h1>" << escaped(heading) << "</h1>\n<p class=\"preset\">" << t("Preset", "规格预设") << ": <b>"
             << escaped(t(preset_.name)) << "</b> (<code>" << escaped(preset_.id) << "</code>)</p></header>\n";
    }

    void summary() {
        std::map<std::string, int> counts;
        for (const auto& p : photos_) ++counts[sheet_outcome(p)];
        out_ << "<section id=\"summary\"><h2>" << t("Summary", "概况") << "</h2><ul class=\"counts\">";
        for (const char* outcome : {"pass", "fixable", "reshoot", "error"})
            out_ << "<li class=\"outcome-" << outcome << "\" data-outcome=\"" << outcome << "\" data-count=\"" << counts[outcome]
                 << "\">" << escaped(outcome_label(outcome)) << ": <b>" << counts[outcome] << "</b></li>";
        out_ << "</ul>\n<nav><a href=\"#problems\">" << t("The seven common problems", "七种常见问题") << "</a> · <a href=\"#rules\">"
             << t("Failures by rule", "按规则分类") << "</a> · <a href=\"#photos\">" << t("Every photo", "全部照片")
             << "</a></nav></section>\n";
    }

    // Photos that fail or warn on one of the rules, with the finding.
    std::vector<std::pair<std::size_t, const Finding*>> photos_failing(const std::vector<std::string>& rule_ids) const {
        std::vector<std::pair<std::size_t, const Finding*>> found;
        for (std::size_t i = 0; i < photos_.size(); ++i)
            for (const Finding& f : photos_[i].report.checks)
                if (shown(f) && std::find(rule_ids.begin(), rule_ids.end(), f.id) != rule_ids.end()) {
                    found.emplace_back(i, &f);
                    break;
                }
        return found;
    }

    void thumbnail_link(std::size_t index) {
        const SheetPhoto& photo = photos_[index];
        out_ << "<a class=\"thumb\" href=\"#" << photo_anchor(index) << "\" data-file=\"" << escaped(file_name(photo)) << "\">";
        if (!photo.thumbnail_jpeg.empty()) out_ << image_tag(photo.thumbnail_jpeg, "thumbnail", file_name(photo));
        out_ << "<span>" << escaped(file_name(photo)) << "</span></a>";
    }

    void problems() {
        out_ << "<section id=\"problems\"><h2>" << t("The seven common problems of the notice", "通知附件2：常见不合格照片及解决办法")
             << "</h2>\n";
        for (const CommonProblem& problem : common_problems()) {
            auto found = photos_failing(problem.rule_ids);
            out_ << "<article class=\"problem\" id=\"problem-" << problem.number << "\" data-problem=\"" << problem.number
                 << "\" data-photos=\"" << found.size() << "\"><h3>" << escaped(t(problem.label)) << (zh_ ? "：" : ": ")
                 << escaped(t(problem.problem)) << "</h3>\n<p class=\"solution\">" << t("Remedy", "解决办法") << (zh_ ? "：" : ": ")
                 << escaped(t(problem.solution)) << "</p>\n<p class=\"rule-ids\">";
            for (const auto& id : problem.rule_ids)
                out_ << "<a href=\"#rule-" << id << "\"><code>" << id << "</code></a> " << escaped(title(id)) << " ";
            out_ << "</p>\n<div class=\"thumbs\">";
            for (const auto& [index, finding] : found) thumbnail_link(index);
            if (found.empty()) out_ << "<p class=\"none\">" << t("No photo of this set shows it.", "本组照片中没有此问题。") << "</p>";
            out_ << "</div></article>\n";
        }
        out_ << "</section>\n";
    }

    void finding_cells(const Finding& f) {
        out_ << "<td class=\"status status-" << to_string(f.status) << "\">" << to_string(f.status) << "</td><td class=\"value\">"
             << escaped(json_text(f.value)) << "</td><td class=\"limit\">" << escaped(json_text(f.limit)) << " "
             << escaped(f.unit) << "</td><td class=\"repair\">"
             << (f.fixable ? t("fix repairs it", "可自动修正") : t("reshoot", "需重拍")) << "</td><td class=\"message\">"
             << escaped(t(f.message)) << "</td>";
    }

    std::string finding_header() const {
        return "<th>" + t("status", "状态") + "</th><th>" + t("measured", "测量值") + "</th><th>" + t("limit", "限值") +
               "</th><th>" + t("repair", "处理") + "</th><th>" + t("what to change", "说明") + "</th>";
    }

    // Rules that need a reshoot come first: they are what a trainer teaches; the ones fix repairs follow.
    void rules() {
        out_ << "<section id=\"rules\"><h2>" << t("Failures by rule", "按规则分类的问题") << "</h2>\n";
        for (bool reshoot : {true, false}) {
            out_ << "<h3 class=\"group\">" << (reshoot ? t("Reshoot: no tool may repair these", "需重拍：任何工具都不得修改")
                                                      : t("Repaired by fix: framing, background, lighting", "可由 fix 修正：构图、背景、光线"))
                 << "</h3>\n";
            for (const Rule& rule : rule_table()) {
                auto found = photos_failing({rule.id});
                bool any_reshoot = std::any_of(found.begin(), found.end(), [](const auto& f) { return !f.second->fixable; });
                if (!found.empty() && any_reshoot == reshoot) rule_article(rule, found);
            }
        }
        out_ << "</section>\n";
    }

    void rule_article(const Rule& rule, const std::vector<std::pair<std::size_t, const Finding*>>& found) {
        out_ << "<article class=\"rule\" id=\"rule-" << rule.id << "\" data-rule=\"" << rule.id << "\" data-photos=\"" << found.size()
             << "\"><h3><code>" << rule.id << "</code> " << escaped(t(rule.title)) << "</h3>\n<table><tr><th>" << t("photo", "照片")
             << "</th>" << finding_header() << "</tr>\n";
        for (const auto& [index, finding] : found) {
            out_ << "<tr data-file=\"" << escaped(file_name(photos_[index])) << "\"><td>";
            thumbnail_link(index);
            out_ << "</td>";
            finding_cells(*finding);
            out_ << "</tr>\n";
        }
        out_ << "</table></article>\n";
    }

    void card(std::size_t index) {
        const SheetPhoto& photo = photos_[index];
        std::string outcome = sheet_outcome(photo);
        out_ << "<article class=\"photo outcome-" << outcome << "\" id=\"" << photo_anchor(index) << "\" data-file=\""
             << escaped(file_name(photo)) << "\" data-verdict=\"" << photo.report.verdict << "\" data-outcome=\"" << outcome
             << "\"><h3>" << escaped(file_name(photo)) << "</h3>\n<p class=\"verdict\">" << escaped(outcome_label(outcome)) << "</p>\n";
        if (photo.report.error) out_ << "<p class=\"error\">" << escaped(t(*photo.report.error)) << "</p>\n";
        out_ << "<div class=\"images\">";
        if (!photo.overlay_jpeg.empty())
            out_ << "<figure>" << image_tag(photo.overlay_jpeg, "overlay", file_name(photo)) << "<figcaption>"
                 << t("As shot, with what the check found", "原片及检测标注") << "</figcaption></figure>";
        if (!photo.fixed_jpeg.empty())
            out_ << "<figure>" << image_tag(photo.fixed_jpeg, "fixed", file_name(photo)) << "<figcaption>"
                 << t("The upload certphoto fix made", "certphoto fix 生成的上传照片") << "</figcaption></figure>";
        out_ << "</div>\n";
        if (photo.refusal && photo.report.verdict != "error")
            out_ << "<p class=\"refusal\">" << escaped(t(*photo.refusal)) << "</p>\n";
        findings_table(photo);
        out_ << "</article>\n";
    }

    void findings_table(const SheetPhoto& photo) {
        bool any = std::any_of(photo.report.checks.begin(), photo.report.checks.end(), shown);
        if (!any) return;
        out_ << "<table class=\"findings\"><tr><th>" << t("rule", "规则") << "</th>" << finding_header() << "</tr>\n";
        for (const Finding& f : photo.report.checks) {
            if (!shown(f)) continue;
            out_ << "<tr data-rule=\"" << f.id << "\"><td><a href=\"#rule-" << f.id << "\"><code>" << f.id << "</code></a><br>"
                 << escaped(title(f.id)) << "</td>";
            finding_cells(f);
            out_ << "</tr>\n";
        }
        out_ << "</table>\n";
    }

    void cards() {
        out_ << "<section id=\"photos\"><h2>" << t("Every photo", "全部照片") << "</h2>\n";
        for (std::size_t i = 0; i < photos_.size(); ++i) card(i);
        out_ << "</section>\n";
    }

    void unmeasured() {
        std::string ids;
        for (const Rule& rule : rule_table())
            if (!rule.check) ids += "<code>" + std::string(rule.id) + "</code> " + escaped(t(rule.title)) + "; ";
        if (ids.empty()) return;
        out_ << "<section id=\"unmeasured\"><h2>" << t("Check these by eye", "请人工检查") << "</h2><p>"
             << t("This version of certphoto does not measure: ", "此版本的 certphoto 尚未检测：") << ids << "</p></section>\n";
    }

    void footer() {
        out_ << "<footer>certphoto " << CERTPHOTO_VERSION << (generated_on_.empty() ? "" : " · " + escaped(generated_on_)) << " · "
             << t("Every image is inside this page; it needs no network.", "所有图片均嵌入本页，离线可看。")
             << "</footer>\n</body>\n</html>\n";
    }

    static const char* style() {
        return "body{font-family:'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;margin:24px;color:#222}\n"
               "h1{font-size:24px}h2{border-bottom:2px solid #64c5ff;padding-bottom:4px;margin-top:32px}\n"
               "h3{font-size:16px;margin:8px 0}code{background:#eef;padding:0 3px}\n"
               ".counts{display:flex;gap:16px;list-style:none;padding:0}.counts li{padding:4px 8px;border-radius:4px}\n"
               ".outcome-pass{background:#e3f6e3}.outcome-fixable{background:#e3f0fb}.outcome-reshoot{background:#fde4e4}"
               ".outcome-error{background:#eee}\n"
               "article{border:1px solid #ccc;border-radius:6px;padding:8px 12px;margin:12px 0;break-inside:avoid}\n"
               ".thumbs{display:flex;flex-wrap:wrap;gap:8px}.thumb{display:inline-flex;flex-direction:column;font-size:11px;"
               "text-decoration:none;color:#333}\n"
               "img.thumbnail{height:120px;width:auto}img.overlay,img.fixed{height:420px;width:auto}\n"
               ".images{display:flex;gap:12px;flex-wrap:wrap}figure{margin:0}figcaption{font-size:12px;color:#555}\n"
               "table{border-collapse:collapse;font-size:13px;margin-top:8px}td,th{border:1px solid #ddd;padding:3px 6px;"
               "vertical-align:top;text-align:left}\n"
               ".status-fail{color:#b00;font-weight:bold}.status-warn{color:#b60}.none{color:#777}.verdict{font-weight:bold}\n"
               ".refusal,.error{color:#900}\n"
               "@page{size:A4;margin:12mm}\n"
               "@media print{body{margin:0;font-size:11px}table{font-size:10px}nav{display:none}h2,h3{break-after:avoid}"
               "img.overlay,img.fixed{height:300px}img.thumbnail{height:64px}article.rule{break-inside:auto}"
               "tr{break-inside:avoid}}\n";
    }

    const std::vector<SheetPhoto>& photos_;
    const Preset& preset_;
    bool zh_;
    std::string generated_on_;
    std::ostringstream out_;
};

}  // namespace

std::string sheet_outcome(const SheetPhoto& photo) {
    if (photo.report.verdict == "error") return "error";
    if (photo.report.verdict == "pass") return "pass";
    return photo.fixed_jpeg.empty() ? "reshoot" : "fixable";
}

SheetPhoto make_sheet_photo(const std::string& path, const Preset& preset) {
    CheckedPhoto checked = check_file(path, preset);
    SheetPhoto photo;
    photo.report = checked.report;
    if (!checked.analysis) return photo;
    cv::Mat overlay = draw_overlay(*checked.analysis, checked.report.checks);
    photo.overlay_jpeg = reduced_jpeg(overlay, overlay_height_px);
    // Thumbnails show the photo as shot: at that size the overlay's labels hide the problem they illustrate.
    photo.thumbnail_jpeg = reduced_jpeg(checked.analysis->bgr(), thumbnail_height_px);
    FixedPhoto fixed = fix_photo(std::move(checked), {});
    photo.fixed_jpeg = std::move(fixed.jpeg);
    photo.refusal = std::move(fixed.refusal);
    return photo;
}

std::string render_sheet_html(const std::vector<SheetPhoto>& photos, const Preset& preset, const SheetOptions& options) {
    return Writer(photos, preset, options).page();
}

}  // namespace certphoto
