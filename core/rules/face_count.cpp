#include "analysis.hpp"
#include "rules/rule.hpp"

namespace certphoto {

Finding check_face_count(const Analysis& a, const RuleConfig& config) {
    Finding f = measured("face-count", a.faces().size(), 1, "faces", false);
    for (const auto& face : a.faces()) f.regions.push_back(face.box);
    if (a.faces().size() == 1) {
        f.status = Status::pass;
        f.message = {"One face", "一张人脸"};
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
