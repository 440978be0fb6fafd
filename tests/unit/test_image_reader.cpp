// Reading every accepted layout into 8-bit sRGB, and refusing what cannot be read, with bilingual errors.
#include <csetjmp>
#include <cstdio>
#include <cstdlib>

#include <jpeglib.h>
#include <lcms2.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "color_management.hpp"
#include "error.hpp"
#include "jpeg_writer.hpp"
#include "image_fixtures.hpp"
#include "test_support.hpp"

namespace certphoto::test {
namespace {

double mean_abs_difference(const cv::Mat& a, const cv::Mat& b) {
    cv::Mat diff;
    cv::absdiff(a, b, diff);
    cv::Scalar m = cv::mean(diff);
    return (m[0] + m[1] + m[2]) / 3;
}

Message error_of(const Bytes& bytes) {
    try {
        decode_image(bytes, graduate_preset().input);
    } catch (const Error& e) {
        return e.message();
    }
    ADD_FAILURE() << "no error raised";
    return {};
}

TEST(ImageReader, ReadsAStudioJpegAsSrgb) {
    DecodedImage image = read_image_file(data_path("london_neutral_021_03.jpg"), graduate_preset().input);
    EXPECT_EQ(image.bgr.type(), CV_8UC3);
    EXPECT_EQ(image.info.width, 1350);
    EXPECT_EQ(image.info.height, 1350);
    EXPECT_EQ(image.info.format, "jpeg");
    EXPECT_FALSE(image.info.icc_description.has_value());
}

TEST(ImageReader, SixteenBitPngMatchesTheEightBitOriginal) {
    cv::Mat sixteen;
    sample_photo().convertTo(sixteen, CV_16UC3, 257.0);
    DecodedImage image = decode_image(encode(".png", sixteen), graduate_preset().input);
    EXPECT_EQ(image.info.bits_per_sample, 16);
    EXPECT_LT(mean_abs_difference(image.bgr, sample_photo()), 0.01);
}

TEST(ImageReader, SixteenBitTiffIsRead) {
    cv::Mat sixteen;
    sample_photo().convertTo(sixteen, CV_16UC3, 257.0);
    DecodedImage image = decode_image(encode(".tiff", sixteen), graduate_preset().input);
    EXPECT_EQ(image.info.format, "tiff");
    EXPECT_EQ(image.info.bits_per_sample, 16);
    EXPECT_LT(mean_abs_difference(image.bgr, sample_photo()), 0.01);
}

TEST(ImageReader, TiffOverThePixelLimitIsRefusedFromItsHeader) {
    Bytes tiff = encode(".tiff", sample_photo());
    InputLimits small{double(sample_photo().total() - 1), 1e9, 1};
    try {
        decode_image(tiff, small);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::unsupported_input);
    }
}

TEST(ImageReader, GreyJpegBecomesThreeEqualChannels) {
    cv::Mat grey;
    cv::cvtColor(sample_photo(), grey, cv::COLOR_BGR2GRAY);
    DecodedImage image = decode_image(encode(".jpg", grey), graduate_preset().input);
    EXPECT_EQ(image.info.colour_model, "grey");
    std::vector<cv::Mat> planes;
    cv::split(image.bgr, planes);
    EXPECT_EQ(cv::norm(planes[0], planes[2], cv::NORM_INF), 0);
}

TEST(ImageReader, TransparentPngIsShownOverWhite) {
    cv::Mat bgra;
    cv::cvtColor(sample_photo(), bgra, cv::COLOR_BGR2BGRA);
    bgra(cv::Rect(0, 0, 20, 20)).setTo(cv::Scalar(0, 0, 0, 0));
    DecodedImage image = decode_image(encode(".png", bgra), graduate_preset().input);
    EXPECT_EQ(image.info.colour_model, "rgb+alpha");
    EXPECT_EQ(image.bgr.at<cv::Vec3b>(5, 5), cv::Vec3b(255, 255, 255));
    EXPECT_EQ(image.bgr.at<cv::Vec3b>(100, 100), sample_photo().at<cv::Vec3b>(100, 100));
}

TEST(ImageReader, AdobeCmykJpegIsConverted) {
    DecodedImage image = decode_image(cmyk_jpeg(sample_photo()), graduate_preset().input);
    EXPECT_EQ(image.info.colour_model, "cmyk");
    EXPECT_LT(mean_abs_difference(image.bgr, sample_photo()), 6.0);
}

TEST(ImageReader, AppliesEveryExifOrientation) {
    cv::Mat rgb;
    cv::cvtColor(sample_photo(), rgb, cv::COLOR_BGR2RGB);
    const cv::Mat& original = sample_photo();
    for (int orientation = 1; orientation <= 8; ++orientation) {
        Bytes jpeg = write_jpeg(rgb, JCS_RGB, {{JPEG_APP0 + 1, exif_with_orientation(orientation)}});
        DecodedImage image = decode_image(jpeg, graduate_preset().input);
        EXPECT_EQ(image.info.exif_orientation, orientation);
        bool swaps = orientation >= 5;
        EXPECT_EQ(image.bgr.cols, swaps ? original.rows : original.cols) << orientation;
        // Undoing the stored transform gives the photo back: the camera's view is upright.
        cv::Mat upright = apply_exif_orientation(original, orientation);
        EXPECT_LT(mean_abs_difference(image.bgr, upright), 3.0) << orientation;
    }
}

// A JPEG decoded reduced (libjpeg's DCT scaling) gives back any rectangle of its own pixels at full
// resolution, in the upright picture's coordinates whatever the stored orientation.
TEST(ImageReader, ReducedJpegGivesItsOwnPixelsBackAtFullResolution) {
    cv::Mat rgb;
    cv::cvtColor(sample_photo(), rgb, cv::COLOR_BGR2RGB);
    for (int orientation = 1; orientation <= 8; ++orientation) {
        Bytes jpeg = write_jpeg(rgb, JCS_RGB, {{JPEG_APP0 + 1, exif_with_orientation(orientation)}});
        DecodedImage whole = decode_image(jpeg, graduate_preset().input);
        DecodedImage quarter = decode_image(jpeg, graduate_preset().input, 2);
        EXPECT_EQ(whole.scale, 1.0);
        EXPECT_FALSE(whole.file_region);
        EXPECT_EQ(quarter.scale, 0.25);
        EXPECT_EQ(quarter.info.width, whole.bgr.cols) << orientation;
        EXPECT_EQ(quarter.info.height, whole.bgr.rows) << orientation;
        EXPECT_NEAR(quarter.bgr.cols, whole.bgr.cols / 4.0, 1.0) << orientation;
        ASSERT_TRUE(quarter.file_region);
        // Off the 8-pixel block grid, away from the middle, so a wrong orientation mapping shows.
        cv::Rect region(whole.bgr.cols / 5 + 3, whole.bgr.rows / 7 + 5, whole.bgr.cols / 3, whole.bgr.rows / 4);
        cv::Mat part = quarter.file_region(region);
        ASSERT_EQ(part.size(), region.size()) << orientation;
        cv::Mat diff;
        cv::absdiff(part, whole.bgr(region), diff);
        double max_diff = 0;
        cv::minMaxLoc(diff.reshape(1), nullptr, &max_diff);
        EXPECT_LE(max_diff, 2.0) << orientation;  // chroma upsampling at the region's edge may differ a little
        EXPECT_LT(mean_abs_difference(part, whole.bgr(region)), 0.05) << orientation;
    }
}

TEST(ImageReader, WideGamutProfileIsConvertedToSrgb) {
    // A real conversion: pixels stored in a wide-gamut (BT.2020 primaries) profile must change to reach sRGB.
    cmsCIExyY white{0.3127, 0.3290, 1.0};
    cmsCIExyYTRIPLE primaries{{0.708, 0.292, 1.0}, {0.170, 0.797, 1.0}, {0.131, 0.046, 1.0}};
    cmsToneCurve* gamma = cmsBuildGamma(nullptr, 2.2);
    cmsToneCurve* curves[3] = {gamma, gamma, gamma};
    cmsHPROFILE wide = cmsCreateRGBProfile(&white, &primaries, curves);
    cmsUInt32Number size = 0;
    cmsSaveProfileToMem(wide, nullptr, &size);
    Bytes icc(size);
    cmsSaveProfileToMem(wide, icc.data(), &size);
    cmsFreeToneCurve(gamma);
    cmsCloseProfile(wide);

    cv::Mat patch(16, 16, CV_8UC3, cv::Scalar(40, 160, 60));  // a saturated green, BGR
    cv::Mat rgb;
    cv::cvtColor(patch, rgb, cv::COLOR_BGR2RGB);
    Bytes app2 = {'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0, 1, 1};
    app2.insert(app2.end(), icc.begin(), icc.end());
    DecodedImage image = decode_image(write_jpeg(rgb, JCS_RGB, {{JPEG_APP0 + 2, app2}}), graduate_preset().input);
    ASSERT_TRUE(image.info.icc_description.has_value());
    cv::Vec3b converted = image.bgr.at<cv::Vec3b>(8, 8);
    // The same numbers mean a more saturated green in BT.2020: in sRGB, green rises and red falls to zero.
    EXPECT_GT(converted[1], 160 + 5);
    EXPECT_LT(converted[2], 20);
    EXPECT_EQ(*image.info.icc_description, icc_description(icc).value());
}

TEST(ImageReader, RefusesDamagedIccProfile) {
    cv::Mat rgb;
    cv::cvtColor(sample_photo(), rgb, cv::COLOR_BGR2RGB);
    Bytes app2 = {'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0, 1, 1};
    for (int i = 0; i < 300; ++i) app2.push_back(static_cast<uint8_t>(i * 7));
    Message m = error_of(write_jpeg(rgb, JCS_RGB, {{JPEG_APP0 + 2, app2}}));
    EXPECT_NE(m.en.find("ICC"), std::string::npos);
    EXPECT_NE(m.zh.find("色彩配置文件"), std::string::npos);
}

TEST(ImageReader, RefusesTruncatedJpeg) {
    Bytes jpeg = read_bytes(data_path("london_neutral_021_03.jpg"));
    jpeg.resize(jpeg.size() / 2);
    Message m = error_of(jpeg);
    EXPECT_NE(m.en.find("truncated"), std::string::npos);
    EXPECT_NE(m.zh.find("损坏"), std::string::npos);
    EXPECT_TRUE(reads_in_chinese(m.zh)) << m.zh;  // the reason too, not only the heading
}

TEST(ImageReader, RefusesTextRenamedAsJpeg) {
    std::string text = "this is not a photo\n";
    Message m = error_of(Bytes(text.begin(), text.end()));
    EXPECT_NE(m.en.find("Not an image"), std::string::npos);
    EXPECT_NE(m.zh.find("不是图像文件"), std::string::npos);
}

// A photo in a format that is not read says which format it is and to export it as JPEG, not "not an image":
// a real photo saved as WebP, and a phone's HEIC (its file-type box; no HEIC encoder is at hand).
TEST(ImageReader, NamesTheFormatOfAPhotoItDoesNotRead) {
    Bytes webp;
    ASSERT_TRUE(cv::imencode(".webp", cv::imread(data_path("london_neutral_021_03.jpg")), webp));
    const Message m = error_of(webp);
    EXPECT_NE(m.en.find("WebP files are not read"), std::string::npos) << m.en;
    EXPECT_NE(m.en.find("as JPEG"), std::string::npos) << m.en;
    EXPECT_NE(m.zh.find("不支持 WebP 格式"), std::string::npos) << m.zh;
    EXPECT_TRUE(latin_words(m.zh, {"WebP", "JPEG", "PNG", "TIFF"}, 1).empty()) << m.zh;
    const std::string heic_start = std::string("\0\0\0\x18", 4) + "ftypheic" + std::string(4, '\0') + "mif1heic";
    Bytes heic(heic_start.begin(), heic_start.end());
    heic.resize(4096, 0);
    EXPECT_NE(error_of(heic).zh.find("不支持 HEIC/HEIF 格式"), std::string::npos);
}

TEST(ImageReader, RefusesDecompressionBombBeforeDecoding) {
    // A PNG header claiming 60000 x 60000 pixels: refused from the header alone.
    Bytes png = encode(".png", sample_photo());
    auto put32 = [&](std::size_t at, uint32_t v) {
        for (int i = 0; i < 4; ++i) png[at + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
    };
    put32(16, 60000);
    put32(20, 60000);
    Message m = error_of(png);
    EXPECT_NE(m.en.find("too large"), std::string::npos);
    EXPECT_NE(m.zh.find("过大"), std::string::npos);
}

TEST(ImageReader, RefusesEmptyAndMissingFiles) {
    TempDir dir;
    write_bytes(dir.file("empty.jpg"), {});
    for (const std::string& path : {dir.file("empty.jpg"), dir.file("missing.jpg")}) {
        try {
            read_image_file(path, graduate_preset().input);
            ADD_FAILURE() << path;
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::unreadable_input);
            EXPECT_FALSE(e.message().zh.empty());
        }
    }
}

}  // namespace
}  // namespace certphoto::test
