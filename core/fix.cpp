#include "fix.hpp"

#include <opencv2/imgproc.hpp>

#include "error.hpp"
#include "fix/background.hpp"
#include "fix/framing.hpp"
#include "fix/relight.hpp"
#include "rules/exposure.hpp"
#include "rules/rule.hpp"
#include "color.hpp"
#include "color_management.hpp"
#include "jpeg_writer.hpp"
#include "stage_times.hpp"

namespace certphoto {
namespace {

// Rules named for a person: what each asks for, in the message's language, with its id (the report's key).
Message rules_named(const std::vector<std::string>& ids) {
    Message list;
    for (const std::string& id : ids) {
        const Rule* rule = find_rule(id);
        const Message title = rule ? rule->title : Message{id, id};
        list.en += (list.en.empty() ? "" : ", ") + title.en + " (" + id + ")";
        list.zh += (list.zh.empty() ? "" : "、") + title.zh + "（" + id + "）";
    }
    return list;
}

Message needs_reshoot(const Report& report) {
    std::vector<std::string> ids;
    for (const auto& c : report.checks)
        if (c.status == Status::fail && !c.fixable) ids.push_back(c.id);
    const Message unmet = rules_named(ids);
    return {"Needs a reshoot, fix cannot repair: " + unmet.en, "需要重拍，无法自动修复：" + unmet.zh};
}

// Without one face there is nothing to frame. A photo on its side needs turning, not a reshoot: face-count
// says which way.
Message without_one_face(const Analysis& a, const Report& report) {
    if (a.quarter_turns_to_upright())
        for (const auto& c : report.checks)
            if (c.id == "face-count") return c.message;
    return needs_reshoot(report);
}

struct Rendered {
    cv::Mat bgr;
    cv::Mat matte;
    cv::Mat above_photo;  // the frame above the photo's top edge (FramedPhoto::above_photo)
    std::vector<Edit> edits;
};

// Above the photo's top edge: see clear_above_photo in fix_photo.
constexpr float min_visible_alpha = 0.02f;
Rendered render(const Analysis& a, const Framing& framing, const cv::Mat& photo, bool clear_above_photo = false) {
    StageTimer timer("frame");
    FramedPhoto framed = frame_photo(a, framing, photo);
    cv::Mat known_wall = clear_above_photo ? framed.outside_wall | framed.above_photo : framed.outside_wall;
    BackgroundResult background = replace_background(framed.bgr, framed.person_mask, a.preset().background_rgb, 1.0,
                                                     {framed.pocket_zone, framed.strand_zone, known_wall, framed.clothes_zone, a.skin_colour().median});
    Rendered out{background.bgr, background.alpha, framed.above_photo, std::move(framed.edits)};
    out.edits.push_back({"replace-background", background.audit});
    return out;
}

struct Encoded {
    Bytes jpeg;
    CheckedPhoto check;
    cv::Mat matte;
    cv::Mat above_photo;
    std::vector<Edit> edits;
};

Encoded encode_and_check(const Analysis& a, Rendered rendered, const std::string& name) {
    EncodedJpeg jpeg = [&] {
        StageTimer timer("encode");
        return encode_for_preset(rendered.bgr, a.preset().output);
    }();
    rendered.edits.push_back({"encode-jpeg", jpeg.audit()});
    rendered.edits.push_back({"colour", {{"profile", srgb_profile_name}, {"intent", "perceptual"}}});
    CheckedPhoto check = check_image(decode_image(jpeg.bytes, a.preset().input), name, a.preset());
    return {std::move(jpeg.bytes), std::move(check), rendered.matte, rendered.above_photo, std::move(rendered.edits)};
}

// The output's own head-top measurement is the one the checks use; when it differs from the plan enough to
// fail, the plan is corrected by the measured error. A narrow hair bun or a loose strand is seen only once
// the frame leaves room for it, so the correction may take a few rounds.
constexpr int max_head_top_corrections = 3;
constexpr double head_top_correction_safety = 0.05;  // of the head-top range
constexpr double min_head_top_safety_px = 1.0;
std::optional<double> corrected_head_top(const Framing& framing, const Report& output) {
    for (const auto& c : output.checks)
        if (c.id == "head-top" && c.status == Status::fail && c.value.is_number() && c.limit.is_array()) {
            double measured = c.value.get<double>(), min = c.limit[0].get<double>(), max = c.limit[1].get<double>();
            // Aim a little inside the range, so the next measurement's own noise does not miss it again; after a
            // near miss by no more than the miss (at least 1 px): london 001's frame, at the edge of its ranges,
            // missed by 0.1 px and, aimed 3 px inside, overshot until her face was 179 px wide for 180.
            double miss = measured < min ? min - measured : measured - max;
            double safety = std::min(head_top_correction_safety * (max - min), std::max(min_head_top_safety_px, miss));
            double wanted = measured < min ? min + safety : max - safety;
            // The hair top as the output sees it, moved so that the plan's placement puts it at `wanted`.
            return framing.head_top_input_y + (measured - wanted) / framing.scale;
        }
    return std::nullopt;
}

// Lighting-only output keeps the photo's own size, so the preset's file-size range does not apply; this
// quality keeps the detail without visible loss.
constexpr int lighting_only_jpeg_quality = 95;

cv::Point to_frame_point(const cv::Matx23d& to_frame, cv::Point2d q) {
    cv::Vec3d h(q.x, q.y, 1);
    return cv::Point(cvRound(to_frame.row(0).dot(h.t())), cvRound(to_frame.row(1).dot(h.t())));
}

// The face from the chin to the hairline, in the frame `to_frame` maps into.
constexpr double face_zone_above_brows = 0.3;  // face widths: the forehead up to the hairline
std::vector<cv::Point> face_hull(const Face& face, const cv::Matx23d& to_frame) {
    std::vector<cv::Point> outline, hull;
    for (cv::Point2f q : landmark::face_outline(face.landmarks.points, static_cast<float>(face_zone_above_brows * face.face_width_px)))
        outline.push_back(to_frame_point(to_frame, q));
    cv::convexHull(outline, hull);
    return hull;
}

// The rows from `y` down (the clothes' zone below the chin: BackgroundZones::clothes).
cv::Mat rows_from(cv::Size size, int y) {
    cv::Mat zone = cv::Mat::zeros(size, CV_8U);
    zone.rowRange(std::clamp(y, 0, size.height), size.height).setTo(255);
    return zone;
}

// Where GrabCut may have taken in pockets of wall enclosed by hair and ears: the head above the chin, less the
// face (the whites of the eyes can be as light and grey as a wall). In the frame `to_frame` maps into.
cv::Mat head_pocket_zone(const Analysis& a, const cv::Matx23d& to_frame, cv::Size frame) {
    cv::Mat zone = cv::Mat::zeros(frame, CV_8U);
    int chin_y = to_frame_point(to_frame, a.face()->landmarks.points[landmark::chin]).y;
    if (chin_y <= 0) return zone;
    zone.rowRange(0, std::min(chin_y, frame.height)).setTo(255);
    cv::fillConvexPoly(zone, face_hull(*a.face(), to_frame), 0);
    return zone;
}

// Where the hair's strands are unmixed from the wall (BackgroundZones::strands): the pocket zone beside the head
// down to the ears, less what rules read on the upload and a few pixels of hair there would tip:
// - the hair just beside the face (the landmarks' jaw outline, from which the face width comes, lies on it: london
//   001's frame, at the edge of its ranges, read 179 px for 180);
// - above the hairline, the columns over the middle of the face, where head-top finds the hair's top and fix
//   corrects its framing by it (001's curl, thinned, was read 14 px lower);
// - the ears in their bands, which stay as shot (an ear half behind strands, london 087, is what ears-visible
//   reads): the band's pixels near the skin's colour, and a rim around them; the rest of the band (the wall's
//   light between curls beside the ear, london 062) is hair's strands like the band above it;
// - below the ears, hair lying on the shoulders and the clothes (london 129's upload read 15.8 degrees of
//   shoulders).
constexpr double strands_off_face = 0.05;            // face widths
constexpr double head_top_columns_half_width = 0.35;  // face widths; head-top reads 0.3 either side
constexpr double ear_skin_delta_e = 25;               // CIE76 from the face's median skin
constexpr double ear_rim = 0.03;                      // face widths
// ...and within this distance in a*b* alone: black hair is as near a dark skin's colour as an ear in shadow is
// (london 062: curls at L* 10-16 against her skin's 30), but grey, where skin of any tone is warm.
constexpr double ear_skin_chromaticity_delta = 8;

// Leaves out of `zone` the pixels of a convex polygon near the skin's colour, grown by `rim` pixels within it.
void leave_out_skin(cv::Mat& zone, const cv::Mat& bgr, const std::vector<cv::Point>& polygon, const cv::Vec3d& skin_lab, int rim) {
    const cv::Rect box = cv::boundingRect(polygon) & cv::Rect(cv::Point(), bgr.size());
    if (box.empty()) return;
    std::vector<cv::Point> in_box;
    for (const cv::Point& q : polygon) in_box.push_back(q - box.tl());
    cv::Mat inside = cv::Mat::zeros(box.size(), CV_8U);
    cv::fillConvexPoly(inside, in_box, 255);
    const cv::Mat lab = to_lab(bgr(box));
    cv::Mat near = (lab_distance(lab, skin_lab) < ear_skin_delta_e) & (chromaticity_distance(lab, skin_lab) < ear_skin_chromaticity_delta) & inside;
    cv::dilate(near, near, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * rim + 1, 2 * rim + 1}));
    zone(box).setTo(0, near & inside);
}

