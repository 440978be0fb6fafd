// The plug-in in a real headless GIMP 3 with a throw-away profile (built and run inside a Debian 13 root by
// scripts/gimp3-root). GIMP exits 0 even when a batch command fails, so the log and the output files are
// what is checked. Script-Fu calls the procedures with named arguments, as GIMP 3 asks.
#include <sys/wait.h>

#include <opencv2/imgcodecs.hpp>

#include "gimp_profile.hpp"
#include "output_verification.hpp"

namespace certphoto::test {
namespace {

struct GimpRun {
    std::string log;
    int exit_code;
};

GimpRun run_gimp(const TempDir& dir, const std::string& script, const std::string& environment = "") {
    std::filesystem::path profile = make_gimp_profile(dir);
    // GEGL_PATH replaces GEGL's module folders: ours first, then the system's.
    std::string command = "cd '" + dir.path().string() + "' && " + environment + " CERTPHOTO_LOCALEDIR='" + CERTPHOTO_BUILD_LOCALEDIR +
                          "' GEGL_PATH='" CERTPHOTO_GEGL_MODULE_DIR ":" CERTPHOTO_GEGL_SYSTEM_DIR "' GIMP3_DIRECTORY='" +
                          profile.string() +
                          "' timeout 300 gimp-console-3.0 -i -d -f --quit --batch-interpreter=plug-in-script-fu-eval -b '" +
                          script + "' >log.txt 2>&1";
    int status = std::system(command.c_str());
    Bytes log = read_bytes(dir.file("log.txt"));
    return {std::string(log.begin(), log.end()), WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

bool gimp_available() { return std::system("command -v gimp-console-3.0 >/dev/null 2>&1") == 0; }

std::string load(const std::string& path) {
    return "(image (car (gimp-file-load RUN-NONINTERACTIVE \"" + path + "\")))"
           "(drawables (car (gimp-image-get-selected-drawables image)))";
}

TEST(Gimp3Plugin, ChecksFixesAndExportsAStudioPhoto) {
    if (!gimp_available()) GTEST_SKIP() << "gimp-console-3.0 is not installed (Debian 13 package gimp)";
    TempDir dir;
    std::string out = dir.file("upload.jpg");
    std::string script =
        "(let* (" + load(data_path("london_neutral_021_03.jpg")) +
        "       (result (plug-in-certphoto-check #:run-mode RUN-NONINTERACTIVE #:image image #:drawables drawables"
        "                                        #:preset \"chsi-graduate\"))"
        "       (layers (vector-length (car (gimp-image-get-layers image))))"
        "       (fixed (car (plug-in-certphoto-fix #:run-mode RUN-NONINTERACTIVE #:image image #:drawables drawables"
        "                                          #:preset \"chsi-graduate\" #:force 0)))"
        "       (fixed-drawables (car (gimp-image-get-selected-drawables fixed))))"
        "  (plug-in-certphoto-export #:run-mode RUN-NONINTERACTIVE #:image fixed #:drawables fixed-drawables"
        "                            #:filename \"" + out + "\" #:preset \"chsi-graduate\")"
        "  (gimp-message (string-append \"certphoto-procedures:\""
        "     (number->string (car (gimp-pdb-procedure-exists \"plug-in-certphoto-check\")))"
        "     (number->string (car (gimp-pdb-procedure-exists \"plug-in-certphoto-fix\")))"
        "     (number->string (car (gimp-pdb-procedure-exists \"plug-in-certphoto-export\")))"
        "     \" verdict:\" (car result) \" layers:\" (number->string layers)"
        "     \" report-has-checks:\" (if (> (string-length (cadr result)) 1000) \"yes\" \"no\"))))";
    GimpRun gimp = run_gimp(dir, script);
    EXPECT_EQ(gimp.exit_code, 0);
    EXPECT_EQ(gimp.log.find("execution error"), std::string::npos) << gimp.log;
    EXPECT_EQ(gimp.log.find("Error:"), std::string::npos) << gimp.log;
    EXPECT_EQ(gimp.log.find("deprecated"), std::string::npos) << gimp.log;
    EXPECT_NE(gimp.log.find("batch command executed successfully"), std::string::npos) << gimp.log;
    EXPECT_NE(gimp.log.find("certphoto-procedures:111"), std::string::npos) << gimp.log;
    EXPECT_NE(gimp.log.find("verdict:fail"), std::string::npos) << "a studio shot fails as shot: " << gimp.log;
    EXPECT_NE(gimp.log.find("layers:2"), std::string::npos) << "the overlay layer is missing: " << gimp.log;
    EXPECT_NE(gimp.log.find("report-has-checks:yes"), std::string::npos) << gimp.log;
    EXPECT_NE(gimp.log.find("合格：照片符合规格"), std::string::npos) << "the export reports its verdict: " << gimp.log;
    ASSERT_TRUE(std::filesystem::exists(out)) << gimp.log;
    expect_compliant_graduate_output(out, "exported from GIMP 3");
}

TEST(Gimp3Plugin, APhotoThatNeedsAReshootIsAnErrorInBothLanguages) {
    if (!gimp_available()) GTEST_SKIP() << "gimp-console-3.0 is not installed (Debian 13 package gimp)";
    TempDir dir;
    std::string script = "(let* (" + load(data_path("meds_S013-01-t10_01.jpg")) +
                         ")  (plug-in-certphoto-fix #:run-mode RUN-NONINTERACTIVE #:image image #:drawables drawables"
                         "                          #:preset \"chsi-graduate\" #:force 0))";
    GimpRun gimp = run_gimp(dir, script);
    EXPECT_NE(gimp.log.find("需要重拍"), std::string::npos) << gimp.log;
    EXPECT_NE(gimp.log.find("sharpness"), std::string::npos) << gimp.log;
    EXPECT_EQ(gimp.log.find("batch command executed successfully"), std::string::npos) << gimp.log;
}

// A Chinese desktop registers the procedures in Chinese: GIMP keeps what the plug-in registered in pluginrc.
TEST(Gimp3Plugin, MenusAndDescriptionsAreInChineseOnAChineseDesktop) {
    if (!gimp_available()) GTEST_SKIP() << "gimp-console-3.0 is not installed (Debian 13 package gimp)";
    TempDir dir;
    GimpRun gimp = run_gimp(dir, "(gimp-message \"started\")", "LANG=zh_CN.UTF-8 LANGUAGE=zh_CN:en");
    EXPECT_NE(gimp.log.find("batch command executed successfully"), std::string::npos) << gimp.log;
    Bytes bytes = read_bytes(dir.file("profile/pluginrc"));
    std::string pluginrc(bytes.begin(), bytes.end());
    std::size_t ours = pluginrc.find("plug-ins/certphoto/certphoto");
    ASSERT_NE(ours, std::string::npos) << "the plug-in was not registered";
    std::string registered = pluginrc.substr(ours, pluginrc.find("(plug-in-def", ours) - ours);
    for (const char* text : {"(menu-path \"<Image>/Image/证件照\")", "\"检测(_C)…\"", "\"按规格检测证件照\""})
        EXPECT_NE(registered.find(text), std::string::npos) << text << " missing in:\n" << registered;
}

// A certphoto GEGL operation as GIMP 3 applies filters: the wall of the studio shot becomes the preset blue.
TEST(Gimp3Plugin, TheGeglOperationsRunAsGimpFilters) {
    if (!gimp_available()) GTEST_SKIP() << "gimp-console-3.0 is not installed (Debian 13 package gimp)";
    TempDir dir;
    std::string out = dir.file("wall.jpg");
    std::string script =
        "(let* (" + load(data_path("london_neutral_021_03.jpg")) + ")"
        "  (gimp-drawable-merge-new-filter (vector-ref drawables 0) \"certphoto:replace-background\" \"\""
        "                                  LAYER-MODE-REPLACE 1.0 \"preset\" \"chsi-graduate\")"
        "  (plug-in-certphoto-export #:run-mode RUN-NONINTERACTIVE #:image image #:drawables drawables"
        "                            #:filename \"" + out + "\" #:preset \"chsi-upload\"))";
    GimpRun gimp = run_gimp(dir, script);
    EXPECT_NE(gimp.log.find("batch command executed successfully"), std::string::npos) << gimp.log;
    cv::Mat photo = cv::imread(out);
    ASSERT_FALSE(photo.empty()) << gimp.log;
    const cv::Vec3b preset_blue(255, 197, 100);  // BGR of RGB(100,197,255)
    for (cv::Point corner : {cv::Point(10, 10), cv::Point(photo.cols - 10, 10), cv::Point(20, photo.rows / 2)}) {
        cv::Vec3b pixel = photo.at<cv::Vec3b>(corner);
        for (int c = 0; c < 3; ++c) EXPECT_NEAR(pixel[c], preset_blue[c], 4) << "at " << corner;
    }
}

}  // namespace
}  // namespace certphoto::test
