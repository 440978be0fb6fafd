#include "fix/guided_filter.hpp"

#include <array>

#include <opencv2/imgproc.hpp>

namespace certphoto {
namespace {

cv::Mat box_mean(const cv::Mat& image, int radius) {
    cv::Mat mean;
    cv::boxFilter(image, mean, CV_32F, {2 * radius + 1, 2 * radius + 1}, {-1, -1}, true, cv::BORDER_REFLECT);
    return mean;
}

}  // namespace

cv::Mat guided_filter(const cv::Mat& guide, const cv::Mat& source, int radius, double epsilon) {
    CV_Assert(guide.type() == CV_32FC3 && source.type() == CV_32F && guide.size() == source.size());
    std::array<cv::Mat, 3> channel;
    cv::split(guide, channel.data());
    std::array<cv::Mat, 3> mean_guide, covariance_with_source;
    const cv::Mat mean_source = box_mean(source, radius);
    for (int c = 0; c < 3; ++c) {
        mean_guide[c] = box_mean(channel[c], radius);
        covariance_with_source[c] = box_mean(channel[c].mul(source), radius) - mean_guide[c].mul(mean_source);
    }
    // The guide's 3x3 covariance in each window, plus epsilon on the diagonal.
    auto covariance = [&](int i, int j) {
        cv::Mat v = box_mean(channel[i].mul(channel[j]), radius) - mean_guide[i].mul(mean_guide[j]);
        if (i == j) v += epsilon;
        return v;
    };
    const cv::Mat rr = covariance(0, 0), rg = covariance(0, 1), rb = covariance(0, 2);
    const cv::Mat gg = covariance(1, 1), gb = covariance(1, 2), bb = covariance(2, 2);
    // Its inverse by cofactors (symmetric), applied to the covariance with the source: the coefficients a.
    const cv::Mat inv_rr = gg.mul(bb) - gb.mul(gb), inv_rg = gb.mul(rb) - rg.mul(bb), inv_rb = rg.mul(gb) - gg.mul(rb);
    const cv::Mat inv_gg = rr.mul(bb) - rb.mul(rb), inv_gb = rb.mul(rg) - rr.mul(gb), inv_bb = rr.mul(gg) - rg.mul(rg);
    cv::Mat determinant = rr.mul(inv_rr) + rg.mul(inv_rg) + rb.mul(inv_rb);
    // As OpenCV's ximgproc does for small epsilons (the matte was tuned with it): a near-singular window, one
    // of almost flat colour, divides by 1 instead, so its coefficients a stay near zero and it takes the mean.
    if (epsilon < 1e-2) determinant.setTo(1.0f, cv::abs(determinant) < 1e-6f);
    const cv::Mat& cr = covariance_with_source[0];
    const cv::Mat& cg = covariance_with_source[1];
    const cv::Mat& cb = covariance_with_source[2];
    std::array<cv::Mat, 3> a = {(inv_rr.mul(cr) + inv_rg.mul(cg) + inv_rb.mul(cb)) / determinant,
                                (inv_rg.mul(cr) + inv_gg.mul(cg) + inv_gb.mul(cb)) / determinant,
                                (inv_rb.mul(cr) + inv_gb.mul(cg) + inv_bb.mul(cb)) / determinant};
    cv::Mat b = mean_source - a[0].mul(mean_guide[0]) - a[1].mul(mean_guide[1]) - a[2].mul(mean_guide[2]);
    cv::Mat filtered = box_mean(b, radius);
    for (int c = 0; c < 3; ++c) filtered += box_mean(a[c], radius).mul(channel[c]);
    return filtered;
}

}  // namespace certphoto
