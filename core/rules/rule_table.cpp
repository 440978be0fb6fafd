#include "analysis.hpp"
#include "masks.hpp"
#include "rules/rule.hpp"
#include "stage_times.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <cmath>
#include <exception>
#include <future>
#include <thread>
#include <iomanip>
#include <sstream>

#include <opencv2/imgproc.hpp>

namespace certphoto {

Finding check_face_count(const Analysis&, const RuleConfig&);
Finding check_face_resolution(const Analysis&, const RuleConfig&);
Finding check_head_size(const Analysis&, const RuleConfig&);
Finding check_head_top(const Analysis&, const RuleConfig&);
Finding check_eye_line(const Analysis&, const RuleConfig&);
Finding check_face_centered(const Analysis&, const RuleConfig&);
Finding check_head_roll(const Analysis&, const RuleConfig&);
Finding check_head_yaw(const Analysis&, const RuleConfig&);
Finding check_background_color(const Analysis&, const RuleConfig&);
Finding check_exposure_dark(const Analysis&, const RuleConfig&);
Finding check_exposure_bright(const Analysis&, const RuleConfig&);
Finding check_sharpness(const Analysis&, const RuleConfig&);
Finding check_eyes_open(const Analysis&, const RuleConfig&);
Finding check_lighting_even(const Analysis&, const RuleConfig&);
Finding check_hair_occlusion(const Analysis&, const RuleConfig&);
Finding check_ears_visible(const Analysis&, const RuleConfig&);
Finding check_shoulders_level(const Analysis&, const RuleConfig&);
Finding check_top_light(const Analysis&, const RuleConfig&);
Finding check_clothing_pattern(const Analysis&, const RuleConfig&);
Finding check_rephotographed(const Analysis&, const RuleConfig&);
Finding check_retouched(const Analysis&, const RuleConfig&);
Finding check_mouth_closed(const Analysis&, const RuleConfig&);
Finding check_compression(const Analysis&, const RuleConfig&);
Finding check_background_uniform(const Analysis&, const RuleConfig&);
Finding check_background_shadow(const Analysis&, const RuleConfig&);
Finding check_head_pitch(const Analysis&, const RuleConfig&);
Finding check_glare_skin(const Analysis&, const RuleConfig&);
Finding check_glare_glasses(const Analysis&, const RuleConfig&);
Finding check_glasses_tinted(const Analysis&, const RuleConfig&);
Finding check_glasses_frame(const Analysis&, const RuleConfig&);
Finding check_makeup(const Analysis&, const RuleConfig&);
Finding check_clothing_color(const Analysis&, const RuleConfig&);
Finding check_color_cast(const Analysis&, const RuleConfig&);
Finding check_colored_contacts(const Analysis&, const RuleConfig&);
Finding check_red_eye(const Analysis&, const RuleConfig&);
Finding check_jewelry(const Analysis&, const RuleConfig&);
Finding check_headwear(const Analysis&, const RuleConfig&);
Finding check_output_format(const Analysis&, const RuleConfig&);
Finding check_output_size(const Analysis&, const RuleConfig&);

const std::vector<Rule>& rule_table() {
    static const std::vector<Rule> table{
        {"face-count", check_face_count, {"Exactly one face", "只能有一张人脸"}},
        {"face-resolution", check_face_resolution, {"Face large enough for the output", "人脸像素足够（非全身照）"}},
        {"head-size", check_head_size, {"Face width", "人脸宽度"}, PersonMaskUse::throughout},
        {"head-top", check_head_top, {"Head top position", "头顶位置"}, PersonMaskUse::throughout},
        {"eye-line", check_eye_line, {"Eye line position", "眼睛高度"}, PersonMaskUse::throughout},
        {"face-centered", check_face_centered, {"Face centred left-right", "人脸左右居中"}, PersonMaskUse::throughout},
        {"head-roll", check_head_roll, {"Head not tilted", "头部不歪斜"}},
        {"head-yaw", check_head_yaw, {"Head not turned", "头部不侧转"}},
        {"head-pitch", check_head_pitch, {"Looking straight ahead", "平视，不抬头低头"}},
        {"shoulders-level", check_shoulders_level, {"Shoulders level", "双肩平衡"}, PersonMaskUse::throughout},
        {"background-uniform", check_background_uniform, {"Even background", "背景均匀"}, PersonMaskUse::throughout},
        {"background-shadow", check_background_shadow, {"No shadow on the background", "背景无阴影"}, PersonMaskUse::throughout},
        {"background-color", check_background_color, {"Light-blue background", "浅蓝色背景"}, PersonMaskUse::throughout},
        {"exposure-dark", check_exposure_dark, {"Face not too dark", "脸部不过暗"}},
        {"exposure-bright", check_exposure_bright, {"Face not overexposed", "脸部不过曝"}},
        {"lighting-even", check_lighting_even, {"Even light on the face", "脸部光线均匀"}},
        {"glare-skin", check_glare_skin, {"No light spots on the skin", "皮肤无光斑"}},
        {"glare-glasses", check_glare_glasses, {"No reflections on glasses", "眼镜无反光"}},
        {"top-light", check_top_light, {"No overhead light on the hair", "头顶无强光"}, PersonMaskUse::throughout},
        {"red-eye", check_red_eye, {"No red eyes", "无红眼"}},
        {"sharpness", check_sharpness, {"Sharp photo", "图像清晰"}},
        {"color-cast", check_color_cast, {"Natural skin colour", "肤色自然"}},
        {"eyes-open", check_eyes_open, {"Eyes open", "双眼自然睁开"}},
        {"mouth-closed", check_mouth_closed, {"Mouth closed, no teeth", "嘴唇闭合，不露齿"}},
        {"glasses-tinted", check_glasses_tinted, {"No tinted glasses", "不戴有色眼镜"}},
        {"glasses-frame", check_glasses_frame, {"Frames clear of the eyes", "镜框不遮挡眼睛"}},
        {"colored-contacts", check_colored_contacts, {"No coloured contact lenses", "不戴美瞳"}},
        {"makeup", check_makeup, {"No makeup", "不化妆"}},
        {"hair-occlusion", check_hair_occlusion, {"Brows and eyes free of hair", "头发不遮挡眉眼"}},
        {"ears-visible", check_ears_visible, {"Both ears visible", "露出双耳"}, PersonMaskUse::throughout},
        {"jewelry", check_jewelry, {"No jewellery", "不佩戴首饰"}, PersonMaskUse::at_end},
        {"headwear", check_headwear, {"No head covering", "不戴头饰"}, PersonMaskUse::throughout},
        {"clothing-color", check_clothing_color, {"No blue top", "不穿蓝色上衣"}, PersonMaskUse::throughout},
        {"clothing-pattern", check_clothing_pattern, {"No busy pattern on the top", "上衣无复杂图案"}, PersonMaskUse::throughout},
        {"retouched", check_retouched, {"Not beautified", "未美颜"}},
        {"rephotographed", check_rephotographed, {"Not a photo of a photo", "非翻拍"}},
        {"compression", check_compression, {"No compression damage", "无压缩失真"}},
        {"output-format", check_output_format, {"JPEG, 3:4, preset size, 8-bit sRGB", "JPEG、3:4、规定像素、8位sRGB"}, PersonMaskUse::throughout},
        {"output-size", check_output_size, {"File size", "文件大小"}},
    };
    return table;
}

const Rule* find_rule(const std::string& id) {
    for (const Rule& rule : rule_table())
        if (id == rule.id) return &rule;
    return nullptr;
}

namespace {

// Two threads per photo when the cores are free; a batch that keeps every core busy with photos asks for one.
std::atomic<unsigned> threads_per_photo{std::thread::hardware_concurrency() >= 2 ? 2u : 1u};

Finding run_rule(const Rule& rule, const Analysis& analysis) {
    const RuleConfig* config = analysis.preset().rule(rule.id);
    if (!rule.check)
        return skipped(rule.id, {"Not measured by this version of certphoto yet: check it by eye", "此版本尚未检测此项，请人工检查"});
    if (!config || !config->enabled())
        return skipped(rule.id, {"Not part of preset " + analysis.preset().id, "不属于预设 " + analysis.preset().id + " 的要求"});
    StageTimer timer(rule.id);
    return rule.check(analysis, *config);
}

}  // namespace

void set_rule_threads_per_photo(unsigned threads) { threads_per_photo = std::clamp(threads, 1u, 2u); }

std::vector<Finding> run_rules(const Analysis& analysis) {
    const std::vector<Rule>& table = rule_table();
    std::vector<Finding> findings(table.size());
    if (threads_per_photo == 1) {
        for (std::size_t i = 0; i < table.size(); ++i) findings[i] = run_rule(table[i], analysis);
        return findings;
    }
    // Two threads. The helper makes the person mask first (GrabCut, the longest single step) and then takes the
    // rules that read it at once, from the back of the queue; meanwhile the caller takes the rules that do not,
    // from the front, then those that read it only at the end, and then helps with the rest. Each finding lands
    // in its rule's place.
    std::vector<std::size_t> queue;
    for (PersonMaskUse use : {PersonMaskUse::none, PersonMaskUse::at_end, PersonMaskUse::throughout})
        for (std::size_t i = 0; i < table.size(); ++i)
            if (table[i].person_mask == use) queue.push_back(i);
    std::mutex taking;
    std::size_t front = 0, back = queue.size();
    auto take = [&](bool from_back) -> std::optional<std::size_t> {
        std::lock_guard<std::mutex> lock(taking);
        if (front == back) return std::nullopt;
        return from_back ? queue[--back] : queue[front++];
    };
    auto take_rules = [&](bool from_back) {
        while (auto i = take(from_back)) findings[*i] = run_rule(table[*i], analysis);
    };
    std::future<void> helper = std::async(std::launch::async, [&] {
        if (analysis.face()) analysis.person();
        take_rules(true);
    });
    std::exception_ptr failure;
    try {
        take_rules(false);
    } catch (...) {
        std::lock_guard<std::mutex> lock(taking);
        front = back;
        failure = std::current_exception();
    }
    helper.get();
    if (failure) std::rethrow_exception(failure);
    return findings;
}

const char* to_string(Status status) {
    switch (status) {
        case Status::pass: return "pass";
        case Status::warn: return "warn";
        case Status::fail: return "fail";
        default: return "skip";
    }
}

Finding skipped(const std::string& id, Message why) {
    Finding f;
    f.id = id;
    f.status = Status::skip;
    f.message = std::move(why);
    return f;
}

Finding skipped_without_face(const std::string& id) { return skipped(id, {"Needs exactly one face", "需要恰好一张人脸"}); }

Finding not_measured(const std::string& id, Message why) {
    Finding f;
    f.id = id;
    f.status = Status::warn;
    f.message = {why.en + ". Check it by eye", why.zh + "。请人工核对"};
    return f;
}

Finding measured(std::string id, nlohmann::json value, nlohmann::json limit, std::string unit, bool fixable) {
    Finding f;
    f.id = std::move(id);
    f.value = std::move(value);
    f.limit = std::move(limit);
    f.unit = std::move(unit);
    f.fixable = fixable;
    return f;
}

Finding& conclude(Finding& f, bool within_limit, const RuleConfig& config, Message passed, Message failed) {
    f.status = within_limit ? Status::pass : out_of_limit(config);
    f.message = within_limit ? std::move(passed) : std::move(failed);
    return f;
}

Status out_of_limit(const RuleConfig& config) { return config.severity() == "warn" ? Status::warn : Status::fail; }

std::vector<Patch> patches_largest_first(const cv::Mat& mask) {
    cv::Mat labels, stats, centroids;
    int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8);
    std::vector<Patch> patches;
    for (int k = 1; k < n; ++k)
        patches.push_back({stats.at<int>(k, cv::CC_STAT_AREA), component_box(stats, k)});
    std::stable_sort(patches.begin(), patches.end(), [](const Patch& x, const Patch& y) { return x.pixels > y.pixels; });
    return patches;
}

cv::Rect box_in_image(const cv::Rect& work, double scale, const cv::Rect& origin_box, cv::Size image) {
    cv::Rect in_image(cvFloor(work.x / scale), cvFloor(work.y / scale), cvCeil(work.width / scale), cvCeil(work.height / scale));
    return (in_image + origin_box.tl()) & cv::Rect(cv::Point(), image);
}

nlohmann::json range_json(double min, double max) {
    auto round1 = [](double v) { return std::round(v * 10) / 10; };
    return nlohmann::json::array({round1(min), round1(max)});
}

std::string format_number(double value, int decimals) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(decimals) << value;
    return out.str();
}

}  // namespace certphoto
