#pragma once
// Background replacement: the person matte, refined on the output's own edges, composited over the preset
// colour. Only wall pixels change; the person is copied as is.
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

namespace certphoto {

struct BackgroundResult {
    cv::Mat bgr;    // CV_8UC3
    cv::Mat alpha;  // CV_32F 0..1, person
    nlohmann::json audit;
};

// person_mask: CV_8U 0..255 aligned with framed_bgr (soft or hard edges).
// edge_softness scales the uncertain band at the matte's edge (1: the default width).
// pocket_zone (CV_8U, optional): where pockets of wall colour inside the person mask (wall enclosed by hair and
// ears, which GrabCut takes in) are keyed out like the edge band.
// known_wall (CV_8U, optional): pixels that are background whatever their colour (outside the photo, where the
// frame repeats its edge); they are not sampled as wall and get the new colour.
// clothes_zone (CV_8U, optional): below the chin, where a textured pixel lighter than the wall is still person
// (a white shirt beside a strand of hair).
BackgroundResult replace_background(const cv::Mat& framed_bgr, const cv::Mat& person_mask, const cv::Vec3b& background_rgb,
                                    double edge_softness = 1.0, const cv::Mat& pocket_zone = {}, const cv::Mat& known_wall = {},
                                    const cv::Mat& clothes_zone = {});

}  // namespace certphoto
