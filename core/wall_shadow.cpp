#include "wall_shadow.hpp"

#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"

namespace certphoto {
namespace {

// Where a cast shadow is looked for: rows from above the head down to the chin (lower, a collar or a jacket
// shades like a shadow), within this distance of the person's outline, outside the face (in face widths).
constexpr double rows_above_head_face_widths = 0.3;
constexpr double reach_face_widths = 0.45;
constexpr double face_margin_face_widths = 0.12;
// A shadow pixel: this much L* darker than the wall's light around it (the wall's lightness smoothed over
// this many face widths, from the wall pixels only, once more without the ones far darker than the first
// estimate: a vignette or a gradient is the backdrop's light, a shadow is not)...
constexpr double shadow_depth_lightness = 6.0;
constexpr double wall_light_face_widths = 0.35;
// ...but not more than this: a cast shadow takes a stop or so off the wall; black or dark hair of the wall's
// (neutral) hue is far darker than any shadow on a lit backdrop.
constexpr double max_shadow_depth_lightness = 26.0;
// ...within this distance of the wall's chromaticity (a*, b*)...
constexpr double wall_chroma_tolerance = 5.0;
// ...and with no more texture (3x3 standard deviation of L*) than this multiple of the wall's, plus a floor.
constexpr double texture_of_wall = 2.0, texture_floor_lightness = 0.6;

// A shadow is one patch; specks at the edge of a jacket or a curl are not, whatever their colour.
constexpr double min_patch_face_widths_squared = 0.01;

cv::Mat without_specks(const cv::Mat& mask, double min_area) {
    cv::Mat labels, stats, centroids, kept = cv::Mat::zeros(mask.size(), CV_8U);
    int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
    for (int i = 1; i < n; ++i)
        if (stats.at<int>(i, cv::CC_STAT_AREA) >= min_area) kept.setTo(255, labels == i);
    return kept;
}

// Normalised convolution: the mean of `values` over `weights` (CV_8U masks) around each pixel.
cv::Mat smoothed_over(const cv::Mat& values, const cv::Mat& weights, double sigma) {
    cv::Mat w;
    weights.convertTo(w, CV_32F, 1.0 / 255);
    return smoothed_mean(values, w, sigma);
}

cv::Mat wall_light(const cv::Mat& lightness, const cv::Mat& wall_mask, double sigma) {
    cv::Mat first = smoothed_over(lightness, wall_mask, sigma);
    cv::Mat lit_wall = wall_mask & (lightness > first - shadow_depth_lightness);
    return smoothed_over(lightness, lit_wall, sigma);
}

cv::Mat local_deviation(const cv::Mat& lightness) {
    cv::Mat mean, mean_of_squares, variance, deviation;
    cv::blur(lightness, mean, {3, 3});
    cv::blur(lightness.mul(lightness), mean_of_squares, {3, 3});
    variance = cv::max(mean_of_squares - mean.mul(mean), 0);
    cv::sqrt(variance, deviation);
    return deviation;
}

// The face (outline, brows lifted to the forehead) at work scale, grown by a margin: never a shadow.
cv::Mat face_area(const Analysis& a, double scale, double face_px) {
    const auto& p = a.face()->landmarks.points;
    std::vector<cv::Point> hull_points;
    for (const auto& q : p) {
        hull_points.emplace_back(cvRound(q.x * scale), cvRound(q.y * scale));
        hull_points.emplace_back(cvRound(q.x * scale), cvRound((q.y - 0.25 * a.face()->face_width_px) * scale));
    }
    std::vector<cv::Point> hull;
    cv::convexHull(hull_points, hull);
    cv::Mat area = cv::Mat::zeros(a.person().mask.size(), CV_8U);
    cv::fillConvexPoly(area, hull, 255);
    int grow = std::max(1, cvRound(face_margin_face_widths * face_px));
    cv::dilate(area, area, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * grow + 1, 2 * grow + 1}));
    return area;
}

}  // namespace

cv::Mat find_wall_shadow(const Analysis& a) {
    const WallModel& wall = a.wall();
    const PersonMask& person = a.person();
    if (cv::countNonZero(wall.mask) == 0) return {};
    double face_px = a.face()->face_width_px * person.scale;

    // Near the outline, on either side of it, beside the head, outside the face.
    cv::Mat outline, distance;
    cv::morphologyEx(person.mask, outline, cv::MORPH_GRADIENT, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
    cv::distanceTransform(outline == 0, distance, cv::DIST_L2, 3);
    cv::Mat searched = (distance <= reach_face_widths * face_px) & ~face_area(a, person.scale, face_px);
    int top = std::max(0, cvRound(person.head_top_y * person.scale - rows_above_head_face_widths * face_px));
    int bottom = std::min(searched.rows, cvRound(a.face()->landmarks.points[landmark::chin].y * person.scale));
    searched.rowRange(0, top).setTo(0);
    if (bottom < searched.rows) searched.rowRange(bottom, searched.rows).setTo(0);

    const cv::Mat& lab = wall.lab;
    cv::Mat planes[3];
    cv::split(lab, planes);
    cv::Mat deviation = local_deviation(planes[0]);
    std::vector<float> wall_texture;
    for (int y = 0; y < lab.rows; ++y)
        for (int x = 0; x < lab.cols; ++x)
            if (wall.mask.at<uchar>(y, x)) wall_texture.push_back(deviation.at<float>(y, x));
    cv::Mat lit = wall_light(planes[0], wall.mask, wall_light_face_widths * face_px);
    double smooth_limit = texture_of_wall * percentile(wall_texture, 0.5) + texture_floor_lightness;
    cv::Mat chroma_distance;
    cv::magnitude(planes[1] - wall.mean_lab[1], planes[2] - wall.mean_lab[2], chroma_distance);
    cv::Mat shadow = searched & (planes[0] < lit - shadow_depth_lightness) & (planes[0] > lit - max_shadow_depth_lightness) &
                     (chroma_distance < wall_chroma_tolerance) & (deviation < smooth_limit);
    cv::morphologyEx(shadow, shadow, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_ELLIPSE, {3, 3}));
    return without_specks(shadow, min_patch_face_widths_squared * face_px * face_px);
}

}  // namespace certphoto
