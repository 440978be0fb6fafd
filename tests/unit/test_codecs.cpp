// Our own PNG and TIFF readers, PNG writer and guided filter (they replace OpenCV's imgcodecs and ximgproc,
// whose libraries cost 0.13 s of every process start) against OpenCV's own, on a real photo.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/ximgproc/edge_filter.hpp>
#include <tiffio.h>

#include "error.hpp"
#include "fix/guided_filter.hpp"
#include "image_fixtures.hpp"
#include "png_codec.hpp"
#include "test_support.hpp"
#include "tiff_reader.hpp"

namespace certphoto::test {
namespace {

double max_difference(const cv::Mat& a, const cv::Mat& b) {
    cv::Mat diff;
    cv::absdiff(a, b, diff);
    double most = 0;
    cv::minMaxLoc(diff.reshape(1), nullptr, &most);
    return most;
}

// A TIFF written by libtiff itself, for what OpenCV cannot write: tiles, CMYK, an orientation tag.
Bytes write_tiff(const cv::Mat& pixels, int photometric, bool tiled, int orientation = ORIENTATION_TOPLEFT) {
    TempDir dir;
    std::string path = dir.file("written.tif");
    TIFF* tiff = TIFFOpen(path.c_str(), "w");
    TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, pixels.cols);
    TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, pixels.rows);
    TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, pixels.channels());
    TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, photometric);
    TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tiff, TIFFTAG_ORIENTATION, orientation);
    const auto row_bytes = static_cast<std::size_t>(pixels.cols * pixels.channels());
    if (tiled) {
        const int tile = 64;
        TIFFSetField(tiff, TIFFTAG_TILEWIDTH, tile);
        TIFFSetField(tiff, TIFFTAG_TILELENGTH, tile);
        std::vector<std::uint8_t> buffer(static_cast<std::size_t>(tile * tile * pixels.channels()));
        for (int y = 0; y < pixels.rows; y += tile)
            for (int x = 0; x < pixels.cols; x += tile) {
                std::fill(buffer.begin(), buffer.end(), 0);
                for (int r = 0; r < tile && y + r < pixels.rows; ++r) {
                    int cols = std::min(tile, pixels.cols - x);
                    std::memcpy(&buffer[static_cast<std::size_t>(r * tile * pixels.channels())],
                                pixels.ptr(y + r) + x * pixels.channels(), static_cast<std::size_t>(cols * pixels.channels()));
                }
                TIFFWriteTile(tiff, buffer.data(), static_cast<uint32_t>(x), static_cast<uint32_t>(y), 0, 0);
            }
    } else {
        TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, 16);
        std::vector<std::uint8_t> row(row_bytes);
        for (int y = 0; y < pixels.rows; ++y) {
            std::memcpy(row.data(), pixels.ptr(y), row_bytes);
            TIFFWriteScanline(tiff, row.data(), static_cast<uint32_t>(y), 0);
        }
    }
    TIFFClose(tiff);
    return read_bytes(path);
}

