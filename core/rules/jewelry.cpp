// Jewellery (不得佩戴耳环、项链): earrings, studs and necklaces show as sparkles, small sharp points of light on
// metal or stones, far above the skin they are worn on. The bands beside the cheeks (ears, and below them where
// earrings hang) and the neck are searched at a fixed face scale; the face itself is left to glare-skin.
// What else stands out there is told apart: the soft shine of an ear is neither as light nor as sharp; the wall
// seen between strands of hair is the wall's own colour; a pocket of an old wall left by a background
// replacement is only as light as a studio wall and grey; a white collar is a sliver of a larger white surface;
// white hairs and stubble glint among many other points of light; a spectacle frame's hinge sits at the lenses.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "face_parts.hpp"
#include "glasses.hpp"
#include "masks.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// Sparkles are measured with the face this wide (px): a stud is then a few pixels across on any camera.
constexpr double work_face_width_px = 400;
// Where jewellery is worn, in face widths: the band beside each cheek from the brows to the chin (ears and
// hanging earrings), and below the chin across the neck; the face up to this far above the brows is not.
constexpr double ear_band_outward = 0.25, ear_band_inward = 0.03;
constexpr double neck_depth = 0.7;
constexpr double forehead_lift = 0.1;
// A point of light: brighter than its surroundings by this much L* within a disc of this size (face widths),
// light itself or more colourful than the skin (gold), and worn on skin: the median colour around it (over
// this size) is near the face's skin.
constexpr double point_size = 0.05;
constexpr double point_contrast_min = 14;
constexpr double point_lightness_min = 72;
constexpr double point_more_chroma_than_skin = 12;
constexpr double surroundings_size = 0.1;
constexpr double surroundings_from_skin_max_delta_e = 32;
// A sparkle: a point whose peak stands this far above its surroundings, this light, with an edge this steep
// (L* per pixel at the work scale), and of a jewel's size (pixels; a side in face widths).
constexpr double sparkle_contrast_min = 35;
constexpr double sparkle_lightness_min = 88;
constexpr double sparkle_edge_min = 14;
constexpr int sparkle_min_pixels = 3;
constexpr double sparkle_max_side = 0.08;
// A compact point, not a sliver of collar or cloth between strands of hair.
constexpr double sparkle_min_fill = 0.35;
constexpr double sparkle_max_elongation = 3;
// Not the wall's own colour (CIE76): the wall seen between strands of hair.
constexpr double peak_from_wall_min_delta_e = 6;
// Metal and stones throw the light back white (a glint this light) or tinted by the metal (this chroma): a grey
// point only as light as a studio wall is a pocket of an old wall, left between hair and ear. On a coloured
// wall (this chroma) a light edge blended with the wall is tinted too, within this hue of the wall's.
constexpr double glint_lightness_min = 95;
constexpr double tinted_min_chroma = 6;
constexpr double coloured_wall_min_chroma = 5;
constexpr double tint_from_wall_hue_min_deg = 30;
// A white point is not the edge of a white surface (a collar beside the hair): within this distance (face
// widths), at most so many times its own pixels are nearly as light as its peak (this much below).
constexpr double surface_reach = 0.05;
constexpr double surface_lightness_below_peak = 8;
constexpr double max_light_around = 4;
// A glint ends where it starts: its light (within this much L* of its peak) spans at most this much (face
// widths). The lit edge of a collar or a white shirt runs on (max Chris Pratt's and grace hopper's collars, meds
// S050's T-shirt: 0.19-0.27); the corpus's studs and beads span 0.005-0.018.
constexpr double glint_light_drop = 10;
constexpr double glint_max_span = 0.05;
// A glint among many points of light is hair: within this distance (face widths) of a point, less its own box,
// at most this share of the pixels stands out of their surroundings by this much L* (the same top-hat). White
// hairs and stubble (wm Guido's temple and throat: 0.63-0.86) are busy; the skin and cloth jewellery is worn
// on are not (the corpus's studs, chains and beads: 0.02-0.46).
constexpr double texture_reach = 0.08;
constexpr double texture_contrast_min = 10;
constexpr double textured_max_share = 0.55;
constexpr std::size_t max_regions = 6;

int odd(double size) { return std::max(3, cvRound(size) | 1); }

