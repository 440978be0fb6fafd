#pragma once
// Text that reports carry must be UTF-8 (JSON cannot hold anything else), but file names are bytes: a folder
// unpacked from a zip made on a Chinese Windows names its photos in GBK ("\xD5\xC5\xC8\xFD.jpg" for 张三.jpg).
#include <string>

namespace certphoto {

bool is_utf8(const std::string& bytes);

// The text itself when it is UTF-8; else read as GB18030 (GBK's superset) when that reads all of it; else with
// each byte that is not UTF-8 shown as U+FFFD. For what people and JSON read, never for opening the file.
std::string as_utf8(const std::string& bytes);

}  // namespace certphoto
