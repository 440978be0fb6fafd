#include "glasses.hpp"

#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"

namespace certphoto {
namespace {

// The face width the bridge is measured at.
constexpr double standard_face_width_px = 200.0;
// A frame: an edge this strong across the nose bridge (L* per pixel at the standard scale, after a 1 px
// blur). Bare nose bridges of the shared corpus stay under 2.3 whatever the skin; frames of all kinds, on
// fair and on very dark skin, reach 4.5 and more. A deep frown's creases read as a frame too (9.7): the
// temples beside the eyes, where the arms run, do not tell them apart on dark skin, so they are not used.
constexpr double min_bridge_edge = 3.0;
// The strip measured: the middle half between the inner eye corners, from below the brows to the nose.
constexpr double bridge_strip_of_gap = 0.5;
constexpr double below_brows_face_widths = 0.015;
// A lens around an eye: an ellipse of these half-axes in eye widths (corner to corner), a little below the
// eye's centre, as spectacles sit.
constexpr double lens_half_width_eyes = 0.85, lens_half_height_eyes = 0.6, lens_drop_eyes = 0.1;
// The cheek below a lens: from this far under the lens (clear of its rim), this tall and half as wide as
// the lens, in eye widths.
constexpr double below_gap_eyes = 0.12, below_height_eyes = 0.3, below_half_width_eyes = 0.5;
// The eye opening left out of the lens, grown by this share of the eye width.
constexpr double eye_margin_eyes = 0.08;
// Beside the eye corners, the band where a frame crossing the eye is seen, in eye widths; a little taller
// than the opening, since a heavy frame over the eye pulls the lid landmarks.
constexpr double band_flank_eyes = 0.35, band_margin_eyes = 0.1;

double eye_width(const std::vector<cv::Point2f>& p, int first) { return cv::norm(p[first + 3] - p[first]); }

cv::Point2f eye_centre(const std::vector<cv::Point2f>& p, int first) {
    cv::Point2f c(0, 0);
    for (int i = first; i < first + 6; ++i) c += p[i];
    return c / 6;
}

cv::Point2f lens_centre(const std::vector<cv::Point2f>& p, int first) {
    return eye_centre(p, first) + cv::Point2f(0, static_cast<float>(lens_drop_eyes * eye_width(p, first)));
}

// The strongest horizontal edge (mean |dL*/dy| along a row) in a box of the image, at the standard face scale.
double strongest_row_edge(const Analysis& a, cv::Rect box) {
    box &= cv::Rect(cv::Point(), a.size());
    double scale = standard_face_width_px / a.face()->face_width_px;
    if (box.width * scale < 1 || box.height * scale < 4) return 0;
    cv::Mat small, l, dy, rows;
    cv::resize(a.bgr()(box), small, cv::Size(), scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    if (small.rows < 4 || small.cols < 1) return 0;
    cv::GaussianBlur(lightness(small), l, cv::Size(), 1.0);
    cv::Sobel(l, dy, CV_32F, 0, 1, 3, 1.0 / 8);
    cv::reduce(cv::abs(dy), rows, 1, cv::REDUCE_AVG);
    double strongest = 0;
    cv::minMaxLoc(rows, nullptr, &strongest);
    return strongest;
}

double bridge_edge(const Analysis& a) {
    using namespace landmark;
    const auto& p = a.face()->landmarks.points;
    double gap = p[left_eye_first].x - p[right_eye_first + 3].x;
    double brows = std::max(p[right_brow_last].y, p[left_brow_first].y) + below_brows_face_widths * a.face()->face_width_px;
    return strongest_row_edge(a, cv::Rect(cvRound(p[right_eye_first + 3].x + (1 - bridge_strip_of_gap) / 2 * gap), cvRound(brows),
                                          cvRound(bridge_strip_of_gap * gap), cvRound(p[nose_bridge_top + 2].y - brows)));
}

// The lens ellipse around an eye, its opening (face_parts' eye_opening, grown by a margin) left out.
Part lens(const Analysis& a, int first, const Part& eye) {
    const auto& p = a.face()->landmarks.points;
    double ew = eye_width(p, first);
    cv::Point2f c = lens_centre(p, first);
    cv::Size axes(cvRound(lens_half_width_eyes * ew), cvRound(lens_half_height_eyes * ew));
    cv::Rect box = cv::Rect(cvRound(c.x) - axes.width, cvRound(c.y) - axes.height, 2 * axes.width + 1, 2 * axes.height + 1) &
                   cv::Rect(cv::Point(), a.size());
    Part part{box, cv::Mat::zeros(box.size(), CV_8U)};
    if (box.empty()) return part;
    cv::ellipse(part.mask, cv::Point(cvRound(c.x) - box.x, cvRound(c.y) - box.y), axes, 0, 0, 360, 255, cv::FILLED);
    cv::Mat opening = cv::Mat::zeros(box.size(), CV_8U);
    cv::Rect in_lens = (eye.box - box.tl()) & cv::Rect(cv::Point(), box.size());
    if (!in_lens.empty()) eye.mask(in_lens + box.tl() - eye.box.tl()).copyTo(opening(in_lens));
    int margin = std::max(1, cvRound(eye_margin_eyes * ew));
    cv::dilate(opening, opening, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * margin + 1, 2 * margin + 1}));
    part.mask.setTo(0, opening);
    return part;
}

Part lower_half(const Part& lens, const std::vector<cv::Point2f>& p, int first) {
    Part half = lens;
    half.mask = lens.mask.clone();
    int centre_row = std::clamp(cvRound(lens_centre(p, first).y) - lens.box.y, 0, half.mask.rows);
    half.mask.rowRange(0, centre_row).setTo(0);
    return half;
}

Part below_lens(const Analysis& a, int first) {
    const auto& p = a.face()->landmarks.points;
    double ew = eye_width(p, first);
    cv::Point2f c = lens_centre(p, first);
    cv::Rect box(cvRound(c.x - below_half_width_eyes * ew), cvRound(c.y + (lens_half_height_eyes + below_gap_eyes) * ew),
                 cvRound(2 * below_half_width_eyes * ew), std::max(1, cvRound(below_height_eyes * ew)));
    box &= cv::Rect(cv::Point(), a.size());
    return Part{box, cv::Mat(box.size(), CV_8U, cv::Scalar(255))};
}

cv::Rect eye_band(const Analysis& a, int first, const cv::Rect& eye) {
    const auto& p = a.face()->landmarks.points;
    int flank = cvRound(band_flank_eyes * eye_width(p, first)), margin = cvRound(band_margin_eyes * eye_width(p, first));
    return cv::Rect(eye.x - flank, eye.y - margin, eye.width + 2 * flank, eye.height + 2 * margin) & cv::Rect(cv::Point(), a.size());
}

}  // namespace

Glasses find_glasses(const Analysis& a) {
    using namespace landmark;
    Glasses g;
    g.bridge_edge = bridge_edge(a);
    g.present = g.bridge_edge >= min_bridge_edge;
    if (!g.present) return g;
    for (int i = 0; i < 2; ++i) {
        int first = i == 0 ? right_eye_first : left_eye_first;
        Part eye = eye_opening(a, i == 0);
        g.lenses[i] = lens(a, first, eye);
        g.lower_lenses[i] = lower_half(g.lenses[i], a.face()->landmarks.points, first);
        g.below_lenses[i] = below_lens(a, first);
        g.eye_bands[i] = eye_band(a, first, eye.box);
    }
    return g;
}

}  // namespace certphoto
