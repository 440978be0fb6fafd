#pragma once
// Background replacement: the person matte, refined on the output's own edges, composited over the preset
// colour. Only wall pixels change; the person is copied as is.
#include <optional>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

namespace certphoto {

struct BackgroundResult {
    cv::Mat bgr;    // CV_8UC3
    cv::Mat alpha;  // CV_32F 0..1, person
    nlohmann::json audit;
};

// Where the person's and the wall's pixels are told apart by more than the matte's edge; each CV_8U, aligned with
// the photo, optional.
struct BackgroundZones {
    // Pockets of wall colour inside the person mask (wall enclosed by hair and ears, which GrabCut takes in)
    // are keyed out like the edge band here.
    cv::Mat pockets;
    // Inside the person mask, the hair's strands beside the wall and its pockets are unmixed from the wall here
    // (the head less the face and the ears, which stay as shot).
    cv::Mat strands;
    // Background whatever their colour (outside the photo, where the frame repeats its edge): not sampled as
    // wall, given the new colour.
    cv::Mat known_wall;
    // Below the chin: a textured pixel lighter than the wall is still person (a white shirt beside a strand of hair).
    cv::Mat clothes;
    // The face's skin colour (CIE Lab): the clothes' own colour beside a neckline is estimated without it.
    std::optional<cv::Vec3d> skin_lab;
};

// person_mask: CV_8U 0..255 aligned with framed_bgr (soft or hard edges).
// edge_softness scales the uncertain band at the matte's edge (1: the default width).
BackgroundResult replace_background(const cv::Mat& framed_bgr, const cv::Mat& person_mask, const cv::Vec3b& background_rgb,
                                    double edge_softness = 1.0, const BackgroundZones& zones = {});

}  // namespace certphoto