cv::Mat head_strand_zone(const Analysis& a, const cv::Mat& pocket_zone, const cv::Matx23d& to_frame, const cv::Mat& framed_bgr) {
    const auto& p = a.face()->landmarks.points;
    cv::Point jaw_left = to_frame_point(to_frame, p[landmark::jaw_first]), jaw_right = to_frame_point(to_frame, p[landmark::jaw_last]);
    const double face_width = cv::norm(jaw_right - jaw_left), centre_x = (jaw_left.x + jaw_right.x) / 2.0;
    cv::Mat zone = pocket_zone.clone(), near_face = cv::Mat::zeros(zone.size(), CV_8U);
    std::vector<cv::Point> face = face_hull(*a.face(), to_frame);
    // The face's hull grown by a disc: filled, and outlined with a line as thick as the disc (round ends); a
    // dilation by a kernel that wide took seconds on a full-size layer.
    cv::fillConvexPoly(near_face, face, 255);
    cv::polylines(near_face, face, true, 255, 2 * std::max(1, cvRound(strands_off_face * face_width)) + 1);
    zone.setTo(0, near_face);

    int hairline = std::min_element(face.begin(), face.end(), [](cv::Point l, cv::Point r) { return l.y < r.y; })->y;
    double half = head_top_columns_half_width * face_width;
    cv::Rect over_head(cv::Point(cvRound(centre_x - half), 0), cv::Point(cvRound(centre_x + half), std::max(0, hairline)));
    zone(over_head & cv::Rect(cv::Point(), zone.size())).setTo(0);

    int below_ears = 0;
    for (bool image_left : {true, false}) {
        cv::Rect2d ear = ear_band(*a.face(), image_left);
        std::vector<cv::Point> corners;
        for (cv::Point2d q : {ear.tl(), cv::Point2d(ear.br().x, ear.y), ear.br(), cv::Point2d(ear.x, ear.br().y)})
            corners.push_back(to_frame_point(to_frame, q));
        leave_out_skin(zone, framed_bgr, corners, a.skin_colour().median, std::max(1, cvRound(ear_rim * face_width)));
        for (const cv::Point& q : corners) below_ears = std::max(below_ears, q.y + 1);
    }
    zone.rowRange(std::clamp(below_ears, 0, zone.rows), zone.rows).setTo(0);
    return zone;
}

