// The certphoto:* GEGL operations, run by the gegl command with our module path prepended, give what core
// gives for the same photo.
#include <sys/wait.h>

#include <opencv2/imgcodecs.hpp>

#include "check.hpp"
#include "eval/defects.hpp"
#include "fix/relight.hpp"
#include "fix.hpp"
#include "overlay.hpp"
#include "test_support.hpp"

namespace certphoto::test {
namespace {

const Analysis& studio_analysis() {
    static const CheckedPhoto checked = check_file(data_path("london_neutral_021_03.jpg"), graduate_preset());
    return *checked.analysis;
}

// Both sides see the same pixels: the photo as core decoded it, stored losslessly for the gegl command.
std::string studio_png(const TempDir& dir) {
    std::string path = dir.file("in.png");
    cv::imwrite(path, studio_analysis().bgr());
    return path;
}

cv::Mat run_gegl(const std::string& operation, const TempDir& dir, std::string input = "") {
    std::string output = dir.file("out.png");
    if (input.empty()) input = studio_png(dir);
    std::string command = "GEGL_PATH='" + std::string(CERTPHOTO_GEGL_MODULE_DIR) + ":" + CERTPHOTO_GEGL_SYSTEM_DIR +
                          "' gegl -i '" + input + "' -o '" + output + "' -- " + operation +
                          " >'" + dir.file("log") + "' 2>&1";
    int status = std::system(command.c_str());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_bytes(dir.file("log")).size();
    Bytes log = read_bytes(dir.file("log"));
    std::string text(log.begin(), log.end());
    EXPECT_EQ(text.find("certphoto:"), std::string::npos) << "the operation warned: " << text;
    return cv::imread(output, cv::IMREAD_COLOR);
}

double mean_difference(const cv::Mat& a, const cv::Mat& b) {
    cv::Mat diff;
    cv::absdiff(a, b, diff);
    cv::Scalar m = cv::mean(diff);
    return (m[0] + m[1] + m[2]) / 3;
}

TEST(GeglOps, ReplaceBackgroundMatchesCore) {
    TempDir dir;
    cv::Mat gegl = run_gegl("certphoto:replace-background", dir);
    cv::Mat core = replace_background_in_place(studio_analysis(), graduate_preset().background_rgb);
    ASSERT_EQ(gegl.size(), core.size());
    EXPECT_LT(mean_difference(gegl, core), 0.5);
    EXPECT_EQ(gegl.at<cv::Vec3b>(5, 5), cv::Vec3b(255, 197, 100)) << "the preset's light blue, BGR";
}

TEST(GeglOps, ColourAndSoftnessAreProperties) {
    TempDir dir;
    cv::Mat white = run_gegl("certphoto:replace-background color=#ffffff edge-softness=2.0", dir);
    cv::Mat core = replace_background_in_place(studio_analysis(), {255, 255, 255}, 2.0);
    ASSERT_EQ(white.size(), core.size());
    EXPECT_EQ(white.at<cv::Vec3b>(5, 5), cv::Vec3b(255, 255, 255));
    EXPECT_LT(mean_difference(white, core), 0.5);
}

TEST(GeglOps, FrameMatchesCore) {
    TempDir dir;
    cv::Mat gegl = run_gegl("certphoto:frame", dir);
    cv::Mat core = frame_photo(studio_analysis(), studio_analysis().framing()).bgr;
    ASSERT_EQ(gegl.size(), cv::Size(480, 640));
    EXPECT_LT(mean_difference(gegl, core), 0.5);
}

TEST(GeglOps, AnnotateDrawsTheReport) {
    TempDir dir;
    cv::Mat gegl = run_gegl("certphoto:annotate", dir);
    // In GEGL the pixels come from no file: the file rules are left to export, as in core for such pixels.
    DecodedImage pixels;
    pixels.bgr = studio_analysis().bgr();
    Analysis in_editor(pixels, graduate_preset(), FaceLandmarker::shared());
    cv::Mat core = draw_overlay(in_editor, run_rules(in_editor));
    ASSERT_EQ(gegl.size(), core.size());
    EXPECT_LT(mean_difference(gegl, core), 0.5);
    EXPECT_GT(mean_difference(gegl, studio_analysis().bgr()), 1.0) << "something must be drawn";
}

TEST(GeglOps, RelightEvensOneSidedLightAsCoreDoes) {
    TempDir dir;
    const Analysis& studio = studio_analysis();
    Sample s{"studio", studio.bgr().clone(), *studio.face(), studio.person().at_size(studio.size()), 1};
    std::string input = dir.file("one-sided.png");
    cv::imwrite(input, one_sided_light(s, 1.4));
    cv::Mat gegl = run_gegl("certphoto:relight max-stops=1.5", dir, input);

    DecodedImage pixels;
    pixels.bgr = cv::imread(input, cv::IMREAD_COLOR);
    Analysis one_sided(pixels, graduate_preset(), FaceLandmarker::shared());
    ASSERT_NE(one_sided.face(), nullptr);
    cv::Mat core = apply_relight(pixels.bgr, one_sided.person().at_size(one_sided.size()), plan_relight(one_sided, 1.0, 1.5));
    ASSERT_EQ(gegl.size(), core.size());
    EXPECT_LT(mean_difference(gegl, core), 0.5);

    DecodedImage relit;
    relit.bgr = gegl;
    Analysis after(relit, graduate_preset(), FaceLandmarker::shared());
    ASSERT_NE(after.face(), nullptr);
    EXPECT_GT(std::abs(one_sided.lighting().cheek_difference_stops()), 1.0);
    EXPECT_LT(std::abs(after.lighting().cheek_difference_stops()), 0.4);
}

}  // namespace
}  // namespace certphoto::test
