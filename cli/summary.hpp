#pragma once
// The end of a batch: one bilingual count line for the person, one CSV row per photo for the studio's records.
#include <ostream>
#include <string>
#include <vector>

#include "report.hpp"

namespace certphoto::cli {

struct BatchCounts {
    std::size_t total = 0, passed = 0, fixed = 0, fixable = 0, reshoot = 0, errors = 0, not_run = 0;
};

BatchCounts count_results(const std::vector<const Report*>& reports, std::size_t not_run);
void print_counts(std::ostream& out, const BatchCounts& counts, bool fixing);
// Columns: file, verdict, failing_rules (space-separated ids), output, error.
std::string summary_csv(const std::vector<const Report*>& reports);

}  // namespace certphoto::cli
