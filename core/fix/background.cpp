#include "fix/background.hpp"
#include "fix/guided_filter.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "color.hpp"
#include "masks.hpp"

namespace certphoto {
namespace {

// Width of the uncertain band around the coarse matte's edge, as a fraction of the output width: wide
// enough for loose hair strands and the coarse matte's error, narrow enough to keep the wall out.
constexpr double edge_band_fraction = 0.025;
// The wall's own colour changes slowly; this smoothing (fraction of width) estimates it behind the person.
constexpr double wall_smoothing_fraction = 0.08;
// Colour distance (CIE76, after the wall's own noise) below which a band pixel is wall, and the span over
// which it becomes person: dark hair on a light wall is far, a white collar on a grey wall is near.
constexpr double key_noise_floor = 4.0;
constexpr double key_span = 16.0;
// A pocket of wall inside the head's outline is at least this wide (in edge bands): a grey strand of hair
// or a glint on it is thinner.
constexpr double pocket_min_size_of_band = 0.08;
// ...and within this colour distance (CIE76) of the wall's mean colour: a vignette or a shaded corner of the
// wall is still this near.
constexpr double pocket_max_from_wall = 12.0;
// Inside the coarse matte, a smooth pixel not as near the wall as the wall's own noise is person, however
// close its colour: a lit bald scalp on a light wall is opaque skin, not a strand of hair to be keyed. Its
// alpha rises from the matte's edge to 1 over this share of the edge band (the coarse matte's own
// uncertainty). Hair, which the keying is for, is not smooth: its strands vary by more than this (grey
// levels, standard deviation over 5x5 pixels).
constexpr double opaque_ramp_of_band = 0.25;
constexpr double smooth_max_deviation = 8.0;
// ...and so is a smooth pixel lighter than the wall behind it by this much (L*) and by the wall's own noise,
// however near its colour: a white shirt's shoulder on a light-grey wall.
constexpr double lighter_than_wall_min = 3.0;
// A pixel between the person's colour nearby and the wall's is a mix of the two (a strand of hair thinner than a
// pixel): its alpha is its share of the person's colour, unless the two are too alike (RGB distance) to tell.
// The person's colour is estimated over this share of the edge band.
constexpr double person_colour_smoothing_of_band = 0.5;
constexpr float min_person_wall_distance = 40.0f;
// A pixel this near (RGB levels) the line from the wall's colour to the person's is a mix of the two; further off
// it is something else (a dark strand of hair over a white shirt).
constexpr float mix_tolerance = 10.0f;
// The face's skin colour within this CIE76 distance is skin when the clothes' own colour is estimated: the neck's
// and the chest's skin is lit brighter than the face's median (london 001: at 18, 90 of the 1,049 shirt pixels at
// the shoulders' edge stayed see-through; at 25, 53; at 35 the shaded white shirt itself starts to be left out).
constexpr double skin_max_delta_e = 25.0;
// Inside the coarse matte, the person's pixels this close (share of the edge band) to the wall or to a pocket of
// it, in the head's pocket zone, are such mixes too: the wall's light between braids and curls.
constexpr double strand_rim_of_band = 0.33;
int strand_rim_px(int band) { return std::max(1, cvRound(band * strand_rim_of_band)); }
constexpr float mixed_below_share = 0.98f;
// Where the clothes are the wall's colour, the coarse matte's outline is their edge, anti-aliased over this much
// (pixels, sigma), for the pixels the keying makes at most this much person (a dark strand of hair over the wall
// is more, and keeps its keyed alpha).
constexpr double outline_softness_px = 0.8;
constexpr double alike_max_keyed = 0.5;
// Where alpha is this small, a foreground colour cannot be recovered from the mix.
constexpr float min_alpha_for_unmixing = 0.05f;

// Normalised convolution on a copy of the photo reduced by `scale`: at each of the copy's pixels, the mean colour
// of the pixels of `where` weighted by a Gaussian (`sigma`, in the copy's pixels), or `none` where none is near.
cv::Mat mean_colour_near(const cv::Mat& photo_f, const cv::Mat& where, double scale, double sigma, const cv::Vec3f& none) {
    cv::Mat small_photo, weight, weight3, weighted;
    cv::resize(photo_f, small_photo, cv::Size(), scale, scale, cv::INTER_AREA);
    where.convertTo(weight, CV_32F, 1.0 / 255);
    cv::resize(weight, weight, small_photo.size(), 0, 0, cv::INTER_AREA);
    cv::cvtColor(weight, weight3, cv::COLOR_GRAY2BGR);
    weighted = small_photo.mul(weight3);
    cv::GaussianBlur(weighted, weighted, cv::Size(), sigma);
    cv::GaussianBlur(weight, weight, cv::Size(), sigma);
    cv::Mat mean(small_photo.size(), CV_32FC3);
    for (int y = 0; y < mean.rows; ++y)
        for (int x = 0; x < mean.cols; ++x) {
            float w = weight.at<float>(y, x);
            mean.at<cv::Vec3f>(y, x) = w > 1e-3f ? cv::Vec3f(weighted.at<cv::Vec3f>(y, x) / w) : none;
        }
    return mean;
}

// A smooth estimate of the wall colour everywhere, from the pixels surely wall. The wall changes slowly, so it is
// estimated on a small copy: the cost no longer grows with the photo.
constexpr int wall_estimate_width_px = 256;

cv::Mat estimate_wall(const cv::Mat& photo_f, const cv::Mat& surely_wall, const cv::Scalar& mean_wall) {
    double scale = std::min(1.0, static_cast<double>(wall_estimate_width_px) / photo_f.cols);
    double sigma = std::max(1.0, cvRound(photo_f.cols * scale) * wall_smoothing_fraction);  // cv::resize's width
    cv::Mat wall;
    cv::resize(mean_colour_near(photo_f, surely_wall, scale, sigma, cv::Vec3f(mean_wall[0], mean_wall[1], mean_wall[2])), wall,
               photo_f.size(), 0, 0, cv::INTER_LINEAR);
    return wall;
}

// A smooth estimate of the person's own colour near their edge, from the pixels surely person; negative where
// there are none near. On a large photo (the in-place replacement of a full-size layer) it is made on a copy
// small enough that the blur stays this many pixels wide.
constexpr double max_person_colour_sigma_px = 8;
cv::Mat estimate_person_colour(const cv::Mat& photo_f, const cv::Mat& surely_person, double sigma) {
    double scale = std::min(1.0, max_person_colour_sigma_px / sigma);
    cv::Mat colour = mean_colour_near(photo_f, surely_person, scale, sigma * scale, cv::Vec3f::all(-1));
    if (scale < 1) cv::resize(colour, colour, photo_f.size(), 0, 0, cv::INTER_NEAREST);
    return colour;
}

// Each pixel's share of the person's colour on the line from the wall's to it, where the person's colour near it
// is known and unlike the wall's.
struct PersonShare {
    cv::Mat share;  // CV_32F 0..1
    cv::Mat known;  // CV_8U: where share means something
    cv::Mat mixed;  // CV_8U: known, and the pixel lies on that line, within mix_tolerance: a mix of the two
};

// With several estimates of the person's colour (each CV_32FC3, negative where none), each pixel takes the one
// that explains it best: the nearest to its line from the wall's colour.
// Only the pixels of `where` are worked out (the others are not known).
PersonShare person_share(const cv::Mat& photo_f, const cv::Mat& wall, const std::vector<cv::Mat>& person_colours, const cv::Mat& where) {
    PersonShare result{cv::Mat(photo_f.size(), CV_32F, cv::Scalar(0)), cv::Mat::zeros(photo_f.size(), CV_8U),
                       cv::Mat::zeros(photo_f.size(), CV_8U)};
    for (int y = 0; y < photo_f.rows; ++y)
        for (int x = 0; x < photo_f.cols; ++x) {
            if (!where.at<uchar>(y, x)) continue;
            float best_off_sq = std::numeric_limits<float>::max();
            for (const cv::Mat& person_colour : person_colours) {
                const cv::Vec3f& person = person_colour.at<cv::Vec3f>(y, x);
                if (person[0] < 0) continue;
                cv::Vec3f span = person - wall.at<cv::Vec3f>(y, x), seen = photo_f.at<cv::Vec3f>(y, x) - wall.at<cv::Vec3f>(y, x);
                float span_sq = span.dot(span);
                if (span_sq < min_person_wall_distance * min_person_wall_distance) continue;
                float along = seen.dot(span) / span_sq;
                // Further along the line than the person's colour nearby is as much the person (a lit fold of a
                // shirt beside its shaded rest); further back than the wall's is not the wall (dark hair on a white
                // shirt).
                cv::Vec3f off_line = seen - std::max(along, 0.0f) * span;
                float off_sq = off_line.dot(off_line);
                if (off_sq >= best_off_sq) continue;
                best_off_sq = off_sq;
                result.share.at<float>(y, x) = std::clamp(along, 0.0f, 1.0f);
                result.known.at<uchar>(y, x) = 255;
                result.mixed.at<uchar>(y, x) = off_sq <= mix_tolerance * mix_tolerance ? 255 : 0;
            }
        }
    return result;
}

// A mask grown by a disc of `radius` pixels, and one shrunk by it: what cv::dilate and cv::erode do with an
// elliptic kernel, from the exact distance transform, at a cost that does not grow with the radius (the edge band
// of a 24 MP layer replaced in place is over 120 px: the kernels took 14 s there).
cv::Mat grown(const cv::Mat& mask, double radius) {
    cv::Mat distance;
    cv::distanceTransform(~mask, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    return distance <= radius;
}

cv::Mat shrunk(const cv::Mat& mask, double radius) {
    cv::Mat distance;
    cv::distanceTransform(mask, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    return distance > radius;
}

// In the strands' zone a dark strand on a light wall is far from the wall's colour at any mix: its alpha (`keyed`)
// becomes at most its share of the person's colour, and so does that of the person's pixels beside the wall
// inside the coarse matte (the wall's light between braids and curls, which the matte takes in): those are
// returned, to be unmixed rather than copied.
cv::Mat unmix_strands(cv::Mat& keyed, const PersonShare& person, const cv::Mat& surely_person, const cv::Mat& strands, int band) {
    cv::Mat keyed_or_share;
    cv::min(keyed, person.share, keyed_or_share);
    keyed_or_share.copyTo(keyed, strands & person.known);
    return grown(~surely_person, strand_rim_px(band)) & surely_person & strands & person.known & (person.share < mixed_below_share);
}

// Clothes have a hard edge, which the keying and the guided filter soften: a white shirt on a light-grey wall is
// too near the wall's colour for the keying, and its rim became pale blue. Below the chin, outside the strands'
// zone, a pixel of the edge band that is a mix of the wall's colour and the clothes' nearby takes its share of the
// clothes' colour as alpha: exactly, outside the coarse matte and within its rim; further inside only where that
// raises it (a crease in the shirt is as grey as a mix).
void sharpen_clothes_edge(cv::Mat& alpha, const PersonShare& person, const cv::Mat& hard, const cv::Mat& maybe_person,
                          const BackgroundZones& zones, int band) {
    cv::Mat edge = zones.clothes & maybe_person & person.mixed;
    if (!zones.strands.empty()) edge &= ~zones.strands;
    cv::Mat inner = edge & shrunk(hard, strand_rim_px(band));
    person.share.copyTo(alpha, edge & ~inner);
    cv::Mat raised = cv::max(alpha, person.share);
    raised.copyTo(alpha, inner);
}

// CIE Lab of a float BGR image, taken from its 8-bit pixels.
cv::Mat lab_of_float(const cv::Mat& bgr_f) {
    cv::Mat bgr8;
    bgr_f.convertTo(bgr8, CV_8UC3);
    return to_lab(bgr8);
}

// The wall in the hair's shade is darker than the wall beside the head: london 062's, seen between her curls
// beside the ear, is CIE76 7-12 from the local estimate, over the floor, and stayed in her upload as grey-white
// patches beside the cheek. It is a pocket too where it is as grey as the wall (a*b* within this of the wall's
// mean) and reaches the coarse matte's edge band through such pixels: a light patch of hair enclosed by darker
// hair (london 099's crown, where the light shines on his short hair as grey as the wall) does not. Only beside
// the head and above (the rows of the strands' zone, down to the ears). Lower, a shirt as grey as the wall begins
// (london 038's white T-shirt reaches above her low chin): there it is taken only between strands, with something
// much darker than the wall (hair, or a dark neck) on both sides in its row, near it (london 025's wall between
// her braids above the shoulder); a shirt's shoulder has the wall on its outer side.
constexpr double shaded_pocket_max_chromaticity = 3;
constexpr double strand_darker_than_wall = 30;  // L*
constexpr double between_strands_reach_of_band = 2;

// Pixels with a pixel darker than the wall by strand_darker_than_wall within `reach` on their left and on their right.
cv::Mat between_dark(const cv::Mat& lab, double wall_lightness, int reach) {
    cv::Mat lightness;
    cv::extractChannel(lab, lightness, 0);
    const cv::Mat dark = lightness < wall_lightness - strand_darker_than_wall;
    const cv::Mat span = cv::Mat::ones(1, reach + 1, CV_8U);
    cv::Mat on_left, on_right;
    cv::dilate(dark, on_left, span, cv::Point(reach, 0));
    cv::dilate(dark, on_right, span, cv::Point(0, 0));
    return on_left & on_right;
}

// The wall shows through hair between strands, which are unlike it, and near the hair's outline. A speck near the
// wall's colour deep inside the coarse matte and ringed by more of that colour is the light on the hair (london
// 099's and 107's crowns, a sheen on 025's) or a shaded fold of a white shirt above a low chin (london 038's), not
// a hole through to the wall: keyed out, it was a blue dot. Small: under this share of the edge band across; deep:
// this many edge bands inside the surely-person pixels (twice that inside the coarse matte); ringed: this share of
// the pixels around it within speck_ring_max_from_wall (CIE76) of the wall's mean.
constexpr double speck_max_of_band = 0.7;
constexpr double speck_min_depth_of_band = 1.0;
constexpr double speck_ring_min_share = 0.8;
constexpr double speck_ring_max_from_wall = 15;
constexpr int speck_ring_px = 2;

// Whether a small pocket (`own`, in a box around it with the ring's room) is such a speck; `depth` is the distance
// into the surely-person pixels, `like_wall` the pixels within speck_ring_max_from_wall of the wall's mean.
bool is_speck(const cv::Mat& own, const cv::Mat& depth, const cv::Mat& like_wall, int band) {
    double deepest = 0;
    cv::minMaxLoc(depth, nullptr, &deepest, nullptr, nullptr, own);
    if (deepest < speck_min_depth_of_band * band) return false;
    cv::Mat ring;
    cv::dilate(own, ring, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * speck_ring_px + 1, 2 * speck_ring_px + 1}));
    ring &= ~own;
    const int around = cv::countNonZero(ring);
    return around > 0 && cv::countNonZero(ring & like_wall) >= speck_ring_min_share * around;
}

// The components of `pockets` that are such specks.
cv::Mat specks_amid_wall_colour(const cv::Mat& pockets, const cv::Mat& surely_person, const cv::Mat& like_wall, int band) {
    cv::Mat specks = cv::Mat::zeros(pockets.size(), CV_8U), labels, stats, centroids, depth;
    const int components = cv::connectedComponentsWithStats(pockets, labels, stats, centroids, 8);
    cv::distanceTransform(surely_person | pockets, depth, cv::DIST_L2, 3);
    const double max_area = std::pow(speck_max_of_band * band, 2);
    for (int k = 1; k < components; ++k) {
        if (stats.at<int>(k, cv::CC_STAT_AREA) >= max_area) continue;
        const cv::Rect own_box = component_box(stats, k);
        const cv::Rect box = cv::Rect(own_box.tl() - cv::Point(speck_ring_px, speck_ring_px), own_box.size() + cv::Size(2 * speck_ring_px, 2 * speck_ring_px)) &
                             cv::Rect(cv::Point(), pockets.size());
        const cv::Mat own = labels(box) == k;
        if (is_speck(own, depth(box), like_wall(box), band)) specks(box).setTo(255, own);
    }
    return specks;
}

// Pockets of wall inside the person mask, in its pocket zone: near the local wall's colour (`distance` under
// `floor`) and, since the local estimate behind a big head of hair is partly hair, near the wall's colour as a
// whole too; or the wall in the hair's shade down to `shaded_to_row` (above). At least pocket_min_size_of_band of
// the band wide. Worked out around the zone only (the head, on a full-size layer a fraction of it), with the
// pixels the opening reads beside it.
cv::Mat wall_pockets(const cv::Mat& photo_lab, const cv::Mat& distance, double floor, const cv::Scalar& mean_wall, const cv::Mat& surely_person,
                     const cv::Mat& pocket_zone, int shaded_to_row, int band) {
    const cv::Vec3f wall_f = lab_of_float(cv::Mat(1, 1, CV_32FC3, mean_wall)).at<cv::Vec3f>(0, 0);
    const cv::Vec3d wall_lab(wall_f[0], wall_f[1], wall_f[2]);
    int open = std::max(1, cvRound(band * pocket_min_size_of_band));
    const cv::Rect zone = cv::boundingRect(pocket_zone), picture(cv::Point(), photo_lab.size());
    const cv::Rect near = cv::Rect(zone.x - 2 * open - 1, zone.y - 2 * open - 1, zone.width + 4 * open + 2, zone.height + 4 * open + 2) & picture;
    const cv::Mat from_wall = lab_distance(photo_lab(near), wall_lab);
    const cv::Mat near_wall_colour = pocket_zone(near) & (from_wall < pocket_max_from_wall);
    cv::Mat near_pocket = surely_person(near) & near_wall_colour & (distance(near) < floor);
    cv::Mat shaded = near_wall_colour & (chromaticity_distance(photo_lab(near), wall_lab) < shaded_pocket_max_chromaticity);
    const int below_ears = std::clamp(shaded_to_row - near.y, 0, shaded.rows);
    shaded.rowRange(below_ears, shaded.rows) &= between_dark(photo_lab(near).rowRange(below_ears, shaded.rows), wall_lab[0],
                                                             std::max(1, cvRound(between_strands_reach_of_band * band)));
    near_pocket |= surely_person(near) & reaching(shaded, ~surely_person(near));
    cv::morphologyEx(near_pocket, near_pocket, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * open + 1, 2 * open + 1}));
    near_pocket.setTo(0, specks_amid_wall_colour(near_pocket, surely_person(near), from_wall < speck_ring_max_from_wall, band));
    cv::Mat pocket = cv::Mat::zeros(photo_lab.size(), CV_8U);
    near_pocket.copyTo(pocket(near));
    return pocket;
}

