#pragma once
// Outputs appear whole or not at all: written to a temporary file beside the target, synced, renamed.
#include <string>
#include <vector>

#include "image.hpp"

namespace certphoto {

struct WritePolicy {
    bool replace_existing = false;
    std::vector<std::string> protected_paths;  // the inputs: never written, whatever the policy
};

void write_file_atomically(const std::string& path, const Bytes& bytes, const WritePolicy& policy);

// A file name's extension in lower case, with its dot (".jpg" for "A.JPG"); empty when it has none.
std::string lower_case_extension(const std::string& path);

// A file named for another format than the one written misleads whoever opens it (an upload site takes .jpg
// files only). Throws a usage Error naming `what` (the option or the step) unless `path` ends in one of
// `extensions` (lower case, with the dot; the path's case does not matter).
void require_extension(const std::string& path, const std::string& what, const std::string& format,
                       const std::vector<std::string>& extensions);

}  // namespace certphoto
