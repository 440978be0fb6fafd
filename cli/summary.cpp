#include "summary.hpp"

#include "console.hpp"
#include "text.hpp"

namespace certphoto::cli {
namespace {

// UTF-8 like the rest of the file, whatever bytes a file name is made of (text.hpp).
std::string csv_field(const std::string& field) {
    const std::string text = as_utf8(field);
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

}  // namespace

BatchCounts count_results(const std::vector<const Report*>& reports, std::size_t not_run) {
    BatchCounts counts;
    counts.total = reports.size() + not_run;
    counts.not_run = not_run;
    for (const Report* r : reports) {
        if (r->verdict == "error") ++counts.errors;
        else if (r->output) ++(r->verdict == "pass" ? counts.fixed : counts.reshoot);
        else if (r->verdict == "pass") ++counts.passed;
        else if (r->failed_unfixable() || r->refusal) ++counts.reshoot;
        else ++counts.fixable;
    }
    return counts;
}

void print_counts(std::ostream& out, const BatchCounts& c, bool fixing) {
    out << "合计 " << c.total << " 张：";
    if (fixing) out << "已生成 " << c.fixed;
    else out << "合格 " << c.passed << "，可自动修复 " << c.fixable;
    out << "，需重拍 " << c.reshoot << "，错误 " << c.errors;
    if (c.not_run) out << "，未处理（已中断）" << c.not_run;
    out << "\ntotal " << c.total << ": ";
    if (fixing) out << c.fixed << " fixed";
    else out << c.passed << " passed, " << c.fixable << " fixable";
    out << ", " << c.reshoot << (c.reshoot == 1 ? " needs" : " need") << " a reshoot, " << c.errors << (c.errors == 1 ? " error" : " errors");
    if (c.not_run) out << ", " << c.not_run << " not processed (interrupted)";
    out << "\n";
}

// A UTF-8 byte-order mark first: without it Excel reads the file in the system's code page (GBK on a Chinese
// Windows) and garbles Chinese file names and messages.
std::string summary_csv(const std::vector<const Report*>& reports) {
    std::string csv = "\xEF\xBB\xBF" "file,verdict,failing_rules,output,error,note,error_zh,note_zh\n";
    for (const Report* r : reports) {
        std::string rules;
        for (const auto& id : r->failing_rule_ids()) rules += (rules.empty() ? "" : " ") + id;
        const Message error = r->error ? *r->error : r->refusal ? *r->refusal : Message{};
        const Message note = tight_shot_note(*r).value_or(Message{});
        csv += csv_field(r->file) + "," + r->verdict + "," + csv_field(rules) + "," + csv_field(r->output.value_or("")) + "," +
               csv_field(error.en) + "," + csv_field(note.en) + "," + csv_field(error.zh) + "," + csv_field(note.zh) + "\n";
    }
    return csv;
}

}  // namespace certphoto::cli
