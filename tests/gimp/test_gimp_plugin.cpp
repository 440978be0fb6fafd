// The plug-in in a real headless GIMP 2.10 with a throw-away profile. GIMP exits 0 even when a batch command
// fails, so the log and the output files are what is checked.
#include <sys/wait.h>

#include "gimp_profile.hpp"
#include "output_verification.hpp"

namespace certphoto::test {
namespace {

struct GimpRun {
    std::string log;
    int exit_code;
};

GimpRun run_gimp(const TempDir& dir, const std::string& script) {
    std::filesystem::path profile = make_gimp_profile(dir);
    std::string command = "cd '" + dir.path().string() + "' && CERTPHOTO_LOCALEDIR='" + CERTPHOTO_BUILD_LOCALEDIR +
                          "' GIMP2_DIRECTORY='" + profile.string() +
                          "' timeout 300 gimp-console-2.10 -i -d -f -b '" + script + "' -b '(gimp-quit 0)' >log.txt 2>&1";
    int status = std::system(command.c_str());
    Bytes log = read_bytes(dir.file("log.txt"));
    return {std::string(log.begin(), log.end()), WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

bool gimp_available() { return std::system("command -v gimp-console-2.10 >/dev/null 2>&1") == 0; }

TEST(GimpPlugin, ChecksFixesAndExportsAStudioPhoto) {
    if (!gimp_available()) GTEST_SKIP() << "gimp-console-2.10 is not installed (Debian package gimp)";
    TempDir dir;
    std::string in = data_path("london_neutral_021_03.jpg"), out = dir.file("upload.jpg");
    std::string script =
        "(let* ((image (car (gimp-file-load RUN-NONINTERACTIVE \"" + in + "\" \"in.jpg\")))"
        "       (drawable (car (gimp-image-get-active-drawable image)))"
        "       (result (plug-in-certphoto-check RUN-NONINTERACTIVE image drawable \"chsi-graduate\"))"
        "       (layers (car (gimp-image-get-layers image)))"
        "       (fixed (car (plug-in-certphoto-fix RUN-NONINTERACTIVE image drawable \"chsi-graduate\" 0)))"
        "       (fixed-layer (car (gimp-image-get-active-drawable fixed))))"
        "  (plug-in-certphoto-export RUN-NONINTERACTIVE fixed fixed-layer \"" + out + "\" \"chsi-graduate\")"
        "  (gimp-message (string-append \"certphoto-procedures:\""
        "     (number->string (car (gimp-procedural-db-proc-exists \"plug-in-certphoto-check\")))"
        "     (number->string (car (gimp-procedural-db-proc-exists \"plug-in-certphoto-fix\")))"
        "     (number->string (car (gimp-procedural-db-proc-exists \"plug-in-certphoto-export\")))"
        "     \" verdict:\" (car result) \" layers:\" (number->string layers)"
        "     \" report-has-checks:\" (if (> (string-length (cadr result)) 1000) \"yes\" \"no\"))))";
    GimpRun gimp = run_gimp(dir, script);
    EXPECT_EQ(gimp.exit_code, 0);
    EXPECT_EQ(gimp.log.find("execution error"), std::string::npos) << gimp.log;
    EXPECT_EQ(gimp.log.find("certphoto.png"), std::string::npos) << "the icon did not load: " << gimp.log;
    EXPECT_NE(gimp.log.find("batch command executed successfully"), std::string::npos) << gimp.log;
    EXPECT_NE(gimp.log.find("certphoto-procedures:111"), std::string::npos) << gimp.log;
    EXPECT_NE(gimp.log.find("verdict:fail"), std::string::npos) << "a studio shot fails as shot: " << gimp.log;
    EXPECT_NE(gimp.log.find("layers:2"), std::string::npos) << "the overlay layer is missing: " << gimp.log;
    EXPECT_NE(gimp.log.find("report-has-checks:yes"), std::string::npos) << gimp.log;
    EXPECT_NE(gimp.log.find("合格"), std::string::npos) << "the export reports its verdict: " << gimp.log;
    ASSERT_TRUE(std::filesystem::exists(out)) << gimp.log;
    expect_compliant_graduate_output(out, "exported from GIMP");
}

TEST(GimpPlugin, APhotoThatNeedsAReshootIsAnErrorInBothLanguages) {
    if (!gimp_available()) GTEST_SKIP() << "gimp-console-2.10 is not installed (Debian package gimp)";
    TempDir dir;
    std::string script =
        "(let* ((image (car (gimp-file-load RUN-NONINTERACTIVE \"" + data_path("meds_S013-01-t10_01.jpg") + "\" \"in.jpg\")))"
        "       (drawable (car (gimp-image-get-active-drawable image))))"
        "  (plug-in-certphoto-fix RUN-NONINTERACTIVE image drawable \"chsi-graduate\" 0))";
    GimpRun gimp = run_gimp(dir, script);
    EXPECT_NE(gimp.log.find("execution error"), std::string::npos) << gimp.log;
    EXPECT_NE(gimp.log.find("需要重拍"), std::string::npos) << gimp.log;
    EXPECT_NE(gimp.log.find("sharpness"), std::string::npos) << gimp.log;
}

// The export writes a JPEG: to a file named otherwise it is refused, before anything is written.
TEST(GimpPlugin, AnExportNotNamedJpgIsAnErrorInBothLanguages) {
    if (!gimp_available()) GTEST_SKIP() << "gimp-console-2.10 is not installed (Debian package gimp)";
    TempDir dir;
    std::string out = dir.file("upload.png");
    std::string script =
        "(let* ((image (car (gimp-file-load RUN-NONINTERACTIVE \"" + data_path("london_neutral_021_03.jpg") + "\" \"in.jpg\")))"
        "       (drawable (car (gimp-image-get-active-drawable image))))"
        "  (plug-in-certphoto-export RUN-NONINTERACTIVE image drawable \"" + out + "\" \"chsi-graduate\"))";
    GimpRun gimp = run_gimp(dir, script);
    EXPECT_NE(gimp.log.find("execution error"), std::string::npos) << gimp.log;
    EXPECT_NE(gimp.log.find("请以 .jpg 或 .jpeg 结尾"), std::string::npos) << gimp.log;
    EXPECT_NE(gimp.log.find("name it .jpg or .jpeg"), std::string::npos) << gimp.log;
    EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace certphoto::test
