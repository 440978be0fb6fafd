// fix on real photos: the output meets the preset (checked independently), only allowed edits are made,
// and what cannot be made is refused with nothing written.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "check.hpp"
#include "face_detail.hpp"
#include "fix.hpp"
#include "jpeg_writer.hpp"
#include "output_verification.hpp"

namespace certphoto::test {
namespace {

const Edit* edit(const FixedPhoto& f, const std::string& operation) {
    for (const auto& e : f.edits)
        if (e.operation == operation) return &e;
    return nullptr;
}

cv::Matx23d audited_affine(const Edit& frame) {
    const auto& a = frame.parameters.at("affine");
    return {a[0], a[1], a[2], a[3], a[4], a[5]};
}

FixedPhoto fix_bytes(const Bytes& bytes, const std::string& name) {
    return fix_photo(check_image(decode_image(bytes, graduate_preset().input), name, graduate_preset()), {});
}

TEST(Fix, StudioPhotoBecomesACompliantUpload) {
    FixedPhoto fixed = fix_photo(check_file(data_path("london_neutral_021_03.jpg"), graduate_preset()), {});
    ASSERT_FALSE(fixed.jpeg.empty()) << (fixed.refusal ? fixed.refusal->en : "");
    EXPECT_EQ(fixed.output.report.verdict, "pass");
    TempDir dir;
    write_bytes(dir.file("out.jpg"), fixed.jpeg);
    expect_compliant_graduate_output(dir.file("out.jpg"), "london_neutral_021_03");
    for (const char* op : {"frame", "replace-background", "encode-jpeg", "colour"})
        EXPECT_NE(edit(fixed, op), nullptr) << op << " missing from the edit audit";
}

TEST(Fix, TheFaceKeepsItsOwnDetail) {
    cv::Mat input = cv::imread(data_path("london_neutral_042_03.jpg"));
    FixedPhoto fixed = fix_photo(check_file(data_path("london_neutral_042_03.jpg"), graduate_preset()), {});
    ASSERT_FALSE(fixed.jpeg.empty());
    cv::Mat output = cv::imdecode(fixed.jpeg, cv::IMREAD_COLOR);
    const Edit* frame = edit(fixed, "frame");
    ASSERT_NE(frame, nullptr);
    double scale = frame->parameters.at("scale");
    FaceDetailComparison same = compare_face_detail(input, output, audited_affine(*frame), scale);
    EXPECT_GT(same.correlation, 0.97);
    EXPECT_GT(same.energy_ratio, 0.95);
    EXPECT_LT(same.energy_ratio, 1.05);

    // The comparison sees beautification: light skin smoothing of the same output fails it.
    cv::Mat smoothed;
    cv::bilateralFilter(output, smoothed, 7, 30, 5);
    FaceDetailComparison beautified = compare_face_detail(input, smoothed, audited_affine(*frame), scale);
    EXPECT_TRUE(beautified.energy_ratio < 0.95 && beautified.correlation < 0.97)
        << "ratio " << beautified.energy_ratio << " correlation " << beautified.correlation;
}

TEST(Fix, LevelsASmallTilt) {
    cv::Mat photo = cv::imread(data_path("london_neutral_021_03.jpg")), tilted;
    cv::Matx23d rotation = cv::getRotationMatrix2D(cv::Point2f(675, 600), 6.0, 1.0);
    cv::warpAffine(photo, tilted, rotation, photo.size(), cv::INTER_CUBIC, cv::BORDER_REPLICATE);
    FixedPhoto fixed = fix_bytes(encode_jpeg(tilted, 95, 72), "tilted.jpg");
    ASSERT_TRUE(fixed.input.report.face.has_value());
    EXPECT_GT(std::abs(fixed.input.report.face->pose.roll_deg), 4.5);
    ASSERT_FALSE(fixed.jpeg.empty()) << (fixed.refusal ? fixed.refusal->en : "");
    ASSERT_TRUE(fixed.output.report.face.has_value());
    EXPECT_LT(std::abs(fixed.output.report.face->pose.roll_deg), 1.5);
}

TEST(Fix, RefusesAShotCutAtTheChin) {
    cv::Mat photo = cv::imread(data_path("london_neutral_021_03.jpg"));
    // The same studio shot, cut just under the chin: no shoulders to frame.
    CheckedPhoto original = check_file(data_path("london_neutral_021_03.jpg"), graduate_preset());
    ASSERT_TRUE(original.report.face.has_value());
    int chin_y = cvRound(original.report.face->landmarks.points[8].y);
    cv::Mat tight = photo(cv::Rect(0, 0, photo.cols, chin_y + photo.rows / 50)).clone();
    FixedPhoto fixed = fix_bytes(encode_jpeg(tight, 95, 72), "tight.jpg");
    EXPECT_TRUE(fixed.jpeg.empty());
    ASSERT_TRUE(fixed.refusal.has_value());
    EXPECT_NE(fixed.refusal->zh.find("重拍"), std::string::npos);
    EXPECT_TRUE(fixed.input.report.failed_unfixable());
}

TEST(Fix, RefusesABlurredPhotoAndWritesNothing) {
    FixedPhoto fixed = fix_photo(check_file(data_path("meds_S013-01-t10_01.jpg"), graduate_preset()), {});
    EXPECT_TRUE(fixed.jpeg.empty());
    ASSERT_TRUE(fixed.refusal.has_value());
    EXPECT_NE(fixed.refusal->en.find("sharpness"), std::string::npos);
}

TEST(Fix, ForceWritesAndStillListsTheFailures) {
    FixedPhoto fixed = fix_photo(check_file(data_path("meds_S013-01-t10_01.jpg"), graduate_preset()), {true});
    EXPECT_FALSE(fixed.jpeg.empty());
    EXPECT_EQ(fixed.output.report.verdict, "fail");
    auto ids = fixed.output.report.failing_rule_ids();
    EXPECT_NE(std::find(ids.begin(), ids.end(), "sharpness"), ids.end());
}

TEST(Fix, UploadPresetWritesALarger34Jpeg) {
    Preset upload = find_preset("chsi-upload");
    FixedPhoto fixed = fix_photo(check_file(data_path("london_neutral_021_03.jpg"), upload), {});
    ASSERT_FALSE(fixed.jpeg.empty()) << (fixed.refusal ? fixed.refusal->en : "");
    cv::Mat out = cv::imdecode(fixed.jpeg, cv::IMREAD_COLOR);
    EXPECT_EQ(out.cols * 4, out.rows * 3);
    EXPECT_GT(out.cols, 480);
    EXPECT_LE(out.cols, 1350);
    EXPECT_GE(fixed.jpeg.size(), 51200u);
    EXPECT_LE(fixed.jpeg.size(), 1000000u);
    EXPECT_EQ(fixed.output.report.verdict, "pass");
}

}  // namespace
}  // namespace certphoto::test
