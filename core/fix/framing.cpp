#include "fix/framing.hpp"

#include <cmath>
#include <limits>
#include <optional>

#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "error.hpp"

namespace certphoto {
namespace {

// The output is measured again by the checks, whose head top and landmarks differ from the plan's by a few
// pixels; planning inside the ranges by a share of their width keeps the result inside them. A tight shot
// gives up margin before it gives up rows of the photo.
const std::vector<double> margins_widest_first = {0.15, 0.1, 0.05, 0.0};

Range inner(Range r, double margin_fraction) {
    double margin = (r.max - r.min) * margin_fraction;
    return {r.min + margin, r.max - margin};
}

// The middle of the overlap of two ranges; when they do not overlap, the point between them.
double middle_of_overlap(Range a, Range b) {
    double lo = std::max(a.min, b.min), hi = std::min(a.max, b.max);
    return (lo + hi) / 2;
}

cv::Size output_size_for(const Analysis& a, double target_face_ref_px) {
    const OutputSpec& out = a.preset().output;
    const int step_w = out.aspect_width;
    double largest_by_face = a.face()->face_width_px * a.preset().reference_frame.width / target_face_ref_px;
    double width = std::min<double>(out.preferred_width_px, largest_by_face);
    width = std::clamp(width, out.width_px.min, out.width_px.max);
    int w = static_cast<int>(std::floor(width / step_w)) * step_w;
    if (w < out.width_px.min) w = static_cast<int>(std::ceil(out.width_px.min / step_w)) * step_w;
    int h = w / out.aspect_width * out.aspect_height;
    return {w, h};
}

// The largest scale (output pixels per analysed pixel) that enlarges the file's pixels no more than the preset
// allows; unbounded without the limit.
double largest_scale(const Analysis& a) {
    const RuleConfig* resolution = a.preset().rule("face-resolution");
    const double max_upscale = resolution ? resolution->number_or("max_upscale", 0) : 0;
    return max_upscale > 0 ? max_upscale / a.scale() : std::numeric_limits<double>::infinity();
}

cv::Point2d rotate_about(cv::Point2d p, cv::Point2d centre, double degrees) {
    double r = degrees * CV_PI / 180, c = std::cos(r), s = std::sin(r);
    cv::Point2d d = p - centre;
    return centre + cv::Point2d(c * d.x - s * d.y, s * d.x + c * d.y);
}

}  // namespace

nlohmann::json Framing::audit(double file_scale) const {
    // From the file's pixels: the plan maps the analysed picture, which is the file reduced by file_scale.
    const cv::Matx23d m = to_output;
    const double k = file_scale;
    return {{"output_size", {output_size.width, output_size.height}},
            {"planning_margin", margin_fraction},
            {"feasible", feasible},
            {"scale", std::round(scale * k * 10000) / 10000},
            {"level_degrees", std::round(level_deg * 100) / 100},
            {"affine", {m(0, 0) * k, m(0, 1) * k, m(0, 2), m(1, 0) * k, m(1, 1) * k, m(1, 2)}},
            {"missing_bottom_px", std::round(missing_bottom_px)},
            {"head_top_input_y", std::round(head_top_input_y / k * 10) / 10},
            {"head_top_output_y", std::round(head_top_output_y * 10) / 10}};
}

namespace {

// A scale and the crop's top (input pixels) for it.
struct ScaleAndOffset {
    double scale = 0, offset_y = 0;
    bool feasible = false;
};

// Among scales from `from` to `to`, the first that leaves the least of the frame below the photo (by over half a
// pixel), with the crop's top in the middle of what `offsets_for(scale)` allows and the photo's bottom leaves;
// not feasible (and `from` with the middle of its offsets) when no scale has offsets.
template <typename OffsetsFor>
ScaleAndOffset least_missing_below(double from, double to, const OffsetsFor& offsets_for, double photo_bottom, double out_h) {
    constexpr int scale_steps = 64;
    ScaleAndOffset best{from, offsets_for(from).middle(), false};
    double least_missing = -1;
    for (int i = 0; i <= scale_steps; ++i) {
        double candidate = from + (to - from) * i / scale_steps;
        Range offsets = offsets_for(candidate);
        if (offsets.min > offsets.max) continue;
        double bottom_limited = std::min(offsets.max, photo_bottom - out_h / candidate);
        double chosen = bottom_limited >= offsets.min ? (offsets.min + bottom_limited) / 2 : offsets.min;
        double missing = std::max(0.0, (chosen + out_h / candidate - photo_bottom) * candidate);
        if (least_missing < 0 || missing < least_missing - 0.5) {
            least_missing = missing;
            best = {candidate, chosen, true};
        }
        if (missing == 0) break;
    }
    return best;
}

// p_out = s * (R(-level) (p - eyes_mid) + eyes_mid - crop_top_left)
cv::Matx23d levelled_crop_and_scale(double level_deg, const cv::Point2d& eyes_mid, const cv::Vec2d& crop_top_left, double s) {
    double r = -level_deg * CV_PI / 180, c = std::cos(r), sn = std::sin(r);
    cv::Matx22d rot(c, -sn, sn, c);
    cv::Vec2d t = cv::Vec2d(eyes_mid.x, eyes_mid.y) - rot * cv::Vec2d(eyes_mid.x, eyes_mid.y) - crop_top_left;
    return cv::Matx23d(s * rot(0, 0), s * rot(0, 1), s * t[0], s * rot(1, 0), s * rot(1, 1), s * t[1]);
}

Framing plan_framing_with_margin(const Analysis& a, double margin, double head_top_y, double largest) {
    const Preset& preset = a.preset();
    const Face& face = *a.face();
    const RuleConfig* top_rule = preset.rule("head-top");
    const RuleConfig* eye_rule = preset.rule("eye-line");
    const RuleConfig* size_rule = preset.rule("head-size");
    const RuleConfig* roll_rule = preset.rule("head-roll");
    if (!top_rule || !eye_rule || !size_rule)
        throw Error(ErrorKind::bad_preset, {"Preset " + preset.id + " lacks head-top, eye-line or head-size limits",
                                            "预设 " + preset.id + " 缺少 head-top、eye-line 或 head-size 的限值"});
    Range face_ref = size_rule->range("face_width_px");
    Framing framing;
    framing.margin_fraction = margin;
    framing.output_size = output_size_for(a, face_ref.middle());
    double k = static_cast<double>(framing.output_size.width) / preset.reference_frame.width;
    Range top = inner(top_rule->range("top_px").scaled(k), margin);
    Range eye = inner(eye_rule->range("eye_line_px").scaled(k), margin);
    Range face_out = inner(face_ref.scaled(k), margin);

    double roll = face.pose.roll_deg;
    double fix_max = roll_rule ? roll_rule->number_or("fix_max_degrees", 0) : 0;
    framing.level_deg = std::abs(roll) <= fix_max ? roll : 0;
    cv::Point2d eyes_mid = (cv::Point2d(face.image_left_eye) + cv::Point2d(face.image_right_eye)) / 2;
    // In the levelled photo the eyes stay where they were (rotation about their midpoint).
    cv::Point2d head_top = rotate_about({face.center_x, head_top_y}, eyes_mid, -framing.level_deg);
    framing.head_top_input_y = head_top_y;
    cv::Point2d centre = rotate_about({face.center_x, face.eye_line_y}, eyes_mid, -framing.level_deg);
    double eye_to_top = std::max(1.0, eyes_mid.y - head_top.y);

    Range scale_by_face{face_out.min / face.face_width_px, face_out.max / face.face_width_px};
    Range scale_by_height{(eye.min - top.max) / eye_to_top, (eye.max - top.min) / eye_to_top};
    Range scales{std::max(scale_by_face.min, scale_by_height.min), std::min(scale_by_face.max, scale_by_height.max)};
    const double photo_bottom = a.size().height;  // close enough for the small angles we level
    const double out_h = framing.output_size.height;
    // Crop offsets (top of the frame, input pixels) that put the eyes and the head top in their ranges.
    auto offsets_for = [&](double s) {
        Range by_eye{eyes_mid.y - eye.max / s, eyes_mid.y - eye.min / s};
        Range by_top{head_top.y - top.max / s, head_top.y - top.min / s};
        return Range{std::max(by_eye.min, by_top.min), std::min(by_eye.max, by_top.max)};
    };
    // The middle of every range when the photo allows it. For a tight shot, the enlargement (within the
    // ranges) that leaves the least of the frame below the photo.
    double s_middle = middle_of_overlap(scale_by_face, scale_by_height), s_highest = std::max(scales.max, s_middle);
    if (scales.min <= largest) {  // not enlarged past `largest` when the ranges allow a smaller scale (plan_framing)
        s_middle = std::min(s_middle, largest);
        s_highest = std::min(s_highest, largest);
    }
    const ScaleAndOffset chosen = least_missing_below(s_middle, s_highest, offsets_for, photo_bottom, out_h);
    const double s = chosen.scale, oy = chosen.offset_y;
    framing.feasible = chosen.feasible;
    framing.missing_bottom_px = std::max(0.0, (oy + out_h / s - photo_bottom) * s);
    framing.head_top_output_y = (head_top.y - oy) * s;
    double ox = centre.x - framing.output_size.width / 2.0 / s;
    framing.scale = s;
    framing.to_output = levelled_crop_and_scale(framing.level_deg, eyes_mid, {ox, oy}, s);
    return framing;
}

}  // namespace

const std::vector<double>& planning_margins() { return margins_widest_first; }

Framing plan_framing(const Analysis& a, std::optional<double> head_top_y, std::optional<double> margin_only) {
    Framing framing;
    std::optional<Framing> fallback;
    const std::vector<double> margins = margin_only ? std::vector<double>{*margin_only} : margins_widest_first;
    // The photo is not enlarged past the preset's limit (face-resolution's max_upscale, in the file's pixels)
    // for the middle of a range: pixels made up by interpolation are not the photo's (and their regular pattern
    // reads as a screen's: meds S012's upload, enlarged 1.33 times, failed rephotographed). Only a frame the
    // photo would otherwise not fill (a small, tight photo) is enlarged further, as before.
    for (double largest : {largest_scale(a), std::numeric_limits<double>::infinity()})
        for (double margin : margins) {
            framing = plan_framing_with_margin(a, margin, head_top_y.value_or(a.person().head_top_y), largest);
            if (framing.feasible && !framing.too_tight(a.preset())) return framing;
            if (framing.feasible && !fallback) fallback = framing;
        }
    return fallback ? *fallback : framing;
}

bool Framing::too_tight(const Preset& preset) const { return !feasible || missing_too_much(preset); }

bool Framing::missing_too_much(const Preset& preset) const {
    return missing_bottom_px > preset.fix.max_missing_bottom_fraction * output_size.height;
}

cv::Mat apply_framing(const cv::Mat& image, const Framing& f, int interpolation) {
    // Downscaling first with area averaging keeps fine detail free of aliasing; the warp then only rotates and
    // shifts at output scale.
    cv::Mat source = image;
    cv::Matx23d m = f.to_output;
    if (f.scale < 1) {
        cv::resize(image, source, cv::Size(), f.scale, f.scale, cv::INTER_AREA);
        double ax = static_cast<double>(source.cols) / image.cols, ay = static_cast<double>(source.rows) / image.rows;
        m = cv::Matx23d(m(0, 0) / ax, m(0, 1) / ay, m(0, 2), m(1, 0) / ax, m(1, 1) / ay, m(1, 2));
    }
    cv::Mat out;
    cv::warpAffine(source, out, m, f.output_size, interpolation, cv::BORDER_REPLICATE);
    return out;
}

cv::Mat framing_coverage(cv::Size input_size, const Framing& f) {
    cv::Mat inside(input_size, CV_8U, cv::Scalar(255)), out;
    cv::warpAffine(inside, out, f.to_output, f.output_size, cv::INTER_NEAREST, cv::BORDER_CONSTANT, cv::Scalar(0));
    return out;
}

namespace {

// The last row of column x that the photo covers, or from_row - 1 when it covers none from from_row down.
int last_covered_row(const cv::Mat& coverage, int x, int from_row) {
    int y = coverage.rows - 1;
    while (y >= from_row && !coverage.at<uchar>(y, x)) --y;
    return y;
}

// The clothes' colour in each column at the photo's lower edge: the mean of the last rows the photo covers
// (a few, so one noisy row does not streak), and for columns the photo does not reach, the nearest one's.
constexpr double edge_rows_fraction = 0.015;
// A levelled photo's side edge slants across the frame's columns: the column it ends in is covered to a row far
// above its neighbour's, the photo's lower edge. That column's last rows are the photo's side, not its lower
// edge: canada 053f's, 32 rows short, ended in the tip of a lock of hair on her shoulder, carried into the fill
// beside the photo as a brown block, and mirrored down as a dark line along the photo's edge.
constexpr int side_edge_min_rows = 3;

std::vector<int> lowest_covered_rows(const cv::Mat& coverage, int from_row) {
    std::vector<int> lowest(static_cast<std::size_t>(coverage.cols));
    for (int x = 0; x < coverage.cols; ++x) lowest[static_cast<std::size_t>(x)] = last_covered_row(coverage, x, from_row);
    for (int x = 0; x < coverage.cols; ++x) {
        const int own = lowest[static_cast<std::size_t>(x)];
        const bool beside_lower = (x > 0 && lowest[static_cast<std::size_t>(x - 1)] >= own + side_edge_min_rows) ||
                                  (x + 1 < coverage.cols && lowest[static_cast<std::size_t>(x + 1)] >= own + side_edge_min_rows);
        if (beside_lower) lowest[static_cast<std::size_t>(x)] = from_row - 1;
    }
    return lowest;
}

cv::Mat clothes_at_lower_edge(const cv::Mat& bgr, const cv::Mat& mask, const cv::Mat& coverage, int from_row, std::vector<int>& last_row) {
    int depth = std::max(1, cvRound(edge_rows_fraction * bgr.rows));
    cv::Mat edge(1, bgr.cols, CV_32FC3, cv::Scalar::all(0));
    last_row.assign(bgr.cols, -1);
    const std::vector<int> lowest = lowest_covered_rows(coverage, from_row);
    // A column whose photo ends on wall (a slanting side edge beside the shoulder) has no clothes to carry on,
    // unless no column ends on the person.
    bool person_at_edge = false;
    for (int x = 0; x < bgr.cols && !person_at_edge; ++x) {
        int y = lowest[static_cast<std::size_t>(x)];
        person_at_edge = y >= from_row && mask.at<uchar>(y, x) >= 128;
    }
    for (int x = 0; x < bgr.cols; ++x) {
        int y = lowest[static_cast<std::size_t>(x)];
        if (y < from_row || (person_at_edge && mask.at<uchar>(y, x) < 128)) continue;
        last_row[x] = y;
        cv::Vec3f sum(0, 0, 0);
        int n = 0;
        for (int k = y; k > y - depth && k >= from_row; --k, ++n) sum += cv::Vec3f(bgr.at<cv::Vec3b>(k, x));
        edge.at<cv::Vec3f>(0, x) = sum / std::max(1, n);
    }
    int nearest = -1;
    for (int x = 0; x < bgr.cols; ++x) {
        if (last_row[x] >= 0) nearest = x;
        else if (nearest >= 0) edge.at<cv::Vec3f>(0, x) = edge.at<cv::Vec3f>(0, nearest);
    }
    for (int x = bgr.cols - 1; x >= 0; --x) {
        if (last_row[x] >= 0) nearest = x;
        else if (nearest >= 0) edge.at<cv::Vec3f>(0, x) = edge.at<cv::Vec3f>(0, nearest);
    }
    return edge;
}

// Columns where the photo ends on skin (a V-neck, an open collar, bare shoulders): the skin is this near the
// face's own colour (CIE76, generous: the light on the neck differs from the face's).
constexpr double skin_max_delta_e = 18;
// The clothes beside skin are taken from this far out (fraction of the width): the rim of a neckline is in
// the skin's shadow.
constexpr double skin_rim_fraction = 0.025;

// A neckline the shirt closes below is at most this wide (face widths); wider skin at the photo's lower edge is
// bare shoulders or a low neckline, and continues as it is (canada 053f).
constexpr double neckline_max_face_widths = 1.2;

// A collar's trim the photo ends on is part of the neckline when the neck's skin shows this near above it (face
// widths): canada 119m's crew neck meets the photo's lower edge in its white trim, which ran down the fill as a
// pinkish-white block under his blue T-shirt. A shirt under an open jacket (canada 115m) goes on far higher.
constexpr double trim_below_skin_face_widths = 0.1;

// The columns whose photo ends on skin, and those ending on skin or on a collar's trim with the skin just above.
struct NecklineColumns {
    std::vector<bool> skin, skin_or_trim;
};
NecklineColumns neckline_at_lower_edge(const cv::Mat& bgr, const cv::Mat& edge_bgr, const std::vector<int>& last_row, const cv::Vec3d& skin_lab,
                                       double face_width_px) {
    auto is_skin = [&](const cv::Vec3f& lab) { return cv::norm(cv::Vec3d(lab[0], lab[1], lab[2]) - skin_lab) <= skin_max_delta_e; };
    cv::Mat edge8;
    edge_bgr.convertTo(edge8, CV_8UC3);
    cv::Mat edge_lab = to_lab(edge8);
    NecklineColumns columns{std::vector<bool>(static_cast<std::size_t>(bgr.cols), false), std::vector<bool>(static_cast<std::size_t>(bgr.cols), false)};
    const int above = std::max(1, cvRound(trim_below_skin_face_widths * face_width_px));
    int top = bgr.rows;
    for (int y : last_row)
        if (y >= 0) top = std::min(top, y - above);
    top = std::max(0, top);
    const cv::Mat lab = top < bgr.rows ? to_lab(bgr.rowRange(top, bgr.rows)) : cv::Mat();
    for (int x = 0; x < bgr.cols; ++x) {
        const int last = last_row[static_cast<std::size_t>(x)];
        bool skin = is_skin(edge_lab.at<cv::Vec3f>(0, x)), skin_above = skin;
        for (int y = last; !skin_above && y >= 0 && y >= last - above; --y) skin_above = is_skin(lab.at<cv::Vec3f>(y - top, x));
        columns.skin[static_cast<std::size_t>(x)] = skin;
        columns.skin_or_trim[static_cast<std::size_t>(x)] = skin_above;
    }
    return columns;
}

// CIE Lab of a BGR colour held as floating point (a mean, a fill's colour), rounded to 8 bits first.
cv::Vec3d lab_of_bgr(const cv::Vec3d& bgr) {
    return rgb_to_lab(cv::Vec3b(cv::saturate_cast<uchar>(bgr[2]), cv::saturate_cast<uchar>(bgr[1]), cv::saturate_cast<uchar>(bgr[0])));
}

// The same clothes on both sides of a neckline and its collar's trim: within this CIE76 distance.
constexpr double same_clothes_delta_e = 15;
bool alike(const cv::Vec3f& bgr_a, const cv::Vec3f& bgr_b) { return cv::norm(lab_of_bgr(bgr_a) - lab_of_bgr(bgr_b)) <= same_clothes_delta_e; }

// Runs of the marked columns (grown by the rim) with clothes on both sides, at most neckline_max_face_widths
// wide, and, when `same_clothes`, the same clothes on both sides: each takes the colour of its sides,
// interpolated across.
struct ColumnRun {
    int first, end;  // columns [first, end)
};
std::vector<ColumnRun> close_runs(cv::Mat& out, const cv::Mat& edge_bgr, const std::vector<bool>& marked, double face_width_px, bool same_clothes) {
    std::vector<ColumnRun> closed;
    const std::size_t n = static_cast<std::size_t>(edge_bgr.cols);
    std::vector<bool> run(n, false);
    const int rim = cvRound(skin_rim_fraction * edge_bgr.cols);
    for (int x = 0; x < edge_bgr.cols; ++x)
        if (marked[static_cast<std::size_t>(x)])
            for (int k = std::max(0, x - rim); k <= std::min(edge_bgr.cols - 1, x + rim); ++k) run[static_cast<std::size_t>(k)] = true;
    for (std::size_t x = 0; x < n;) {
        if (!run[x]) {
            ++x;
            continue;
        }
        std::size_t end = x;
        while (end < n && run[end]) ++end;  // columns [x, end)
        const int left = static_cast<int>(x) - 1, right = static_cast<int>(end);
        const bool between_clothes = x > 0 && end < n;
        if (between_clothes && static_cast<double>(end - x) <= neckline_max_face_widths * face_width_px &&
            (!same_clothes || alike(edge_bgr.at<cv::Vec3f>(0, left), edge_bgr.at<cv::Vec3f>(0, right)))) {
            for (std::size_t k = x; k < end; ++k) {
                float t = static_cast<float>(static_cast<int>(k) - left) / static_cast<float>(right - left);
                out.at<cv::Vec3f>(0, static_cast<int>(k)) = edge_bgr.at<cv::Vec3f>(0, left) * (1 - t) + edge_bgr.at<cv::Vec3f>(0, right) * t;
            }
            closed.push_back({static_cast<int>(x), static_cast<int>(end)});
        }
        x = end;
    }
    return closed;
}

// The lower edge's colours with a neckline taken out: a run of skin columns with the same clothes on both sides
// takes the clothes' colour from those sides (a V-neck's shirt closes below it); so does a run of skin and collar's
// trim (canada 119m's crew neck; not 098m's white T-shirt between the white and the dark edges of his open top,
// which became a grey ramp between them). Between unlike sides the skin goes on: canada 026f's neckline, between
// her collar's navy trim and the dark red hair over her other shoulder, closed as a navy-to-maroon band.
// Also the runs of skin it closed (with their rims): the necklines, whose skin goes on a little below the photo.
struct ClothesAcrossNeckline {
    cv::Mat clothes;
    std::vector<ColumnRun> skin;
};
ClothesAcrossNeckline clothes_across_neckline(const cv::Mat& edge_bgr, const NecklineColumns& neckline, double face_width_px) {
    ClothesAcrossNeckline out{edge_bgr.clone(), {}};
    out.skin = close_runs(out.clothes, edge_bgr, neckline.skin, face_width_px, true);
    close_runs(out.clothes, edge_bgr, neckline.skin_or_trim, face_width_px, true);
    return out;
}

// The skin of a wide neckline the shirt closes goes on below the photo's last row, its sides going on as the photo
// shows them over the last rows above it, so the neckline narrows to a rounded tip (or reaches the frame's bottom
// when its sides go down nearly straight). (Closed at the last row, london 062's scoop neck ended in a straight edge across
// her chest; closed in an ellipse no deeper than part of the rows below, 001's and 136's ended in boxes.) A
// narrower neckline is near its bottom where the photo ends (a V's tip, a crew neck's curve, the gap a pendant
// leaves) and closes there: scooped, london 092's V grew a diamond below its tip and canada 115m's crew neck a
// tongue of skin.
constexpr double scoop_min_face_widths = 0.8;
// The sides are read over this many rows above the photo's lower edge (face widths), and go inward at most this
// many columns a row (a side that slants more is not the neckline's: the clothes' shading or a strand of hair).
constexpr double neckline_sides_face_widths = 0.15;
constexpr double neckline_side_max_slope = 2.0;
// The tip is rounded over about this many rows (face widths).
constexpr double neckline_tip_face_widths = 0.05;

// A side of a neckline: its column at row y is x + slope * (y - row).
struct NecklineSide {
    double x = 0, slope = 0;
    int row = 0;
    double at(double y) const { return x + slope * (y - row); }
};

// Where the clothes end on one side of the neckline in each of the rows its sides are read over: the first pixel
// in from beside it that is unlike the clothes' colour there, and stays so for a few columns (a strand of hair
// across the shirt is narrower). As (row, column) points.
constexpr double neckline_side_from_clothes_delta_e = 20;
constexpr double neckline_side_solid_face_widths = 0.04;
std::vector<cv::Point2d> clothes_ends(const cv::Mat& bgr, const cv::Mat& coverage, const cv::Vec3d& clothes_lab, int outer, int inner, int from_row,
                                      int to_row, double face_width_px) {
    const bool left = outer < inner;
    const int solid = std::max(3, cvRound(neckline_side_solid_face_widths * face_width_px));
    const int from_x = std::min(outer, inner), to_x = std::max(outer, inner);
    std::vector<cv::Point2d> points;
    for (int y = std::max(0, from_row); y <= to_row; ++y) {
        if (!coverage.at<uchar>(y, outer) || !coverage.at<uchar>(y, inner)) continue;
        const cv::Mat lab = to_lab(bgr(cv::Rect(from_x, y, to_x - from_x + 1, 1)));
        for (int k = 0, unlike = 0; k < lab.cols; ++k) {
            const int i = left ? k : lab.cols - 1 - k;
            const cv::Vec3f c = lab.at<cv::Vec3f>(0, i);
            unlike = cv::norm(cv::Vec3d(c[0], c[1], c[2]) - clothes_lab) > neckline_side_from_clothes_delta_e ? unlike + 1 : 0;
            if (unlike == solid) {
                points.emplace_back(y, from_x + (left ? i - solid + 1 : i + solid - 1));
                break;
            }
        }
    }
    return points;
}

// A line column = slope * row + intercept through (row, column) points, fitted again without the points more than
// this far off the first fit (the shirt's shading, the end of a strand of hair); none from fewer than 3 points.
constexpr double neckline_side_off_line_px = 3;
std::optional<std::pair<double, double>> line_through(const std::vector<cv::Point2d>& points) {
    auto fit = [](const std::vector<cv::Point2d>& p) -> std::optional<std::pair<double, double>> {
        if (p.size() < 3) return std::nullopt;
        double sy = 0, sx = 0, syy = 0, sxy = 0, n = static_cast<double>(p.size());
        for (const auto& q : p) sy += q.x, sx += q.y, syy += q.x * q.x, sxy += q.x * q.y;
        const double var = syy - sy * sy / n, slope = var > 0 ? (sxy - sy * sx / n) / var : 0;
        return std::pair{slope, sx / n - slope * sy / n};
    };
    const auto first = fit(points);
    if (!first) return std::nullopt;
    std::vector<cv::Point2d> on_line;
    for (const auto& q : points)
        if (std::abs(q.y - (first->first * q.x + first->second)) <= neckline_side_off_line_px) on_line.push_back(q);
    return fit(on_line);
}

// One side of a neckline as the photo's last rows show it; its slope inward (or zero: a side that widens going
// down goes straight on).
std::optional<NecklineSide> neckline_side(const cv::Mat& bgr, const cv::Mat& coverage, const cv::Mat& edge_bgr, const ColumnRun& run, int lowest,
                                          double face_width_px, bool left) {
    const int rows = std::max(3, cvRound(neckline_sides_face_widths * face_width_px));
    const int reach = cvCeil(neckline_side_max_slope * rows);
    const int beside = left ? run.first - 1 : run.end;
    if (beside < 0 || beside >= bgr.cols) return std::nullopt;
    const cv::Vec3d clothes = lab_of_bgr(edge_bgr.at<cv::Vec3f>(0, beside));
    const int outer = std::clamp(left ? run.first - reach : run.end - 1 + reach, 0, bgr.cols - 1);
    const int inner = std::clamp(left ? run.end - 1 : run.first, 0, bgr.cols - 1);
    const auto line = line_through(clothes_ends(bgr, coverage, clothes, outer, inner, lowest - rows, lowest, face_width_px));
    if (!line) return std::nullopt;
    const auto [slope, intercept] = *line;
    const double inward = std::clamp(left ? slope : -slope, 0.0, neckline_side_max_slope);
    return NecklineSide{slope * lowest + intercept, left ? inward : -inward, lowest};
}

// Per column (CV_32F 1 x width), how many rows below the photo's last row a neckline's skin goes on.
cv::Mat neckline_skin_depths(const cv::Mat& bgr, const cv::Mat& coverage, const cv::Mat& edge, const std::vector<int>& last_row,
                             const std::vector<ColumnRun>& necklines, double face_width_px) {
    const int rows = bgr.rows;
    cv::Mat depths(1, static_cast<int>(last_row.size()), CV_32F, cv::Scalar(0));
    for (const ColumnRun& run : necklines) {
        if (run.end - run.first < scoop_min_face_widths * face_width_px) continue;
        int lowest = -1;
        for (int x = run.first; x < run.end; ++x) lowest = std::max(lowest, last_row[static_cast<std::size_t>(x)]);
        if (lowest < 0 || lowest >= rows - 1) continue;
        const auto left = neckline_side(bgr, coverage, edge, run, lowest, face_width_px, true);
        const auto right = neckline_side(bgr, coverage, edge, run, lowest, face_width_px, false);
        if (!left || !right) continue;
        cv::Mat run_depths(1, run.end - run.first, CV_32F, cv::Scalar(0));
        for (int x = run.first; x < run.end; ++x) {
            const int last = last_row[static_cast<std::size_t>(x)];
            if (last < 0) continue;
            // How far below the photo each side crosses this column (a side not going inward never does); where
            // the two meet, the nearer of the two is taken smoothly, so the tip is rounded.
            double below[2] = {double(rows), double(rows)};
            bool outside = false;
            for (bool on_left : {true, false}) {
                const NecklineSide& side = on_left ? *left : *right;
                outside = outside || (on_left ? x < side.at(last) : x > side.at(last));
                if (side.slope != 0) below[on_left] = std::min(double(rows), side.row + (x - side.x) / side.slope - last);
            }
            const double k = neckline_tip_face_widths * face_width_px;
            const double depth = outside ? 0 : -k * std::log(std::exp(-below[0] / k) + std::exp(-below[1] / k));
            run_depths.at<float>(0, x - run.first) = static_cast<float>(std::clamp(depth, 0.0, double(rows - 1 - last)));
        }
        run_depths.copyTo(depths.colRange(run.first, run.end));
    }
    return depths;
}

// How wide (fraction of the output width) the clothes' colour is smoothed across, at the photo's edge and at
// the frame's bottom: the strip starts as the photo ends and fades into the clothes' plain colour.
constexpr double smoothing_at_edge = 1.0 / 16, smoothing_at_bottom = 1.0 / 6;
// The photo's own last pixel fades into that over this share of the height, so the seam does not show.
constexpr double seam_rows_fraction = 0.006;
// Just below the photo's lower edge the clothes go on as the photo shows them above it, mirrored across the
// edge (their weave, folds and shading, and no seam), fading into the smoothed colour over this depth (face
// widths). Not where the strip closes a neckline: a V mirrored would open again below.
constexpr double mirrored_face_widths = 0.2;
constexpr double neckline_closed_delta = 1;  // the strip differs from the edge's colour: a closed neckline
// Only what is like the clothes' colour there is mirrored, less the more it differs (RGB distance): skin inside
// a neckline or a lock of hair mirrored would show as a chevron of its own.
constexpr float mirrored_max_difference = 90;

// Columns change from mirrored to a closed neckline's plain strip over this width (face widths).
constexpr double mirrored_blend_face_widths = 0.06;

// How much of the mirrored photo a fill pixel `depth` rows below the edge takes: all at the edge, none from
// `rows` down, easing out.
float mirrored_share(int depth, int rows) {
    if (rows <= 0) return 0;
    const float t = static_cast<float>(depth - 1) / static_cast<float>(rows);
    return t >= 1 ? 0.f : (1 - t) * (1 - t);
}

// Per column (CV_32F 1 x width), how much of the photo is mirrored below its edge: the columns the photo ends
// in and whose strip is the edge's own colour, blended across into the others.
cv::Mat mirrored_columns(const cv::Mat& edge, const cv::Mat& clothes, const std::vector<int>& last_row, double face_width_px) {
    cv::Mat share(1, edge.cols, CV_32F, cv::Scalar(0));
    for (int x = 0; x < edge.cols; ++x)
        if (last_row[static_cast<std::size_t>(x)] >= 0 && cv::norm(clothes.at<cv::Vec3f>(0, x) - edge.at<cv::Vec3f>(0, x)) < neckline_closed_delta)
            share.at<float>(0, x) = 1;
    const int width = std::max(3, cvRound(mirrored_blend_face_widths * face_width_px) | 1);
    cv::blur(share, share, cv::Size(width, 1), cv::Point(-1, -1), cv::BORDER_REPLICATE);
    for (int x = 0; x < edge.cols; ++x)
        if (last_row[static_cast<std::size_t>(x)] < 0) share.at<float>(0, x) = 0;
    return share;
}

}  // namespace

namespace {

// The edge's colour may differ from the clothes' at the chin by this much (CIE76) and still be the clothes.
constexpr double clothes_edge_max_delta_e = 20;
// ...or from the row below it by this much (CIE76 of the 3x3 means), going up the photo's edge.
constexpr double clothes_edge_max_step = 12;

// The first (or last) column of row y that the photo covers, one pixel in from the interpolated edge; -1 when
// the photo reaches the frame's side in that row or misses the row.
int photo_edge_column(const cv::Mat& coverage, int y, bool left_side) {
    const uchar* row = coverage.ptr<uchar>(y);
    if (left_side) {
        if (row[0]) return -1;
        for (int x = 1; x < coverage.cols; ++x)
            if (row[x]) return std::min(x + 1, coverage.cols - 1);
    } else {
        if (row[coverage.cols - 1]) return -1;
        for (int x = coverage.cols - 2; x >= 0; --x)
            if (row[x]) return std::max(x - 1, 0);
    }
    return -1;
}

// CIE Lab of the mean colour of the 3x3 pixels around (x, y): one pixel of a textured cloth is noisy.
cv::Vec3d lab_at(const cv::Mat& bgr, int y, int x) {
    cv::Rect around = cv::Rect(x - 1, y - 1, 3, 3) & cv::Rect(cv::Point(), bgr.size());
    const cv::Scalar mean = cv::mean(bgr(around));
    return lab_of_bgr(cv::Vec3d(mean[0], mean[1], mean[2]));
}

bool is_person(const cv::Mat& mask, int y, int x) { return mask.at<uchar>(y, x) >= 128; }

// The top of the run of person rows that ends at `bottom` in column x, not above `highest`; -1 when `bottom`
// is not person. `column_of(y)` gives the column to read in row y (the photo's edge may slant).
template <class ColumnOf>
int top_of_lowest_person_run(const cv::Mat& mask, int bottom, int highest, ColumnOf column_of) {
    if (bottom < 0 || column_of(bottom) < 0 || !is_person(mask, bottom, column_of(bottom))) return -1;
    int top = bottom;
    while (top - 1 >= highest && column_of(top - 1) >= 0 && is_person(mask, top - 1, column_of(top - 1))) --top;
    return top;
}

// Beside a tight crop the shoulders go on past the photo's side, falling away from the neck as the photo shows
// them falling: the slope (rows per column outward) of the top of the body over this many face widths inside
// the photo's edge, at most max_shoulder_slope (a shoulder falls at most 45 degrees).
constexpr double shoulder_slope_band = 0.35;
constexpr double max_shoulder_slope = 1.0;

double shoulder_slope(const cv::Mat& mask, const cv::Mat& coverage, int edge_x, bool left_side, int highest, double face_width_px) {
    const int inward = left_side ? 1 : -1, band = cvRound(shoulder_slope_band * face_width_px);
    double sum_d = 0, sum_t = 0, sum_dd = 0, sum_dt = 0;
    int n = 0;
    for (int k = 0; k <= band; ++k) {
        const int x = edge_x + inward * k;
        if (x < 0 || x >= mask.cols) break;
        const int top = top_of_lowest_person_run(mask, last_covered_row(coverage, x, 0), highest, [x](int) { return x; });
        if (top < 0) continue;
        const double d = -k;  // outward distance: inside the edge, negative
        sum_d += d;
        sum_t += top;
        sum_dd += d * d;
        sum_dt += d * top;
        ++n;
    }
    if (n < 5) return 0;
    const double var = sum_dd - sum_d * sum_d / n;
    if (var <= 0) return 0;
    return std::clamp((sum_dt - sum_d * sum_t / n) / var, 0.0, max_shoulder_slope);
}

// Where the clothes begin at the photo's edge on one side (a row and the edge's column there), when the photo
// does not reach the frame's side below the chin.
struct ClothesAtEdge {
    int top;
    int edge_x;
};

std::optional<ClothesAtEdge> clothes_at_side_edge(const cv::Mat& bgr, const cv::Mat& mask, const cv::Mat& coverage, int chin, int highest,
                                                  bool left_side) {
    auto edge_of = [&](int y) { return photo_edge_column(coverage, y, left_side); };
    // The clothes' colour on this side: the photo's edge at its lowest row, which the fill below continues.
    int lowest = bgr.rows - 1;
    while (lowest > chin && edge_of(lowest) < 0) --lowest;
    if (edge_of(lowest) < 0) return std::nullopt;
    const cv::Vec3d clothes = lab_at(bgr, lowest, edge_of(lowest));
    ClothesAtEdge start{chin, edge_of(chin)};
    cv::Vec3d row_below = clothes;
    for (int y = chin; y >= highest; --y) {
        int x = edge_of(y);
        if (x < 0 || !is_person(mask, y, x)) break;
        // The clothes' colour, or a row's colour changing gradually from the one below: a hood lit towards its
        // top (canada 024f) is still the hood; hair meeting the clothes is a jump.
        const cv::Vec3d here = lab_at(bgr, y, x);
        const bool first_row = y == chin;
        if (cv::norm(here - clothes) > clothes_edge_max_delta_e && (first_row || cv::norm(here - row_below) > clothes_edge_max_step)) break;
        row_below = here;
        start = {y, x};
    }
    if (start.top == chin) {
        // The edge below the chin may show hair or wall before the clothes (canada 053f: hair, then wall): the
        // clothes start where the person at the photo's edge last begins.
        int body = top_of_lowest_person_run(mask, lowest, chin, edge_of);
        if (body < 0) return std::nullopt;
        start = {body, edge_of(body)};
    }
    if (start.edge_x < 0) return std::nullopt;
    return start;
}

}  // namespace

std::vector<int> clothes_from_rows(const cv::Mat& bgr, const cv::Mat& mask, const cv::Mat& coverage, int chin_y_out, double reach_px,
                                   double face_width_px) {
    int chin = std::clamp(chin_y_out, 0, bgr.rows);
    std::vector<int> from(static_cast<std::size_t>(bgr.cols), chin);
    if (chin >= bgr.rows) return from;
    const int highest = std::max(0, cvRound(chin - reach_px));
    for (bool left_side : {true, false}) {
        std::optional<ClothesAtEdge> start = clothes_at_side_edge(bgr, mask, coverage, chin, highest, left_side);
        if (!start) continue;
        const double slope = shoulder_slope(mask, coverage, start->edge_x, left_side, highest, face_width_px);
        for (int x = 0; x < bgr.cols; ++x) {
            if (left_side ? x >= start->edge_x : x <= start->edge_x) continue;
            int line = std::min(bgr.rows, start->top + cvRound(slope * std::abs(x - start->edge_x)));
            // Below the photo's lower edge (a column the slanting photo still covers below the chin) the clothes go on.
            const int last = last_covered_row(coverage, x, chin);
            if (last >= chin) line = std::min(line, last + 1);
            from[static_cast<std::size_t>(x)] = line;
        }
    }
    return from;
}

namespace {

// The clothes continued outside the photo, pixel by pixel: below it each column carries on the colour the photo
// ends with, smoothed across more the further it goes (so the seam does not show and no streaks of repeated pixels
// run down), the photo mirrored across its last row just below it, and a neckline's skin; beside it (a tight
// shot's lower corners) the photo mirrored across its side edge. It reads only pixels the photo covers.
class ClothesBeyondPhoto {
public:
    ClothesBeyondPhoto(const cv::Mat& bgr, const cv::Mat& mask, const cv::Mat& coverage, int chin, const cv::Vec3d& skin_lab,
                       double face_width_px)
        : bgr_(bgr), mask_(mask), coverage_(coverage), chin_(chin), mirrored_px_(cvRound(mirrored_face_widths * face_width_px)),
          left_edge_(static_cast<std::size_t>(bgr.rows)), right_edge_(static_cast<std::size_t>(bgr.rows)) {
        const cv::Mat edge = clothes_at_lower_edge(bgr, mask, coverage, chin, last_row_);
        // The skin of a neckline is not carried down: the strip is the clothes' colour, continued across it, and a
        // wide neckline goes on below the photo as its sides go.
        const ClothesAcrossNeckline closed =
            clothes_across_neckline(edge, neckline_at_lower_edge(bgr, edge, last_row_, skin_lab, face_width_px), face_width_px);
        neckline_depths_ = neckline_skin_depths(bgr, coverage, edge, last_row_, closed.skin, face_width_px);
        near_ = smoothed(closed.clothes, smoothing_at_edge);
        far_ = smoothed(closed.clothes, smoothing_at_bottom);
        mirrored_ = mirrored_columns(edge, closed.clothes, last_row_, face_width_px);
        for (int y = 0; y < bgr.rows; ++y) {
            left_edge_[static_cast<std::size_t>(y)] = photo_edge_column(coverage, y, true);
            right_edge_[static_cast<std::size_t>(y)] = photo_edge_column(coverage, y, false);
        }
    }

