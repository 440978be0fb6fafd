#include "person_mask.hpp"

#include <array>
#include <limits>
#include <optional>

#include <opencv2/imgproc.hpp>

#include "face_landmarks.hpp"
#include "head_pose.hpp"
#include "masks.hpp"

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
// Below the chin GrabCut starts a box this wide (face widths either side of the face's middle) as person.
constexpr double body_half_width = 1.8;

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
    cv::Rect body(cvRound(cx - body_half_width * face_width), cvRound(chin_y), cvRound(2 * body_half_width * face_width), size.height);
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

namespace {

// The photo at GrabCut's scale and the landmarks on it.
struct WorkFrame {
    cv::Mat bgr;
    std::vector<cv::Point2f> points;
    double scale = 1;
    double face_width = 0;
};

WorkFrame to_work_frame(const cv::Mat& work_bgr, double scale, const std::vector<cv::Point2f>& landmarks68) {
    WorkFrame w{work_bgr, {}, scale, 0};
    for (const auto& q : landmarks68) w.points.push_back(q * static_cast<float>(scale));
    w.face_width = landmark::face_width(w.points);
    return w;
}

// GrabCut from the seeds: what it takes for person (CV_8U 0/255), specks opened away.
cv::Mat grabcut_person(const cv::Mat& bgr, cv::Mat seeds) {
    cv::Mat background_model, foreground_model;
    // GrabCut's colour models start from k-means seeded by the thread's global RNG: with a fixed seed a photo is
    // segmented the same way whatever ran before it on that thread (a batch, a test suite, a plug-in session).
    const std::uint64_t caller_rng_state = cv::theRNG().state;
    cv::theRNG().state = grabcut_rng_seed;
    try {
        cv::grabCut(bgr, seeds, cv::Rect(), background_model, foreground_model, grabcut_iterations, cv::GC_INIT_WITH_MASK);
    } catch (const cv::Exception&) {
        // Too few samples of one side for GrabCut's colour models: the seeds are the best we know.
    }
    cv::theRNG().state = caller_rng_state;
    cv::Mat person = (seeds == cv::GC_FGD) | (seeds == cv::GC_PR_FGD);
    cv::morphologyEx(person, person, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_ELLIPSE, {3, 3}));
    return person;
}

