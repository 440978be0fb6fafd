#pragma once
// Making the compliant upload: only the edits the spec allows (crop, scale, level, background, colour
// management), each recorded in the edit audit. The face is never retouched.
#include <string>

#include "check.hpp"

namespace certphoto {

struct FixOptions {
    bool force = false;  // write even when a rule that fix cannot repair fails
    bool lighting_only = false;  // only the lighting correction: framing and background stay as shot
};

struct FixedPhoto {
    CheckedPhoto input;   // the check of the input photo
    CheckedPhoto output;  // the check of the written JPEG; empty analysis when nothing was made
    Bytes jpeg;           // empty when refused
    cv::Mat matte;        // CV_32F 0..1, the person in the written photo (empty for --lighting-only)
    std::vector<Edit> edits;
    std::optional<Message> refusal;
    // The written photo does what was asked: the whole spec, or with lighting_only the lighting rules.
    bool output_passes = false;
};

FixedPhoto fix_photo(CheckedPhoto input, const FixOptions& options);

// A tight shot's upload is partly made up (the frame reaches below the photo and the clothes' colour fills it):
// said to the studio, with the share of the height, so they can shoot wider. None under 1 % of the height.
// edits: fix_photo's edit audit; output_height: the upload's, in pixels.
std::optional<Message> filled_beyond_photo_note(const std::vector<Edit>& edits, int output_height);

// The steps of fix, for hosts that apply one at a time (the GEGL operations, the plug-in).
struct FramedPhoto {
    cv::Mat bgr;          // the photo in the preset's frame, outside-the-photo areas filled
    cv::Mat person_mask;  // CV_8U, aligned with bgr
    cv::Mat pocket_zone;  // CV_8U, aligned with bgr: where pockets of wall inside the person mask are keyed out
    cv::Mat strand_zone;  // CV_8U, aligned with bgr: where hair strands are unmixed from the wall (BackgroundZones)
    cv::Mat clothes_zone; // CV_8U, aligned with bgr: the rows below the chin
    cv::Mat outside_wall; // CV_8U, aligned with bgr: outside the photo beside it, above the chin: wall by definition
    cv::Mat above_photo;  // CV_8U, aligned with bgr: outside the photo above its top edge (and above the chin)
    std::vector<Edit> edits;
};
// photo: the analysed photo after any pixel-wise step (relight); empty means the analysed pixels.
FramedPhoto frame_photo(const Analysis& analysis, const Framing& framing, const cv::Mat& photo = {});
// The photo in its own frame with the wall replaced by the preset colour; edge_softness scales the edge band.
cv::Mat replace_background_in_place(const Analysis& analysis, const cv::Vec3b& rgb, double edge_softness = 1.0);

}  // namespace certphoto
