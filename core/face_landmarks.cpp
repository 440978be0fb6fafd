// dlib is slow to compile: it is included in this one translation unit only.
#include "face_landmarks.hpp"

#include <cstdlib>
#include <istream>
#include <memory>
#include <streambuf>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>
#include <opencv2/imgproc.hpp>

#include "certphoto_config.hpp"
#include "error.hpp"
#include "stage_times.hpp"

namespace certphoto {

struct FaceLandmarker::Model {
    dlib::shape_predictor predictor;
};

struct FaceLandmarker::Detector {
    dlib::frontal_face_detector prototype;
};

namespace {

// HOG finds faces from about 80 px wide; 640 px on the long side keeps a studio head well above that and
// detection fast. Smaller faces (full-body shots, wide frames) get a second, finer pass.
constexpr int detect_long_side_px = 640;
constexpr int fine_detect_long_side_px = 1600;
// Detections below this score are mostly patterns in clothes or walls, not faces.
constexpr double min_detector_score = 0.0;

// The model file mapped into memory and read as a stream: dlib's own file stream makes the 95 MB load take
// 0.35 s, reading from memory 0.24 s (the load is on the critical path of a process's first photo).
class MappedFile : public std::streambuf {
public:
    explicit MappedFile(const std::string& path) {
        int fd = ::open(path.c_str(), O_RDONLY);
        if (fd < 0) throw std::runtime_error("cannot open " + path);
        struct stat info {};
        if (::fstat(fd, &info) == 0 && info.st_size > 0) {
            size_ = static_cast<std::size_t>(info.st_size);
            void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
            data_ = mapped == MAP_FAILED ? nullptr : static_cast<char*>(mapped);
        }
        ::close(fd);
        if (!data_) throw std::runtime_error("cannot map " + path);
        setg(data_, data_, data_ + size_);
    }
    ~MappedFile() override { ::munmap(data_, size_); }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

private:
    char* data_ = nullptr;
    std::size_t size_ = 0;
};

std::shared_ptr<const FaceLandmarker::Model> load_model(const std::string& path) {
    StageTimer timer("model");
    auto model = std::make_shared<FaceLandmarker::Model>();
    try {
        MappedFile file(path);
        std::istream in(&file);
        dlib::deserialize(model->predictor, in);
    } catch (const std::exception&) {
        throw Error(ErrorKind::unsupported_input,
                    {"Cannot load the face landmark model " + path + " (Debian package libdlib-data)",
                     "无法加载人脸特征点模型 " + path + "（Debian 软件包 libdlib-data）"});
    }
    return model;
}

std::shared_ptr<const FaceLandmarker::Detector> build_detector() {
    StageTimer timer("detector");
    return std::make_shared<FaceLandmarker::Detector>(FaceLandmarker::Detector{dlib::get_frontal_face_detector()});
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

    const Model& model = [&]() -> const Model& {  // waits here, not before detection, for a model still loading
        StageTimer timer("wait-model");
        return *model_.get();
    }();
    StageTimer timer("landmarks");
    dlib::cv_image<dlib::bgr_pixel> full(bgr);
    std::vector<FaceLandmarks> faces;
    for (const auto& d : detections) {
        dlib::rectangle rect(d.box.x, d.box.y, d.box.x + d.box.width - 1, d.box.y + d.box.height - 1);
        dlib::full_object_detection shape = model.predictor(full, rect);
        FaceLandmarks face;
        face.box = d.box;
        face.detector_score = d.score;
        for (unsigned long i = 0; i < shape.num_parts(); ++i)
            face.points.emplace_back(static_cast<float>(shape.part(i).x()), static_cast<float>(shape.part(i).y()));
        faces.push_back(std::move(face));
    }
    std::sort(faces.begin(), faces.end(),
              [](const FaceLandmarks& a, const FaceLandmarks& b) { return a.box.area() > b.box.area(); });
    return faces;
}

}  // namespace certphoto
