#include "color_management.hpp"

#include <array>
#include <memory>

#include <lcms2.h>
#include <opencv2/imgproc.hpp>

#include "error.hpp"
#include "stage_times.hpp"

namespace certphoto {
namespace {

struct ProfileCloser {
    void operator()(void* p) const { cmsCloseProfile(p); }
};
struct TransformDeleter {
    void operator()(void* t) const { cmsDeleteTransform(t); }
};
using Profile = std::unique_ptr<void, ProfileCloser>;
using Transform = std::unique_ptr<void, TransformDeleter>;

Profile open_profile(const std::vector<std::uint8_t>& icc) {
    return Profile(cmsOpenProfileFromMem(icc.data(), static_cast<cmsUInt32Number>(icc.size())));
}

std::string describe(cmsHPROFILE profile) {
    char text[256] = {};
    cmsGetProfileInfoASCII(profile, cmsInfoDescription, "en", "US", text, sizeof text);
    return text;
}

Error damaged_profile() {
    return Error(ErrorKind::unreadable_input,
                 {"The embedded ICC colour profile is damaged: the colours cannot be known",
                  "内嵌的 ICC 色彩配置文件已损坏，无法确定图像颜色"});
}

bool is_cmyk(PixelLayout l) { return l == PixelLayout::cmyk || l == PixelLayout::cmyk_inverted; }
bool is_grey(PixelLayout l) { return l == PixelLayout::grey || l == PixelLayout::grey_alpha; }

cmsColorSpaceSignature colour_space_of(PixelLayout l) {
    return is_cmyk(l) ? cmsSigCmykData : is_grey(l) ? cmsSigGrayData : cmsSigRgbData;
}

cmsUInt32Number lcms_format(PixelLayout l, bool sixteen_bit) {
    switch (l) {
        case PixelLayout::grey:
        case PixelLayout::grey_alpha: return sixteen_bit ? TYPE_GRAY_16 : TYPE_GRAY_8;
        case PixelLayout::cmyk: return TYPE_CMYK_8;
        case PixelLayout::cmyk_inverted: return TYPE_CMYK_8_REV;
        default: return sixteen_bit ? TYPE_BGR_16 : TYPE_BGR_8;
    }
}

// Colour channels only, alpha split off; 16-bit kept for the profile transform.
cv::Mat colour_channels(const RawImage& raw, cv::Mat& alpha) {
    const cv::Mat& p = raw.pixels;
    if (raw.layout == PixelLayout::bgra || raw.layout == PixelLayout::grey_alpha) {
        std::vector<cv::Mat> planes;
        cv::split(p, planes);
        alpha = planes.back();
        planes.pop_back();
        cv::Mat colour;
        cv::merge(planes, colour);
        return colour;
    }
    return p;
}

cv::Mat to_8bit(const cv::Mat& m) {
    if (m.depth() == CV_8U) return m;
    cv::Mat out;
    m.convertTo(out, CV_8U, 1.0 / 257.0);
    return out;
}

// No profile: the channels are taken as sRGB; CMYK by the usual naive formula, as no CMYK profile is known.
cv::Mat assume_srgb(const cv::Mat& colour, PixelLayout layout) {
    cv::Mat eight = to_8bit(colour), bgr;
    if (is_grey(layout)) {
        cv::cvtColor(eight, bgr, cv::COLOR_GRAY2BGR);
    } else if (is_cmyk(layout)) {
        bgr.create(eight.size(), CV_8UC3);
        bool inverted = layout == PixelLayout::cmyk_inverted;
        eight.forEach<cv::Vec4b>([&](const cv::Vec4b& cmyk, const int* pos) {
            auto ink = [&](int i) { return inverted ? 255 - cmyk[i] : cmyk[i]; };
            int white = 255 - ink(3);
            bgr.at<cv::Vec3b>(pos[0], pos[1]) = cv::Vec3b(cv::saturate_cast<uchar>((255 - ink(2)) * white / 255),
                                                          cv::saturate_cast<uchar>((255 - ink(1)) * white / 255),
                                                          cv::saturate_cast<uchar>((255 - ink(0)) * white / 255));
        });
    } else {
        bgr = eight;
    }
    return bgr;
}

cv::Mat transform_to_srgb(const cv::Mat& colour, PixelLayout layout, cmsHPROFILE source) {
    Profile srgb(cmsCreate_sRGBProfile());
    bool sixteen = colour.depth() == CV_16U;
    cmsUInt32Number in_format = lcms_format(layout, sixteen);
    Transform transform(cmsCreateTransform(source, in_format, srgb.get(), TYPE_BGR_8, INTENT_PERCEPTUAL, 0));
    if (!transform) throw damaged_profile();
    cv::Mat input = colour.isContinuous() ? colour : colour.clone();
    cv::Mat out(colour.size(), CV_8UC3);
    for (int y = 0; y < input.rows; ++y)
        cmsDoTransform(transform.get(), input.ptr(y), out.ptr(y), static_cast<cmsUInt32Number>(input.cols));
    return out;
}

// Transparent areas are shown over white, as a viewer would show them.
cv::Mat over_white(const cv::Mat& bgr, const cv::Mat& alpha) {
    cv::Mat a8 = to_8bit(alpha), a, colour, out;
    a8.convertTo(a, CV_32F, 1.0 / 255);
    cv::cvtColor(a, a, cv::COLOR_GRAY2BGR);
    bgr.convertTo(colour, CV_32FC3);
    cv::Mat white(bgr.size(), CV_32FC3, cv::Scalar::all(255));
    out = colour.mul(a) + white.mul(cv::Scalar::all(1) - a);
    out.convertTo(out, CV_8UC3);
    return out;
}

}  // namespace

ConvertedColour convert_to_srgb(const RawImage& raw) {
    StageTimer timer("colour");
    cmsSetLogErrorHandler(nullptr);  // errors reach us as null handles
    ConvertedColour result;
    cv::Mat alpha;
    cv::Mat colour = colour_channels(raw, alpha);
    if (!raw.icc.empty()) {
        Profile source = open_profile(raw.icc);
        if (!source) throw damaged_profile();
        result.source_profile_description = describe(source.get());
        // A profile for another colour model than the pixels is ignored, as viewers do.
        if (cmsGetColorSpace(source.get()) == colour_space_of(raw.layout)) {
            cv::Mat in = colour;
            if (is_cmyk(raw.layout)) in = to_8bit(colour);
            result.bgr = transform_to_srgb(in, raw.layout, source.get());
        }
    }
    if (result.bgr.empty()) result.bgr = assume_srgb(colour, raw.layout);
    if (!alpha.empty()) result.bgr = over_white(result.bgr, alpha);
    return result;
}

namespace {

// lcms stamps a new profile with the time it was made, so every output would differ from a re-run of the same
// photo in those twelve bytes, and tell when it was processed. A fixed date makes re-runs byte-identical.
// (The header's profile ID, which would cover the date, is left zero by lcms: it is not computed.)
constexpr std::array<std::uint16_t, 6> fixed_profile_date{2017, 1, 1, 0, 0, 0};  // the notice's year
constexpr std::size_t icc_date_offset = 24;

void with_fixed_creation_date(std::vector<std::uint8_t>& icc) {
    for (std::size_t i = 0; i < fixed_profile_date.size(); ++i) {
        icc[icc_date_offset + 2 * i] = static_cast<std::uint8_t>(fixed_profile_date[i] >> 8);  // big-endian
        icc[icc_date_offset + 2 * i + 1] = static_cast<std::uint8_t>(fixed_profile_date[i] & 0xff);
    }
}

}  // namespace

const std::vector<std::uint8_t>& srgb_profile_bytes() {
    static const std::vector<std::uint8_t> bytes = [] {
        Profile srgb(cmsCreate_sRGBProfile());
        cmsMLU* description = cmsMLUalloc(nullptr, 1);
        cmsMLUsetASCII(description, "en", "US", srgb_profile_name);
        cmsWriteTag(srgb.get(), cmsSigProfileDescriptionTag, description);
        cmsMLUfree(description);
        cmsUInt32Number size = 0;
        cmsSaveProfileToMem(srgb.get(), nullptr, &size);
        std::vector<std::uint8_t> out(size);
        cmsSaveProfileToMem(srgb.get(), out.data(), &size);
        with_fixed_creation_date(out);
        return out;
    }();
    return bytes;
}

std::optional<std::string> icc_description(const std::vector<std::uint8_t>& icc) {
    if (icc.empty()) return std::nullopt;
    Profile profile = open_profile(icc);
    if (!profile) return std::nullopt;
    return describe(profile.get());
}

}  // namespace certphoto