// The clothes' own colour near each pixel: the person's without the face's skin (zones.skin_lab, which must be
// set), told apart only from a few blurs' reach above the clothes' zone down (the estimate blurs by `sigma`).
cv::Mat clothes_colour(const cv::Mat& photo_f, const cv::Mat& photo_lab, const cv::Mat& surely_person, const BackgroundZones& zones, double sigma) {
    const cv::Vec3d& skin = *zones.skin_lab;
    const int from = std::max(0, cv::boundingRect(zones.clothes).y - cvRound(5 * sigma));
    const cv::Rect rows(0, from, photo_f.cols, photo_f.rows - from);
    cv::Mat not_skin = cv::Mat::zeros(photo_f.size(), CV_8U);
    cv::Mat(lab_distance(photo_lab(rows), skin) >= skin_max_delta_e).copyTo(not_skin(rows));
    return estimate_person_colour(photo_f, surely_person & not_skin, sigma);
}

// The coarse matte's outline anti-aliased (over outline_softness_px), worked out around the pixels of `where`
// only: on a full-size layer replaced in place they are a sliver of it.
struct OutlineAround {
    cv::Rect around;  // empty when `where` is
    cv::Mat alpha;    // CV_32F over `around`
};
OutlineAround anti_aliased_outline(const cv::Mat& hard, const cv::Mat& where) {
    const int pad = cvCeil(3 * outline_softness_px);
    const cv::Rect box = cv::boundingRect(where);
    if (box.empty()) return {};
    OutlineAround out;
    out.around = (box + cv::Size(2 * pad, 2 * pad) - cv::Point(pad, pad)) & cv::Rect(cv::Point(), where.size());
    hard(out.around).convertTo(out.alpha, CV_32F, 1.0 / 255);
    cv::GaussianBlur(out.alpha, out.alpha, cv::Size(), outline_softness_px);
    return out;
}

