#include "fix/guided_filter.hpp"

#include <array>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace certphoto {
namespace {

cv::Mat box_mean(const cv::Mat& image, int radius) {
    cv::Mat mean;
    cv::boxFilter(image, mean, CV_32F, {2 * radius + 1, 2 * radius + 1}, {-1, -1}, true, cv::BORDER_REFLECT);
    return mean;
}

// The window means the filter needs, each a plane: the guide's channels I, the source p, the products I*p and
// the guide's second moments I_i*I_j.
enum Moment { I0, I1, I2, P, I0P, I1P, I2P, I00, I01, I02, I11, I12, I22, moment_count };

std::array<cv::Mat, moment_count> window_means(const cv::Mat& guide, const cv::Mat& source, int radius) {
    std::array<cv::Mat, moment_count> plane;
    for (cv::Mat& m : plane) m.create(guide.size(), CV_32F);
    for (int y = 0; y < guide.rows; ++y) {
        const auto* g = guide.ptr<cv::Vec3f>(y);
        const float* p = source.ptr<float>(y);
        std::array<float*, moment_count> row;
        for (int k = 0; k < moment_count; ++k) row[k] = plane[k].ptr<float>(y);
        for (int x = 0; x < guide.cols; ++x) {
            const cv::Vec3f& i = g[x];
            row[I0][x] = i[0], row[I1][x] = i[1], row[I2][x] = i[2], row[P][x] = p[x];
            row[I0P][x] = i[0] * p[x], row[I1P][x] = i[1] * p[x], row[I2P][x] = i[2] * p[x];
            row[I00][x] = i[0] * i[0], row[I01][x] = i[0] * i[1], row[I02][x] = i[0] * i[2];
            row[I11][x] = i[1] * i[1], row[I12][x] = i[1] * i[2], row[I22][x] = i[2] * i[2];
        }
    }
    for (cv::Mat& m : plane) m = box_mean(m, radius);
    return plane;
}

cv::Mat filter_everywhere(const cv::Mat& guide, const cv::Mat& source, int radius, double epsilon) {
    const std::array<cv::Mat, moment_count> mean = window_means(guide, source, radius);
    const float eps = static_cast<float>(epsilon);
    // As OpenCV's ximgproc does for small epsilons (the matte was tuned with it): a near-singular window, one
    // of almost flat colour, divides by 1 instead, so its coefficients a stay near zero and it takes the mean.
    const bool guard_singular = epsilon < 1e-2;
    std::array<cv::Mat, 4> coefficient;  // a for each guide channel, then b
    for (cv::Mat& m : coefficient) m.create(guide.size(), CV_32F);
    for (int y = 0; y < guide.rows; ++y) {
        std::array<const float*, moment_count> m;
        for (int k = 0; k < moment_count; ++k) m[k] = mean[k].ptr<float>(y);
        std::array<float*, 4> out;
        for (int k = 0; k < 4; ++k) out[k] = coefficient[k].ptr<float>(y);
        for (int x = 0; x < guide.cols; ++x) {
            const float m0 = m[I0][x], m1 = m[I1][x], m2 = m[I2][x], mp = m[P][x];
            // The guide's 3x3 covariance in the window, epsilon on the diagonal, and its covariance with the source.
            const float rr = m[I00][x] - m0 * m0 + eps, rg = m[I01][x] - m0 * m1, rb = m[I02][x] - m0 * m2;
            const float gg = m[I11][x] - m1 * m1 + eps, gb = m[I12][x] - m1 * m2, bb = m[I22][x] - m2 * m2 + eps;
            const float cr = m[I0P][x] - m0 * mp, cg = m[I1P][x] - m1 * mp, cb = m[I2P][x] - m2 * mp;
            // The inverse by cofactors (symmetric), applied to the covariance with the source: the coefficients a.
            const float inv_rr = gg * bb - gb * gb, inv_rg = gb * rb - rg * bb, inv_rb = rg * gb - gg * rb;
            const float inv_gg = rr * bb - rb * rb, inv_gb = rb * rg - rr * gb, inv_bb = rr * gg - rg * rg;
            float determinant = rr * inv_rr + rg * inv_rg + rb * inv_rb;
            if (guard_singular && std::abs(determinant) < 1e-6f) determinant = 1.0f;
            const float a0 = (inv_rr * cr + inv_rg * cg + inv_rb * cb) / determinant;
            const float a1 = (inv_rg * cr + inv_gg * cg + inv_gb * cb) / determinant;
            const float a2 = (inv_rb * cr + inv_gb * cg + inv_bb * cb) / determinant;
            out[0][x] = a0, out[1][x] = a1, out[2][x] = a2;
            out[3][x] = mp - a0 * m0 - a1 * m1 - a2 * m2;
        }
    }
    for (cv::Mat& c : coefficient) c = box_mean(c, radius);
    cv::Mat filtered(guide.size(), CV_32F);
    for (int y = 0; y < guide.rows; ++y) {
        const auto* g = guide.ptr<cv::Vec3f>(y);
        const float *a0 = coefficient[0].ptr<float>(y), *a1 = coefficient[1].ptr<float>(y), *a2 = coefficient[2].ptr<float>(y);
        const float* b = coefficient[3].ptr<float>(y);
        float* f = filtered.ptr<float>(y);
        for (int x = 0; x < guide.cols; ++x) f[x] = b[x] + a0[x] * g[x][0] + a1[x] * g[x][1] + a2[x] * g[x][2];
    }
    return filtered;
}

// Where the source is constant within twice the radius of a pixel, every window the pixel's output averages has
// coefficients a = 0 and b = that constant: the output is the source. A matte is 0 or 1 but for a band along the
// person's edge, so only tiles of the picture where the source varies are filtered: on a 24 MP layer replaced in
// place that band is a few per cent of the pixels.
constexpr int tile_px = 128;
constexpr float constant_variance = 1e-6f;

cv::Mat varying(const cv::Mat& source, int reach) {
    cv::Mat squared = source.mul(source);
    cv::Mat mean = box_mean(source, reach), mean_of_squares = box_mean(squared, reach);
    return mean_of_squares - mean.mul(mean) > constant_variance;
}

}  // namespace

cv::Mat guided_filter(const cv::Mat& guide, const cv::Mat& source, int radius, double epsilon) {
    CV_Assert(guide.type() == CV_32FC3 && source.type() == CV_32F && guide.size() == source.size());
    const int reach = 2 * radius;
    const cv::Mat needs_filter = varying(source, reach);
    cv::Mat filtered = source.clone();
    const cv::Rect picture(cv::Point(), source.size());
    for (int y = 0; y < source.rows; y += tile_px)
        for (int x = 0; x < source.cols; x += tile_px) {
            const cv::Rect tile = cv::Rect(x, y, tile_px, tile_px) & picture;
            if (cv::countNonZero(needs_filter(tile)) == 0) continue;
            // The tile with the pixels its outputs depend on; at the picture's edges its border is the picture's.
            const cv::Rect around = cv::Rect(tile.x - reach, tile.y - reach, tile.width + 2 * reach, tile.height + 2 * reach) & picture;
            const cv::Mat part = filter_everywhere(guide(around), source(around), radius, epsilon);
            part(cv::Rect(tile.tl() - around.tl(), tile.size())).copyTo(filtered(tile));
        }
    return filtered;
}

}  // namespace certphoto
