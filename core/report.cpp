#include "report.hpp"

#include <cmath>

#include "text.hpp"

namespace certphoto {
namespace {

nlohmann::json rect_json(const cv::Rect& r) { return {r.x, r.y, r.width, r.height}; }
double round2(double v) { return std::round(v * 100) / 100; }

nlohmann::json face_json(const Face& face) {
    nlohmann::json landmarks = nlohmann::json::array();
    for (const auto& p : face.landmarks.points) landmarks.push_back({round2(p.x), round2(p.y)});
    return {{"box", rect_json(face.landmarks.box)},
            {"landmarks", landmarks},
            {"pupils", {{round2(face.image_left_pupil.x), round2(face.image_left_pupil.y)},
                        {round2(face.image_right_pupil.x), round2(face.image_right_pupil.y)}}},
            {"roll", round2(face.pose.roll_deg)},
            {"yaw", round2(face.pose.yaw_deg)},
            {"pitch", round2(face.pose.pitch_deg)}};
}

nlohmann::json finding_json(const Finding& f) {
    nlohmann::json regions = nlohmann::json::array();
    for (const auto& r : f.regions) regions.push_back(rect_json(r));
    return {{"id", f.id},         {"status", to_string(f.status)}, {"value", f.value},
            {"limit", f.limit},   {"unit", f.unit},                {"fixable", f.fixable},
            {"message", f.message.en}, {"message_zh", f.message.zh}, {"regions", regions}};
}

}  // namespace

bool Report::failed_unfixable() const {
    for (const auto& c : checks)
        if (c.status == Status::fail && !c.fixable) return true;
    return false;
}

std::vector<std::string> Report::failing_rule_ids() const {
    std::vector<std::string> ids;
    for (const auto& c : checks)
        if (c.status == Status::fail) ids.push_back(c.id);
    return ids;
}

std::string verdict_of(const std::vector<Finding>& checks) {
    for (const auto& c : checks)
        if (c.status == Status::fail) return "fail";
    return "pass";
}

Report error_report(const std::string& file, const std::string& preset_id, const Message& error) {
    Report r;
    r.file = file;
    r.preset_id = preset_id;
    r.verdict = "error";
    r.error = error;
    return r;
}

nlohmann::json to_json(const Report& r) {
    nlohmann::json j;
    j["schema"] = "certphoto-report/1";
    j["file"] = as_utf8(r.file);
    j["preset"] = r.preset_id;
    if (r.image)
        j["image"] = {{"width", r.image->width}, {"height", r.image->height},
                      {"icc", r.image->icc_description ? nlohmann::json(*r.image->icc_description) : nlohmann::json()},
                      {"format", r.image->format}, {"bits_per_sample", r.image->bits_per_sample},
                      {"colour_model", r.image->colour_model}, {"file_bytes", r.image->file_bytes}};
    else
        j["image"] = nullptr;
    j["verdict"] = r.verdict;
    j["error"] = r.error ? nlohmann::json(as_utf8(r.error->en)) : nlohmann::json();
    j["error_zh"] = r.error ? nlohmann::json(as_utf8(r.error->zh)) : nlohmann::json();
    j["face"] = r.face ? face_json(*r.face) : nlohmann::json();
    j["checks"] = nlohmann::json::array();
    for (const auto& c : r.checks) j["checks"].push_back(finding_json(c));
    if (r.from_fix) {
        j["output"] = r.output ? nlohmann::json(as_utf8(*r.output)) : nlohmann::json();
        j["refusal"] = r.refusal ? nlohmann::json(as_utf8(r.refusal->en)) : nlohmann::json();
        j["refusal_zh"] = r.refusal ? nlohmann::json(as_utf8(r.refusal->zh)) : nlohmann::json();
        j["edits"] = nlohmann::json::array();
        for (const auto& e : r.edits) j["edits"].push_back({{"operation", e.operation}, {"parameters", e.parameters}});
    }
    return j;
}

}  // namespace certphoto
