#pragma once
// Paths and small helpers shared by the tests. Test photos are real: tests/data (bundled, with attribution)
// and the shared corpus (../shared/photos) for the corpus-wide tests.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "image.hpp"
#include "preset.hpp"

namespace certphoto::test {

inline std::string data_path(const std::string& name) { return std::string(CERTPHOTO_TEST_DATA) + "/" + name; }
inline std::string shared_photos() { return CERTPHOTO_SHARED_PHOTOS; }
inline bool have_shared_photos() { return std::filesystem::is_directory(shared_photos()); }

#define REQUIRE_SHARED_PHOTOS()                                                                      \
    if (!certphoto::test::have_shared_photos())                                                      \
    GTEST_SKIP() << "the shared photo corpus is not at " << certphoto::test::shared_photos()         \
                 << " (meson option photos_dir)"

inline Bytes read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::string& path, const Bytes& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A fresh folder under the build tree's temp space, removed when the test ends.
class TempDir {
public:
    TempDir() {
        auto base = std::filesystem::temp_directory_path() / "certphoto-tests";
        std::filesystem::create_directories(base);
        std::string pattern = (base / "XXXXXX").string();
        std::vector<char> name(pattern.begin(), pattern.end());
        name.push_back('\0');
        path_ = mkdtemp(name.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// Hand-placed landmarks (.tem): line 1 the count, then "x<TAB>y"; points 0 and 1 are the pupils.
inline std::vector<cv::Point2f> read_tem(const std::string& path) {
    std::ifstream in(path);
    int count = 0;
    in >> count;
    std::vector<cv::Point2f> points;
    for (int i = 0; i < count; ++i) {
        float x, y;
        if (!(in >> x >> y)) break;
        points.emplace_back(x, y);
    }
    return points;
}

inline const Preset& graduate_preset() {
    static const Preset preset = find_preset("chsi-graduate");
    return preset;
}

// The words in Latin letters (runs of at least `shortest`) of a Chinese text, but for those Chinese writes so
// (`written_in_latin`: units, format names).
inline std::set<std::string> latin_words(const std::string& zh, const std::set<std::string>& written_in_latin, std::size_t shortest) {
    const std::regex word("[A-Za-z]{" + std::to_string(shortest) + ",}");
    std::set<std::string> words;
    for (auto it = std::sregex_iterator(zh.begin(), zh.end(), word); it != std::sregex_iterator(); ++it)
        if (!written_in_latin.count(it->str())) words.insert(it->str());
    return words;
}

// The Chinese text of a decoder's message says why in Chinese too: no English left in it but the format's name.
inline bool reads_in_chinese(const std::string& zh) { return latin_words(zh, {"JPEG", "PNG", "TIFF"}, 1).empty(); }

}  // namespace certphoto::test
