#pragma once
// A rule measures one thing from the analysis, compares it with the preset, explains and locates it.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "message.hpp"

namespace certphoto {

class Analysis;
class RuleConfig;

enum class Status { pass, warn, fail, skip };
const char* to_string(Status status);

struct Finding {
    std::string id;
    Status status = Status::skip;
    nlohmann::json value;  // a number, a string, or null when nothing was measured
    nlohmann::json limit;  // a number, [min, max], or a string
    std::string unit;
    bool fixable = false;
    Message message;
    std::vector<cv::Rect> regions;  // pixels of the checked image
};

using RuleCheck = Finding (*)(const Analysis&, const RuleConfig&);

// at_end: most of the rule's work comes before it reads the mask; throughout: it needs the mask at once.
enum class PersonMaskUse { none, at_end, throughout };

struct Rule {
    const char* id;
    RuleCheck check;  // null: not measured by this version yet
    Message title;    // what the rule asks for, as a heading (sheets, docs)
    // When it needs the person mask (directly, or through the framing, wall, clothes or wall shadow): only where
    // and when the rule runs depends on it (run_rules), never what it finds.
    PersonMaskUse person_mask = PersonMaskUse::none;
};

// Every rule id of the spec, in report order.
const std::vector<Rule>& rule_table();
const Rule* find_rule(const std::string& id);

// Runs every rule the preset enables, two at a time (a rule reads the analysis and nothing else); a rule
// that does not apply (no single face, not in the preset) reports skip, one that applies but cannot be measured
// on this photo warns (not_measured). Findings come in table order.
std::vector<Finding> run_rules(const Analysis& analysis);
// 1 or 2 (the default on two cores or more): a host running several photos at once keeps to one.
void set_rule_threads_per_photo(unsigned threads);

// Helpers shared by the rules.
Finding skipped(const std::string& id, Message why);
// The skip of a rule that measures the face, when the photo has not exactly one.
Finding skipped_without_face(const std::string& id);
// A rule that applies to the photo but whose measure it does not allow (the eyes shut behind glasses, the
// shoulders' outline lost on a busy wall): a warning with no value, saying why and asking for a look by eye.
Finding not_measured(const std::string& id, Message why);
Finding measured(std::string id, nlohmann::json value, nlohmann::json limit, std::string unit, bool fixable);
Status out_of_limit(const RuleConfig& config);  // the preset's severity as a status
// The common ending of a rule: pass with one message, or the preset's severity with the other.
Finding& conclude(Finding& finding, bool within_limit, const RuleConfig& config, Message passed, Message failed);
nlohmann::json range_json(double min, double max);
// The connected patches of a mask (CV_8U), largest first.
struct Patch {
    int pixels = 0;
    cv::Rect box;
};
std::vector<Patch> patches_largest_first(const cv::Mat& mask);
// A box found on a copy of the image's `origin_box` scaled by `scale`, back in image pixels (whole pixels that
// cover it, inside the image).
cv::Rect box_in_image(const cv::Rect& work, double scale, const cv::Rect& origin_box, cv::Size image);
std::string format_number(double value, int decimals = 0);
// A failure that fix repairs by reframing stays fixable only when the photo can be framed to the preset
// without inventing much of it; the message is completed with what happens next.
Finding& unless_too_tight(Finding& finding, const Analysis& analysis);

}  // namespace certphoto
