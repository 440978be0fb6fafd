#pragma once
// A throw-away GIMP profile for headless runs: the plug-in (and its icon) in plug-ins/certphoto/, and the data
// folders GIMP expects to find.
#include <filesystem>

#include "test_support.hpp"

namespace certphoto::test {

inline std::filesystem::path make_gimp_profile(const TempDir& dir) {
    std::filesystem::path profile = dir.path() / "profile";
    for (const char* folder : {"plug-ins/certphoto", "brushes", "gradients", "patterns", "palettes", "fonts", "dynamics",
                               "tool-presets", "mypaint-brushes"})
        std::filesystem::create_directories(profile / folder);
    std::filesystem::copy_file(CERTPHOTO_GIMP_PLUGIN, profile / "plug-ins/certphoto/certphoto");
    std::filesystem::copy_file(CERTPHOTO_PLUGIN_ICON, profile / "plug-ins/certphoto/certphoto.png");
    return profile;
}

}  // namespace certphoto::test
