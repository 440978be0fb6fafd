// The landmark model read by our own reader places every landmark exactly where dlib's own shape_predictor
// does, on real photos; a damaged model file is refused, never half-read.
#include <filesystem>
#include <fstream>

#include <dlib/image_processing/shape_predictor.h>
#include <dlib/opencv/cv_image.h>
#include <opencv2/imgcodecs.hpp>

#include "face_landmarks.hpp"
#include "shape_model.hpp"
#include "test_support.hpp"

namespace certphoto::test {
namespace {

const dlib::shape_predictor& dlib_reference() {
    static const dlib::shape_predictor predictor = [] {
        dlib::shape_predictor loaded;
        dlib::deserialize(FaceLandmarker::model_path()) >> loaded;
        return loaded;
    }();
    return predictor;
}

std::vector<cv::Point2f> dlib_landmarks(const cv::Mat& bgr, const cv::Rect& box) {
    dlib::cv_image<dlib::bgr_pixel> image(bgr);
    dlib::rectangle rect(box.x, box.y, box.x + box.width - 1, box.y + box.height - 1);
    dlib::full_object_detection shape = dlib_reference()(image, rect);
    std::vector<cv::Point2f> points;
    for (unsigned long i = 0; i < shape.num_parts(); ++i)
        points.emplace_back(static_cast<float>(shape.part(i).x()), static_cast<float>(shape.part(i).y()));
    return points;
}

TEST(ShapeModel, ReadsTheDebianModel) {
    ShapeModel model = ShapeModel::read(FaceLandmarker::model_path());
    EXPECT_EQ(model.points(), 68u);
    ASSERT_EQ(model.cascades().size(), 15u);
    for (const auto& cascade : model.cascades()) {
        EXPECT_EQ(cascade.trees.size(), 500u);
        EXPECT_EQ(cascade.deltas.size(), 2 * cascade.anchors.size());
    }
}

TEST(ShapeModel, LandmarksEqualDlibsOwnPredictorOnRealPhotos) {
    const char* names[] = {"london_neutral_002_03.jpg", "london_neutral_021_03.jpg", "london_neutral_042_03.jpg",
                           "canada_024f.jpg",           "meds_S006-01-t10_01.jpg",   "meds_S050-01-t10_01.jpg",
                           "lisa3.jpg",                 "debian_matplotlib_grace_hopper.jpg", "pexels_group_meeting.jpeg"};
    int faces = 0;
    for (const char* name : names) {
        cv::Mat bgr = cv::imread(data_path(name), cv::IMREAD_COLOR);
        ASSERT_FALSE(bgr.empty()) << name;
        for (const FaceLandmarks& face : FaceLandmarker::shared().find_faces(bgr)) {
            std::vector<cv::Point2f> expected = dlib_landmarks(bgr, face.box);
            ASSERT_EQ(face.points.size(), expected.size()) << name;
            for (std::size_t i = 0; i < expected.size(); ++i)
                EXPECT_EQ(face.points[i], expected[i]) << name << " landmark " << i;
            ++faces;
        }
    }
    EXPECT_GE(faces, 10);  // the group photo adds more than one
}

TEST(ShapeModel, RefusesADamagedModelFile) {
    namespace fs = std::filesystem;
    TempDir dir;
    const auto size = fs::file_size(FaceLandmarker::model_path());
    ASSERT_GT(size, 1000000u);

    fs::copy_file(FaceLandmarker::model_path(), dir.file("truncated.dat"));
    fs::resize_file(dir.file("truncated.dat"), size / 2);
    EXPECT_THROW(ShapeModel::read(dir.file("truncated.dat")), std::runtime_error);

    fs::copy_file(FaceLandmarker::model_path(), dir.file("longer.dat"));
    std::ofstream(dir.file("longer.dat"), std::ios::binary | std::ios::app).put('\1');
    EXPECT_THROW(ShapeModel::read(dir.file("longer.dat")), std::runtime_error);

    fs::copy_file(data_path("lisa3.jpg"), dir.file("photo.dat"));
    EXPECT_THROW(ShapeModel::read(dir.file("photo.dat")), std::runtime_error);
    write_bytes(dir.file("empty.dat"), {});
    EXPECT_THROW(ShapeModel::read(dir.file("empty.dat")), std::runtime_error);
    EXPECT_THROW(ShapeModel::read(dir.file("missing.dat")), std::runtime_error);
}

}  // namespace
}  // namespace certphoto::test
