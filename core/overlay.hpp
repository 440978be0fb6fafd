#pragma once
// The photo with what the checks saw drawn on it: landmarks, the allowed head-top and eye-line bands, the
// allowed face width, and every failing or warned region labelled with its rule, in Chinese and English.
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {

// findings: as in the report (file pixels). The overlay is drawn on the analysed picture, which for a large
// JPEG is the reduced copy (working_copy.hpp).
cv::Mat draw_overlay(const Analysis& analysis, const std::vector<Finding>& findings);

// A region's label: the rule's requirement in Chinese, its id, and whether fix repairs it ("浅蓝色背景
// background-color（可自动修复 fixable）"); the id alone when the font with Chinese (meson option label_font) is
// missing.
std::string overlay_label(const Finding& finding);

}  // namespace certphoto
