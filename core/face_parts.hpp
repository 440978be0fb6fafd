#pragma once
// Masks and colour statistics of the parts of a face and of the person that the content rules measure:
// irises, pupils, lips, the clothes below the neck. Built from the 68 landmarks, the located pupils and the
// person mask; each is computed where a rule asks for it, in image pixels, over a small box.
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace certphoto {

class Analysis;
struct Face;

// A mask over a box of the image: where the part is.
struct Part {
    cv::Rect box;   // image pixels
    cv::Mat mask;   // CV_8U 0/255 over box
    bool empty() const { return box.empty() || mask.empty() || cv::countNonZero(mask) == 0; }
};

// The opening between the lids of one eye (the subject's right eye is on the image left).
Part eye_opening(const Analysis& a, bool image_left_eye);
// Whether the eye whose landmarks start at `first_landmark` is open by eyes-open's measure and the preset's limit:
// a shut or squeezed eye's lids fold into a dark crease that makeup and glasses-tinted must not read.
bool eye_is_open(const Analysis& a, int first_landmark);
// The pupil of one eye: a disc around the located iris centre, clipped to the eye opening.
double iris_radius_px(const Face& face);
Part pupil(const Analysis& a, bool image_left_eye);
Part pupil(const Analysis& a, const Face& face, bool image_left_eye);  // of another face than a.face() (a cut one)
// Where an ear is looked for beside one cheek (ears-visible measures it; fix leaves it as shot): from just inside
// the face's outline to where an ear ends, from level with the eyes to below the nose's base. Image pixels, not
// clipped to the picture.
cv::Rect2d ear_band(const Face& face, bool image_left);
// The lips: between the outer and inner lip lines.
Part lips(const Analysis& a);
// Inside the outer lip line: the lips and, when the mouth is open, the teeth.
Part mouth(const Analysis& a);
// The clothes as the clothing rules measure them: the person below the chin, across the shoulders, in CIE Lab
// at a 128 px face scale, with the neck and chest (pixels of the face's own skin colour) left out of the mask.
// Rules read the analysis' cached copy, Analysis::clothes().
struct Clothes {
    cv::Rect box;   // image pixels
    double scale = 1;  // measured pixels per image pixel
    cv::Mat lab;    // CV_32FC3 over box, at scale
    cv::Mat mask;   // CV_8U 0/255, aligned with lab
    bool empty() const { return mask.empty() || cv::countNonZero(mask) == 0; }
};
Clothes measure_clothes(const Analysis& a);

// Statistics in CIE Lab (L 0..100) over a part.
struct LabStats {
    cv::Vec3d median;
    double chroma = 0;     // of the median
    double hue_deg = 0;    // of the median, 0..360
    int pixels = 0;
};
LabStats lab_stats(const cv::Mat& image_bgr, const Part& part);
LabStats lab_stats_of(const cv::Mat& lab, const cv::Mat& mask);  // lab: CV_32FC3 aligned with mask
cv::Mat lab_of(const cv::Mat& image_bgr, const Part& part);  // CV_32FC3 over part.box
double hue_degrees(double a, double b);
double hue_apart_deg(double a_deg, double b_deg);  // 0..180, the short way round the hue circle
double percentile(std::vector<float> values, double q);

}  // namespace certphoto