cv::Rect search_box(const Face& face, cv::Size image) {
    const auto& p = face.landmarks.points;
    double w = face.face_width_px;
    cv::Point2d tl(p[landmark::jaw_first].x - ear_band_outward * w, p[landmark::right_brow_first + 2].y - 0.2 * w);
    cv::Point2d br(p[landmark::jaw_last].x + ear_band_outward * w, p[landmark::chin].y + neck_depth * w);
    return cv::Rect(cv::Point(cvFloor(tl.x), cvFloor(tl.y)), cv::Point(cvCeil(br.x), cvCeil(br.y))) & cv::Rect(cv::Point(), image);
}

// The search zones over `box`, in the pixels of `box`: the ear bands and the neck, less the face.
cv::Mat search_zones(const Face& face, const cv::Rect& box) {
    using namespace landmark;
    const auto& p = face.landmarks.points;
    double w = face.face_width_px;
    float brows_top = brows_top_y(p);
    cv::Point2f o(static_cast<float>(box.x), static_cast<float>(box.y));
    cv::Mat zones = cv::Mat::zeros(box.size(), CV_8U);
    auto band = [&](float x_from, float x_to) {
        cv::rectangle(zones, cv::Point2f(std::min(x_from, x_to), brows_top) - o, cv::Point2f(std::max(x_from, x_to), p[chin].y) - o, 255, cv::FILLED);
    };
    band(p[jaw_first].x - ear_band_outward * w, p[jaw_first].x + ear_band_inward * w);
    band(p[jaw_last].x + ear_band_outward * w, p[jaw_last].x - ear_band_inward * w);
    cv::rectangle(zones, cv::Point2f(p[3].x, p[chin].y) - o, cv::Point2f(p[13].x, p[chin].y + neck_depth * w) - o, 255, cv::FILLED);
    // The face is the jaw line itself, not its convex hull: an earlobe sits beside the jaw, inside the hull.
    std::vector<cv::Point> outline;
    for (cv::Point2f q : face_outline(p, static_cast<float>(forehead_lift * w))) outline.emplace_back(q - o);
    cv::fillPoly(zones, std::vector<std::vector<cv::Point>>{outline}, 0);
    return zones;
}

// The clothes (a shirt's collar points, a checked shirt) over the work grid of `box`.
cv::Mat clothes_over(const Clothes& clothes, const cv::Rect& box, double scale, cv::Size work) {
    if (clothes.empty()) return cv::Mat::zeros(work, CV_8U);
    // Beads and links worn over the clothes are specks in the clothes mask; only the cloth itself is kept.
    cv::Mat cloth;
    cv::morphologyEx(clothes.mask, cloth, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_ELLIPSE, {5, 5}));
    double k = scale / clothes.scale;
    cv::Mat to_work = (cv::Mat_<double>(2, 3) << k, 0, (clothes.box.x - box.x) * scale, 0, k, (clothes.box.y - box.y) * scale);
    cv::Mat out;
    cv::warpAffine(cloth, out, to_work, work, cv::INTER_NEAREST, cv::BORDER_CONSTANT, 0);
    return out;
}

// Tinted, and not towards the wall's own hue.
bool tinted_unlike_wall(const cv::Vec3d& colour, const cv::Vec3d& wall) {
    if (std::hypot(colour[1], colour[2]) < tinted_min_chroma) return false;
    if (std::hypot(wall[1], wall[2]) < coloured_wall_min_chroma) return true;
    return hue_apart_deg(hue_degrees(colour[1], colour[2]), hue_degrees(wall[1], wall[2])) >= tint_from_wall_hue_min_deg;
}

// The search area at the work scale, and what is measured on it.
struct Search {
    double scale = 1;   // work pixels per image pixel
    double face_width = 0;  // at the work scale
    cv::Mat lab, lightness, contrast, edge;  // CV_32FC3, CV_32F x3
    cv::Mat points;     // CV_8U: points of light worn on skin
};

