// The presets carry the spec's numbers as data, and a bad preset is refused with a bilingual error.
#include "error.hpp"
#include "test_support.hpp"

namespace certphoto::test {
namespace {

TEST(Presets, GraduateHasTheSpecNumbers) {
    const Preset& p = graduate_preset();
    EXPECT_EQ(p.output.width_px.min, 480);
    EXPECT_EQ(p.output.width_px.max, 480);
    EXPECT_EQ(p.output.height_px.min, 640);
    EXPECT_EQ(p.output.dpi, 300);
    EXPECT_EQ(p.output.min_jpeg_quality, 60);
    EXPECT_EQ(p.output.file_bytes.min, 20 * 1024);
    EXPECT_EQ(p.output.file_bytes.max, 1024 * 1024);
    EXPECT_EQ(p.background_rgb, cv::Vec3b(100, 197, 255));
    EXPECT_EQ(p.rule("head-top")->range("top_px").min, 50);
    EXPECT_EQ(p.rule("head-top")->range("top_px").max, 110);
    EXPECT_EQ(p.rule("eye-line")->range("eye_line_px").min, 200);
    EXPECT_EQ(p.rule("eye-line")->range("eye_line_px").max, 300);
    EXPECT_EQ(p.rule("head-size")->range("face_width_px").min, 180);
    EXPECT_EQ(p.rule("head-size")->range("face_width_px").max, 300);
}

TEST(Presets, UploadAllowsTheNoticesSizeRange) {
    Preset p = find_preset("chsi-upload");
    EXPECT_EQ(p.output.width_px.min, 480);
    EXPECT_EQ(p.output.width_px.max, 1350);
    EXPECT_EQ(p.output.height_px.max, 1800);
    EXPECT_GE(p.output.file_bytes.min, 50 * 1000);
    EXPECT_LE(p.output.file_bytes.max, 1000 * 1000);
    EXPECT_EQ(p.background_rgb, cv::Vec3b(100, 197, 255));
}

TEST(Presets, ListsBothShippedPresets) {
    std::vector<std::string> ids;
    for (const auto& p : list_presets()) ids.push_back(p.id);
    EXPECT_NE(std::find(ids.begin(), ids.end(), "chsi-graduate"), ids.end());
    EXPECT_NE(std::find(ids.begin(), ids.end(), "chsi-upload"), ids.end());
}

TEST(Presets, ANewPresetIsDataOnly) {
    // An ID-card-like preset written at run time is found and used without recompiling.
    TempDir dir;
    nlohmann::json doc = nlohmann::json::parse(read_bytes(std::string(CERTPHOTO_SOURCE_PRESETS) + "/chsi-graduate.json"));
    doc["id"] = "id-card-white";
    doc["background"]["rgb"] = {255, 255, 255};
    std::string text = doc.dump();
    write_bytes(dir.file("id-card-white.json"), Bytes(text.begin(), text.end()));
    setenv("CERTPHOTO_PRESETS", dir.path().c_str(), 1);
    Preset p = find_preset("id-card-white");
    unsetenv("CERTPHOTO_PRESETS");
    EXPECT_EQ(p.background_rgb, cv::Vec3b(255, 255, 255));
}

TEST(Presets, UnknownAndBrokenPresetsAreRefused) {
    EXPECT_THROW(find_preset("no-such-preset"), Error);
    nlohmann::json broken = {{"schema", "certphoto-preset/1"}, {"id", "x"}};
    try {
        parse_preset(broken, "broken.json");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::bad_preset);
        EXPECT_NE(e.message().zh.find("预设"), std::string::npos);
    } catch (const nlohmann::json::exception&) {
        FAIL() << "a JSON exception escaped instead of a bilingual error";
    }
}

}  // namespace
}  // namespace certphoto::test
