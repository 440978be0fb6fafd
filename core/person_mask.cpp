#include "person_mask.hpp"

#include <opencv2/imgproc.hpp>

#include "face_landmarks.hpp"
#include "head_pose.hpp"

namespace certphoto {
namespace {

// GrabCut runs at a scale set by the face, so a photo and its framed output are segmented alike (thin things
// such as loose strands survive or vanish in both); 110 px across the face keeps hair edges within a few
// pixels and GrabCut near 0.1 s.
constexpr double work_face_width_px = 110.0;
constexpr int grabcut_iterations = 4;
constexpr std::uint64_t grabcut_rng_seed = 0x5eed;
// A row belongs to the head when this share of the band over the face is person.
constexpr double head_row_fraction = 0.25;

cv::Mat seed_mask(cv::Size size, const std::vector<cv::Point2f>& p, double face_width) {
    using namespace landmark;
    cv::Mat seeds(size, CV_8U, cv::Scalar(cv::GC_PR_BGD));
    cv::Point2f eyes = (mean_point(p, right_eye_first, right_eye_last) + mean_point(p, left_eye_first, left_eye_last)) / 2;
    float cx = (p[jaw_first].x + p[jaw_last].x) / 2;
    float chin_y = p[chin].y;
    float head_h = chin_y - eyes.y;  // eye-to-chin, about half the head

    // Probably person: the head with room for voluminous hair, and below the chin a box wide enough for shoulders.
    cv::Rect head(cvRound(cx - 0.95 * face_width), cvRound(eyes.y - 2.0 * head_h), cvRound(1.9 * face_width),
                  cvRound(chin_y - eyes.y + 2.0 * head_h));
    cv::Rect body(cvRound(cx - 1.8 * face_width), cvRound(chin_y), cvRound(3.6 * face_width), size.height);
    const cv::Rect image(cv::Point(), size);
    seeds(head & image).setTo(cv::GC_PR_FGD);
    seeds(body & image).setTo(cv::GC_PR_FGD);

    // Surely wall: above the highest hair we allow for, and beside the head down to the chin.
    int wall_bottom = cvRound(eyes.y - 2.1 * head_h);
    if (wall_bottom > 0) seeds(cv::Rect(0, 0, size.width, std::min(wall_bottom, size.height))).setTo(cv::GC_BGD);
    int side_bottom = std::clamp(cvRound(chin_y - 0.3 * head_h), 0, size.height);
    int left_end = cvRound(cx - 1.05 * face_width), right_start = cvRound(cx + 1.05 * face_width);
    if (left_end > 0) seeds(cv::Rect(0, 0, std::min(left_end, size.width), side_bottom)).setTo(cv::GC_BGD);
    if (right_start < size.width)
        seeds(cv::Rect(std::max(right_start, 0), 0, size.width - std::max(right_start, 0), side_bottom)).setTo(cv::GC_BGD);

    // Surely person: the face inside the jaw line and brows, and the neck below the chin.
    std::vector<cv::Point> face;
    for (int i = jaw_first; i <= jaw_last; ++i) face.emplace_back(p[i]);
    for (int i = left_brow_last; i >= right_brow_first; --i) face.emplace_back(p[i]);
    cv::fillConvexPoly(seeds, face, cv::GC_FGD);
    cv::Rect neck(cvRound(cx - 0.15 * face_width), cvRound(chin_y), cvRound(0.3 * face_width), cvRound(0.5 * head_h));
    seeds(neck & cv::Rect(cv::Point(), size)).setTo(cv::GC_FGD);
    return seeds;
}

// GrabCut needs wall samples; a head filling the frame leaves no sure-wall seed, so the top edge and the side
// edges above the chin, where the wall shows in any portrait, are offered as probably wall.
void add_border_wall_samples(cv::Mat& seeds, int chin_y) {
    int strip = std::max(2, seeds.cols / 40);
    auto offer = [&](cv::Rect r) {
        r &= cv::Rect(cv::Point(), seeds.size());
        if (r.empty()) return;
        cv::Mat roi = seeds(r);
        roi.setTo(cv::GC_PR_BGD, roi == cv::GC_PR_FGD);
    };
    int side_height = std::clamp(chin_y, 0, seeds.rows);
    offer(cv::Rect(0, 0, seeds.cols, strip));
    offer(cv::Rect(0, 0, strip, side_height));
    offer(cv::Rect(seeds.cols - strip, 0, strip, side_height));
}

cv::Mat largest_component_touching(const cv::Mat& binary, cv::Point inside) {
    cv::Mat labels;
    cv::connectedComponents(binary, labels, 8, CV_32S);
    inside.x = std::clamp(inside.x, 0, binary.cols - 1);
    inside.y = std::clamp(inside.y, 0, binary.rows - 1);
    int label = labels.at<int>(inside);
    if (label == 0) return binary;
    return labels == label;
}

}  // namespace

cv::Mat PersonMask::at_size(cv::Size size) const {
    cv::Mat out;
    cv::resize(mask, out, size, 0, 0, cv::INTER_LINEAR);
    return out;
}

cv::Rect PersonMask::to_image(const cv::Rect& work) const {
    return {cvRound(work.x / scale), cvRound(work.y / scale), cvRound(work.width / scale), cvRound(work.height / scale)};
}

PersonMask segment_person(const cv::Mat& bgr, const std::vector<cv::Point2f>& landmarks68) {
    using namespace landmark;
    PersonMask result;
    double face_width_px = landmark::face_width(landmarks68);
    result.scale = std::min(1.0, work_face_width_px / std::max(1.0, face_width_px));
    cv::resize(bgr, result.work_bgr, cv::Size(), result.scale, result.scale, cv::INTER_AREA);
    const cv::Mat& work = result.work_bgr;
    std::vector<cv::Point2f> p;
    for (const auto& q : landmarks68) p.push_back(q * static_cast<float>(result.scale));
    double face_width = landmark::face_width(p);

    cv::Mat seeds = seed_mask(work.size(), p, face_width);
    add_border_wall_samples(seeds, cvRound(p[chin].y));
    cv::Mat background_model, foreground_model;
    // GrabCut's colour models start from k-means seeded by the thread's global RNG: with a fixed seed a photo is
    // segmented the same way whatever ran before it on that thread (a batch, a test suite, a plug-in session).
    const std::uint64_t caller_rng_state = cv::theRNG().state;
    cv::theRNG().state = grabcut_rng_seed;
    try {
        cv::grabCut(work, seeds, cv::Rect(), background_model, foreground_model, grabcut_iterations, cv::GC_INIT_WITH_MASK);
    } catch (const cv::Exception&) {
        // Too few samples of one side for GrabCut's colour models: the seeds are the best we know.
    }
    cv::theRNG().state = caller_rng_state;
    cv::Mat person = (seeds == cv::GC_FGD) | (seeds == cv::GC_PR_FGD);
    cv::morphologyEx(person, person, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_ELLIPSE, {3, 3}));
    result.mask = largest_component_touching(person, p[nose_tip]);

    float cx = (p[jaw_first].x + p[jaw_last].x) / 2;
    int band_left = std::max(0, cvRound(cx - 0.3 * face_width));
    int band_right = std::min(work.cols, cvRound(cx + 0.3 * face_width));
    int band_width = std::max(1, band_right - band_left);
    int top = cvRound(p[nose_bridge_top].y);
    for (int y = 0; y < work.rows; ++y) {
        int count = cv::countNonZero(result.mask(cv::Rect(band_left, y, band_width, 1)));
        if (count >= head_row_fraction * band_width) {
            top = y;
            break;
        }
    }
    result.head_cut_at_top = top == 0;
    result.head_top_y = top / result.scale;
    return result;
}

}  // namespace certphoto
