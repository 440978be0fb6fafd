// Head coverings and ornaments (不得使用头部覆盖物): a cap, hat, scarf or headband on the head shows above the
// forehead as a patch that is neither skin nor hair, of a colour hair does not have: blue, green, purple, pink,
// or more saturated than any hair. The largest such patch of the person above the brows, in face widths
// squared. A black, white, grey or hair-coloured covering is not told from hair by its colour, and is not seen
// (docs/rules.md): dark hair is as smooth as a cap at this scale, and a light forehead as plain as a white one.
#include <opencv2/imgproc.hpp>

#include "analysis.hpp"
#include "color.hpp"
#include "face_parts.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

// The head is measured with the face this wide (px).
constexpr double work_face_width_px = 200;
// The region: from the head's top down to this far above the brows, and this far beyond the face's sides
// (face widths).
constexpr double above_brows = 0.05;
constexpr double beyond_sides = 0.1;
// Skin (forehead, scalp) and wall are left out: this far (CIE76) from their colours.
constexpr double not_skin_delta_e = 18;
constexpr double not_wall_delta_e = 10;
// The person mask is soft and coarse at the hair: the outline's blend of hair and wall (a light-blue wall's
// blend is blue) is left out, this far inside (face widths).
constexpr double inside_outline = 0.06;
// Hair is black, grey, white or of the skin's warm hues (blond, brown, red, dyed burgundy): a colour with
// this chroma at another hue, or any colour with more chroma than dyed red hair has, is not hair. Dark hair
// takes on a tint of up to about 23 (a webcam's cast on meds S050's black curls, the light of meds S018's cyan
// wall on his scalp, lisa1's purple-dyed hair); the injected caps and canada 053f's headband have 39 and more.
constexpr double colour_min_chroma = 24;
constexpr double hair_hue_from_deg = 350, hair_hue_to_deg = 100;
constexpr double beyond_hair_chroma = 50;
constexpr std::size_t max_regions = 3;

bool hair_hue(double hue_deg) { return hue_deg >= hair_hue_from_deg || hue_deg <= hair_hue_to_deg; }

}  // namespace

Finding check_headwear(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("headwear");
    const Face& face = *a.face();
    const auto& p = face.landmarks.points;
    double w = face.face_width_px;
    float brows_top = landmark::brows_top_y(p);
    int top = cvFloor(std::max(0.0, a.person().head_top_y)), bottom = cvRound(brows_top - above_brows * w);
    int left = cvFloor(p[landmark::jaw_first].x - beyond_sides * w), right = cvCeil(p[landmark::jaw_last].x + beyond_sides * w);
    cv::Rect box = cv::Rect(cv::Point(left, top), cv::Point(right, bottom)) & cv::Rect(cv::Point(), a.size());
    if (box.area() == 0) return not_measured("headwear", {"The top of the head is not in the frame", "画面中没有头顶"});

    double scale = std::min(1.0, work_face_width_px / w), work_w = w * scale;
    cv::Size work(std::max(1, cvRound(box.width * scale)), std::max(1, cvRound(box.height * scale)));
    cv::Mat bgr, person;
    cv::resize(a.bgr()(box), bgr, work, 0, 0, cv::INTER_AREA);
    cv::resize(a.person_at_image_size()(box), person, work, 0, 0, cv::INTER_AREA);
    int inset = 2 * cvRound(inside_outline * work_w) + 1;
    cv::erode(person > 128, person, cv::getStructuringElement(cv::MORPH_ELLIPSE, {inset, inset}));
    cv::Mat lab = to_lab(bgr);
    cv::Vec3d skin = a.skin_colour().median, wall = a.wall().mean_lab;

    cv::Mat covering = cv::Mat::zeros(work, CV_8U);
    for (int y = 0; y < work.height; ++y)
        for (int x = 0; x < work.width; ++x) {
            if (!person.at<uchar>(y, x)) continue;
            cv::Vec3f q = lab.at<cv::Vec3f>(y, x);
            cv::Vec3d c(q[0], q[1], q[2]);
            if (cv::norm(c - skin) <= not_skin_delta_e || cv::norm(c - wall) <= not_wall_delta_e) continue;
            double chroma = std::hypot(c[1], c[2]);
            if ((chroma > colour_min_chroma && !hair_hue(hue_degrees(c[1], c[2]))) || chroma > beyond_hair_chroma) covering.at<uchar>(y, x) = 255;
        }
    std::vector<Patch> patches = patches_largest_first(covering);
    double largest = patches.empty() ? 0 : patches.front().pixels / (work_w * work_w);

    double maximum = config.number("max_covering_area");
    Finding f = measured("headwear", std::round(largest * 1000) / 1000, maximum, "face widths squared of covering on the head", false);
    if (largest > maximum) {
        for (std::size_t i = 0; i < std::min(max_regions, patches.size()); ++i) {
            if (patches[i].pixels / (work_w * work_w) <= maximum) break;
            f.regions.push_back(box_in_image(patches[i].box, scale, box, a.size()));
        }
    }
    return conclude(f, largest <= maximum, config, {"No head covering or headband seen", "未见帽子、头巾或发箍"},
                    {"Something covers the head (a cap, scarf, headband or hair ornament): take it off. Religious dress that shows the whole face is allowed: have it confirmed by the school",
                     "头部有覆盖物或头饰（帽子、头巾、发箍等）：请摘下。露出全脸的宗教服饰可保留，请向学校确认"});
}

}  // namespace certphoto