// Outside the photo above the clothes (clothes_from, per column: the chin, or the shoulders where they reach the
// photo's side) is wall, whatever the frame repeats there (a lock of hair cut by the photo's edge repeats as a
// streak). Split into what is beside the photo and what is above its top edge.
void outside_photo_above_clothes(const cv::Mat& coverage, const std::vector<int>& clothes_from, cv::Mat& beside, cv::Mat& above) {
    beside = cv::Mat::zeros(coverage.size(), CV_8U);
    above = cv::Mat::zeros(coverage.size(), CV_8U);
    for (int x = 0; x < coverage.cols; ++x) {
        int clothes = std::clamp(clothes_from[static_cast<std::size_t>(x)], 0, coverage.rows);
        int photo_top = 0;
        while (photo_top < clothes && !coverage.at<uchar>(photo_top, x)) ++photo_top;
        if (photo_top == clothes) photo_top = 0;  // the photo does not reach this column above the clothes
        for (int y = 0; y < clothes; ++y)
            if (!coverage.at<uchar>(y, x)) (y < photo_top ? above : beside).at<uchar>(y, x) = 255;
    }
}

// A strip of wall this narrow (face widths) beside the frame's side, below the chin, running down this far, is
// clothes the coarse matte cut at a seam (london 025: the frame's edge falls just past her shoulder's seam, and
// the sleeve beyond it, as pale as the wall, was left out: a blue line 3-6 px wide down the upload's side). A gap
// that thin between an arm and the frame's side would be within the matte's own error anyway.
constexpr double side_sliver_max_face_widths = 0.04;
constexpr double side_sliver_min_rows_face_widths = 0.1;