// Where the clothes are the wall's own colour (neither the person's colour nearby nor the clothes' own is
// min_person_wall_distance from the wall's, so `share` knows nothing there: london 001's white shirt in the shade
// beside her neck on a light-grey wall), no colour tells a pixel of the one from the other and the keying cut
// blotches of the shirt out; there the clothes' edge is the coarse matte's own outline, anti-aliased. `where`: the
// clothes' undecided edge, near the wall's colour (`share` was worked out over it). Where the matte takes in wall
// beside the neck, the skin nearby is unlike the wall (london 113), and the keying decides. Not in the strands'
// zone, and not in the clothes' first rows: a block of wall GrabCut keeps beside the neck above the chin (london
// 004), keyed there as a pocket, reaches a few rows into them.
void keep_outline_where_alike(cv::Mat& alpha, const cv::Mat& hard, const PersonShare& share, const cv::Mat& where, const BackgroundZones& zones,
                              int band) {
    cv::Mat alike = where & ~share.known;
    if (!zones.strands.empty()) alike &= ~zones.strands;
    alike.rowRange(0, std::min(alike.rows, cv::boundingRect(zones.clothes).y + band)).setTo(0);
    const OutlineAround outline = anti_aliased_outline(hard, alike);
    if (outline.around.empty()) return;
    cv::Mat alpha_around = alpha(outline.around);
    outline.alpha.copyTo(alpha_around, alike(outline.around));
}