Search find_points(const Analysis& a, const cv::Rect& box) {
    const Face& face = *a.face();
    Search s;
    s.scale = std::min(1.0, work_face_width_px / face.face_width_px);
    s.face_width = face.face_width_px * s.scale;
    cv::Size work(std::max(1, cvRound(box.width * s.scale)), std::max(1, cvRound(box.height * s.scale)));
    cv::Mat bgr, zones, surroundings;
    cv::resize(a.bgr()(box), bgr, work, 0, 0, cv::INTER_AREA);
    cv::resize(search_zones(face, box), zones, work, 0, 0, cv::INTER_NEAREST);
    s.lab = to_lab(bgr);
    cv::extractChannel(s.lab, s.lightness, 0);
    cv::morphologyEx(s.lightness, s.contrast, cv::MORPH_TOPHAT,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(1, 1) * odd(point_size * s.face_width)));
    cv::Mat gx, gy;
    cv::Sobel(s.lightness, gx, CV_32F, 1, 0, 1, 0.5);
    cv::Sobel(s.lightness, gy, CV_32F, 0, 1, 1, 0.5);
    cv::magnitude(gx, gy, s.edge);
    cv::medianBlur(bgr, surroundings, odd(surroundings_size * s.face_width));
    cv::Mat surroundings_lab = to_lab(surroundings);
    cv::Vec3d skin = a.skin_colour().median;
    double skin_chroma = std::hypot(skin[1], skin[2]);
    zones &= ~clothes_over(a.clothes(), box, s.scale, work);  // the person mask, last: see rule_table.cpp
    s.points = cv::Mat::zeros(work, CV_8U);
    for (int y = 0; y < work.height; ++y)
        for (int x = 0; x < work.width; ++x) {
            if (!zones.at<uchar>(y, x) || s.contrast.at<float>(y, x) <= point_contrast_min) continue;
            cv::Vec3f q = s.lab.at<cv::Vec3f>(y, x), around = surroundings_lab.at<cv::Vec3f>(y, x);
            bool light_or_gold = q[0] > point_lightness_min || std::hypot(q[1], q[2]) > skin_chroma + point_more_chroma_than_skin;
            bool on_skin = cv::norm(cv::Vec3d(around[0], around[1], around[2]) - skin) < surroundings_from_skin_max_delta_e;
            if (light_or_gold && on_skin) s.points.at<uchar>(y, x) = 255;
        }
    return s;
}

struct Point {
    cv::Rect box;  // work pixels
    int pixels = 0;
    double contrast = 0, lightness = 0, edge = 0;
    cv::Point peak;    // the lightest pixel, work pixels
    cv::Vec3d colour;  // there
};

std::vector<Point> measure_points(const Search& s) {
    cv::Mat labels, stats, centroids;
    int n = cv::connectedComponentsWithStats(s.points, labels, stats, centroids);
    std::vector<Point> points(n);
    for (int k = 1; k < n; ++k) {
        points[k].box = component_box(stats, k);
        points[k].pixels = stats.at<int>(k, cv::CC_STAT_AREA);
    }
    for (int y = 0; y < labels.rows; ++y)
        for (int x = 0; x < labels.cols; ++x)
            if (int k = labels.at<int>(y, x); k > 0) {
                Point& p = points[k];
                p.contrast = std::max<double>(p.contrast, s.contrast.at<float>(y, x));
                p.edge = std::max<double>(p.edge, s.edge.at<float>(y, x));
                if (s.lightness.at<float>(y, x) > p.lightness) {
                    p.lightness = s.lightness.at<float>(y, x);
                    p.peak = cv::Point(x, y);
                    cv::Vec3f q = s.lab.at<cv::Vec3f>(y, x);
                    p.colour = cv::Vec3d(q[0], q[1], q[2]);
                }
            }
    points.erase(points.begin());
    return points;
}

// The pixels within surface_reach of a point's box that are nearly as light as its peak.
int light_around(const Search& s, const Point& p) {
    int reach = cvRound(surface_reach * s.face_width);
    cv::Rect around = (p.box + cv::Size(2 * reach, 2 * reach) - cv::Point(reach, reach)) & cv::Rect(cv::Point(), s.lightness.size());
    return cv::countNonZero(s.lightness(around) >= p.lightness - surface_lightness_below_peak);
}

// Whether the light around a point's peak (connected to it, within glint_light_drop of it) spans further than a
// glint does.
bool light_runs_on(const Search& s, const Point& p) {
    const int span = cvCeil(glint_max_span * s.face_width);
    const cv::Rect window = cv::Rect(p.peak - cv::Point(span + 1, span + 1), cv::Size(2 * span + 3, 2 * span + 3)) & cv::Rect(cv::Point(), s.lightness.size());
    cv::Mat light = s.lightness(window) >= p.lightness - glint_light_drop, labels, stats, centroids;
    cv::connectedComponentsWithStats(light, labels, stats, centroids, 8);
    const int k = labels.at<int>(p.peak - window.tl());
    return std::max(stats.at<int>(k, cv::CC_STAT_WIDTH), stats.at<int>(k, cv::CC_STAT_HEIGHT)) > span;
}

