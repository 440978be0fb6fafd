// Head pose: roll is levelled by fix within the preset's limit; a turned head needs a reshoot.
#include <cmath>

#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {
namespace {

Finding angle_finding(const char* id, double degrees, const RuleConfig& config) {
    Finding f = measured(id, std::round(degrees * 10) / 10, config.number("max_degrees"), "degrees", false);
    double size = std::abs(degrees);
    if (size > config.number("max_degrees")) f.status = out_of_limit(config);
    else if (size > config.number_or("warn_degrees", config.number("max_degrees"))) f.status = Status::warn;
    else f.status = Status::pass;
    return f;
}

}  // namespace

Finding check_head_roll(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("head-roll");
    double roll = a.face()->pose.roll_deg;
    Finding f = angle_finding("head-roll", roll, config);
    f.fixable = std::abs(roll) <= config.number("fix_max_degrees");
    f.regions = {a.face()->outline_box};
    std::string deg = format_number(std::abs(roll), 1);
    if (f.status == Status::pass) {
        f.message = {"Head upright, eyes level", "头部端正，双眼水平"};
    } else if (f.fixable) {
        f.message = {"Head tilted " + deg + "°: fix will level the photo; better, keep the head upright",
                     "头部倾斜 " + deg + "°：自动处理将校正；拍摄时请保持头部端正"};
    } else {
        f.message = {"Head tilted " + deg + "°, too much to level: reshoot with the head upright",
                     "头部倾斜 " + deg + "°，无法校正：请端正头部重拍"};
    }
    return f;
}

Finding check_head_yaw(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("head-yaw");
    double yaw = a.face()->pose.yaw_deg;
    Finding f = angle_finding("head-yaw", yaw, config);
    f.fixable = false;
    f.regions = {a.face()->outline_box};
    std::string deg = format_number(std::abs(yaw), 1);
    if (f.status == Status::pass)
        f.message = {"Face turned straight to the camera", "正面对准镜头"};
    else
        f.message = {"Head turned " + deg + "° to the side (ears not symmetric): face the camera squarely",
                     "头部侧转 " + deg + "°（耳朵不对称）：请正对镜头"};
    return f;
}

// Pitch from the generic 3D face fitted to six landmarks: a head nodded up or down (平视).
Finding check_head_pitch(const Analysis& a, const RuleConfig& config) {
    if (!a.face()) return skipped_without_face("head-pitch");
    double pitch = a.face()->pose.pitch_deg;
    Finding f = angle_finding("head-pitch", pitch, config);
    f.fixable = false;
    f.regions = {a.face()->outline_box};
    std::string deg = format_number(std::abs(pitch), 1);
    if (f.status == Status::pass)
        f.message = {"Looking straight ahead, chin level", "平视镜头，下巴水平"};
    else
        f.message = {std::string(pitch > 0 ? "Chin raised " : "Chin lowered ") + deg + "°: look straight into the lens",
                     std::string(pitch > 0 ? "下巴抬起 " : "下巴低垂 ") + deg + "°：请平视镜头"};
    return f;
}

}  // namespace certphoto
