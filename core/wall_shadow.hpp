#pragma once
// A shadow cast on the wall beside the head: pixels of the wall's own colour but darker, and as
// smooth as the wall. A soft shadow is often taken in by the person mask (GrabCut sees a darker wall as hair),
// so it is looked for on both sides of the mask's outline; what tells it from the person is its colour (the
// wall's hue, not hair or skin), its lack of texture, and that it is only a stop or so darker than the wall.
// Found at the person mask's work scale, for the background-shadow rule.
#include <opencv2/core.hpp>

namespace certphoto {

class Analysis;

// CV_8U 0/255 at the person mask's work scale (Analysis::person().scale); empty when no wall is in view.
// Requires a face. Analysis::wall_shadow() keeps it.
cv::Mat find_wall_shadow(const Analysis& a);

}  // namespace certphoto
