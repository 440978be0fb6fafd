#include "analysis.hpp"
#include "rules/rule.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace certphoto {

Finding check_face_count(const Analysis&, const RuleConfig&);
Finding check_face_resolution(const Analysis&, const RuleConfig&);
Finding check_head_size(const Analysis&, const RuleConfig&);
Finding check_head_top(const Analysis&, const RuleConfig&);
Finding check_eye_line(const Analysis&, const RuleConfig&);
Finding check_face_centered(const Analysis&, const RuleConfig&);
Finding check_head_roll(const Analysis&, const RuleConfig&);
Finding check_head_yaw(const Analysis&, const RuleConfig&);
Finding check_background_color(const Analysis&, const RuleConfig&);
Finding check_exposure_dark(const Analysis&, const RuleConfig&);
Finding check_exposure_bright(const Analysis&, const RuleConfig&);
Finding check_sharpness(const Analysis&, const RuleConfig&);
Finding check_eyes_open(const Analysis&, const RuleConfig&);
Finding check_lighting_even(const Analysis&, const RuleConfig&);
Finding check_hair_occlusion(const Analysis&, const RuleConfig&);
Finding check_shoulders_level(const Analysis&, const RuleConfig&);
Finding check_top_light(const Analysis&, const RuleConfig&);
Finding check_clothing_pattern(const Analysis&, const RuleConfig&);
Finding check_rephotographed(const Analysis&, const RuleConfig&);
Finding check_retouched(const Analysis&, const RuleConfig&);
Finding check_mouth_closed(const Analysis&, const RuleConfig&);
Finding check_compression(const Analysis&, const RuleConfig&);
Finding check_background_uniform(const Analysis&, const RuleConfig&);
Finding check_head_pitch(const Analysis&, const RuleConfig&);
Finding check_glare_skin(const Analysis&, const RuleConfig&);
Finding check_makeup(const Analysis&, const RuleConfig&);
Finding check_clothing_color(const Analysis&, const RuleConfig&);
Finding check_color_cast(const Analysis&, const RuleConfig&);
Finding check_colored_contacts(const Analysis&, const RuleConfig&);
Finding check_red_eye(const Analysis&, const RuleConfig&);
Finding check_output_format(const Analysis&, const RuleConfig&);
Finding check_output_size(const Analysis&, const RuleConfig&);

const std::vector<Rule>& rule_table() {
    static const std::vector<Rule> table{
        {"face-count", check_face_count},
        {"face-resolution", check_face_resolution},
        {"head-size", check_head_size},
        {"head-top", check_head_top},
        {"eye-line", check_eye_line},
        {"face-centered", check_face_centered},
        {"head-roll", check_head_roll},
        {"head-yaw", check_head_yaw},
        {"head-pitch", check_head_pitch},
        {"shoulders-level", check_shoulders_level},
        {"background-uniform", check_background_uniform},
        {"background-shadow", nullptr},
        {"background-color", check_background_color},
        {"exposure-dark", check_exposure_dark},
        {"exposure-bright", check_exposure_bright},
        {"lighting-even", check_lighting_even},
        {"glare-skin", check_glare_skin},
        {"glare-glasses", nullptr},
        {"top-light", check_top_light},
        {"red-eye", check_red_eye},
        {"sharpness", check_sharpness},
        {"color-cast", check_color_cast},
        {"eyes-open", check_eyes_open},
        {"mouth-closed", check_mouth_closed},
        {"glasses-tinted", nullptr},
        {"glasses-frame", nullptr},
        {"colored-contacts", check_colored_contacts},
        {"makeup", check_makeup},
        {"hair-occlusion", check_hair_occlusion},
        {"ears-visible", nullptr},
        {"jewelry", nullptr},
        {"headwear", nullptr},
        {"clothing-color", check_clothing_color},
        {"clothing-pattern", check_clothing_pattern},
        {"retouched", check_retouched},
        {"rephotographed", check_rephotographed},
        {"compression", check_compression},
        {"output-format", check_output_format},
        {"output-size", check_output_size},
    };
    return table;
}

std::vector<Finding> run_rules(const Analysis& analysis) {
    std::vector<Finding> findings;
    for (const Rule& rule : rule_table()) {
        const RuleConfig* config = analysis.preset().rule(rule.id);
        if (!rule.check) {
            findings.push_back(skipped(rule.id, {"Not measured by this version of certphoto yet: check it by eye",
                                                 "此版本尚未检测此项，请人工检查"}));
        } else if (!config || !config->enabled()) {
            findings.push_back(skipped(rule.id, {"Not part of preset " + analysis.preset().id,
                                                 "不属于预设 " + analysis.preset().id + " 的要求"}));
        } else {
            findings.push_back(rule.check(analysis, *config));
        }
    }
    return findings;
}

const char* to_string(Status status) {
    switch (status) {
        case Status::pass: return "pass";
        case Status::warn: return "warn";
        case Status::fail: return "fail";
        default: return "skip";
    }
}

Finding skipped(const std::string& id, Message why) {
    Finding f;
    f.id = id;
    f.status = Status::skip;
    f.message = std::move(why);
    return f;
}

Finding skipped_without_face(const std::string& id) { return skipped(id, {"Needs exactly one face", "需要恰好一张人脸"}); }

Finding measured(std::string id, nlohmann::json value, nlohmann::json limit, std::string unit, bool fixable) {
    Finding f;
    f.id = std::move(id);
    f.value = std::move(value);
    f.limit = std::move(limit);
    f.unit = std::move(unit);
    f.fixable = fixable;
    return f;
}

Finding& conclude(Finding& f, bool within_limit, const RuleConfig& config, Message passed, Message failed) {
    f.status = within_limit ? Status::pass : out_of_limit(config);
    f.message = within_limit ? std::move(passed) : std::move(failed);
    return f;
}

Status out_of_limit(const RuleConfig& config) { return config.severity() == "warn" ? Status::warn : Status::fail; }

nlohmann::json range_json(double min, double max) {
    auto round1 = [](double v) { return std::round(v * 10) / 10; };
    return nlohmann::json::array({round1(min), round1(max)});
}

std::string format_number(double value, int decimals) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(decimals) << value;
    return out.str();
}

}  // namespace certphoto
