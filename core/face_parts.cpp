#include "face_parts.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"

namespace certphoto {
namespace {

// The visible iris is about 0.42 of the eye opening's corner-to-corner width; the pupil of a studio shot (bright
// light, small pupil) about 0.35 of the iris.
constexpr double iris_radius_of_eye_width = 0.21;
constexpr double pupil_radius_of_iris = 0.35;
// The clothes start this far below the chin (the neck is told from them by its colour) and are taken this far to each side of the face centre.
constexpr double clothing_top_below_chin_face_widths = 0.05;
constexpr double clothing_half_width_face_widths = 1.3;
// Within this distance (CIE76) of the face's own skin a pixel is the neck or chest, not the clothes.
constexpr double neck_skin_delta_e = 18;
// The clothes are measured at this face width: plenty for shares and edges, and cheap on a 24 MP photo.
constexpr double clothes_face_width_px = 128;

std::vector<cv::Point> shifted(const std::vector<cv::Point2f>& p, int first, int last, cv::Point origin) {
    std::vector<cv::Point> out;
    for (int i = first; i <= last; ++i) out.emplace_back(cvRound(p[i].x) - origin.x, cvRound(p[i].y) - origin.y);
    return out;
}

Part part_over(cv::Rect box, cv::Size image) {
    box &= cv::Rect(cv::Point(), image);
    return {box, cv::Mat::zeros(box.size(), CV_8U)};
}

Part eye_disc(const Analysis& a, const Face& f, bool image_left_eye, double radius) {
    using namespace landmark;
    cv::Point2f centre = image_left_eye ? f.image_left_pupil : f.image_right_pupil;
    int r = std::max(1, cvRound(radius));
    Part part = part_over(cv::Rect(cvRound(centre.x) - r, cvRound(centre.y) - r, 2 * r + 1, 2 * r + 1), a.size());
    if (part.box.empty()) return part;
    cv::circle(part.mask, cv::Point(cvRound(centre.x) - part.box.x, cvRound(centre.y) - part.box.y), r, 255, cv::FILLED);
    cv::Mat opening = cv::Mat::zeros(part.box.size(), CV_8U);
    int first = image_left_eye ? right_eye_first : left_eye_first;
    cv::fillConvexPoly(opening, shifted(f.landmarks.points, first, first + 5, part.box.tl()), 255);
    part.mask &= opening;
    return part;
}

}  // namespace

double hue_degrees(double a, double b) {
    double h = std::atan2(b, a) * 180.0 / CV_PI;
    return h < 0 ? h + 360 : h;
}

double hue_apart_deg(double a_deg, double b_deg) {
    double apart = std::abs(a_deg - b_deg);
    return std::min(apart, 360 - apart);
}

double percentile(std::vector<float> values, double q) {
    if (values.empty()) return 0;
    auto nth = values.begin() + static_cast<std::ptrdiff_t>(q * (values.size() - 1));
    std::nth_element(values.begin(), nth, values.end());
    return *nth;
}

double iris_radius_px(const Face& face) {
    using namespace landmark;
    const auto& p = face.landmarks.points;
    double eye_width = (cv::norm(p[right_eye_first] - p[right_eye_first + 3]) + cv::norm(p[left_eye_first] - p[left_eye_first + 3])) / 2;
    return iris_radius_of_eye_width * eye_width;
}

// The ear band (face widths): from just inside the face's outline to where an ear ends, from above the upper
// jaw point (level with the eyes) to below the third (level with the nose's base).
constexpr double ear_band_inside = 0.01, ear_band_outside = 0.16;
constexpr double ear_band_above = 0.1, ear_band_below = 0.05;

cv::Rect2d ear_band(const Face& face, bool image_left) {
    const auto& p = face.landmarks.points;
    double w = face.face_width_px;
    double outline = image_left ? std::min({p[0].x, p[1].x, p[2].x}) : std::max({p[16].x, p[15].x, p[14].x});
    double inner = outline + (image_left ? ear_band_inside : -ear_band_inside) * w;
    double outer = outline + (image_left ? -ear_band_outside : ear_band_outside) * w;
    double top = std::min(p[0].y, p[16].y) - ear_band_above * w, bottom = std::max(p[2].y, p[14].y) + ear_band_below * w;
    return {cv::Point2d(std::min(inner, outer), top), cv::Point2d(std::max(inner, outer), bottom)};
}

bool eye_is_open(const Analysis& a, int first_landmark) {
    const RuleConfig* eyes_open = a.preset().rule("eyes-open");
    const double open_aspect_ratio = eyes_open ? eyes_open->number_or("min_eye_aspect_ratio", 0) : 0;
    return landmark::eye_aspect_ratio(a.face()->landmarks.points, first_landmark) >= open_aspect_ratio;
}

Part eye_opening(const Analysis& a, bool image_left_eye) {
    using namespace landmark;
    const auto& p = a.face()->landmarks.points;
    int first = image_left_eye ? right_eye_first : left_eye_first;
    Part part = part_over(cv::boundingRect(std::vector<cv::Point2f>(p.begin() + first, p.begin() + first + 6)), a.size());
    if (part.box.empty()) return part;
    cv::fillConvexPoly(part.mask, shifted(p, first, first + 5, part.box.tl()), 255);
    return part;
}

Part pupil(const Analysis& a, bool image_left_eye) { return pupil(a, *a.face(), image_left_eye); }

Part pupil(const Analysis& a, const Face& face, bool image_left_eye) {
    return eye_disc(a, face, image_left_eye, iris_radius_px(face) * pupil_radius_of_iris);
}

Part mouth(const Analysis& a) {
    using namespace landmark;
    const auto& p = a.face()->landmarks.points;
    std::vector<cv::Point2f> outer(p.begin() + outer_lip_first, p.begin() + outer_lip_last + 1);
    Part part = part_over(cv::boundingRect(outer), a.size());
    if (part.box.empty()) return part;
    cv::fillPoly(part.mask, std::vector<std::vector<cv::Point>>{shifted(p, outer_lip_first, outer_lip_last, part.box.tl())}, 255);
    return part;
}

Part lips(const Analysis& a) {
    Part part = mouth(a);
    if (part.box.empty()) return part;
    const auto& p = a.face()->landmarks.points;
    cv::fillPoly(part.mask,
                 std::vector<std::vector<cv::Point>>{shifted(p, landmark::inner_lip_first, landmark::inner_lip_last, part.box.tl())}, 0);
    return part;
}

Clothes measure_clothes(const Analysis& a) {
    const Face& f = *a.face();
    double w = f.face_width_px;
    int top = cvRound(f.landmarks.points[landmark::chin].y + clothing_top_below_chin_face_widths * w);
    int left = cvRound(f.center_x - clothing_half_width_face_widths * w);
    Part region = part_over(cv::Rect(left, top, cvRound(2 * clothing_half_width_face_widths * w), a.size().height), a.size());
    Clothes clothes;
    if (region.box.empty()) return clothes;
    const PersonMask& person = a.person();
    cv::Rect work_box(cvRound(region.box.x * person.scale), cvRound(region.box.y * person.scale),
                      std::max(1, cvRound(region.box.width * person.scale)), std::max(1, cvRound(region.box.height * person.scale)));
    work_box &= cv::Rect(cv::Point(), person.mask.size());
    if (work_box.empty()) return clothes;
    clothes.box = region.box;
    clothes.scale = std::min(1.0, clothes_face_width_px / w);
    cv::Mat small;
    cv::resize(a.bgr()(region.box), small, cv::Size(), clothes.scale, clothes.scale, cv::INTER_AREA);
    clothes.lab = to_lab(small);
    cv::resize(person.mask(work_box), clothes.mask, small.size(), 0, 0, cv::INTER_NEAREST);
    cv::Vec3d skin = a.skin_colour().median;
    for (int y = 0; y < clothes.lab.rows; ++y)
        for (int x = 0; x < clothes.lab.cols; ++x) {
            cv::Vec3f p = clothes.lab.at<cv::Vec3f>(y, x);
            if (cv::norm(cv::Vec3d(p[0], p[1], p[2]) - skin) < neck_skin_delta_e) clothes.mask.at<uchar>(y, x) = 0;
        }
    return clothes;
}

cv::Mat lab_of(const cv::Mat& image_bgr, const Part& part) { return to_lab(image_bgr(part.box)); }

LabStats lab_stats(const cv::Mat& image_bgr, const Part& part) {
    if (part.empty()) return {};
    return lab_stats_of(lab_of(image_bgr, part), part.mask);
}

LabStats lab_stats_of(const cv::Mat& lab, const cv::Mat& mask) {
    LabStats stats;
    std::vector<float> channel[3];
    for (int y = 0; y < lab.rows; ++y)
        for (int x = 0; x < lab.cols; ++x)
            if (mask.at<uchar>(y, x))
                for (int c = 0; c < 3; ++c) channel[c].push_back(lab.at<cv::Vec3f>(y, x)[c]);
    stats.pixels = static_cast<int>(channel[0].size());
    for (int c = 0; c < 3; ++c) stats.median[c] = percentile(channel[c], 0.5);
    stats.chroma = std::hypot(stats.median[1], stats.median[2]);
    stats.hue_deg = hue_degrees(stats.median[1], stats.median[2]);
    return stats;
}

}  // namespace certphoto
