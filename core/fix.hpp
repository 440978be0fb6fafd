#pragma once
// Making the compliant upload: only the edits the spec allows (crop, scale, level, background, colour
// management), each recorded in the edit audit. The face is never retouched.
#include <string>

#include "check.hpp"

namespace certphoto {

struct FixOptions {
    bool force = false;  // write even when a rule that fix cannot repair fails
};

struct FixedPhoto {
    CheckedPhoto input;   // the check of the input photo
    CheckedPhoto output;  // the check of the written JPEG; empty analysis when nothing was made
    Bytes jpeg;           // empty when refused
    std::vector<Edit> edits;
    std::optional<Message> refusal;
};

FixedPhoto fix_photo(CheckedPhoto input, const FixOptions& options);

}  // namespace certphoto
