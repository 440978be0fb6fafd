#pragma once
// The one error path: a typed error carrying a bilingual message. Hosts print or show it; nothing swallows it.
#include <stdexcept>
#include <string>

#include "message.hpp"

namespace certphoto {

enum class ErrorKind {
    unreadable_input,   // missing, empty, truncated, wrong type, corrupt
    unsupported_input,  // readable but outside what we accept (too large, odd layout)
    bad_preset,
    usage,
    write_failed,
    cannot_fix,         // the photo needs a reshoot or the output cannot meet the preset
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, Message message)
        : std::runtime_error(message.en), kind_(kind), message_(std::move(message)) {}

    ErrorKind kind() const { return kind_; }
    const Message& message() const { return message_; }

private:
    ErrorKind kind_;
    Message message_;
};

// A file its decoder cannot read: "Damaged or unreadable JPEG file: <why>", in both languages.
inline Error unreadable_file(const std::string& format, const Message& why) {
    return Error(ErrorKind::unreadable_input, {"Damaged or unreadable " + format + " file: " + why.en, format + " 文件损坏或无法读取：" + why.zh});
}
// A decoding library's own words exist in English only: the Chinese text says whose they are.
inline Message decoder_said(const std::string& text) { return {text, "解码库的说明：" + text}; }
inline const Message file_ends_early{"the file ends before the image data does (truncated)", "文件在图像数据结束之前就中断了（文件不完整）"};

}  // namespace certphoto
