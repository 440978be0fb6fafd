#pragma once
// Test images in every layout certphoto accepts or refuses, made from a real photo.
#include <cstdio>
#include <cstdlib>

#include <jpeglib.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "test_support.hpp"

namespace certphoto::test {

inline cv::Mat sample_photo() {
    static const cv::Mat photo = [] {
        cv::Mat full = cv::imread(data_path("london_neutral_021_03.jpg"));
        cv::Mat small;
        cv::resize(full, small, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
        return small;
    }();
    return photo;
}

inline Bytes encode(const std::string& ext, const cv::Mat& image) {
    std::vector<uchar> buffer;
    cv::imencode(ext, image, buffer);
    return Bytes(buffer.begin(), buffer.end());
}

// libjpeg writer for what OpenCV cannot write: CMYK, extra markers (EXIF, ICC).
inline Bytes write_jpeg(const cv::Mat& pixels, J_COLOR_SPACE space, const std::vector<std::pair<int, Bytes>>& markers) {
    jpeg_compress_struct cinfo{};
    jpeg_error_mgr err{};
    cinfo.err = jpeg_std_error(&err);
    jpeg_create_compress(&cinfo);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&cinfo, &buffer, &size);
    cinfo.image_width = pixels.cols;
    cinfo.image_height = pixels.rows;
    cinfo.input_components = pixels.channels();
    cinfo.in_color_space = space;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, 95, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    for (const auto& [marker, data] : markers)
        jpeg_write_marker(&cinfo, marker, data.data(), static_cast<unsigned int>(data.size()));
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = const_cast<JSAMPROW>(pixels.ptr<JSAMPLE>(cinfo.next_scanline));
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    Bytes bytes(buffer, buffer + size);
    std::free(buffer);
    jpeg_destroy_compress(&cinfo);
    return bytes;
}

inline Bytes exif_with_orientation(int orientation) {
    Bytes b = {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0,  // header, IFD0 at 8, one entry
               0x12, 0x01, 3, 0, 1, 0, 0, 0, static_cast<uint8_t>(orientation), 0, 0, 0, 0, 0, 0, 0};
    return b;
}


// Adobe-style inverted CMYK pixels of a BGR image (libjpeg adds the Adobe marker itself).
inline Bytes cmyk_jpeg(const cv::Mat& bgr_image) {
    cv::Mat cmyk(bgr_image.size(), CV_8UC4);
    bgr_image.forEach<cv::Vec3b>([&](const cv::Vec3b& bgr, const int* p) {
        int k = 255 - std::max({bgr[0], bgr[1], bgr[2]});
        auto ink = [&](int c) { return k == 255 ? 0 : (255 - c - k) * 255 / (255 - k); };
        cmyk.at<cv::Vec4b>(p[0], p[1]) = cv::Vec4b(255 - ink(bgr[2]), 255 - ink(bgr[1]), 255 - ink(bgr[0]), 255 - k);
    });
    return write_jpeg(cmyk, JCS_CMYK, {});
}

inline Bytes rgb_jpeg(const cv::Mat& bgr_image, const std::vector<std::pair<int, Bytes>>& markers) {
    cv::Mat rgb;
    cv::cvtColor(bgr_image, rgb, cv::COLOR_BGR2RGB);
    return write_jpeg(rgb, JCS_RGB, markers);
}

}  // namespace certphoto::test
