#pragma once
// The report of one photo, as the spec's certphoto-report/1 JSON.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis.hpp"
#include "message.hpp"
#include "rules/rule.hpp"

namespace certphoto {

// One operation fix applied, with its parameters: the edit audit staff show the school.
struct Edit {
    std::string operation;
    nlohmann::json parameters;
};

struct Report {
    std::string file;
    std::string preset_id;
    std::optional<ImageInfo> image;
    std::string verdict = "error";  // pass | fail | error
    std::optional<Message> error;
    std::optional<Face> face;
    std::vector<Finding> checks;
    // fix only: the written file (null when refused) and the edit audit
    bool from_fix = false;
    std::optional<std::string> output;
    std::optional<Message> refusal;  // why nothing was written
    std::vector<Edit> edits;

    bool failed_unfixable() const;
    std::vector<std::string> failing_rule_ids() const;
};

std::string verdict_of(const std::vector<Finding>& checks);
Report error_report(const std::string& file, const std::string& preset_id, const Message& error);
nlohmann::json to_json(const Report& report);

}  // namespace certphoto
