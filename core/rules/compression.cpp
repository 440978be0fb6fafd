// Compression: JPEG blocking. In the flat parts of a photo (sky-smooth wall, cheeks) a strongly compressed JPEG
// shows steps exactly at the 8-pixel block borders. Where both neighbouring steps are flat, a step across the
// border is counted per phase of the 8-pixel grid; the strongest phase against the others finds the grid
// wherever a crop left it. Studio JPEGs as shot measure 1-4; quality 15 and below 10 and more.
#include <numeric>

#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

constexpr int block_px = 8;
// Grey-level steps: at most this is flat, at least this across a border is a visible step.
constexpr int flat_step = 1;
constexpr int visible_step = 1;

// For each phase of x modulo 8: the share of flat-surrounded places with a step there.
double blocking(const cv::Mat& grey) {
    std::array<double, block_px> steps{}, flats{};
    for (int y = 0; y < grey.rows; ++y) {
        const uchar* row = grey.ptr<uchar>(y);
        for (int x = 1; x + 2 < grey.cols; ++x) {
            int before = std::abs(row[x] - row[x - 1]), across = std::abs(row[x + 1] - row[x]), after = std::abs(row[x + 2] - row[x + 1]);
            if (before > flat_step || after > flat_step) continue;
            int phase = (x + 1) % block_px;
            flats[phase] += 1;
            if (across >= visible_step) steps[phase] += 1;
        }
    }
    std::array<double, block_px> rate{};
    for (int i = 0; i < block_px; ++i) rate[i] = steps[i] / std::max(1.0, flats[i]);
    auto strongest = std::max_element(rate.begin(), rate.end());
    double others = (std::accumulate(rate.begin(), rate.end(), 0.0) - *strongest) / (block_px - 1);
    return *strongest / std::max(others, 1e-3);
}

}  // namespace

Finding check_compression(const Analysis& a, const RuleConfig& config) {
    const cv::Mat& grey = a.grey();
    cv::Mat transposed;
    cv::transpose(grey, transposed);
    double ratio = std::max(blocking(grey), blocking(transposed));
    double maximum = config.number("max_blocking_ratio");
    Finding f = measured("compression", std::round(ratio * 1000) / 1000, maximum, "steps at the block grid / elsewhere, in flat areas", false);
    if (ratio > maximum) f.regions = {cv::Rect(cv::Point(), a.size())};
    return conclude(f, ratio <= maximum, config, {"No visible compression artefacts", "无明显压缩痕迹"},
                    {"Compression blocks are visible: use the camera's original file, not a re-saved or messaged copy",
                     "有明显压缩块痕迹：请使用相机原始文件，而非多次保存或聊天软件传输的副本"});
}

}  // namespace certphoto
