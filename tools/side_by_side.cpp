// Side-by-side pictures for the docs: the photo as shot, the person matte fix computed, and the upload fix
// wrote, for the hard cases of background replacement. Not installed; scripts/side-by-side runs it.
#include <iostream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "check.hpp"
#include "fix.hpp"

namespace {

constexpr int panel_height_px = 640;

cv::Mat to_height(const cv::Mat& image, int height) {
    cv::Mat out;
    cv::resize(image, out, cv::Size(cvRound(image.cols * double(height) / image.rows), height), 0, 0, cv::INTER_AREA);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: side-by-side PHOTO OUT.jpg\n";
        return 2;
    }
    using namespace certphoto;
    const Preset preset = find_preset(default_preset_id);
    FixedPhoto fixed = fix_photo(check_file(argv[1], preset), {true});
    if (fixed.jpeg.empty()) {
        std::cerr << argv[1] << ": nothing made\n";
        return 1;
    }
    cv::Mat matte, matte_bgr;
    fixed.matte.convertTo(matte, CV_8U, 255);
    cv::cvtColor(matte, matte_bgr, cv::COLOR_GRAY2BGR);

    cv::Mat output = cv::imdecode(fixed.jpeg, cv::IMREAD_COLOR);
    std::vector<cv::Mat> panels{to_height(fixed.input.analysis->bgr(), panel_height_px), to_height(matte_bgr, panel_height_px),
                                to_height(output, panel_height_px)};
    cv::Mat sheet;
    cv::hconcat(panels, sheet);
    cv::imwrite(argv[2], sheet, {cv::IMWRITE_JPEG_QUALITY, 88});
    std::cout << argv[2] << ": " << fixed.output.report.verdict << "\n";
    return 0;
}
