// Compression: JPEG blocking. In the flat parts of a photo (sky-smooth wall, cheeks) a strongly compressed JPEG
// shows steps exactly at the 8-pixel block borders. Where both neighbouring steps are flat, a step across the
// border is counted per phase of the 8-pixel grid; the strongest phase against the others finds the grid
// wherever a crop left it. Studio JPEGs as shot measure 1-4; quality 15 and below 10 and more.
#include <cmath>
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

// Places read per direction: every one up to this many pixels, then evenly spread rows (for steps along
// them) and columns (for steps down them); the rates are shares, and a camera original has millions.
constexpr double max_pixels_read = 3e6;

struct PhaseCounts {
    std::array<double, block_px> steps{};
    std::array<double, block_px> flats{};

    // A step of `across` between two flat neighbourhoods (`before`, `after`) at grid phase `phase`.
    void add(int before, int across, int after, int phase) {
        if (before > flat_step || after > flat_step) return;
        flats[phase] += 1;
        if (across >= visible_step) steps[phase] += 1;
    }

    // The strongest phase's step rate against the others'.
    double ratio() const {
        std::array<double, block_px> rate{};
        for (int i = 0; i < block_px; ++i) rate[i] = steps[i] / std::max(1.0, flats[i]);
        auto strongest = std::max_element(rate.begin(), rate.end());
        double others = (std::accumulate(rate.begin(), rate.end(), 0.0) - *strongest) / (block_px - 1);
        return *strongest / std::max(others, 1e-3);
    }
};

// Steps along the rows, by phase of x modulo 8.
double blocking_across_columns(const cv::Mat& grey, int row_step) {
    PhaseCounts counts;
    for (int y = 0; y < grey.rows; y += row_step) {
        const uchar* row = grey.ptr<uchar>(y);
        for (int x = 1; x + 2 < grey.cols; ++x)
            counts.add(std::abs(row[x] - row[x - 1]), std::abs(row[x + 1] - row[x]), std::abs(row[x + 2] - row[x + 1]), (x + 1) % block_px);
    }
    return counts.ratio();
}

// Steps down the columns, by phase of y modulo 8.
double blocking_across_rows(const cv::Mat& grey, int column_step) {
    PhaseCounts counts;
    for (int y = 1; y + 2 < grey.rows; ++y) {
        const uchar *above = grey.ptr<uchar>(y - 1), *row = grey.ptr<uchar>(y), *below = grey.ptr<uchar>(y + 1),
                    *further = grey.ptr<uchar>(y + 2);
        for (int x = 0; x < grey.cols; x += column_step)
            counts.add(std::abs(row[x] - above[x]), std::abs(below[x] - row[x]), std::abs(further[x] - below[x]), (y + 1) % block_px);
    }
    return counts.ratio();
}

// A photo decoded reduced has no block grid left: the file's own pixels around the head are read instead,
// the face and the wall beside and above it, where the flat areas are.
cv::Mat grey_at_file_resolution(const Analysis& a) {
    if (a.scale() == 1) return a.grey();
    cv::Mat grey;
    cv::cvtColor(a.file_pixels(a.around_head_file_box()), grey, cv::COLOR_BGR2GRAY);
    return grey;
}

}  // namespace

Finding check_compression(const Analysis& a, const RuleConfig& config) {
    cv::Mat grey = grey_at_file_resolution(a);
    int step = std::max(1, static_cast<int>(std::ceil(grey.total() / max_pixels_read)));
    double ratio = std::max(blocking_across_columns(grey, step), blocking_across_rows(grey, step));
    double maximum = config.number("max_blocking_ratio");
    Finding f = measured("compression", std::round(ratio * 1000) / 1000, maximum, "steps at the block grid / elsewhere, in flat areas", false);
    if (ratio > maximum) f.regions = {cv::Rect(cv::Point(), a.size())};
    return conclude(f, ratio <= maximum, config, {"No visible compression artefacts", "无明显压缩痕迹"},
                    {"Compression blocks are visible: use the camera's original file, not a re-saved or messaged copy",
                     "有明显压缩块痕迹：请使用相机原始文件，而非多次保存或聊天软件传输的副本"});
}

}  // namespace certphoto
