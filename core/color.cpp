#include "color.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

#include <opencv2/imgproc.hpp>

namespace certphoto {

namespace {

// sRGB's decoding curve for each 8-bit value.
const std::array<float, 256>& linear_of_srgb() {
    static const std::array<float, 256> table = [] {
        std::array<float, 256> t{};
        for (int i = 0; i < 256; ++i) {
            double c = i / 255.0;
            t[static_cast<std::size_t>(i)] = static_cast<float>(c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4));
        }
        return t;
    }();
    return table;
}

// Cube roots of [2^-7, 2) (CIE Lab's range above its linear part, 0.008856): tabulated over each float's
// exponent and top mantissa bits, interpolated and refined once. The same floats as std::cbrt at a fraction
// of its cost, which was most of a Lab conversion.
class CubeRoots {
public:
    CubeRoots() {
        for (std::uint32_t i = 0; i < values_.size(); ++i) values_[i] = static_cast<float>(std::cbrt(static_cast<double>(start_of(i))));
    }
    float operator()(float t) const {
        std::uint32_t bits;
        std::memcpy(&bits, &t, sizeof bits);
        if (bits < first_bits || bits >= end_bits) return std::cbrt(t);
        std::uint32_t i = (bits - first_bits) >> dropped_bits;
        float start = start_of(i), next = start_of(i + 1);
        float fraction = (t - start) / (next - start);
        double y = values_[i] + fraction * (values_[i + 1] - values_[i]);
        return static_cast<float>((2 * y + t / (y * y)) / 3);  // one Newton step, in double: as exact as std::cbrt
    }

private:
    static constexpr int dropped_bits = 13;             // keeps 10 mantissa bits: 1024 steps per binade
    static constexpr std::uint32_t first_bits = 0x3C000000;  // 2^-7
    static constexpr std::uint32_t end_bits = 0x40000000;    // 2
    static float start_of(std::uint32_t i) {
        std::uint32_t bits = first_bits + (i << dropped_bits);
        float value;
        std::memcpy(&value, &bits, sizeof value);
        return value;
    }
    std::array<float, ((end_bits - first_bits) >> dropped_bits) + 1> values_{};
};

const CubeRoots& cube_roots() {
    static const CubeRoots table;
    return table;
}

// CIE Lab's companding of a white-relative tristimulus value.
inline float lab_f(const CubeRoots& cube_root, float t) { return t > 0.008856f ? cube_root(t) : 7.787f * t + 16.0f / 116.0f; }

}  // namespace

// The same conversion as OpenCV's float BGR2Lab (sRGB primaries, D65 white), written out: OpenCV's first Lab
// conversion in a process builds its tables, 0.1 s of every cold start.
cv::Mat to_lab(const cv::Mat& bgr8) {
    CV_Assert(bgr8.type() == CV_8UC3);
    const auto& linear = linear_of_srgb();
    const CubeRoots& cube_root = cube_roots();
    cv::Mat lab(bgr8.size(), CV_32FC3);
    for (int y = 0; y < bgr8.rows; ++y) {
        const auto* in = bgr8.ptr<cv::Vec3b>(y);
        auto* out = lab.ptr<cv::Vec3f>(y);
        for (int x = 0; x < bgr8.cols; ++x) {
            float b = linear[in[x][0]], g = linear[in[x][1]], r = linear[in[x][2]];
            float fx = lab_f(cube_root, (0.412453f * r + 0.357580f * g + 0.180423f * b) / 0.950456f);
            float luminance = 0.212671f * r + 0.715160f * g + 0.072169f * b;
            float fy = lab_f(cube_root, luminance);
            float fz = lab_f(cube_root, (0.019334f * r + 0.119193f * g + 0.950227f * b) / 1.088754f);
            float lightness = luminance > 0.008856f ? 116.0f * fy - 16.0f : 903.3f * luminance;
            out[x] = {lightness, 500.0f * (fx - fy), 200.0f * (fy - fz)};
        }
    }
    return lab;
}

cv::Mat min_channel(const cv::Mat& bgr8) {
    std::vector<cv::Mat> planes;
    cv::split(bgr8, planes);
    return cv::min(cv::min(planes[0], planes[1]), planes[2]);
}

cv::Mat grey_levels(const cv::Mat& bgr8) {
    cv::Mat grey;
    cv::cvtColor(bgr8, grey, cv::COLOR_BGR2GRAY);
    grey.convertTo(grey, CV_32F);
    return grey;
}

cv::Mat local_variance(const cv::Mat& grey, int window) {
    cv::Mat mean, mean_of_squares;
    cv::blur(grey, mean, {window, window});
    cv::blur(grey.mul(grey), mean_of_squares, {window, window});
    return mean_of_squares - mean.mul(mean);
}

namespace {
constexpr double reduced_sigma_px = 4.0;
}  // namespace

cv::Mat smoothed_mean(const cv::Mat& values, const cv::Mat& weights, double sigma) {
    CV_Assert(values.type() == CV_32F && weights.type() == CV_32F);
    cv::Mat weighted = values.mul(weights), weight = weights;
    double shrink = std::max(1.0, std::floor(sigma / reduced_sigma_px));
    if (shrink > 1) {
        cv::Size reduced(cvCeil(values.cols / shrink), cvCeil(values.rows / shrink));
        cv::resize(weighted, weighted, reduced, 0, 0, cv::INTER_AREA);
        cv::resize(weight, weight, reduced, 0, 0, cv::INTER_AREA);
    }
    // Mirrored about the picture's edge, as the default border of the whole picture nearly is (about its edge
    // pixel): the reduced copy's edge pixel lies further in.
    int border = shrink > 1 ? cv::BORDER_REFLECT : cv::BORDER_DEFAULT;
    cv::GaussianBlur(weighted, weighted, cv::Size(), sigma / shrink, 0, border);
    cv::Mat norm;  // not in place: unreduced, `weight` is the caller's
    cv::GaussianBlur(weight, norm, cv::Size(), sigma / shrink, 0, border);
    cv::Mat mean = weighted / cv::max(norm, 1e-4);
    if (shrink > 1) cv::resize(mean, mean, values.size(), 0, 0, cv::INTER_LINEAR);
    return mean;
}

