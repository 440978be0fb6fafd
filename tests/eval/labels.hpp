#pragma once
// The labelled real cases (tests/eval/labels.tsv): what a photo of the shared corpus shows, as a rule must
// report it.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace certphoto::test {

struct Label {
    std::string file, rule, expected, what;
};

inline std::vector<Label> read_labels() {
    std::ifstream in(std::string(CERTPHOTO_EVAL_DIR) + "/labels.tsv");
    std::vector<Label> labels;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        Label l;
        std::getline(fields, l.file, '\t');
        std::getline(fields, l.rule, '\t');
        std::getline(fields, l.expected, '\t');
        std::getline(fields, l.what, '\t');
        labels.push_back(l);
    }
    return labels;
}

inline std::vector<std::string> labelled_failures(const std::vector<Label>& labels, const std::string& file) {
    std::vector<std::string> rules;
    for (const auto& l : labels)
        if (l.file == file && l.expected == "fail") rules.push_back(l.rule);
    return rules;
}

}  // namespace certphoto::test
