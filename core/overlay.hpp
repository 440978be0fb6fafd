#pragma once
// The photo with what the checks saw drawn on it: landmarks, the allowed head-top and eye-line bands, the
// allowed face width, and every failing or warned region with its rule id.
#include <vector>

#include <opencv2/core.hpp>

#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {

// findings: as in the report (file pixels). The overlay is drawn on the analysed picture, which for a large
// JPEG is the reduced copy (working_copy.hpp).
cv::Mat draw_overlay(const Analysis& analysis, const std::vector<Finding>& findings);

}  // namespace certphoto
