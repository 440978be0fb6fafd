#pragma once
// Outputs appear whole or not at all: written to a temporary file beside the target, synced, renamed.
#include <string>

#include "image.hpp"

namespace certphoto {

struct WritePolicy {
    bool replace_existing = false;
    std::vector<std::string> protected_paths;  // the inputs: never written, whatever the policy
};

void write_file_atomically(const std::string& path, const Bytes& bytes, const WritePolicy& policy);

}  // namespace certphoto