    // The last row the photo covers in column x (-1: none).
    int last_row(int x) const { return last_row_[static_cast<std::size_t>(x)]; }

    // The fill's colour at (x, y), in a column whose fill starts at row `start`.
    cv::Vec3b at(int y, int x, int start) const {
        const int last = last_row(x);
        // The mirror fades out before it would reach the chin.
        const int mirrored_rows = std::min(mirrored_px_, last - chin_);
        float depth = static_cast<float>(y - start + 1);
        float t = depth / static_cast<float>(std::max(1, bgr_.rows - start));
        cv::Vec3f c = near_.at<cv::Vec3f>(0, x) * (1 - t) + far_.at<cv::Vec3f>(0, x) * t;
        if (last >= 0 && !mirror_in(c, last - (y - last - 1), x, mirrored_.at<float>(0, x) * mirrored_share(y - last, mirrored_rows))) {
            const float own = std::exp(-depth / static_cast<float>(seam_rows_fraction * bgr_.rows));
            c = cv::Vec3f(bgr_.at<cv::Vec3b>(last, x)) * own + c * (1 - own);
        }
        if (last >= 0) in_neckline(c, y, x, last);
        else beside_photo(c, y, x);
        return cv::Vec3b(cv::saturate_cast<uchar>(c[0]), cv::saturate_cast<uchar>(c[1]), cv::saturate_cast<uchar>(c[2]));
    }

private:
    cv::Mat smoothed(const cv::Mat& clothes, double fraction) const {
        cv::Mat out;
        int width = std::max(3, cvRound(bgr_.cols * fraction) | 1);
        cv::GaussianBlur(clothes, out, cv::Size(width, 1), 0, 0, cv::BORDER_REPLICATE);
        return out;
    }