// The share of the pixels around a point (within texture_reach, less its own box and a pixel around it) that
// stand out of their surroundings.
double texture_around(const Search& s, const Point& p) {
    const int reach = cvRound(texture_reach * s.face_width);
    const cv::Rect window = cv::Rect(p.peak - cv::Point(reach, reach), cv::Size(2 * reach + 1, 2 * reach + 1)) & cv::Rect(cv::Point(), s.contrast.size());
    cv::Mat around = cv::Mat(s.contrast(window) > texture_contrast_min), counted(window.size(), CV_8U, cv::Scalar(255));
    const cv::Rect own = ((p.box + cv::Size(2, 2) - cv::Point(1, 1)) & window) - window.tl();
    around(own).setTo(0);
    counted(own).setTo(0);
    const int pixels = cv::countNonZero(counted);
    return pixels > 0 ? static_cast<double>(cv::countNonZero(around)) / pixels : 0;
}

bool is_sparkle(const Search& s, const Point& p, const cv::Vec3d& wall) {
    if (p.pixels < sparkle_min_pixels || p.pixels > std::pow(sparkle_max_side * s.face_width, 2)) return false;
    if (p.contrast < sparkle_contrast_min || p.lightness < sparkle_lightness_min || p.edge < sparkle_edge_min) return false;
    if (p.pixels < sparkle_min_fill * p.box.area() || std::max(p.box.width, p.box.height) > sparkle_max_elongation * std::min(p.box.width, p.box.height))
        return false;
    if (cv::norm(p.colour - wall) <= peak_from_wall_min_delta_e || light_runs_on(s, p) || texture_around(s, p) > textured_max_share) return false;
    if (tinted_unlike_wall(p.colour, wall)) return true;
    return p.lightness >= glint_lightness_min && light_around(s, p) <= max_light_around * p.pixels;
}

// With spectacles, the rows of their lenses (image pixels): a glint there beside the face is the frame's hinge or
// temple arm (wm Henner's); earrings and studs hang lower, at and below the earlobes.
std::optional<std::pair<int, int>> spectacles_rows(const Analysis& a) {
    const Glasses& glasses = a.glasses();
    if (!glasses.present) return std::nullopt;
    int top = a.size().height, bottom = 0;
    for (const Part& lens : glasses.lenses)
        if (!lens.box.empty()) top = std::min(top, lens.box.y), bottom = std::max(bottom, lens.box.br().y);
    if (top >= bottom) return std::nullopt;
    return std::pair{top, bottom};
}

}  // namespace

Finding check_jewelry(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("jewelry");
    cv::Rect box = search_box(*a.face(), a.size());
    if (box.area() == 0) return not_measured("jewelry", {"The ears and neck are not in the frame", "画面中没有耳朵和颈部"});
    Search search = find_points(a, box);
    const auto frame_rows = spectacles_rows(a);
    auto on_spectacles = [&](const Point& p) {
        const double y = box.y + p.peak.y / search.scale;
        return frame_rows && y >= frame_rows->first && y < frame_rows->second;
    };
    std::vector<cv::Rect> sparkles;
    for (const Point& p : measure_points(search))
        if (is_sparkle(search, p, a.wall().mean_lab) && !on_spectacles(p)) sparkles.push_back(p.box);

    double maximum = config.number("max_sparkles");
    int count = static_cast<int>(sparkles.size());
    Finding f = measured("jewelry", count, maximum, "sparkles of metal or stones at the ears and neck", false);
    if (count > maximum) {
        int margin = std::max(2, cvRound(0.03 * search.face_width));
        for (std::size_t i = 0; i < std::min(max_regions, sparkles.size()); ++i) {
            cv::Rect r = sparkles[i] + cv::Size(2 * margin, 2 * margin) - cv::Point(margin, margin);
            f.regions.push_back(box_in_image(r, search.scale, box, a.size()));
        }
    }
    return conclude(f, count <= maximum, config, {"No earrings or necklace seen", "未见耳环、项链"},
                    {"Jewellery at the ears or neck (" + std::to_string(count) + (count == 1 ? " sparkle" : " sparkles") + "): take off earrings, studs and necklaces",
                     "耳部或颈部佩戴首饰（" + std::to_string(count) + " 处反光点）：请摘下耳环、耳钉和项链"});
}

}  // namespace certphoto
