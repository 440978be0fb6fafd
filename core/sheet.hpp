#pragma once
// Trainers' pass/fail sheet: one self-contained HTML page (every image embedded, works offline) that
// teaches the spec with real photos: per photo the overlay, the verdict, each failing rule with its
// message and measured value against the limit, the fixed upload beside the original when fix can make
// one; the failures grouped by rule; the notice's seven common problems illustrated by the photos.
#include <optional>
#include <string>
#include <vector>

#include "image.hpp"
#include "preset.hpp"
#include "report.hpp"

namespace certphoto {

struct SheetPhoto {
    Report report;        // the check of the photo as given
    Bytes overlay_jpeg;   // the photo with what the check saw drawn on it; empty when unreadable
    Bytes thumbnail_jpeg; // the photo as shot, small, for the problem and rule sections
    Bytes fixed_jpeg;     // the passing upload fix made; empty when fix refused
    std::optional<Message> refusal;
};

enum class Language { zh, en };

struct SheetOptions {
    Language language = Language::zh;
    std::string generated_on;  // shown in the footer, e.g. 2026-11-25
};

// Checks the photo, draws what was found, and runs fix; never throws for a bad photo.
SheetPhoto make_sheet_photo(const std::string& path, const Preset& preset);

std::string render_sheet_html(const std::vector<SheetPhoto>& photos, const Preset& preset, const SheetOptions& options);

// The photo's place on the sheet: pass, fixable (fix made a passing upload), reshoot or error.
std::string sheet_outcome(const SheetPhoto& photo);

}  // namespace certphoto
