#include "text.hpp"

#include <iconv.h>

#include <memory>
#include <optional>

namespace certphoto {
namespace {

// The length of the UTF-8 sequence starting at `at`, or 0 when none starts there (RFC 3629: no overlong forms,
// no surrogates, nothing past U+10FFFF).
std::size_t sequence_length(const std::string& s, std::size_t at) {
    auto byte = [&](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0u; };
    auto continuation = [&](std::size_t i) { return (byte(i) & 0xC0u) == 0x80u; };
    const unsigned lead = byte(at);
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return continuation(at + 1) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        const unsigned second = byte(at + 1);
        if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F)) return 0;
        return continuation(at + 1) && continuation(at + 2) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const unsigned second = byte(at + 1);
        if ((lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) return 0;
        return continuation(at + 1) && continuation(at + 2) && continuation(at + 3) ? 4 : 0;
    }
    return 0;
}

std::optional<std::string> from_gb18030(const std::string& bytes) {
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::unique_ptr<void, int (*)(iconv_t)> closing(cd, iconv_close);
    std::string in = bytes, out(4 * bytes.size() + 4, '\0');
    char *in_at = in.data(), *out_at = out.data();
    std::size_t in_left = in.size(), out_left = out.size();
    if (iconv(cd, &in_at, &in_left, &out_at, &out_left) == static_cast<std::size_t>(-1) || in_left != 0) return std::nullopt;
    out.resize(out.size() - out_left);
    return out;
}

}  // namespace

bool is_utf8(const std::string& bytes) {
    for (std::size_t at = 0; at < bytes.size();) {
        const std::size_t n = sequence_length(bytes, at);
        if (n == 0) return false;
        at += n;
    }
    return true;
}

std::string as_utf8(const std::string& bytes) {
    if (is_utf8(bytes)) return bytes;
    if (std::optional<std::string> gb = from_gb18030(bytes); gb && is_utf8(*gb)) return *gb;
    std::string out;
    for (std::size_t at = 0; at < bytes.size();) {
        const std::size_t n = sequence_length(bytes, at);
        out += n == 0 ? std::string("\xEF\xBF\xBD") : bytes.substr(at, n);
        at += n == 0 ? 1 : n;
    }
    return out;
}

}  // namespace certphoto
