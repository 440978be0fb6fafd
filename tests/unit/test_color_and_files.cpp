// Colour arithmetic, atomic writes and the JPEG the upload gets.
#include <ctime>

#include <lcms2.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "atomic_file.hpp"
#include "color.hpp"
#include "color_management.hpp"
#include "error.hpp"
#include "jpeg_writer.hpp"
#include "test_support.hpp"
#include "text.hpp"

namespace certphoto::test {
namespace {

TEST(Color, Ciede2000MatchesSharmasReferencePairs) {
    // Sharma, Wu, Dalal (2005), table 1, pairs 1, 7 and 17.
    EXPECT_NEAR(delta_e_2000({50, 2.6772, -79.7751}, {50, 0, -82.7485}), 2.0425, 1e-4);
    EXPECT_NEAR(delta_e_2000({50, 0, 0}, {50, -1, 2}), 2.3669, 1e-4);
    EXPECT_NEAR(delta_e_2000({50, 2.5, 0}, {73, 25, -18}), 27.1492, 1e-4);
}

TEST(Color, LabOfThePresetBlue) {
    cv::Vec3d lab = rgb_to_lab({100, 197, 255});
    EXPECT_NEAR(lab[0], 76.0, 1.5);  // a light blue
    EXPECT_LT(lab[2], -30);
}

TEST(Color, LabOfReferenceColoursAndOfAPhotoAgreesWithOpenCv) {
    // sRGB white, black and the primaries (D65; Lindbloom's calculator).
    auto near = [](cv::Vec3d lab, cv::Vec3d expected) { return cv::norm(lab - expected) < 0.05; };
    EXPECT_TRUE(near(rgb_to_lab({255, 255, 255}), {100, 0, 0}));
    EXPECT_TRUE(near(rgb_to_lab({0, 0, 0}), {0, 0, 0}));
    EXPECT_TRUE(near(rgb_to_lab({255, 0, 0}), {53.24, 80.09, 67.20})) << rgb_to_lab({255, 0, 0});
    EXPECT_TRUE(near(rgb_to_lab({0, 255, 0}), {87.73, -86.18, 83.18})) << rgb_to_lab({0, 255, 0});
    EXPECT_TRUE(near(rgb_to_lab({0, 0, 255}), {32.30, 79.19, -107.86})) << rgb_to_lab({0, 0, 255});
    // OpenCV's own float conversion interpolates a table: within half a unit of the exact values.
    cv::Mat photo = cv::imread(data_path("london_neutral_042_03.jpg")), f, reference;
    photo.convertTo(f, CV_32FC3, 1.0 / 255);
    cv::cvtColor(f, reference, cv::COLOR_BGR2Lab);
    cv::Mat diff;
    cv::absdiff(to_lab(photo), reference, diff);
    double most = 0;
    cv::minMaxLoc(diff.reshape(1), nullptr, &most);
    EXPECT_LT(most, 0.5);
}

// CIE76 over all three coordinates, and in a*b* alone (a dark skin and black hair differ less in all three than
// in hue and chroma): 3-4-12 and 3-4 triangles.
TEST(Color, DistancesInLabAndInItsChromaticityPlane) {
    const cv::Mat lab(1, 2, CV_32FC3, cv::Scalar(22, 3, 4));
    EXPECT_FLOAT_EQ(lab_distance(lab, cv::Vec3d(10, 0, 0)).at<float>(0, 1), 13.0f);
    EXPECT_FLOAT_EQ(chromaticity_distance(lab, cv::Vec3d(10, 0, 0)).at<float>(0, 1), 5.0f);
}

TEST(Color, SmoothedMeanOnAReducedCopyAgreesWithTheWholePicture) {
    // The wall's lightness around a person, smoothed over a third of a face: as the wall-shadow search uses it.
    cv::Mat photo = cv::imread(data_path("london_neutral_042_03.jpg")), small;
    cv::resize(photo, small, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
    cv::Mat light = lightness(small), wall;
    cv::Mat grey_wall = light > 60;  // the light wall, not the dark-skinned subject
    grey_wall.convertTo(wall, CV_32F, 1.0 / 255);
    const double sigma = 38.5;
    cv::Mat sum, norm;
    cv::GaussianBlur(light.mul(wall), sum, cv::Size(), sigma);
    cv::GaussianBlur(wall, norm, cv::Size(), sigma);
    cv::Mat exact = sum / cv::max(norm, 1e-4);
    cv::Mat reduced = smoothed_mean(light, wall, sigma);
    ASSERT_EQ(reduced.size(), light.size());
    cv::Mat where_weighed = norm > 0.05, difference;
    cv::absdiff(reduced, exact, difference);
    double worst = 0;
    cv::minMaxLoc(difference, nullptr, &worst, nullptr, nullptr, where_weighed);
    EXPECT_LT(worst, 0.25);  // L*: a twentieth of the depth that makes a shadow (0.11 measured)
    EXPECT_GT(cv::mean(light, grey_wall)[0] - cv::mean(light, ~grey_wall)[0], 20);  // a real contrast to smooth
}

TEST(AtomicFile, WritesWholeFilesAndNeverAnInput) {
    TempDir dir;
    Bytes data(1000, 7);
    write_file_atomically(dir.file("out.bin"), data, {});
    EXPECT_EQ(read_bytes(dir.file("out.bin")), data);
    EXPECT_THROW(write_file_atomically(dir.file("out.bin"), {1, 2}, {}), Error);  // exists, no replace
    write_file_atomically(dir.file("out.bin"), {1, 2}, {true, {}});
    EXPECT_EQ(read_bytes(dir.file("out.bin")), (Bytes{1, 2}));
    // An input is protected even when replacing is allowed.
    EXPECT_THROW(write_file_atomically(dir.file("out.bin"), {3}, {true, {dir.file("out.bin")}}), Error);
    EXPECT_EQ(read_bytes(dir.file("out.bin")), (Bytes{1, 2}));
    std::size_t entries = std::distance(std::filesystem::directory_iterator(dir.path()), {});
    EXPECT_EQ(entries, 1u) << "no temporary file is left behind";
}

TEST(AtomicFile, ReportsAMissingFolderBilingually) {
    TempDir dir;
    try {
        write_file_atomically(dir.file("no/such/folder/out.jpg"), {1}, {});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::write_failed);
        EXPECT_NE(e.message().zh.find("无法写入"), std::string::npos);
    }
}

// The CLI's -o and --overlay and the plug-in's export name the file by the format written.
TEST(AtomicFile, AFileNamedForAnotherFormatIsAUsageError) {
    EXPECT_NO_THROW(require_extension("/tmp/upload.jpg", "-o", "JPEG", {".jpg", ".jpeg"}));
    EXPECT_NO_THROW(require_extension("/tmp/UPLOAD.JPEG", "-o", "JPEG", {".jpg", ".jpeg"}));
    for (const char* wrong : {"/tmp/upload.png", "/tmp/upload", "/tmp/upload.jpg.txt"}) {
        try {
            require_extension(wrong, "Export", "JPEG", {".jpg", ".jpeg"});
            ADD_FAILURE() << wrong << " was accepted";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::usage);
            EXPECT_NE(e.message().en.find(".jpg or .jpeg"), std::string::npos) << e.message().en;
            EXPECT_NE(e.message().zh.find("结尾"), std::string::npos) << e.message().zh;
        }
    }
}

// File names as a zip made on a Chinese Windows stores them are GBK bytes, not UTF-8: reports show them in
// Chinese; bytes that are neither show as U+FFFD; UTF-8 is left as it is.
TEST(Text, FileNamesBecomeUtf8ForReports) {
    EXPECT_EQ(as_utf8("/学校/张三.jpg"), "/学校/张三.jpg");
    EXPECT_EQ(as_utf8("/in/\xD5\xC5\xC8\xFD.jpg"), "/in/张三.jpg");  // 张三 in GBK
    EXPECT_EQ(as_utf8("a\xFF\xFE.jpg"), "a\xEF\xBF\xBD\xEF\xBF\xBD.jpg");
    EXPECT_TRUE(is_utf8(as_utf8("\xC0\xAF\xED\xA0\x80")));  // an overlong '/' and a surrogate are not UTF-8
    EXPECT_FALSE(is_utf8("\xC0\xAF"));
}

TEST(JpegWriter, EmbedsSrgbAndDensityAndNothingElse) {
    cv::Mat photo = cv::imread(data_path("london_neutral_002_03.jpg"));
    cv::Mat small;
    cv::resize(photo, small, cv::Size(480, 480));
    Bytes jpeg = encode_jpeg(small, 90, 300);
    DecodedImage decoded = decode_image(jpeg, graduate_preset().input);
    ASSERT_TRUE(decoded.info.icc_description.has_value());
    EXPECT_EQ(*decoded.info.icc_description, "sRGB IEC61966-2.1");
    // JFIF APP0 right after SOI: units 1 (dpi), 300 x 300.
    ASSERT_EQ(jpeg[2], 0xFF);
    ASSERT_EQ(jpeg[3], 0xE0);
    EXPECT_EQ(jpeg[13], 1);
    EXPECT_EQ(jpeg[14] << 8 | jpeg[15], 300);
    EXPECT_EQ(jpeg[16] << 8 | jpeg[17], 300);
    // No EXIF (APP1), so no GPS, maker notes or thumbnails.
    for (std::size_t i = 2; i + 1 < jpeg.size() && !(jpeg[i] == 0xFF && jpeg[i + 1] == 0xDA);) {
        ASSERT_EQ(jpeg[i], 0xFF);
        EXPECT_NE(jpeg[i + 1], 0xE1) << "EXIF segment found";
        i += 2 + (jpeg[i + 2] << 8 | jpeg[i + 3]);
    }
}

TEST(JpegWriter, TheEmbeddedProfileSaysNothingOfWhenThePhotoWasProcessed) {
    // lcms dates a new profile with the time it is made; ours carries a fixed date, so a re-run of the same
    // photo writes the same bytes, and an upload does not tell when it was fixed.
    const std::vector<std::uint8_t>& icc = srgb_profile_bytes();
    cmsHPROFILE profile = cmsOpenProfileFromMem(icc.data(), static_cast<cmsUInt32Number>(icc.size()));
    ASSERT_NE(profile, nullptr);
    std::tm created{};
    EXPECT_TRUE(cmsGetHeaderCreationDateTime(profile, &created));
    cmsCloseProfile(profile);
    EXPECT_EQ(created.tm_year + 1900, 2017);
    EXPECT_EQ(created.tm_mon, 0);
    EXPECT_EQ(created.tm_mday, 1);
    EXPECT_EQ(created.tm_hour * 3600 + created.tm_min * 60 + created.tm_sec, 0);
}

TEST(JpegWriter, ChoosesTheHighestQualityThatFits) {
    cv::Mat photo = cv::imread(data_path("london_neutral_002_03.jpg"));
    cv::Mat small;
    cv::resize(photo, small, cv::Size(480, 640));
    OutputSpec spec = graduate_preset().output;
    spec.file_bytes = {20 * 1024, 60 * 1024};  // tighter than the preset, to force a choice
    EncodedJpeg jpeg = encode_for_preset(small, spec);
    EXPECT_LE(jpeg.bytes.size(), 60 * 1024u);
    EXPECT_GT(encode_jpeg(small, jpeg.quality + 1, 300).size(), 60 * 1024u);
    spec.file_bytes = {1, 2000};  // impossible even at the lowest quality
    EXPECT_THROW(encode_for_preset(small, spec), Error);
}

}  // namespace
}  // namespace certphoto::test
