#pragma once
// How the light falls on the face: a plane fitted to log2 luminance over the skin. Its horizontal slope is
// one-sided light (阴阳脸); the lighting-even rule reads it and the relight step undoes it.
#include <opencv2/core.hpp>

namespace certphoto {

struct FaceCrop;

struct FaceLighting {
    cv::Point2d centre;                // face centre in image pixels (the plane's origin)
    double face_width_px = 1;          // the plane's unit of distance
    double stops = 0;                  // mean log2 luminance of the skin at the centre
    double left_right_stops = 0;       // image right minus image left, across one face width
    double top_bottom_stops = 0;       // lower face minus upper face, across one face width
    cv::Rect darker_side;              // the darker half of the face, image pixels

    // The cheeks sit about half a face width apart: the difference a photographer sees between them.
    static constexpr double cheek_spacing_face_widths = 0.5;
    double cheek_difference_stops() const { return left_right_stops * cheek_spacing_face_widths; }

    // log2 of the luminance the plane predicts at an image point, relative to the centre.
    double relative_stops(double x, double y) const {
        return (left_right_stops * (x - centre.x) + top_bottom_stops * (y - centre.y)) / face_width_px;
    }
};

FaceLighting measure_face_lighting(const FaceCrop& crop, const cv::Mat& skin_lightness, cv::Point2d centre,
                                   double face_width_px);

// sRGB 8-bit <-> linear light, for gains that must act like light (not like a curve on coded values).
double srgb_to_linear(double coded01);
double linear_to_srgb(double linear01);
double lightness_to_luminance(double l_star);

}  // namespace certphoto
