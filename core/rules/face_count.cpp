#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {

namespace {

Message turn_upright_message(int clockwise_quarter_turns) {
    if (clockwise_quarter_turns == 2)
        return {"The photo is upside down: turn it 180° and try again", "照片上下颠倒：请旋转 180° 后再试"};
    bool clockwise = clockwise_quarter_turns == 1;
    return {std::string("The photo lies on its side: turn it 90° ") + (clockwise ? "clockwise" : "counter-clockwise") + " and try again",
            std::string("照片是横躺的：请") + (clockwise ? "顺时针" : "逆时针") + "旋转 90° 后再试"};
}

}  // namespace

Finding check_face_count(const Analysis& a, const RuleConfig& config) {
    Finding f = measured("face-count", a.faces().size(), 1, "faces", false);
    for (const auto& face : a.faces()) f.regions.push_back(face.box);
    if (a.faces().size() == 1) {
        f.status = Status::pass;
        f.message = {"One face", "一张人脸"};
    } else if (a.faces().empty() && a.quarter_turns_to_upright()) {
        f.status = out_of_limit(config);
        f.message = turn_upright_message(*a.quarter_turns_to_upright());
    } else if (a.faces().empty() && a.face_cut_by_frame()) {
        f.status = out_of_limit(config);
        f.regions.push_back(*a.face_cut_by_frame() & cv::Rect(cv::Point(), a.size()));
        f.message = {"The face does not fit in the photo (taken too close): step back so the whole head and the shoulders are in the frame",
                     "人脸超出画面（拍摄距离太近）：请后退，使整个头部和双肩都在画面内"};
    } else if (a.faces().empty()) {
        f.status = out_of_limit(config);
        f.message = {"No face found: the photo must show one face from the front",
                     "未检测到人脸：照片须为单人正面免冠像"};
    } else {
        f.status = out_of_limit(config);
        std::string n = std::to_string(a.faces().size());
        f.message = {n + " faces found: the photo must show one person only",
                     "检测到 " + n + " 张人脸：照片中只能有本人一人"};
    }
    return f;
}

}  // namespace certphoto
