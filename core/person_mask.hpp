#pragma once
// The person (head, hair, shoulders, clothes) against the wall, by GrabCut seeded from the landmarks.
#include <vector>

#include <opencv2/core.hpp>

namespace certphoto {

struct PersonMask {
    cv::Mat mask;         // CV_8U 0/255 at work scale
    cv::Mat work_bgr;     // the photo at work scale, as GrabCut saw it (the wall and top-light rules read it too)
    double scale = 1.0;   // work pixels per image pixel
    // The top of the head (hair included) in image pixels, and whether the hair reaches the top edge.
    double head_top_y = 0;
    bool head_cut_at_top = false;

    cv::Mat at_size(cv::Size size) const;  // soft-edged 0..255 mask at another size
    cv::Rect to_image(const cv::Rect& work) const;  // a box at work scale, in image pixels
};

PersonMask segment_person(const cv::Mat& bgr, const std::vector<cv::Point2f>& landmarks68);

// For fix's matte, below the chin: GrabCut again on `first` (the rules' mask) with the pixels beside the neck
// that are the colour of the wall on their side started as probably wall. GrabCut starts every shoulder-wide
// row below the chin as person, and a block of plain wall there can stay person (london 004's grey wall from
// the chin to the shirt). Wall below the chin that the person and the photo's lower edge enclose is filled in as
// clothes (a white T-shirt inside a jacket on a light wall). The rules keep `first`: they are calibrated on it.
// work_lab: first.work_bgr in CIE Lab (the analysis's WallModel::lab).
PersonMask segment_person_for_matte(const PersonMask& first, const cv::Mat& work_lab, const std::vector<cv::Point2f>& landmarks68);

}  // namespace certphoto