double luminance_of_lightness(double lightness) {
    double f = (lightness + 16) / 116;
    return lightness > 8 ? f * f * f : lightness / 903.3;
}

double lightness_of_luminance(double luminance) {
    return luminance > 0.008856 ? 116 * std::cbrt(luminance) - 16 : 903.3 * luminance;
}

cv::Mat lightness(const cv::Mat& bgr8) {
    cv::Mat lab = to_lab(bgr8), l;
    cv::extractChannel(lab, l, 0);
    return l;
}

cv::Vec3d rgb_to_lab(const cv::Vec3b& rgb) {
    cv::Mat pixel(1, 1, CV_8UC3, cv::Scalar(rgb[2], rgb[1], rgb[0]));
    cv::Vec3f lab = to_lab(pixel).at<cv::Vec3f>(0, 0);
    return {lab[0], lab[1], lab[2]};
}

// CIEDE2000 (Sharma, Wu, Dalal 2005).
double delta_e_2000(const cv::Vec3d& lab1, const cv::Vec3d& lab2) {
    constexpr double pi = CV_PI;
    auto deg = [](double r) { return r * 180.0 / pi; };
    auto rad = [](double d) { return d * pi / 180.0; };
    double L1 = lab1[0], a1 = lab1[1], b1 = lab1[2], L2 = lab2[0], a2 = lab2[1], b2 = lab2[2];
    double C1 = std::hypot(a1, b1), C2 = std::hypot(a2, b2), Cbar = (C1 + C2) / 2;
    double G = 0.5 * (1 - std::sqrt(std::pow(Cbar, 7) / (std::pow(Cbar, 7) + std::pow(25.0, 7))));
    double a1p = (1 + G) * a1, a2p = (1 + G) * a2;
    double C1p = std::hypot(a1p, b1), C2p = std::hypot(a2p, b2);
    auto hue = [&](double b, double ap) {
        if (b == 0 && ap == 0) return 0.0;
        double h = deg(std::atan2(b, ap));
        return h < 0 ? h + 360 : h;
    };
    double h1p = hue(b1, a1p), h2p = hue(b2, a2p);
    double dLp = L2 - L1, dCp = C2p - C1p, dhp = 0;
    if (C1p * C2p != 0) {
        dhp = h2p - h1p;
        if (dhp > 180) dhp -= 360;
        else if (dhp < -180) dhp += 360;
    }
    double dHp = 2 * std::sqrt(C1p * C2p) * std::sin(rad(dhp / 2));
    double Lbarp = (L1 + L2) / 2, Cbarp = (C1p + C2p) / 2, hbarp = h1p + h2p;
    if (C1p * C2p != 0) {
        if (std::abs(h1p - h2p) <= 180) hbarp = (h1p + h2p) / 2;
        else hbarp = (h1p + h2p + (h1p + h2p < 360 ? 360 : -360)) / 2;
    }
    double T = 1 - 0.17 * std::cos(rad(hbarp - 30)) + 0.24 * std::cos(rad(2 * hbarp)) +
               0.32 * std::cos(rad(3 * hbarp + 6)) - 0.20 * std::cos(rad(4 * hbarp - 63));
    double dTheta = 30 * std::exp(-std::pow((hbarp - 275) / 25, 2));
    double Rc = 2 * std::sqrt(std::pow(Cbarp, 7) / (std::pow(Cbarp, 7) + std::pow(25.0, 7)));
    double Sl = 1 + 0.015 * std::pow(Lbarp - 50, 2) / std::sqrt(20 + std::pow(Lbarp - 50, 2));
    double Sc = 1 + 0.045 * Cbarp, Sh = 1 + 0.015 * Cbarp * T, Rt = -std::sin(rad(2 * dTheta)) * Rc;
    return std::sqrt(std::pow(dLp / Sl, 2) + std::pow(dCp / Sc, 2) + std::pow(dHp / Sh, 2) + Rt * (dCp / Sc) * (dHp / Sh));
}

namespace {
cv::Mat length_of(const cv::Mat& difference, const cv::Matx13f& channels = cv::Matx13f(1, 1, 1)) {
    cv::Mat squared, distance;
    cv::multiply(difference, difference, squared);
    cv::transform(squared, distance, channels);
    cv::sqrt(distance, distance);
    return distance;
}
}  // namespace

cv::Mat lab_distance(const cv::Mat& lab_a, const cv::Mat& lab_b) { return length_of(lab_a - lab_b); }

cv::Mat lab_distance(const cv::Mat& lab, const cv::Vec3d& colour) {
    cv::Mat difference;
    cv::subtract(lab, cv::Scalar(colour[0], colour[1], colour[2]), difference);
    return length_of(difference);
}

cv::Mat chromaticity_distance(const cv::Mat& lab_a, const cv::Mat& lab_b) { return length_of(lab_a - lab_b, cv::Matx13f(0, 1, 1)); }

cv::Mat chromaticity_distance(const cv::Mat& lab, const cv::Vec3d& colour) {
    cv::Mat difference;
    cv::subtract(lab, cv::Scalar(colour[0], colour[1], colour[2]), difference);
    return length_of(difference, cv::Matx13f(0, 1, 1));
}

}  // namespace certphoto