PersonMask cut_person(const WorkFrame& w, cv::Mat seeds) {
    using namespace landmark;
    const std::vector<cv::Point2f>& p = w.points;
    PersonMask result;
    result.scale = w.scale;
    result.work_bgr = w.bgr;
    add_border_wall_samples(seeds, cvRound(p[chin].y));
    result.mask = largest_component_touching(grabcut_person(w.bgr, seeds), p[nose_tip]);

    float cx = (p[jaw_first].x + p[jaw_last].x) / 2;
    int band_left = std::max(0, cvRound(cx - 0.3 * w.face_width));
    int band_right = std::min(w.bgr.cols, cvRound(cx + 0.3 * w.face_width));
    int band_width = std::max(1, band_right - band_left);
    int top = cvRound(p[nose_bridge_top].y);
    for (int y = 0; y < w.bgr.rows; ++y) {
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

// Beside the neck, above the shoulders' slope: where the body box can keep a block of wall as person. In face
// widths: the neck's half-width at the chin, and how far below the chin the slope reaches the box's side. (From
// 0.45 face widths out, a strip of grey wall between 0.3 and 0.45 beside london 004's and 006's necks stayed;
// the neck itself is not the wall's colour and stays person.)
constexpr double neck_half_width = 0.3;
constexpr double slope_reaches_box_side_below_chin = 0.8;
// A pixel there starts as probably wall when within this colour distance (CIE76) of the wall on its side and
// not lighter than it by this much (L*): a white shirt on a light-grey wall is lighter, the wall itself is not.
constexpr double beside_neck_max_from_wall = 10.0;
constexpr double beside_neck_max_lighter = 3.0;
// Under the slope, down the side of a long neck to this far below the chin (face widths), only the wall itself
// (within its own noise, CIE76) starts as probably wall: faint strands hanging over it made GrabCut keep a block
// of wall beside london 113's neck, while the lit skin of a shoulder near the neck (london 107) is within 10 of a
// light-grey wall, not within 4.
constexpr double along_neck_below_chin = 0.5;
constexpr double along_neck_max_from_wall = 4.0;
// Fewer pixels to restart than this (face widths squared; 12 px at the work scale) leave the rules' mask as it is.
constexpr double min_restart_face_widths_sq = 0.001;
// Fewer wall pixels than this on a side (below the eyes) give no wall colour for that side.
constexpr int min_wall_samples = 50;
// The second GrabCut sees the rows below the chin and these above it (face widths): wall beside the jaw.
constexpr double rows_above_chin = 0.5;

// CV_8U 255 inside a triangle on each side of the neck, mirrored; its corners are given in face widths out from
// the face's middle and down from the chin.
cv::Mat mirrored_below_chin(const WorkFrame& w, const std::array<cv::Point2d, 3>& corners_in_face_widths) {
    using namespace landmark;
    const std::vector<cv::Point2f>& p = w.points;
    double cx = (p[jaw_first].x + p[jaw_last].x) / 2, chin_y = p[chin].y, fw = w.face_width;
    cv::Mat zone = cv::Mat::zeros(w.bgr.size(), CV_8U);
    for (double side : {-1.0, 1.0}) {
        std::vector<cv::Point> corners;
        for (const cv::Point2d& c : corners_in_face_widths) corners.emplace_back(cvRound(cx + side * c.x * fw), cvRound(chin_y + c.y * fw));
        cv::fillConvexPoly(zone, corners, 255);
    }
    return zone;
}

cv::Mat beside_neck_zone(const WorkFrame& w) {
    return mirrored_below_chin(w, {{{neck_half_width, 0}, {body_half_width, 0}, {body_half_width, slope_reaches_box_side_below_chin}}});
}

cv::Mat along_neck_zone(const WorkFrame& w) {
    return mirrored_below_chin(w, {{{neck_half_width, 0}, {body_half_width, slope_reaches_box_side_below_chin}, {neck_half_width, along_neck_below_chin}}});
}

// The mean colour (Lab) of the wall pixels in `part`, when there are enough of them.
std::optional<cv::Vec3d> wall_colour(const cv::Mat& lab, const cv::Mat& wall, const cv::Rect& part) {
    if (part.empty() || cv::countNonZero(wall(part)) < min_wall_samples) return std::nullopt;
    const cv::Scalar mean = cv::mean(lab(part), wall(part));
    return cv::Vec3d(mean[0], mean[1], mean[2]);
}

// CV_32F: each pixel's colour distance (CIE76) from the wall on its side of the face's middle, or infinity
// where it is beside_neck_max_lighter lighter than that wall.
cv::Mat distance_from_wall(const cv::Mat& lab, int middle, const cv::Vec3d& left_wall, const cv::Vec3d& right_wall) {
    cv::Mat out(lab.size(), CV_32F);
    for (int y = 0; y < lab.rows; ++y)
        for (int x = 0; x < lab.cols; ++x) {
            const cv::Vec3d c = lab.at<cv::Vec3f>(y, x), wall_lab = x < middle ? left_wall : right_wall;
            out.at<float>(y, x) = c[0] - wall_lab[0] < beside_neck_max_lighter ? static_cast<float>(cv::norm(c - wall_lab))
                                                                               : std::numeric_limits<float>::infinity();
        }
    return out;
}

}  // namespace

PersonMask segment_person(const cv::Mat& bgr, const std::vector<cv::Point2f>& landmarks68) {
    double scale = std::min(1.0, work_face_width_px / std::max(1.0, landmark::face_width(landmarks68)));
    cv::Mat work_bgr;
    cv::resize(bgr, work_bgr, cv::Size(), scale, scale, cv::INTER_AREA);
    WorkFrame w = to_work_frame(work_bgr, scale, landmarks68);
    return cut_person(w, seed_mask(w.bgr.size(), w.points, w.face_width));
}

namespace {

// Wall below the chin that the person and the photo's lower edge enclose cannot be seen there: it is the clothes
// (a white T-shirt inside a jacket on a light wall, canada 098m, that GrabCut took for wall). Wall that reaches
// the photo's top or sides stays wall (beside the neck and shoulders, under hair reaching the edge).
cv::Mat with_clothes_pockets_filled(const cv::Mat& person, int chin_row) {
    cv::Mat labels, stats, centroids;
    int n = cv::connectedComponentsWithStats(person == 0, labels, stats, centroids, 4, CV_32S);
    std::vector<bool> pocket(static_cast<std::size_t>(n), false);
    for (int i = 1; i < n; ++i) {
        const int left = stats.at<int>(i, cv::CC_STAT_LEFT), top = stats.at<int>(i, cv::CC_STAT_TOP);
        const int right = left + stats.at<int>(i, cv::CC_STAT_WIDTH);
        pocket[static_cast<std::size_t>(i)] = top >= chin_row && left > 0 && right < person.cols;
    }
    cv::Mat filled = person.clone();
    for (int y = chin_row; y < person.rows; ++y)
        for (int x = 0; x < person.cols; ++x)
            if (pocket[static_cast<std::size_t>(labels.at<int>(y, x))]) filled.at<uchar>(y, x) = 255;
    return filled;
}

PersonMask without_wall_beside_neck(const PersonMask& first, const cv::Mat& work_lab, const WorkFrame& w) {
    cv::Mat seeds = seed_mask(w.bgr.size(), w.points, w.face_width);
    add_border_wall_samples(seeds, cvRound(w.points[landmark::chin].y));
    const cv::Mat may_restart = (seeds == cv::GC_PR_FGD) & first.mask;
    // The wall's colour on each side, from the wall beside and below the face (not the top, often vignetted).
    cv::Mat wall = first.mask == 0;
    int eye_row = std::clamp(cvRound(w.points[landmark::nose_bridge_top].y), 0, w.bgr.rows);
    wall.rowRange(0, eye_row).setTo(0);
    int middle = std::clamp(cvRound((w.points[landmark::jaw_first].x + w.points[landmark::jaw_last].x) / 2), 0, w.bgr.cols);
    const cv::Rect left(0, 0, middle, w.bgr.rows), right(middle, 0, w.bgr.cols - middle, w.bgr.rows);
    // A side whose hair reaches the photo's edge shows no wall below the eyes (canada 053f): it takes the other
    // side's colour, or the whole wall's.
    std::optional<cv::Vec3d> left_wall = wall_colour(work_lab, wall, left), right_wall = wall_colour(work_lab, wall, right);
    if (!left_wall && !right_wall) left_wall = right_wall = wall_colour(work_lab, first.mask == 0, cv::Rect(cv::Point(), w.bgr.size()));
    if (!left_wall && !right_wall) return first;
    const cv::Mat from_wall = distance_from_wall(work_lab, middle, left_wall.value_or(*right_wall), right_wall.value_or(*left_wall));
    cv::Mat coloured = from_wall < beside_neck_max_from_wall;
    cv::Mat restart = may_restart & ((beside_neck_zone(w) & coloured) | (along_neck_zone(w) & (from_wall < along_neck_max_from_wall)));
    // A few pixels are no block of wall, and GrabCut again (about 90 ms) relearns the whole lower frame's colours.
    if (cv::countNonZero(restart) < min_restart_face_widths_sq * w.face_width * w.face_width) return first;
    seeds.setTo(cv::GC_PR_BGD, restart);

    // Only the rows below the chin change (and wall-coloured pixels above it that join them: wall_reaching_above_chin),
    // so GrabCut runs on them and a margin above (its wall samples beside the head); above the chin the rules'
    // outline stays: fix's edge keying and the upload's own checks (an ear half behind strands, london 087) are
    // calibrated on it.
    int chin_row = std::clamp(cvRound(w.points[landmark::chin].y), 0, w.bgr.rows);
    int from = std::clamp(cvRound(w.points[landmark::chin].y - rows_above_chin * w.face_width), 0, chin_row);
    cv::Mat person_again(w.bgr.size(), CV_8U, cv::Scalar(255));
    grabcut_person(w.bgr.rowRange(from, w.bgr.rows), seeds.rowRange(from, w.bgr.rows).clone()).copyTo(person_again.rowRange(from, w.bgr.rows));
    // It only takes wall out: what the rules' mask has as wall stays wall.
    cv::Mat taken_out = first.mask & ~person_again, removed_below = taken_out.clone(), above = taken_out & coloured;
    removed_below.rowRange(0, chin_row).setTo(0);
    above.rowRange(chin_row, w.bgr.rows).setTo(0);
    // Above the chin the rules' outline stays, except wall-coloured pixels the second GrabCut took for wall that
    // join what it took out below the chin: the wall beside the jaw under hair (canada 053f). An ear is not the
    // wall's colour, so an ear half behind strands (london 087) stays.
    cv::Mat kept = first.mask & ~(removed_below | reaching(above, removed_below));
    PersonMask matte = first;  // shares first's buffers: the mask is replaced, never written into
    matte.mask = largest_component_touching(kept, w.points[landmark::nose_tip]);
    return matte;
}

}  // namespace

PersonMask segment_person_for_matte(const PersonMask& first, const cv::Mat& work_lab, const std::vector<cv::Point2f>& landmarks68) {
    WorkFrame w = to_work_frame(first.work_bgr, first.scale, landmarks68);
    PersonMask matte = without_wall_beside_neck(first, work_lab, w);
    const int chin_row = std::clamp(cvRound(w.points[landmark::chin].y), 0, w.bgr.rows);
    matte.mask = with_clothes_pockets_filled(matte.mask, chin_row);
    return matte;
}

}  // namespace certphoto
