#pragma once
// A value made on first use and kept, safe to ask for from several threads at once: the first caller makes
// it, the others wait for it. What the analysis computes once for many rules is held in these, so the rules
// can run side by side.
#include <mutex>
#include <optional>

namespace certphoto {

template <class T>
class Lazy {
public:
    template <class Make>
    const T& get(Make&& make) const {
        std::call_once(once_, [&] { value_.emplace(make()); });
        return *value_;
    }

private:
    mutable std::once_flag once_;
    mutable std::optional<T> value_;
};

}  // namespace certphoto