// The person mask (framed, 0-255) closed over such strips: per side, each vertical run of rows from `from_y`
// down whose wall beside the frame's side is 1 to max_width pixels wide.
void close_side_slivers(cv::Mat& mask, int from_y, double face_width_px) {
    const int max_width = std::max(1, cvRound(side_sliver_max_face_widths * face_width_px));
    const int min_rows = std::max(2, cvRound(side_sliver_min_rows_face_widths * face_width_px));
    const int first = std::clamp(from_y, 0, mask.rows);
    for (bool left_side : {true, false}) {
        // Per row from `first`, the wall's width beside the frame's side, counted up to max_width + 1.
        std::vector<int> widths;
        for (int y = first; y < mask.rows; ++y) {
            int width = 0;
            while (width <= max_width && width < mask.cols && mask.at<uchar>(y, left_side ? width : mask.cols - 1 - width) < 128) ++width;
            widths.push_back(width);
        }
        auto is_sliver = [&](std::size_t i) { return i < widths.size() && widths[i] >= 1 && widths[i] <= max_width; };
        for (std::size_t start = 0; start < widths.size(); ++start) {
            if (!is_sliver(start)) continue;
            std::size_t end = start;
            while (is_sliver(end)) ++end;
            if (static_cast<int>(end - start) >= min_rows)
                for (std::size_t i = start; i < end; ++i) {
                    const int w = widths[i];
                    mask.row(first + static_cast<int>(i)).colRange(left_side ? 0 : mask.cols - w, left_side ? w : mask.cols).setTo(255);
                }
            start = end;
        }
    }
}

// How far above the chin the shoulders of a tight crop may reach the photo's side, in face widths.
constexpr double shoulders_above_chin = 0.5;

int chin_row_in_output(const Analysis& a, const Framing& framing) {
    return to_frame_point(framing.to_output, a.face()->landmarks.points[landmark::chin]).y;
}

}  // namespace