    // Mixes the photo's pixel (x, y) into c by `share`, less the more it differs; false when nothing is mixed.
    bool mirror_in(cv::Vec3f& c, int y, int x, float share) const {
        if (share <= 0 || !coverage_.at<uchar>(y, x) || !is_person(mask_, y, x)) return false;
        const cv::Vec3f source(bgr_.at<cv::Vec3b>(y, x));
        share *= std::max(0.f, 1 - static_cast<float>(cv::norm(source - c)) / mirrored_max_difference);
        c = source * share + c * (1 - share);
        return share > 0;
    }

    // A neckline's skin, the photo mirrored across its last row, down to the neckline's depth there (its edge
    // drawn across one pixel).
    void in_neckline(cv::Vec3f& c, int y, int x, int last) const {
        const float share = std::clamp(neckline_depths_.at<float>(0, x) - static_cast<float>(y - last) + 0.5f, 0.f, 1.f);
        const int source = std::max(0, last - (y - last - 1));
        if (share > 0) c = cv::Vec3f(bgr_.at<cv::Vec3b>(coverage_.at<uchar>(source, x) ? source : last, x)) * share + c * (1 - share);
    }

    // Beside the photo the clothes go on as the photo shows them inside its side edge in the same row, mirrored
    // across it, fading out over the same depth as below it.
    void beside_photo(cv::Vec3f& c, int y, int x) const {
        for (bool left_side : {true, false}) {
            const int edge = (left_side ? left_edge_ : right_edge_)[static_cast<std::size_t>(y)];
            if (edge < 0 || (left_side ? x >= edge : x <= edge)) continue;
            const int away = std::abs(x - edge), source = left_side ? edge + away - 1 : edge - away + 1;
            if (source >= 0 && source < bgr_.cols) mirror_in(c, y, source, mirrored_share(away, mirrored_px_));
            return;
        }
    }

