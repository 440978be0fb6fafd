// Lighting even (阴阳脸): how many stops darker one cheek is than the other, from the plane fitted to the skin's
// luminance. Studio light with a fill keeps it small; one-sided window or flash
// light does not. fix evens a difference up to the preset's limit with a smooth gain field (nothing local).
#include <cmath>

#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {

Finding check_lighting_even(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("lighting-even");
    double difference = std::abs(a.lighting().cheek_difference_stops());
    double maximum = config.number("max_cheek_difference_stops");
    bool fixable = difference <= config.number("fix_max_stops");
    Finding f = measured("lighting-even", std::round(difference * 100) / 100, maximum, "stops between the cheeks", fixable);
    if (difference > maximum) f.regions = {a.lighting().darker_side};
    std::string side_en = a.lighting().left_right_stops > 0 ? "left" : "right";
    std::string side_zh = a.lighting().left_right_stops > 0 ? "左" : "右";
    Message failed{"One side of the face is darker (the " + side_en + " side of the picture, " + format_number(difference, 2) +
                       " stops): light both sides evenly" + (fixable ? "; fix will even it out" : ""),
                   "阴阳脸：画面" + side_zh + "侧脸部偏暗（" + format_number(difference, 2) + " 档）：请两侧均匀布光" +
                       (fixable ? "；自动处理将平衡光线" : "")};
    return conclude(f, difference <= maximum, config, {"Light even across the face", "面部光线均匀"}, std::move(failed));
}

}  // namespace certphoto
