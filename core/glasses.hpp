#pragma once
// Spectacles: whether the face wears them, and the lens areas the glasses rules measure. A frame shows as a
// strong horizontal edge across the nose bridge between the eyes, where bare skin is smooth; measured at a
// standard face scale so the evidence means the same on a webcam shot and a 24 MP frame.
#include <array>

#include "face_parts.hpp"

namespace certphoto {

class Analysis;

struct Glasses {
    double bridge_edge = 0;  // L* per pixel of the strongest edge across the nose bridge, at a 200 px face
    bool present = false;
    // With glasses only (empty without): around each eye (image left first), where a lens is, the eye
    // opening itself left out (its catchlights and lashes are the eye's own), in image pixels.
    std::array<Part, 2> lenses;
    // The lower half of each lens (under the eye) and the cheek just below the lens: a tint shows as the one
    // darker than the other, whatever the skin's own shade.
    std::array<Part, 2> lower_lenses;
    std::array<Part, 2> below_lenses;
    // The eye openings with the band of skin beside their corners, where a frame crossing the eye shows.
    std::array<cv::Rect, 2> eye_bands;
};

Glasses find_glasses(const Analysis& a);

}  // namespace certphoto
