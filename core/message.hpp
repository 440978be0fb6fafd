#pragma once
// Every text a user sees exists in Chinese and English; this is the one carrier for both.
#include <string>

namespace certphoto {

struct Message {
    std::string en;
    std::string zh;
};

}  // namespace certphoto