FramedPhoto frame_photo(const Analysis& a, const Framing& framing, const cv::Mat& photo) {
    FramedPhoto out;
    out.edits.push_back({"frame", framing.audit(a.scale())});
    out.bgr = apply_framing(photo.empty() ? a.bgr() : photo, framing, cv::INTER_CUBIC);
    out.person_mask = apply_framing(a.matte_person_at_image_size(), framing, cv::INTER_LINEAR);
    int chin_y_out = chin_row_in_output(a, framing);
    cv::Mat coverage = framing_coverage(a.size(), framing);
    const double face_width_out = a.face()->face_width_px * framing.scale;
    std::vector<int> clothes_from =
        clothes_from_rows(out.bgr, out.person_mask, coverage, chin_y_out, shoulders_above_chin * face_width_out, face_width_out);
    outside_photo_above_clothes(coverage, clothes_from, out.outside_wall, out.above_photo);
    int filled = fill_outside_photo(out.bgr, out.person_mask, coverage, clothes_from, chin_y_out, a.skin_colour().median, face_width_out);
    if (filled > 0) out.edits.push_back({"fill-outside-photo", {{"pixels", filled}, {"below_y", chin_y_out}}});
    close_side_slivers(out.person_mask, chin_y_out, face_width_out);
    out.pocket_zone = head_pocket_zone(a, framing.to_output, out.bgr.size());
    out.strand_zone = head_strand_zone(a, out.pocket_zone, framing.to_output, out.bgr);
    out.clothes_zone = rows_from(out.bgr.size(), chin_y_out);
    return out;
}

cv::Mat replace_background_in_place(const Analysis& a, const cv::Vec3b& rgb, double edge_softness) {
    BackgroundZones zones;
    if (a.face()) {
        const cv::Matx23d same(1, 0, 0, 0, 1, 0);
        zones.pockets = head_pocket_zone(a, same, a.size());
        zones.strands = head_strand_zone(a, zones.pockets, same, a.bgr());
        zones.clothes = rows_from(a.size(), cvRound(a.face()->landmarks.points[landmark::chin].y));
        zones.skin_lab = a.skin_colour().median;
    }
    return replace_background(a.bgr(), a.matte_person_at_image_size(), rgb, edge_softness, zones).bgr;
}

namespace {

// Relighting may burn out up to this share of exposure-bright's limit of the skin.
constexpr double headroom_share_of_limit = 0.5;

bool lighting_passes(const Report& report) {
    for (const auto& c : report.checks)
        if ((c.id == "lighting-even" || c.id == "exposure-dark" || c.id == "exposure-bright") && c.status == Status::fail)
            return false;
    return true;
}

// The lighting-even rule decides whether the light is uneven and the exposure-dark rule whether the face is
// too dark, and whether fix may correct them; fix only acts.
RelightPlan planned_relight(const Analysis& a, const Report& report) {
    auto repairs = [&](const char* id, bool on_warn) {
        for (const auto& c : report.checks)
            if (c.id == id) return c.fixable && (c.status == Status::fail || (on_warn && c.status == Status::warn));
        return false;
    };
    RelightPlan plan;
    if (repairs("lighting-even", true)) plan = plan_relight(a, 1.0, a.preset().fix.relight_max_stops);
    if (repairs("exposure-dark", false)) plan = with_exposure(plan, stops_fix_will_expose(a));
    // Not at the cost of burnt-out skin: no more than the photo had, or half of what exposure-bright allows.
    const RuleConfig* bright = a.preset().rule("exposure-bright");
    if (plan.needed && bright)
        plan = within_headroom(a, plan, std::max(clipped_skin_after(a, RelightPlan{}), headroom_share_of_limit * bright->number("max_clipped_fraction")));
    return plan;
}

cv::Mat relit(const Analysis& a, const RelightPlan& relight) {
    StageTimer timer("relight");
    return relight.needed ? apply_relight(a.bgr(), a.matte_person_at_image_size(), relight) : a.bgr();
}

// Teaching-site staff may correct the light and nothing else: the photo keeps its size, framing and wall.
FixedPhoto relight_only(FixedPhoto fixed, const FixOptions&) {
    const Analysis& a = *fixed.input.analysis;
    RelightPlan relight = planned_relight(a, fixed.input.report);
    cv::Mat photo = relit(a, relight);
    fixed.jpeg = encode_jpeg(photo, lighting_only_jpeg_quality, a.preset().output.dpi);
    fixed.edits.push_back({"relight", relight.needed ? relight.audit(a.size().width)
                                                     : nlohmann::json{{"applied", false},
                                                                      {"cheek_difference_stops_before", a.lighting().cheek_difference_stops()}}});
    fixed.edits.push_back({"encode-jpeg", {{"quality", lighting_only_jpeg_quality}}});
    fixed.edits.push_back({"colour", {{"profile", srgb_profile_name}, {"intent", "perceptual"}}});
    fixed.output = check_image(decode_image(fixed.jpeg, a.preset().input), fixed.input.report.file, a.preset());
    fixed.output_passes = lighting_passes(fixed.output.report);
    return fixed;
}

}  // namespace

