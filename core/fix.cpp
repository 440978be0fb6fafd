#include "fix.hpp"

#include <opencv2/imgproc.hpp>

#include "error.hpp"
#include "fix/background.hpp"
#include "fix/framing.hpp"
#include "jpeg_writer.hpp"

namespace certphoto {
namespace {

Message needs_reshoot(const Report& report) {
    std::string ids;
    for (const auto& c : report.checks)
        if (c.status == Status::fail && !c.fixable) ids += (ids.empty() ? "" : ", ") + c.id;
    return {"Needs a reshoot, fix cannot repair: " + ids, "需要重拍，无法自动修复：" + ids};
}

}  // namespace

FixedPhoto fix_photo(CheckedPhoto input, const FixOptions& options) {
    FixedPhoto fixed;
    fixed.input = std::move(input);
    const Report& in_report = fixed.input.report;
    if (!fixed.input.analysis) return fixed;  // unreadable: the report says why
    const Analysis& a = *fixed.input.analysis;
    if (!a.face()) {
        fixed.refusal = needs_reshoot(in_report);
        return fixed;
    }
    if (in_report.failed_unfixable() && !options.force) {
        fixed.refusal = needs_reshoot(in_report);
        return fixed;
    }

    Framing framing = plan_framing(a);
    fixed.edits.push_back({"frame", framing.audit()});
    cv::Mat framed = apply_framing(a.bgr(), framing, cv::INTER_CUBIC);
    cv::Mat mask = apply_framing(a.person().at_size(a.size()), framing, cv::INTER_LINEAR);
    cv::Point2f chin = a.face()->landmarks.points[landmark::chin];
    int chin_y_out = cvRound(framing.to_output(1, 0) * chin.x + framing.to_output(1, 1) * chin.y + framing.to_output(1, 2));
    int filled = fill_outside_photo(framed, mask, framing_coverage(a.size(), framing), chin_y_out);
    if (filled > 0) fixed.edits.push_back({"fill-outside-photo", {{"pixels", filled}, {"below_y", chin_y_out}}});

    BackgroundResult background = replace_background(framed, mask, a.preset().background_rgb);
    fixed.edits.push_back({"replace-background", background.audit});

    EncodedJpeg jpeg = encode_for_preset(background.bgr, a.preset().output);
    fixed.edits.push_back({"encode-jpeg", jpeg.audit()});
    fixed.edits.push_back({"colour", {{"profile", "sRGB IEC61966-2.1"}, {"intent", "perceptual"}}});

    fixed.output = check_image(decode_image(jpeg.bytes, a.preset().input), in_report.file, a.preset());
    fixed.jpeg = std::move(jpeg.bytes);
    return fixed;
}

}  // namespace certphoto