    const cv::Mat& bgr_;
    const cv::Mat& mask_;
    const cv::Mat& coverage_;
    int chin_;
    int mirrored_px_;
    std::vector<int> last_row_;
    std::vector<int> left_edge_, right_edge_;
    cv::Mat neckline_depths_, near_, far_, mirrored_;
};

}  // namespace

int fill_outside_photo(cv::Mat& bgr, cv::Mat& mask, const cv::Mat& coverage, const std::vector<int>& clothes_from, int chin_y_out,
                       const cv::Vec3d& skin_lab, double face_width_px) {
    cv::Mat outside = coverage == 0;
    int filled = cv::countNonZero(outside);
    if (filled == 0) return 0;
    int chin = std::clamp(chin_y_out, 0, bgr.rows);
    for (int x = 0; x < bgr.cols; ++x)
        for (int y = 0; y < clothes_from[static_cast<std::size_t>(x)]; ++y)
            if (outside.at<uchar>(y, x)) mask.at<uchar>(y, x) = 0;
    const ClothesBeyondPhoto clothes(bgr, mask, coverage, chin, skin_lab, face_width_px);
    for (int x = 0; x < bgr.cols; ++x) {
        const int last = clothes.last_row(x);
        int start = last >= 0 ? std::max(chin, last + 1) : clothes_from[static_cast<std::size_t>(x)];
        for (int y = start; y < bgr.rows; ++y)
            if (outside.at<uchar>(y, x)) bgr.at<cv::Vec3b>(y, x) = clothes.at(y, x, start);
    }
    return filled;
}

}  // namespace certphoto
