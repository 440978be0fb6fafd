#pragma once
// Checks an output JPEG against the preset independently of the rules' own code: OpenCV decodes it, the
// wall is measured on plain patches, the head top by scanning for the first non-background row.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "face_landmarks.hpp"
#include "head_pose.hpp"
#include "test_support.hpp"

namespace certphoto::test {

struct OutputFacts {
    cv::Size size;
    std::size_t file_bytes = 0;
    double worst_corner_error = 0;  // largest channel difference of a corner patch mean from the preset colour
    double worst_corner_spread = 0; // largest channel std. dev. inside a corner patch
    double eye_line_y = 0;
    double face_width = 0;
    double centre_offset = 0;
    double head_top_y = 0;
    int faces = 0;
};

inline OutputFacts measure_output(const std::string& path, const cv::Vec3b& background_rgb) {
    OutputFacts facts;
    cv::Mat out = cv::imread(path, cv::IMREAD_COLOR);
    facts.size = out.size();
    facts.file_bytes = std::filesystem::file_size(path);
    const int patch = out.cols / 12;
    const cv::Vec3d want(background_rgb[2], background_rgb[1], background_rgb[0]);
    for (cv::Rect r : {cv::Rect(0, 0, patch, patch), cv::Rect(out.cols - patch, 0, patch, patch),
                       cv::Rect(0, out.rows / 4, patch / 2, patch), cv::Rect(out.cols - patch / 2, out.rows / 4, patch / 2, patch)}) {
        cv::Scalar mean, stddev;
        cv::meanStdDev(out(r), mean, stddev);
        for (int c = 0; c < 3; ++c) {
            facts.worst_corner_error = std::max(facts.worst_corner_error, std::abs(mean[c] - want[c]));
            facts.worst_corner_spread = std::max(facts.worst_corner_spread, stddev[c]);
        }
    }
    auto faces = FaceLandmarker::shared().find_faces(out);
    facts.faces = static_cast<int>(faces.size());
    if (faces.size() != 1) return facts;
    const auto& p = faces.front().points;
    cv::Point2f left = mean_point(p, 36, 41), right = mean_point(p, 42, 47);
    facts.eye_line_y = (left.y + right.y) / 2;
    facts.face_width = cv::norm(p[16] - p[0]);
    facts.centre_offset = std::abs((p[0].x + p[16].x) / 2 - out.cols / 2.0);
    // Head top: the first row, over the middle 60 % of the face, where a quarter of the pixels are not the wall
    // (the definition the spec's rule uses: thin things such as a studio head-rest rod are not hair).
    int x0 = cvRound((p[0].x + p[16].x) / 2 - facts.face_width * 0.3), x1 = cvRound((p[0].x + p[16].x) / 2 + facts.face_width * 0.3);
    for (int y = 0; y < out.rows; ++y) {
        int differing = 0;
        for (int x = std::max(0, x0); x < std::min(out.cols, x1); ++x) {
            cv::Vec3b px = out.at<cv::Vec3b>(y, x);
            double d = std::abs(px[0] - want[0]) + std::abs(px[1] - want[1]) + std::abs(px[2] - want[2]);
            if (d > 60) ++differing;
        }
        if (differing >= (x1 - x0) / 4) {
            facts.head_top_y = y;
            break;
        }
    }
    return facts;
}

// What issue #2 asks of every fixed studio photo, in pixels of 480 x 640.
inline void expect_compliant_graduate_output(const std::string& path, const std::string& label) {
    const Preset& preset = graduate_preset();
    OutputFacts f = measure_output(path, preset.background_rgb);
    EXPECT_EQ(f.size, cv::Size(480, 640)) << label;
    EXPECT_GE(f.file_bytes, 20u * 1024) << label;
    EXPECT_LE(f.file_bytes, 1024u * 1024) << label;
    EXPECT_LE(f.worst_corner_error, 4.0) << label << ": background not RGB(100,197,255)";
    EXPECT_LE(f.worst_corner_spread, 2.0) << label << ": background not flat";
    ASSERT_EQ(f.faces, 1) << label;
    EXPECT_GE(f.eye_line_y, 200) << label;
    EXPECT_LE(f.eye_line_y, 300) << label;
    EXPECT_GE(f.face_width, 180) << label;
    EXPECT_LE(f.face_width, 300) << label;
    EXPECT_LE(f.centre_offset, 20) << label;
    EXPECT_GE(f.head_top_y, 45) << label << " (independent scan, a few pixels apart from the rule's mask)";
    EXPECT_LE(f.head_top_y, 110) << label;
}

}  // namespace certphoto::test
