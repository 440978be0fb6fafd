// dlib is slow to compile: of the library, only this translation unit includes it.
#include "face_landmarks.hpp"

#include <cstdlib>
#include <istream>
#include <memory>
#include <streambuf>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>
#include <opencv2/imgproc.hpp>

#include "certphoto_config.hpp"
#include "error.hpp"
#include "image.hpp"
#include "shape_model.hpp"
#include "stage_times.hpp"

namespace certphoto {

struct FaceLandmarker::Model {
    ShapeModel shape;
    // The same pixel layout in dlib's types, for its pixel sampling (impl::extract_feature_pixel_values).
    dlib::matrix<float, 0, 1> initial_shape;
    std::vector<std::vector<unsigned long>> anchors;
    std::vector<std::vector<dlib::vector<float, 2>>> deltas;
};

struct FaceLandmarker::Detector {
    dlib::frontal_face_detector prototype;
};

// dlib's frontal face detector, serialized at build time (tools/serialize_face_detector.cpp):
// get_frontal_face_detector() decodes it from compressed text, 0.3 s of every process's start.
extern const unsigned char face_detector_bytes[];
extern const std::size_t face_detector_size;

namespace {

// HOG finds faces from about 80 px wide; 640 px on the long side keeps a studio head well above that and
// detection fast. Smaller faces (full-body shots, wide frames) get a second, finer pass.
constexpr int detect_long_side_px = 640;
constexpr int fine_detect_long_side_px = 1600;
// Detections below this score are mostly patterns in clothes or walls, not faces.
constexpr double min_detector_score = 0.0;

class MemoryStreamBuffer : public std::streambuf {
public:
    MemoryStreamBuffer(const unsigned char* data, std::size_t size) {
        char* begin = const_cast<char*>(reinterpret_cast<const char*>(data));  // read only: no put area
        setg(begin, begin, begin + size);
    }
};

std::shared_ptr<const FaceLandmarker::Model> load_model(const std::string& path) {
    StageTimer timer("model");
    auto model = std::make_shared<FaceLandmarker::Model>();
    try {
        model->shape = ShapeModel::read(path);
    } catch (const std::exception&) {
        throw Error(ErrorKind::unsupported_input,
                    {"Cannot load the face landmark model " + path + " (Debian package libdlib-data)",
                     "无法加载人脸特征点模型 " + path + "（Debian 软件包 libdlib-data）"});
    }
    const std::vector<float>& initial = model->shape.initial_shape();
    model->initial_shape.set_size(static_cast<long>(initial.size()));
    std::copy(initial.begin(), initial.end(), model->initial_shape.begin());
    for (const ShapeModel::Cascade& cascade : model->shape.cascades()) {
        model->anchors.emplace_back(cascade.anchors.begin(), cascade.anchors.end());
        auto& deltas = model->deltas.emplace_back();
        for (std::size_t i = 0; i + 1 < cascade.deltas.size(); i += 2)
            deltas.emplace_back(cascade.deltas[i], cascade.deltas[i + 1]);
    }
    return model;
}

// dlib's shape_predictor::operator(), step for step, on the flat model.
std::vector<cv::Point2f> place_landmarks(const FaceLandmarker::Model& model, const dlib::cv_image<dlib::bgr_pixel>& image,
                                         const dlib::rectangle& rect) {
    const auto& cascades = model.shape.cascades();
    std::vector<float> shape = model.shape.initial_shape();
    dlib::matrix<float, 0, 1> current(static_cast<long>(shape.size()));
    std::vector<float> features;
    for (std::size_t c = 0; c < cascades.size(); ++c) {
        std::copy(shape.begin(), shape.end(), current.begin());
        dlib::impl::extract_feature_pixel_values(image, rect, current, model.initial_shape, model.anchors[c],
                                                 model.deltas[c], features);
        model.shape.add_leaves(cascades[c], features, shape);
    }
    const dlib::point_transform_affine to_image = dlib::impl::unnormalizing_tform(rect);
    std::vector<cv::Point2f> points;
    for (std::size_t i = 0; i + 1 < shape.size(); i += 2) {
        dlib::point p = to_image(dlib::vector<float, 2>(shape[i], shape[i + 1]));  // rounded, as dlib's parts are
        points.emplace_back(static_cast<float>(p.x()), static_cast<float>(p.y()));
    }
    return points;
}

std::shared_ptr<const FaceLandmarker::Detector> build_detector() {
    StageTimer timer("detector");
    auto detector = std::make_shared<FaceLandmarker::Detector>();
    MemoryStreamBuffer buffer(face_detector_bytes, face_detector_size);
    std::istream in(&buffer);
    dlib::deserialize(detector->prototype, in);
    return detector;
}

dlib::frontal_face_detector& thread_detector(const FaceLandmarker::Detector& shared) {
    thread_local dlib::frontal_face_detector detector = shared.prototype;
    return detector;
}

struct ScaledDetection {
    cv::Rect box;
    double score;
};

std::vector<ScaledDetection> detect_at(dlib::frontal_face_detector& detector, const cv::Mat& grey, int long_side_px) {
    StageTimer timer("detect");
    double scale = static_cast<double>(long_side_px) / std::max(grey.cols, grey.rows);
    cv::Mat work;
    cv::resize(grey, work, cv::Size(), scale, scale, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    dlib::cv_image<unsigned char> image(work);
    std::vector<dlib::rect_detection> detections;
    detector(image, detections, min_detector_score);
    std::vector<ScaledDetection> found;
    for (const auto& d : detections) {
        const auto& r = d.rect;
        cv::Rect box(cvRound(r.left() / scale), cvRound(r.top() / scale), cvRound(r.width() / scale),
                     cvRound(r.height() / scale));
        found.push_back({box, d.detection_confidence});
    }
    return found;
}

}  // namespace

std::string FaceLandmarker::model_path() {
    if (const char* env = std::getenv("CERTPHOTO_LANDMARK_MODEL"); env && *env) return env;
    return CERTPHOTO_LANDMARK_MODEL;
}

FaceLandmarker::FaceLandmarker()
    : model_(std::async(std::launch::async, load_model, model_path()).share()),
      detector_(std::async(std::launch::async, build_detector).share()) {}

const FaceLandmarker& FaceLandmarker::shared() {
    static const FaceLandmarker instance;
    return instance;
}

std::vector<FaceLandmarks> FaceLandmarker::find_faces(const cv::Mat& bgr, cv::Mat grey) const {
    if (grey.empty()) {
        StageTimer timer("detect");
        cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
    }
    int long_side = std::max(grey.cols, grey.rows);
    const Detector& shared_detector = [&]() -> const Detector& {
        StageTimer timer("wait-detector");
        return *detector_.get();
    }();
    dlib::frontal_face_detector& detector = thread_detector(shared_detector);
    std::vector<ScaledDetection> detections = detect_at(detector, grey, std::min(long_side, detect_long_side_px));
    if (detections.empty() && long_side > detect_long_side_px)
        detections = detect_at(detector, grey, std::min(long_side, fine_detect_long_side_px));
    if (detections.empty() && long_side < fine_detect_long_side_px / 2)
        detections = detect_at(detector, grey, long_side * 2);  // small images: upsample once

    std::vector<FaceLandmarks> faces;
    for (const auto& d : detections) faces.push_back({d.box, d.score, {}});
    return with_landmarks(bgr, std::move(faces));
}

namespace {

// The picture reduced to the first detection's size (never enlarged), for the looks taken when no face is found.
struct DetectionCopy {
    cv::Mat grey;
    double scale;  // copy pixels per picture pixel
};
DetectionCopy detection_copy(const cv::Mat& grey) {
    DetectionCopy copy{{}, std::min(1.0, static_cast<double>(detect_long_side_px) / std::max(grey.cols, grey.rows))};
    cv::resize(grey, copy.grey, cv::Size(), copy.scale, copy.scale, cv::INTER_AREA);
    return copy;
}

}  // namespace

std::optional<int> FaceLandmarker::quarter_turns_to_upright(const cv::Mat& grey) const {
    dlib::frontal_face_detector& detector = thread_detector(*detector_.get());
    const cv::Mat small = detection_copy(grey).grey;
    for (auto [turns, rotation] : {std::pair{1, cv::ROTATE_90_CLOCKWISE}, {3, cv::ROTATE_90_COUNTERCLOCKWISE}, {2, cv::ROTATE_180}}) {
        cv::Mat turned;
        cv::rotate(small, turned, rotation);
        if (!detect_at(detector, turned, std::max(turned.cols, turned.rows)).empty()) return turns;
    }
    return std::nullopt;
}

// The border the picture is set in to find a face the frame cuts (a share of its long side each way), and how much
// of the face must lie outside the picture: less, and the detector would have found it there.
constexpr double cut_face_border_fraction = 0.5;
constexpr double cut_face_min_outside_fraction = 0.1;

std::optional<cv::Rect> FaceLandmarker::face_cut_by_frame(const cv::Mat& grey) const {
    dlib::frontal_face_detector& detector = thread_detector(*detector_.get());
    const DetectionCopy small = detection_copy(grey);
    const int border = cvRound(cut_face_border_fraction * std::max(small.grey.cols, small.grey.rows));
    cv::Mat framed;
    cv::copyMakeBorder(small.grey, framed, border, border, border, border, cv::BORDER_REPLICATE);
    const cv::Rect picture(0, 0, grey.cols, grey.rows);
    for (const auto& d : detect_at(detector, framed, std::max(framed.cols, framed.rows))) {
        const cv::Rect box = scaled(d.box - cv::Point(border, border), 1 / small.scale);
        const double inside = (box & picture).area();
        if (inside > 0 && inside <= (1 - cut_face_min_outside_fraction) * box.area()) return box;
    }
    return std::nullopt;
}

std::vector<FaceLandmarks> FaceLandmarker::refit_faces(const cv::Mat& bgr, const std::vector<FaceLandmarks>& found,
                                                       double bgr_per_found_px) const {
    std::vector<FaceLandmarks> faces;
    for (const auto& f : found) faces.push_back({scaled(f.box, bgr_per_found_px), f.detector_score, {}});
    return with_landmarks(bgr, std::move(faces));
}

std::vector<FaceLandmarks> FaceLandmarker::with_landmarks(const cv::Mat& bgr, std::vector<FaceLandmarks> faces) const {
    const Model& model = [&]() -> const Model& {  // waits here, not before detection, for a model still loading
        StageTimer timer("wait-model");
        return *model_.get();
    }();
    StageTimer timer("landmarks");
    dlib::cv_image<dlib::bgr_pixel> full(bgr);
    for (auto& face : faces) {
        const cv::Rect& b = face.box;
        face.points = place_landmarks(model, full, dlib::rectangle(b.x, b.y, b.x + b.width - 1, b.y + b.height - 1));
    }
    std::sort(faces.begin(), faces.end(),
              [](const FaceLandmarks& a, const FaceLandmarks& b) { return a.box.area() > b.box.area(); });
    return faces;
}

}  // namespace certphoto