// Bare skin below the chin (a neck, shoulders, a neckline) lit as light as the wall beside it: london 001's neck
// where it meets her shoulder is L* 81 against a wall of 76, within the keying's floor, and the clothes' edge
// (a mix of the wall and the colour nearby) took it for the wall showing through: a blue blotch on the skin of
// her upload, pale-blue rims along 009's and 053f's shoulders. Its hue tells it from the wall: within this a*b*
// distance of the face's skin, as the ears' skin is told (fix.cpp), and nearer the skin's than the wall's there.
constexpr double bare_skin_max_chromaticity = 8;

// Of `where` (inside the coarse matte, below the chin), the pixels of the skin's hue, in patches at least 3x3
// pixels: a speck of the wall's warm shade beside london 004's neck is not skin.
cv::Mat bare_skin(const cv::Mat& photo_lab, const cv::Mat& wall_lab, const cv::Vec3d& skin_lab, const cv::Mat& where) {
    const cv::Mat to_skin = chromaticity_distance(photo_lab, skin_lab);
    cv::Mat skin = where & (to_skin < bare_skin_max_chromaticity) & (chromaticity_distance(photo_lab, wall_lab) > to_skin);
    cv::morphologyEx(skin, skin, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
    return skin;
}

// Bare skin is opaque up to the coarse matte's outline, anti-aliased there as where the clothes are the wall's colour.
void keep_bare_skin(cv::Mat& alpha, const cv::Mat& hard, const cv::Mat& skin) {
    const OutlineAround outline = anti_aliased_outline(hard, skin);
    if (outline.around.empty()) return;
    cv::Mat alpha_around = alpha(outline.around);
    cv::Mat raised = cv::max(alpha_around, outline.alpha);
    raised.copyTo(alpha_around, skin(outline.around));
}

// Below the chin, partial alpha standing off the person's edge and not darker than the wall behind it is the
// wall's own light (lighter beside a white shirt than the smooth estimate of it) that the keying or the guided
// filter took for a little of the person: a pale-blue haze 2-4 px above the shirts of london 042 and 001 in their
// uploads. A clothes' edge is anti-aliased within a pixel or so of its solid part; a strand of hair lying over the
// wall there is darker than the wall and keeps its alpha.
constexpr double haze_gap_of_band = 0.125;  // 1.5 px at 480 px wide
constexpr float haze_below_alpha = 0.5f;

// lighter_than_wall_by: the photo's L* less the wall's behind it; wall_noise: the wall's own (CIE76).
void clear_wall_haze(cv::Mat& alpha, const cv::Mat& lighter_than_wall_by, double wall_noise, const BackgroundZones& zones, int band) {
    const cv::Rect rows = cv::boundingRect(zones.clothes);
    if (rows.empty()) return;
    cv::Mat alpha_rows = alpha(rows);
    const cv::Mat off_edge = ~grown(alpha_rows >= haze_below_alpha, std::max(1.0, haze_gap_of_band * band));
    const cv::Mat not_darker_than_wall = lighter_than_wall_by(rows) >= -wall_noise;
    cv::Mat haze = (alpha_rows > 0) & (alpha_rows < haze_below_alpha) & off_edge & not_darker_than_wall & zones.clothes(rows);
    if (!zones.strands.empty()) haze &= ~zones.strands(rows);
    alpha_rows.setTo(0.0f, haze);
}

// The old wall behind every pixel, estimated from the pixels surely wall, and how far each pixel is from it.
struct WallKey {
    cv::Mat photo;               // CV_32FC3 BGR
    cv::Mat wall;                // CV_32FC3 BGR: the old wall's estimate behind each pixel
    cv::Mat photo_lab, wall_lab;
    cv::Mat distance;            // CIE76 from the wall behind
    cv::Scalar mean_wall;        // BGR over the surely-wall pixels
    double noise = 0;            // the spread of the surely-wall pixels' distance
    double floor = 0;            // distances under it are the wall
    cv::Mat lighter_than_wall_by;  // the photo's L* less the wall's behind it
};

WallKey key_against_wall(const cv::Mat& framed, const cv::Mat& maybe_person, const cv::Mat& known_wall) {
    WallKey key;
    framed.convertTo(key.photo, CV_32FC3);
    cv::Mat surely_wall = maybe_person == 0;
    // Outside the photo the frame repeats the photo's edge: a lock of hair cut by the edge would streak across
    // the wall's estimate and be keyed as person.
    if (!known_wall.empty() && cv::countNonZero(surely_wall & ~known_wall) > 0) surely_wall &= ~known_wall;
    key.mean_wall = cv::mean(key.photo, surely_wall);
    key.wall = estimate_wall(key.photo, surely_wall, key.mean_wall);
    key.photo_lab = lab_of_float(key.photo);
    key.wall_lab = lab_of_float(key.wall);
    key.distance = lab_distance(key.photo_lab, key.wall_lab);
    cv::Scalar wall_mean, wall_noise;
    cv::meanStdDev(key.distance, wall_mean, wall_noise, surely_wall);
    key.noise = wall_noise[0];
    key.floor = key_noise_floor + wall_mean[0] + 2 * wall_noise[0];
    cv::Mat lightness, wall_lightness;
    cv::extractChannel(key.photo_lab, lightness, 0);
    cv::extractChannel(key.wall_lab, wall_lightness, 0);
    key.lighter_than_wall_by = lightness - wall_lightness;
    return key;
}

cv::Mat clamped_to_unit(cv::Mat m) {
    cv::threshold(m, m, 1.0, 1.0, cv::THRESH_TRUNC);
    cv::threshold(m, m, 0.0, 0.0, cv::THRESH_TOZERO);
    return m;
}

// Opaque a little way inside the person's outline, except where the pixel is the wall's colour: near it and not
// lighter (a white shirt on a light-grey wall is near it too, but lighter than the wall behind it by more than
// the wall's own noise; the wall seen through hair is not), or textured like hair over the wall.
cv::Mat opaque_inside(const cv::Mat& framed, const cv::Mat& hard, const WallKey& key, const cv::Mat& clothes_zone, int band) {
    cv::Mat inside_px;
    cv::distanceTransform(hard, inside_px, cv::DIST_L2, 3);
    cv::Mat opaque = inside_px / std::max(1.0, opaque_ramp_of_band * band);
    cv::threshold(opaque, opaque, 1.0, 1.0, cv::THRESH_TRUNC);
    cv::Mat lighter_than_wall = key.lighter_than_wall_by > std::max(lighter_than_wall_min, key.noise);
    opaque.setTo(0.0f, (key.distance < key.floor) & ~lighter_than_wall);
    cv::Mat textured = local_variance(grey_levels(framed), 5) > smooth_max_deviation * smooth_max_deviation;
    // On the clothes a strand of hair lying over a white shirt makes the shirt beside it textured; lighter than
    // the wall, it is still shirt.
    if (!clothes_zone.empty()) textured &= ~(clothes_zone & lighter_than_wall);
    opaque.setTo(0.0f, textured);
    return opaque;
}

// The person's share of the pixels whose alpha can still change: the edge band and the rim of the surely-person
// pixels the strands unmix.
struct EdgeShares {
    cv::Mat undecided;
    cv::Mat person_colour;
    PersonShare person;
};

EdgeShares edge_shares(const WallKey& key, const cv::Mat& maybe_person, const cv::Mat& surely_person, const BackgroundZones& zones,
                       int band, double person_colour_sigma) {
    EdgeShares edge;
    if (zones.strands.empty() && zones.clothes.empty()) return edge;
    cv::Mat zone = zones.strands.empty() ? zones.clothes : zones.clothes.empty() ? zones.strands : (zones.strands | zones.clothes);
    edge.undecided = maybe_person & grown(~surely_person, strand_rim_px(band)) & zone;
    edge.person_colour = estimate_person_colour(key.photo, surely_person, person_colour_sigma);
    edge.person = person_share(key.photo, key.wall, {edge.person_colour}, edge.undecided);
    return edge;
}

// Beside a neckline the person's colour nearby is the skin's and the clothes' at once, and a pixel of the
// clothes' edge is a mix of neither with the wall: each pixel takes the estimate that explains it best.
void refine_clothes_edge(cv::Mat& alpha, const WallKey& key, const EdgeShares& edge, const cv::Mat& hard, const cv::Mat& maybe_person,
                         const cv::Mat& surely_person, const BackgroundZones& zones, int band, double person_colour_sigma) {
    cv::Mat clothes = zones.skin_lab ? clothes_colour(key.photo, key.photo_lab, surely_person, zones, person_colour_sigma) : cv::Mat();
    const cv::Mat clothes_edge = edge.undecided & zones.clothes;
    PersonShare share = zones.skin_lab ? person_share(key.photo, key.wall, {edge.person_colour, clothes}, clothes_edge) : edge.person;
    sharpen_clothes_edge(alpha, share, hard, maybe_person, zones, band);
    if (!clothes.empty())
        keep_outline_where_alike(alpha, hard, share, clothes_edge & (key.distance < key.floor + alike_max_keyed * key_span), zones, band);
    clear_wall_haze(alpha, key.lighter_than_wall_by, key.noise, zones, band);
}

// Edge pixels are a mix of person and old wall: the wall is taken out before the new colour is mixed in, so no
// grey or white fringe remains.
cv::Mat composite(const WallKey& key, const cv::Mat& alpha, const cv::Vec3b& rgb) {
    const cv::Vec3f new_wall(rgb[2], rgb[1], rgb[0]);
    cv::Mat out(alpha.size(), CV_8UC3);
    for (int y = 0; y < alpha.rows; ++y)
        for (int x = 0; x < alpha.cols; ++x) {
            float a = alpha.at<float>(y, x);
            const cv::Vec3f& old_wall = key.wall.at<cv::Vec3f>(y, x);
            const cv::Vec3f& mixed = key.photo.at<cv::Vec3f>(y, x);
            cv::Vec3f person = a >= min_alpha_for_unmixing ? old_wall + (mixed - old_wall) / a : mixed;
            cv::Vec3f colour = person * a + new_wall * (1 - a);
            out.at<cv::Vec3b>(y, x) = cv::Vec3b(cv::saturate_cast<uchar>(colour[0]), cv::saturate_cast<uchar>(colour[1]),
                                                cv::saturate_cast<uchar>(colour[2]));
        }
    return out;
}

}  // namespace

