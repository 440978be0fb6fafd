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

}  // namespace certphoto
