#pragma once
// Colour arithmetic in CIE Lab with L in 0..100 and a, b in their natural range (not OpenCV's 8-bit coding).
#include <opencv2/core.hpp>

namespace certphoto {

cv::Mat to_lab(const cv::Mat& bgr8);            // CV_32FC3
cv::Vec3d rgb_to_lab(const cv::Vec3b& rgb);
double delta_e_2000(const cv::Vec3d& lab1, const cv::Vec3d& lab2);
// CIE76 distance, pixel by pixel (CV_32F), between two Lab images (CV_32FC3) of one size, or from one colour.
cv::Mat lab_distance(const cv::Mat& lab_a, const cv::Mat& lab_b);
cv::Mat lab_distance(const cv::Mat& lab, const cv::Vec3d& colour);
// The same in a*b* alone, lightness left out: how far a pixel's hue and chroma are from a colour's.
cv::Mat chromaticity_distance(const cv::Mat& lab_a, const cv::Mat& lab_b);
cv::Mat chromaticity_distance(const cv::Mat& lab, const cv::Vec3d& colour);
cv::Mat lightness(const cv::Mat& bgr8);         // CV_32F, L* 0..100
cv::Mat min_channel(const cv::Mat& bgr8);       // CV_8U, the darkest of B, G, R: white only where all are high
double luminance_of_lightness(double lightness);  // CIE L* (0..100) to relative luminance Y (0..1)
double lightness_of_luminance(double luminance);  // and back
// Grey levels of the 8-bit BGR picture (CV_32F), and their variance over window x window pixels around each:
// how much a surface's grain or texture varies (skin's pores, hair's strands).
cv::Mat grey_levels(const cv::Mat& bgr8);
cv::Mat local_variance(const cv::Mat& grey, int window);
// Normalised convolution: the Gaussian-weighted (sigma px) mean of `values` (CV_32F) over `weights` (CV_32F,
// 0..1) around each pixel. A wide smoothing is done on a copy reduced until sigma is a few of its pixels: nearly
// the same mean (the reduction adds under 1 % to sigma) for a small share of the cost.
cv::Mat smoothed_mean(const cv::Mat& values, const cv::Mat& weights, double sigma);

}  // namespace certphoto
