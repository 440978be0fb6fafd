#pragma once
// Framing: one affine map from the photo to the output that levels small roll, scales and crops so that the
// head top, eye line, face width and centring land in the middle of the preset's ranges.
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "preset.hpp"

namespace certphoto {
class Analysis;
}

namespace certphoto {

struct Framing {
    cv::Size output_size;
    double scale = 1;        // output pixels per input pixel
    double level_deg = 0;    // rotation applied to level the eyes
    cv::Matx23d to_output;   // input pixel -> output pixel
    double missing_bottom_px = 0;  // output rows below the photo's bottom edge (filled from the last rows)
    double margin_fraction = 0;    // how far inside the preset's ranges the plan aims
    bool feasible = true;          // eye line and head top can both be placed in their ranges
    double head_top_input_y = 0;   // the head top the plan placed, in input pixels
    double head_top_output_y = 0;  // where it was placed in the output
    // In the file's pixels: file_scale is the analysed picture's pixels per file pixel (Analysis::scale).
    nlohmann::json audit(double file_scale = 1) const;
    bool too_tight(const Preset& preset) const;
    bool missing_too_much(const Preset& preset) const;  // more of the frame below the photo than may be filled
};

// head_top_y: the top of the head in input pixels; by default the analysis' own measurement. By default the
// plan aims furthest inside the ranges that leaves no more of the frame below the photo than may be filled;
// `margin` plans with that margin only (one of planning_margins()).
Framing plan_framing(const Analysis& analysis, std::optional<double> head_top_y = std::nullopt, std::optional<double> margin = std::nullopt);

// How far inside the preset's ranges a plan may aim (fractions of their widths), widest first.
const std::vector<double>& planning_margins();

// Resamples the image (and anything aligned with it) into the output frame; outside the photo the edge
// pixels are repeated.
cv::Mat apply_framing(const cv::Mat& image, const Framing& framing, int interpolation);

// CV_8U 255 where an output pixel comes from inside the photo, 0 where the frame reaches past its edges.
cv::Mat framing_coverage(cv::Size input_size, const Framing& framing);

// For each output column, the row from which the frame beside the photo is clothes rather than wall. On a side
// the photo does not reach: where the photo's edge shows the clothes (the rows just above the chin whose edge
// pixel is person and of the clothes' colour there, up to reach_px above the chin: a wide jacket in a tight
// crop; else the top of the person the edge shows last below the chin, after hair or wall), falling outward as
// the shoulder inside the photo falls. Elsewhere the chin.
std::vector<int> clothes_from_rows(const cv::Mat& framed_bgr, const cv::Mat& framed_mask, const cv::Mat& coverage, int chin_y_out,
                                   double reach_px, double face_width_px);

// Where the frame reaches past the photo: above clothes_from (per column) that is wall (the matte is cleared);
// below it, the clothes continue, filled with their smoothed colour so no streaks of repeated pixels show
// (across a neckline the shirt closes below, the clothes' colour from beside it). Returns the number of output
// pixels filled.
int fill_outside_photo(cv::Mat& framed_bgr, cv::Mat& framed_mask, const cv::Mat& coverage, const std::vector<int>& clothes_from,
                       int chin_y_out, const cv::Vec3d& skin_lab, double face_width_px);

}  // namespace certphoto