namespace {

// A frame planned for the photo, and its upload encoded and checked.
struct Framed {
    Encoded encoded;
    Framing planned;
};

std::size_t failing_count(const Framed& framed) { return framed.encoded.check.report.failing_rule_ids().size(); }

// The output's own head-top measurement is checked and the plan corrected (corrected_head_top), while a
// correction fails no more rules. `margin`: corrections keep the start's planning margin.
Framed with_head_top_corrections(const Analysis& a, const cv::Mat& photo, const Framing& start, std::optional<double> margin,
                                 bool clear_above_photo, const std::string& file, bool force) {
    Framed best{encode_and_check(a, render(a, start, photo, clear_above_photo), file), start};
    for (int i = 0; i < max_head_top_corrections; ++i) {
        auto head_top = corrected_head_top(best.planned, best.encoded.check.report);
        if (!head_top) break;
        Framing corrected = plan_framing(a, head_top, margin);
        // The plan's own feasibility is an estimate; the output's check decides. Only a frame that reaches too
        // far below the photo is not tried.
        if (corrected.missing_too_much(a.preset()) && !force) break;
        Framed next{encode_and_check(a, render(a, corrected, photo, clear_above_photo), file), corrected};
        if (failing_count(next) > failing_count(best)) break;
        best = std::move(next);
    }
    return best;
}

// Above the photo's top edge the frame repeats the top row, so hair reaching that edge (london 001's curls,
// canada 010f, 098m) stands above the head as short vertical stubs. The planning and its head-top corrections
// are measured with those rows keyed like the wall; the chosen frame is then rendered again with them cleared
// (and its head top corrected again: without the stubs a frame at the edge of its ranges, such as 001's or
// 053f's, can read the head a few pixels lower), and kept when its check fails no more rules. Only when the
// matte took some of them in.
Framed framed_upload_from(const Analysis& a, const cv::Mat& photo, const Framing& start, std::optional<double> margin, const std::string& file,
                          bool force) {
    Framed framed = with_head_top_corrections(a, photo, start, margin, false, file, force);
    if (cv::countNonZero((framed.encoded.matte > min_visible_alpha) & framed.encoded.above_photo) == 0) return framed;
    Framed cleared = with_head_top_corrections(a, photo, framed.planned, margin, true, file, force);
    return failing_count(cleared) <= failing_count(framed) ? std::move(cleared) : std::move(framed);
}

// A tight shot's frame reaches below the photo, and the rows there are made up (fill_outside_photo): a shirt's
// plain colour, a neckline closed straight across (canada 026f's dark band between her collar's trim and her
// hair; 098m's flat grey block under his neck). Aiming less far inside the ranges (a larger face, higher in the
// frame, still inside every range) shows more of the photo instead: over the 35 london and canada uploads 8 of
// 13 tight shots lose 31-82 % of their filled rows (026f's 38 to 7). The output's own check
// decides, as for the head top's corrections: a narrower plan is kept when it fails no more rules, narrowest
// first. Not closer to the ranges' edges than 5 % of their widths unless the plain plan already is: another
// measure than the checks' may read the frame a few pixels apart (at 0 %, canada 098m's eye line read 295 px by
// its pupils and 300.1 by the independent verification's eye contours, limit 300).
constexpr double min_fewer_filled_fraction = 0.01;  // of the output's height: less is not worth leaving the middle for
constexpr double min_narrower_margin = 0.05;
Framed framed_upload(const Analysis& a, const cv::Mat& photo, const std::string& file, bool force) {
    Framed framed = framed_upload_from(a, photo, a.framing(), std::nullopt, file, force);
    const Framing& planned = framed.planned;
    const double worth = min_fewer_filled_fraction * planned.output_size.height;
    auto fewer_filled = [&](const Framing& f) { return planned.missing_bottom_px - f.missing_bottom_px >= worth; };
    const std::vector<double>& margins = planning_margins();
    for (auto margin = margins.rbegin(); margin != margins.rend() && *margin < planned.margin_fraction; ++margin) {
        if (*margin < min_narrower_margin) continue;
        Framing narrower = plan_framing(a, std::nullopt, *margin);
        if (narrower.too_tight(a.preset()) || !fewer_filled(narrower)) continue;
        Framed shown = framed_upload_from(a, photo, narrower, *margin, file, force);
        if (fewer_filled(shown.planned) && failing_count(shown) <= failing_count(framed)) return shown;
    }
    return framed;
}

// The upload, its edits and its own check go into `fixed`; a result that still fails is not written unless forced.
void take_upload(FixedPhoto& fixed, Encoded result, const RelightPlan& relight, const FixOptions& options) {
    const Analysis& a = *fixed.input.analysis;
    fixed.edits = std::move(result.edits);
    if (relight.needed) fixed.edits.insert(fixed.edits.begin(), {"relight", relight.audit(a.size().width)});
    fixed.output = std::move(result.check);
    fixed.jpeg = std::move(result.jpeg);
    fixed.matte = result.matte;
    fixed.output_passes = fixed.output.report.verdict == "pass";
    if (!fixed.output_passes && !options.force) {
        const Message failing = rules_named(fixed.output.report.failing_rule_ids());
        fixed.refusal = Message{"The result would still fail (" + failing.en + "); nothing written. Reshoot, or use --force to write it anyway",
                                "处理结果仍不合格（" + failing.zh + "），未写入文件。请重拍，或用 --force 强制输出"};
        fixed.jpeg.clear();
    }
}

}  // namespace

