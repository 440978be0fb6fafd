#include "preset.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "certphoto_config.hpp"
#include "error.hpp"

namespace certphoto {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

Error preset_error(const std::string& where, const std::string& what) {
    return Error(ErrorKind::bad_preset,
                 {"Preset " + where + ": " + what, "预设 " + where + " 有误：" + what});
}

double required_number(const json& object, const std::string& key, const std::string& where) {
    if (!object.is_object() || !object.contains(key) || !object.at(key).is_number())
        throw preset_error(where, "missing number '" + key + "'");
    return object.at(key).get<double>();
}

Range required_range(const json& object, const std::string& key, const std::string& where) {
    if (!object.is_object() || !object.contains(key))
        throw preset_error(where, "missing range '" + key + "'");
    const json& r = object.at(key);
    Range range{required_number(r, "min", where + "." + key), required_number(r, "max", where + "." + key)};
    if (range.min > range.max) throw preset_error(where, "range '" + key + "' has min > max");
    return range;
}

Message required_message(const json& object, const std::string& key, const std::string& where) {
    if (!object.contains(key) || !object.at(key).is_object())
        throw preset_error(where, "missing bilingual text '" + key + "'");
    const json& m = object.at(key);
    return {m.value("en", ""), m.value("zh", "")};
}

OutputSpec parse_output(const json& output, const std::string& where) {
    OutputSpec spec;
    spec.width_px = required_range(output, "width_px", where);
    spec.height_px = required_range(output, "height_px", where);
    spec.aspect_width = static_cast<int>(required_number(output.at("aspect"), "width", where + ".aspect"));
    spec.aspect_height = static_cast<int>(required_number(output.at("aspect"), "height", where + ".aspect"));
    spec.dpi = static_cast<int>(required_number(output, "dpi", where));
    spec.min_jpeg_quality = static_cast<int>(required_number(output, "min_jpeg_quality", where));
    spec.file_bytes = required_range(output, "file_bytes", where);
    spec.preferred_width_px = static_cast<int>(output.value("preferred_width_px", spec.width_px.max));
    return spec;
}

}  // namespace

RuleConfig::RuleConfig(std::string rule_id, json entry) : rule_id_(std::move(rule_id)), entry_(std::move(entry)) {
    severity_ = entry_.value("severity", "fail");
    static const std::set<std::string> severities{"fail", "warn", "off"};
    if (!severities.count(severity_)) throw preset_error(rule_id_, "severity must be fail, warn or off");
}

double RuleConfig::number(const std::string& key) const { return required_number(entry_, key, "rules." + rule_id_); }

double RuleConfig::number_or(const std::string& key, double fallback) const {
    return entry_.contains(key) ? number(key) : fallback;
}

Range RuleConfig::range(const std::string& key) const { return required_range(entry_, key, "rules." + rule_id_); }

const RuleConfig* Preset::rule(const std::string& id) const {
    auto it = rules.find(id);
    return it == rules.end() ? nullptr : &it->second;
}

Preset parse_preset(const json& document, const std::string& source_file) {
    const std::string where = source_file;
    if (document.value("schema", "") != "certphoto-preset/1")
        throw preset_error(where, "schema must be \"certphoto-preset/1\"");
    Preset preset;
    preset.source_file = source_file;
    preset.id = document.value("id", "");
    if (preset.id.empty()) throw preset_error(where, "missing id");
    preset.name = required_message(document, "name", where);
    preset.output = parse_output(document.at("output"), where + ".output");

    const json& background = document.at("background");
    const json& rgb = background.at("rgb");
    if (!rgb.is_array() || rgb.size() != 3) throw preset_error(where, "background.rgb must be [r, g, b]");
    preset.background_rgb = cv::Vec3b(rgb[0].get<uint8_t>(), rgb[1].get<uint8_t>(), rgb[2].get<uint8_t>());

    const json& frame = document.at("reference_frame");
    preset.reference_frame = cv::Size(static_cast<int>(required_number(frame, "width_px", where)),
                                      static_cast<int>(required_number(frame, "height_px", where)));
    const json& input = document.at("input");
    preset.input.max_pixels = required_number(input, "max_pixels", where + ".input");
    preset.input.max_file_bytes = required_number(input, "max_file_bytes", where + ".input");
    preset.input.min_side_px = required_number(input, "min_side_px", where + ".input");

    preset.fix.max_missing_bottom_fraction =
        required_number(document.at("fix"), "max_missing_bottom_fraction", where + ".fix");
    preset.fix.relight_max_stops = required_number(document.at("fix"), "relight_max_stops", where + ".fix");
    for (const auto& [id, entry] : document.at("rules").items()) preset.rules.emplace(id, RuleConfig(id, entry));
    return preset;
}

Preset load_preset_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw preset_error(path, "cannot be read");
    try {
        return parse_preset(json::parse(in), path);
    } catch (const json::exception& e) {
        throw preset_error(path, e.what());
    }
}

std::vector<std::string> preset_search_path() {
    std::vector<std::string> folders;
    if (const char* env = std::getenv("CERTPHOTO_PRESETS"); env && *env) folders.emplace_back(env);
    folders.emplace_back(CERTPHOTO_INSTALLED_PRESETS_DIR);
    folders.emplace_back(CERTPHOTO_SOURCE_PRESETS_DIR);
    return folders;
}

std::vector<Preset> list_presets() {
    std::vector<Preset> presets;
    std::set<std::string> seen;
    for (const auto& folder : preset_search_path()) {
        std::error_code ec;
        if (!fs::is_directory(folder, ec)) continue;
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(folder, ec))
            if (entry.path().extension() == ".json") files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            Preset preset = load_preset_file(file.string());
            if (seen.insert(preset.id).second) presets.push_back(std::move(preset));
        }
    }
    return presets;
}

Preset find_preset(const std::string& id) {
    for (const auto& folder : preset_search_path()) {
        fs::path file = fs::path(folder) / (id + ".json");
        std::error_code ec;
        if (fs::is_regular_file(file, ec)) return load_preset_file(file.string());
    }
    throw Error(ErrorKind::usage, {"Unknown preset '" + id + "' (see: certphoto presets)",
                                   "未知的预设“" + id + "”（可用 certphoto presets 查看）"});
}

}  // namespace certphoto
