#pragma once
// A preset is one spec (CHSI graduate, CHSI upload, an ID card...) read from a data file at run time.
// Numbers given "of the reference frame" (480x640 for CHSI) scale with the size of the checked image.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "message.hpp"

namespace certphoto {

struct Range {
    double min = 0;
    double max = 0;
    double middle() const { return (min + max) / 2; }
    bool contains(double v) const { return v >= min && v <= max; }
    Range scaled(double factor) const { return {min * factor, max * factor}; }
};

// One rule's entry in the preset: its severity and whatever limits the rule reads by name.
class RuleConfig {
public:
    RuleConfig() = default;
    RuleConfig(std::string rule_id, nlohmann::json entry);

    bool enabled() const { return severity_ != "off"; }
    // The status a rule reports when its limit is crossed: "fail" or "warn".
    const std::string& severity() const { return severity_; }
    double number(const std::string& key) const;
    double number_or(const std::string& key, double fallback) const;
    Range range(const std::string& key) const;  // {"min": a, "max": b}

private:
    std::string rule_id_;
    std::string severity_ = "fail";
    nlohmann::json entry_;
};

struct OutputSpec {
    Range width_px;
    Range height_px;
    int aspect_width = 3;
    int aspect_height = 4;
    int dpi = 300;
    int min_jpeg_quality = 60;
    Range file_bytes;
    // The size fix writes when the range allows several: the largest the input supports, up to this.
    int preferred_width_px = 480;
};

struct FixLimits {
    // A tight shot ends above the frame's bottom; this share of the output height may be filled with the
    // clothes' smoothed colour, beyond it the shot needs retaking.
    double max_missing_bottom_fraction = 0;
    // The lighting correction never brightens or darkens any part of the subject by more than this.
    double relight_max_stops = 0;
};

struct InputLimits {
    double max_pixels = 0;      // refused before decoding (decompression bombs)
    double min_side_px = 1;     // smaller is no photo (a 1x1 tracking pixel, an icon)
    double max_file_bytes = 0;
};

struct Preset {
    std::string id;
    Message name;
    std::string source_file;
    OutputSpec output;
    cv::Vec3b background_rgb;
    cv::Size reference_frame{480, 640};
    InputLimits input;
    FixLimits fix;
    std::map<std::string, RuleConfig> rules;

    const RuleConfig* rule(const std::string& id) const;
};

Preset parse_preset(const nlohmann::json& document, const std::string& source_file);
Preset load_preset_file(const std::string& path);

// Folders searched, in order: $CERTPHOTO_PRESETS, the installed data folder, the source tree's presets/.
std::vector<std::string> preset_search_path();
std::vector<Preset> list_presets();
Preset find_preset(const std::string& id);

inline constexpr const char* default_preset_id = "chsi-graduate";

}  // namespace certphoto
