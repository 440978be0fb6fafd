#pragma once
// Colour management with lcms2: embedded profile -> sRGB (perceptual intent); no profile means sRGB.
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "image.hpp"

namespace certphoto {

struct ConvertedColour {
    cv::Mat bgr;  // CV_8UC3 sRGB
    std::optional<std::string> source_profile_description;
};

ConvertedColour convert_to_srgb(const RawImage& raw);

// The profile embedded in every output: sRGB, described as "sRGB IEC61966-2.1".
const std::vector<std::uint8_t>& srgb_profile_bytes();
inline constexpr const char* srgb_profile_name = "sRGB IEC61966-2.1";

// The description of a profile, or nullopt when the bytes are no valid ICC profile.
std::optional<std::string> icc_description(const std::vector<std::uint8_t>& icc);

}  // namespace certphoto