cv::Mat rgb_of_sample() {
    cv::Mat rgb;
    cv::cvtColor(sample_photo(), rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

TEST(GuidedFilter, MatchesOpenCvsColourGuidedFilterOnAPhotosMatte) {
    cv::Mat guide, grey, matte;
    sample_photo().convertTo(guide, CV_32FC3, 1.0 / 255);
    cv::cvtColor(sample_photo(), grey, cv::COLOR_BGR2GRAY);
    cv::threshold(grey, matte, 128, 1.0, cv::THRESH_BINARY);  // a hard matte with real edges: hair, collar
    matte.convertTo(matte, CV_32F);
    cv::Mat expected;
    cv::ximgproc::guidedFilter(guide, matte, expected, 2, 1e-3);
    cv::Mat ours = guided_filter(guide, matte, 2, 1e-3);
    EXPECT_LT(max_difference(ours, expected), 2e-3);
    EXPECT_GT(max_difference(ours, matte), 0.2);  // it did filter
}

// A person's matte is 0 or 1 but for a band along the edge; the filter works only on the tiles where it varies
// (the in-place replacement of a 24 MP layer). On a picture several tiles wide: as OpenCV's filter along the
// edge, and exactly the matte where it is constant within twice the radius.
TEST(GuidedFilter, FiltersOnlyWhereTheMatteVaries) {
    cv::Mat photo, guide;
    cv::resize(sample_photo(), photo, {}, 3, 3, cv::INTER_LINEAR);
    photo.convertTo(guide, CV_32FC3, 1.0 / 255);
    cv::Mat matte = cv::Mat::zeros(photo.size(), CV_32F);
    cv::ellipse(matte, cv::Point(photo.cols / 2, photo.rows / 2), cv::Size(photo.cols / 4, photo.rows / 3), 0, 0, 360, 1.0, cv::FILLED);
    ASSERT_GT(photo.cols, 3 * 128);
    cv::Mat expected;
    cv::ximgproc::guidedFilter(guide, matte, expected, 2, 1e-3);
    cv::Mat ours = guided_filter(guide, matte, 2, 1e-3);
    EXPECT_LT(max_difference(ours, expected), 2e-3);
    cv::Mat inside, outside, kernel = cv::getStructuringElement(cv::MORPH_RECT, {9, 9});
    cv::erode(matte, inside, kernel);
    cv::dilate(matte, outside, kernel);
    cv::Mat constant = (inside == outside);
    EXPECT_EQ(cv::countNonZero((ours != matte) & constant), 0);
    EXPECT_GT(cv::countNonZero(ours != matte), 0);  // it did filter the edge
}

TEST(PngCodec, WritesWhatOpenCvReadsBack) {
    Bytes png = encode_png(sample_photo());
    cv::Mat back = cv::imdecode(png, cv::IMREAD_UNCHANGED);
    ASSERT_EQ(back.type(), CV_8UC3);
    EXPECT_EQ(max_difference(back, sample_photo()), 0);
}

TEST(PngCodec, ReadsWhatOpenCvWrites) {
    cv::Mat bgra, grey;
    cv::cvtColor(sample_photo(), bgra, cv::COLOR_BGR2BGRA);
    cv::cvtColor(sample_photo(), grey, cv::COLOR_BGR2GRAY);
    EXPECT_EQ(max_difference(read_png_pixels(encode(".png", bgra)), bgra), 0);
    EXPECT_EQ(max_difference(read_png_pixels(encode(".png", grey)), grey), 0);
}

TEST(PngCodec, ATruncatedPngIsUnreadableInBothLanguages) {
    Bytes png = encode(".png", sample_photo());
    png.resize(png.size() / 2);
    try {
        read_png_pixels(png);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::unreadable_input);
        EXPECT_NE(e.message().en.find("truncated"), std::string::npos) << e.message().en;
        EXPECT_NE(e.message().zh.find("PNG"), std::string::npos);
        EXPECT_TRUE(reads_in_chinese(e.message().zh)) << e.message().zh;
    }
}

TEST(TiffReader, TiledAndStripTiffsGiveTheSamePixels) {
    TiffPixels strips = read_tiff_pixels(write_tiff(rgb_of_sample(), PHOTOMETRIC_RGB, false));
    TiffPixels tiles = read_tiff_pixels(write_tiff(rgb_of_sample(), PHOTOMETRIC_RGB, true));
    EXPECT_EQ(strips.layout, PixelLayout::bgr);
    EXPECT_EQ(max_difference(strips.pixels, sample_photo()), 0);
    ASSERT_EQ(tiles.layout, PixelLayout::bgra);  // through libtiff's RGBA reader
    cv::Mat bgr;
    cv::cvtColor(tiles.pixels, bgr, cv::COLOR_BGRA2BGR);
    EXPECT_EQ(max_difference(bgr, sample_photo()), 0);
}

TEST(TiffReader, AnOrientedTiledTiffComesAsStoredLikeAStripOne) {
    Bytes strips = write_tiff(rgb_of_sample(), PHOTOMETRIC_RGB, false, ORIENTATION_RIGHTTOP);
    Bytes tiles = write_tiff(rgb_of_sample(), PHOTOMETRIC_RGB, true, ORIENTATION_RIGHTTOP);
    DecodedImage a = decode_image(strips, graduate_preset().input), b = decode_image(tiles, graduate_preset().input);
    EXPECT_EQ(a.bgr.size(), cv::Size(sample_photo().rows, sample_photo().cols));  // turned once, by us
    EXPECT_EQ(max_difference(a.bgr, b.bgr), 0);
}

TEST(TiffReader, CmykTiffIsReadAsInk) {
    cv::Mat cmyk(sample_photo().size(), CV_8UC4);
    sample_photo().forEach<cv::Vec3b>([&](const cv::Vec3b& bgr, const int* pos) {
        int k = 255 - std::max({bgr[0], bgr[1], bgr[2]});
        cmyk.at<cv::Vec4b>(pos[0], pos[1]) = {cv::saturate_cast<uchar>(255 - bgr[2] - k),
                                              cv::saturate_cast<uchar>(255 - bgr[1] - k),
                                              cv::saturate_cast<uchar>(255 - bgr[0] - k), static_cast<uchar>(k)};
    });
    TiffPixels read = read_tiff_pixels(write_tiff(cmyk, PHOTOMETRIC_SEPARATED, false));
    EXPECT_EQ(read.layout, PixelLayout::cmyk);
    EXPECT_EQ(max_difference(read.pixels, cmyk), 0);
    DecodedImage image = decode_image(write_tiff(cmyk, PHOTOMETRIC_SEPARATED, false), graduate_preset().input);
    EXPECT_EQ(image.info.colour_model, "cmyk");
    EXPECT_LT(cv::norm(image.bgr, sample_photo(), cv::NORM_L1) / double(sample_photo().total() * 3), 3.0);
}

TEST(TiffReader, ATruncatedTiffIsUnreadableInBothLanguages) {
    Bytes tiff = write_tiff(rgb_of_sample(), PHOTOMETRIC_RGB, false);
    tiff.resize(tiff.size() / 2);
    try {
        decode_image(tiff, graduate_preset().input);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::unreadable_input);
        EXPECT_NE(e.message().zh.find("TIFF"), std::string::npos);
        EXPECT_TRUE(reads_in_chinese(e.message().zh)) << e.message().zh;
    }
}

}  // namespace
}  // namespace certphoto::test