FixedPhoto fix_photo(CheckedPhoto input, const FixOptions& options) {
    FixedPhoto fixed;
    fixed.input = std::move(input);
    const Report& in_report = fixed.input.report;
    if (!fixed.input.analysis) return fixed;  // unreadable: the report says why
    const Analysis& a = *fixed.input.analysis;
    if (!a.face()) {
        fixed.refusal = without_one_face(a, in_report);
        return fixed;
    }
    if (options.lighting_only) return relight_only(std::move(fixed), options);
    if (in_report.failed_unfixable() && !options.force) {
        fixed.refusal = needs_reshoot(in_report);
        return fixed;
    }

    // The light is evened on the photo as shot, before it is framed: the face measured is the face corrected.
    RelightPlan relight = planned_relight(a, in_report);
    cv::Mat photo = relit(a, relight);
    if (a.framing().too_tight(a.preset()) && !options.force) {
        fixed.refusal = Message{"Shot too tight to frame to the spec: reshoot with the shoulders in the frame",
                                "取景过紧，无法按规格构图：请重拍，取景包含肩膀"};
        return fixed;
    }
    take_upload(fixed, framed_upload(a, photo, in_report.file, options.force).encoded, relight, options);
    return fixed;
}

constexpr double notable_missing_fraction = 0.01;

std::optional<Message> filled_beyond_photo_note(const std::vector<Edit>& edits, int output_height) {
    if (output_height <= 0) return std::nullopt;
    for (const Edit& e : edits) {
        if (e.operation != "frame") continue;
        double fraction = e.parameters.value("missing_bottom_px", 0.0) / output_height;
        if (fraction < notable_missing_fraction) return std::nullopt;
        std::string percent = format_number(fraction * 100, 0);
        return Message{"Tight shot: the bottom " + percent + " % of the upload lies below the photo and is filled in with the clothes' colour; next time leave room below the shoulders",
                       "拍摄过紧：成品底部 " + percent + "% 的画面超出原照片，已用衣服颜色补齐；下次拍摄请在肩部以下留出空间"};
    }
    return std::nullopt;
}

}  // namespace certphoto
