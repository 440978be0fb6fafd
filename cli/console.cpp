#include "console.hpp"

#include "fix.hpp"
#include "text.hpp"

namespace certphoto::cli {
namespace {

const char* verdict_zh(const std::string& verdict) {
    if (verdict == "pass") return "合格";
    if (verdict == "fail") return "不合格";
    return "错误";
}

const char* marker(Status s) {
    switch (s) {
        case Status::fail: return "  ✗ ";
        case Status::warn: return "  ! ";
        default: return "  ✓ ";
    }
}

}  // namespace

void print_error(std::ostream& out, const Message& message) {
    out << "错误：" << message.zh << "\nerror: " << message.en << "\n";
}

void print_note(std::ostream& out, const Message& message) {
    out << "注意：" << message.zh << "\nnote: " << message.en << "\n";
}

std::optional<Message> tight_shot_note(const Report& report) {
    if (!report.output || !report.image) return std::nullopt;
    return filled_beyond_photo_note(report.edits, report.image->height);
}

void print_report(std::ostream& out, const Report& report) {
    out << as_utf8(report.file) << ": " << verdict_zh(report.verdict) << " / " << report.verdict;
    if (report.output) out << " -> " << as_utf8(*report.output);
    out << "\n";
    if (report.error) {
        out << "  " << as_utf8(report.error->zh) << "\n  " << as_utf8(report.error->en) << "\n";
        return;
    }
    if (report.refusal) out << "  未生成 not written: " << report.refusal->zh << "\n      " << report.refusal->en << "\n";
    if (auto note = tight_shot_note(report)) out << "  注意 note: " << note->zh << "\n      " << note->en << "\n";
    for (const auto& c : report.checks) {
        if (c.status != Status::fail && c.status != Status::warn) continue;
        out << marker(c.status) << c.id << (c.fixable ? " [可自动修复 fixable]" : "") << "\n      " << c.message.zh
            << "\n      " << c.message.en << "\n";
    }
}

}  // namespace certphoto::cli