BackgroundResult replace_background(const cv::Mat& framed, const cv::Mat& person_mask, const cv::Vec3b& rgb,
                                    double edge_softness, const BackgroundZones& zones) {
    BackgroundResult result;
    int band = std::max(2, cvRound(framed.cols * edge_band_fraction * edge_softness));
    cv::Mat hard = person_mask >= 128;
    cv::Mat surely_person = shrunk(hard, band), maybe_person = grown(hard, band);
    const WallKey key = key_against_wall(framed, maybe_person, zones.known_wall);
    int pockets = 0;
    if (!zones.pockets.empty()) {
        const int shaded_to_row = zones.strands.empty() ? 0 : cv::boundingRect(zones.strands).br().y;
        cv::Mat pocket = wall_pockets(key.photo_lab, key.distance, key.floor, key.mean_wall, surely_person, zones.pockets, shaded_to_row, band);
        pockets = cv::countNonZero(pocket);
        surely_person &= ~pocket;
    }

    cv::Mat keyed = clamped_to_unit((key.distance - key.floor) / key_span);
    const cv::Mat opaque = opaque_inside(framed, hard, key, zones.clothes, band);
    const double person_colour_sigma = std::max(1.0, band * person_colour_smoothing_of_band);
    const EdgeShares edge = edge_shares(key, maybe_person, surely_person, zones, band, person_colour_sigma);
    cv::Mat strand_rim = zones.strands.empty() ? cv::Mat::zeros(framed.size(), CV_8U)
                                               : unmix_strands(keyed, edge.person, surely_person, zones.strands, band);
    keyed = cv::max(keyed, opaque);
    cv::Mat opaque_person = surely_person & ~strand_rim;
    result.alpha = cv::Mat::zeros(framed.size(), CV_32F);
    keyed.copyTo(result.alpha, maybe_person);
    result.alpha.setTo(1.0f, opaque_person);
    cv::Mat guide;
    framed.convertTo(guide, CV_32FC3, 1.0 / 255);
    result.alpha = clamped_to_unit(guided_filter(guide, result.alpha, 2, 1e-3));
    if (!zones.clothes.empty())
        refine_clothes_edge(result.alpha, key, edge, hard, maybe_person, surely_person, zones, band, person_colour_sigma);
    result.alpha.setTo(1.0f, opaque_person);
    if (!zones.clothes.empty() && zones.skin_lab)
        keep_bare_skin(result.alpha, hard, bare_skin(key.photo_lab, key.wall_lab, *zones.skin_lab, hard & zones.clothes));
    if (!zones.known_wall.empty()) result.alpha.setTo(0.0f, zones.known_wall);

    result.bgr = composite(key, result.alpha, rgb);
    // Pixels that are surely person are copied exactly: no drift inside the face.
    framed.copyTo(result.bgr, opaque_person);
    result.audit = {{"colour_rgb", {rgb[0], rgb[1], rgb[2]}},
                    {"matte", "grabcut + edge keying against the wall + guided filter + hair strands and clothes' edges by their colour share"},
                    {"edge_band_px", band},
                    {"key_floor_delta_e", std::round(key.floor * 10) / 10},
                    {"wall_pockets_px", pockets}};
    return result;
}

}  // namespace certphoto
