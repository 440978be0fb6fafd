// The certphoto command as the spec defines it: arguments, exit codes, JSON, and never losing a file.
#include <regex>

#include <opencv2/imgcodecs.hpp>

#include "check.hpp"
#include "cli_run.hpp"
#include "eval/defects.hpp"
#include "output_verification.hpp"
#include "test_support.hpp"

namespace certphoto::test {
namespace {

// Teaching-site staff: --lighting-only writes the photo at its own size with the light evened and nothing
// else changed, and says so in the edit audit; the input is untouched.
TEST(Cli, LightingOnlyKeepsTheFramingAndEvensTheLight) {
    TempDir dir;
    CheckedPhoto clean = check_file(data_path("london_neutral_021_03.jpg"), graduate_preset());
    const Analysis& a = *clean.analysis;
    Sample s{"studio", a.bgr().clone(), *a.face(), a.person().at_size(a.size()), 0};
    std::string input = dir.file("one-sided.jpg");
    cv::imwrite(input, one_sided_light(s, 1.4), {cv::IMWRITE_JPEG_QUALITY, 95});
    Bytes before = read_bytes(input);
    CliRun r = certphoto("fix --lighting-only -o " + shell_quoted(dir.file("out.jpg")) + " --json " +
                             shell_quoted(dir.file("fix.json")) + " " + shell_quoted(input), dir);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(cv::imread(dir.file("out.jpg")).size(), a.size());
    nlohmann::json report = nlohmann::json::parse(read_bytes(dir.file("fix.json")));
    EXPECT_EQ(report["edits"][0]["operation"], "relight");
    for (const auto& c : report["checks"]) {
        if (c["id"] == "lighting-even") {
            EXPECT_EQ(c["status"], "pass") << c.dump();
        }
    }
    EXPECT_EQ(read_bytes(input), before);
}

// A busy wall (a frame and a door behind the person) cannot be keyed cleanly: fix refuses and says why.
TEST(Cli, FixRefusesABusyWall) {
    TempDir dir;
    CheckedPhoto clean = check_file(data_path("london_neutral_021_03.jpg"), graduate_preset());
    const Analysis& a = *clean.analysis;
    Sample s{"studio", a.bgr().clone(), *a.face(), a.person().at_size(a.size()), 0};
    std::string input = dir.file("busy.jpg");
    cv::imwrite(input, objects_on_wall(s), {cv::IMWRITE_JPEG_QUALITY, 95});
    CliRun r = certphoto("fix -o " + shell_quoted(dir.file("out.jpg")) + " " + shell_quoted(input), dir);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("background-uniform"), std::string::npos) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("纯色墙面"), std::string::npos) << r.out << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("out.jpg")));
}

// A tight shot's upload is partly made up below the photo: the studio is told how much, in both languages, so
// they can shoot wider; a shot with room below the shoulders gets no such note.
TEST(Cli, ATightShotIsNotedInBothLanguages) {
    TempDir dir;
    // --force: canada 024f's blue hoodie needs a reshoot anyway; the upload is still written.
    CliRun tight = certphoto("fix --force --out-dir " + shell_quoted(dir.path()) + " --summary " + shell_quoted(dir.file("summary.csv")) + " " +
                                 shell_quoted(data_path("canada_024f.jpg")), dir);
    EXPECT_TRUE(std::filesystem::exists(dir.file("canada_024f.jpg"))) << tight.out << tight.err;
    std::smatch share;
    ASSERT_TRUE(std::regex_search(tight.out, share, std::regex("Tight shot: the bottom ([0-9]+) % of the upload lies below the photo"))) << tight.out;
    const std::string percent = share[1];
    EXPECT_GE(std::stoi(percent), 1);
    EXPECT_NE(tight.out.find("拍摄过紧：成品底部 " + percent + "%"), std::string::npos) << tight.out;
    // A studio's batch summary carries it too, in the last column.
    Bytes csv = read_bytes(dir.file("summary.csv"));
    std::string summary(csv.begin(), csv.end());
    EXPECT_NE(summary.find(",Tight shot: the bottom " + percent + " %"), std::string::npos) << summary;
    EXPECT_NE(summary.find(",拍摄过紧：成品底部 " + percent + "%"), std::string::npos) << summary;
    CliRun roomy = certphoto("fix --out-dir " + shell_quoted(dir.path()) + " " + shell_quoted(data_path("london_neutral_021_03.jpg")), dir);
    EXPECT_EQ(roomy.exit_code, 0) << roomy.out << roomy.err;
    EXPECT_EQ(roomy.out.find("Tight shot"), std::string::npos) << roomy.out;
}

TEST(Cli, PresetsListsBoth) {
    TempDir dir;
    CliRun r = certphoto("presets", dir);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("chsi-graduate"), std::string::npos);
    EXPECT_NE(r.out.find("chsi-upload"), std::string::npos);
}

TEST(Cli, CheckFixCheck) {
    TempDir dir;
    std::string input = data_path("london_neutral_021_03.jpg");
    Bytes before = read_bytes(input);

    CliRun raw = certphoto("check --json - " + shell_quoted(input), dir);
    EXPECT_EQ(raw.exit_code, 1) << raw.err;
    nlohmann::json report = nlohmann::json::parse(raw.out);
    EXPECT_EQ(report["schema"], "certphoto-report/1");
    EXPECT_EQ(report["verdict"], "fail");
    EXPECT_EQ(report["face"]["landmarks"].size(), 68u);
    EXPECT_NE(raw.err.find("不合格"), std::string::npos) << "the person reads the verdict in Chinese too";

    CliRun fix = certphoto("fix -o " + shell_quoted(dir.file("out.jpg")) + " --json " + shell_quoted(dir.file("fix.json")) +
                            " --overlay " + shell_quoted(dir.file("overlay.png")) + " " + shell_quoted(input), dir);
    EXPECT_EQ(fix.exit_code, 0) << fix.out << fix.err;
    expect_compliant_graduate_output(dir.file("out.jpg"), "cli output");
    nlohmann::json fixed = nlohmann::json::parse(read_bytes(dir.file("fix.json")));
    EXPECT_EQ(fixed["verdict"], "pass");
    EXPECT_EQ(fixed["output"], dir.file("out.jpg"));
    EXPECT_FALSE(fixed["edits"].empty());
    cv::Mat overlay = cv::imread(dir.file("overlay.png"));
    EXPECT_EQ(overlay.size(), cv::Size(480, 640));

    CliRun again = certphoto("check " + shell_quoted(dir.file("out.jpg")), dir);
    EXPECT_EQ(again.exit_code, 0) << again.out;
    EXPECT_EQ(read_bytes(input), before) << "the input must never change";
}

TEST(Cli, NeverOverwritesAnInputOrAnExistingOutput) {
    TempDir dir;
    std::filesystem::copy_file(data_path("london_neutral_021_03.jpg"), dir.file("photo.jpg"));
    Bytes before = read_bytes(dir.file("photo.jpg"));
    CliRun onto_input = certphoto("fix --force -o " + shell_quoted(dir.file("photo.jpg")) + " " + shell_quoted(dir.file("photo.jpg")), dir);
    EXPECT_EQ(onto_input.exit_code, 2);
    EXPECT_NE(onto_input.out.find("输入文件永远不会被覆盖"), std::string::npos) << onto_input.out;
    EXPECT_EQ(read_bytes(dir.file("photo.jpg")), before);

    write_bytes(dir.file("existing.jpg"), {1, 2, 3});
    CliRun onto_existing = certphoto("fix -o " + shell_quoted(dir.file("existing.jpg")) + " " + shell_quoted(dir.file("photo.jpg")), dir);
    EXPECT_EQ(onto_existing.exit_code, 2);
    EXPECT_EQ(read_bytes(dir.file("existing.jpg")), (Bytes{1, 2, 3}));
}

TEST(Cli, AnUnreadableInputIsReportedAndTheOthersStillChecked) {
    TempDir dir;
    write_bytes(dir.file("broken.jpg"), {'n', 'o', 't', ' ', 'a', ' ', 'j', 'p', 'g'});
    CliRun r = certphoto("check --json - " + shell_quoted(dir.file("broken.jpg")) + " " + shell_quoted(data_path("london_neutral_021_03.jpg")), dir);
    EXPECT_EQ(r.exit_code, 2);
    nlohmann::json reports = nlohmann::json::parse(r.out);
    ASSERT_TRUE(reports.is_array());
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[0]["verdict"], "error");
    EXPECT_FALSE(reports[0]["error_zh"].get<std::string>().empty());
    EXPECT_EQ(reports[1]["verdict"], "fail");
}

TEST(Cli, FolderBatchWritesOneJpegPerPhotoAndRefusesReshoots) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("in/sub"));
    std::filesystem::copy_file(data_path("london_neutral_021_03.jpg"), dir.file("in/a.jpg"));
    std::filesystem::copy_file(data_path("meds_S013-01-t10_01.jpg"), dir.file("in/sub/blurred.jpg"));
    CliRun r = certphoto("fix -j 2 --out-dir " + shell_quoted(dir.file("out")) + " --json " + shell_quoted(dir.file("r.json")) + " " +
                          shell_quoted(dir.file("in")), dir);
    EXPECT_EQ(r.exit_code, 1) << "one photo needs a reshoot";
    EXPECT_TRUE(std::filesystem::exists(dir.file("out/a.jpg")));
    EXPECT_FALSE(std::filesystem::exists(dir.file("out/blurred.jpg")));
    nlohmann::json reports = nlohmann::json::parse(read_bytes(dir.file("r.json")));
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_TRUE(reports[1]["output"].is_null());
    EXPECT_FALSE(reports[1]["refusal_zh"].get<std::string>().empty());
}

// A studio's folder may hold two photos named alike (a.jpg and the same name as a PNG, 001.jpg in two schools'
// folders): both would be written as out/a.jpg, one over the other, and the report would name the file twice.
// The first in the batch's order is fixed, the others are errors that say why, and nothing is overwritten.
TEST(Cli, PhotosNamedAlikeInABatchDoNotOverwriteEachOthersUpload) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("in/school2"));
    std::filesystem::copy_file(data_path("london_neutral_021_03.jpg"), dir.file("in/a.jpg"));
    ASSERT_TRUE(cv::imwrite(dir.file("in/a.png"), cv::imread(data_path("london_neutral_042_03.jpg"))));
    std::filesystem::copy_file(data_path("london_neutral_038_03.jpg"), dir.file("in/school2/a.jpg"));
    CliRun alone = certphoto("fix -o " + shell_quoted(dir.file("alone.jpg")) + " " + shell_quoted(dir.file("in/a.jpg")), dir);
    ASSERT_EQ(alone.exit_code, 0) << alone.err;

    CliRun r = certphoto("fix -j 2 --out-dir " + shell_quoted(dir.file("out")) + " --overlay " + shell_quoted(dir.file("shown/o.png")) +
                             " --json " + shell_quoted(dir.file("r.json")) + " " + shell_quoted(dir.file("in")), dir);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_EQ(read_bytes(dir.file("out/a.jpg")), read_bytes(dir.file("alone.jpg"))) << "out/a.jpg is in/a.jpg's upload";
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.file("out")), {}), 1);
    nlohmann::json reports = nlohmann::json::parse(read_bytes(dir.file("r.json")));
    ASSERT_EQ(reports.size(), 3u);
    EXPECT_EQ(reports[0]["output"], dir.file("out/a.jpg"));
    for (int i : {1, 2}) {
        EXPECT_EQ(reports[i]["verdict"], "error") << reports[i].dump();
        EXPECT_TRUE(reports[i]["output"].is_null());
        EXPECT_NE(reports[i]["error"].get<std::string>().find(dir.file("in/a.jpg")), std::string::npos) << reports[i]["error"];
        EXPECT_NE(reports[i]["error_zh"].get<std::string>().find("改名"), std::string::npos) << reports[i]["error_zh"];
    }
    EXPECT_TRUE(std::filesystem::exists(dir.file("shown/o-a.png"))) << "the overlay's folder is made, as --out-dir's is";

    // check writes an overlay for every photo: one named like an earlier one takes its extension.
    CliRun checked = certphoto("check -j 2 --overlay " + shell_quoted(dir.file("shown/c.png")) + " " + shell_quoted(dir.file("in")), dir);
    EXPECT_EQ(checked.exit_code, 1) << checked.err;
    for (const char* name : {"c-a.png", "c-a-png.png", "c-a-jpg.png"})
        EXPECT_TRUE(std::filesystem::exists(dir.file(std::string("shown/") + name))) << name;
}

// --json naming the upload would replace the photo just written with its report: refused before any work.
TEST(Cli, AReportOrOverlayNamedLikeAnUploadIsAUsageError) {
    TempDir dir;
    std::string input = shell_quoted(data_path("london_neutral_021_03.jpg"));
    CliRun over_upload = certphoto("fix --out-dir " + shell_quoted(dir.file("out")) + " --json " +
                                       shell_quoted(dir.file("out/london_neutral_021_03.jpg")) + " " + input, dir);
    EXPECT_EQ(over_upload.exit_code, 2);
    EXPECT_NE(over_upload.err.find("会写入同一个文件"), std::string::npos) << over_upload.err;
    EXPECT_NE(over_upload.err.find("would both write"), std::string::npos) << over_upload.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("out")));
    EXPECT_EQ(certphoto("fix -o " + shell_quoted(dir.file("o.jpg")) + " --overlay " + shell_quoted(dir.file("o.jpg")) + " " + input, dir).exit_code, 2);
    EXPECT_EQ(certphoto("check --json " + shell_quoted(dir.file("r")) + " --summary " + shell_quoted(dir.file("r")) + " " + input, dir).exit_code, 2);
    EXPECT_FALSE(std::filesystem::exists(dir.file("o.jpg")));
    EXPECT_FALSE(std::filesystem::exists(dir.file("r")));
}

// A studio's folder copied from a Mac holds "._NAME.jpg" beside each photo (not a picture), and viewers keep
// thumbnails in hidden folders: a folder's hidden files and folders are not photos of the batch.
TEST(Cli, AFoldersPhotosAreItsVisibleImageFiles) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("in/.thumbnails"));
    std::filesystem::copy_file(data_path("london_neutral_021_03.jpg"), dir.file("in/a.jpg"));
    std::filesystem::copy_file(data_path("lisa3.jpg"), dir.file("in/.thumbnails/a.jpg"));
    write_bytes(dir.file("in/._a.jpg"), Bytes(4096, 0));
    CliRun r = certphoto("check --json - " + shell_quoted(dir.file("in")), dir);
    nlohmann::json report = nlohmann::json::parse(r.out);
    ASSERT_TRUE(report.is_object()) << "one photo: " << r.out.substr(0, 300);
    EXPECT_EQ(report["file"], dir.file("in/a.jpg"));
    EXPECT_EQ(r.exit_code, 1) << "the studio shot is not an upload yet";
    // A JPEG as Windows saves one from a browser, .jfif, is a photo of the folder too.
    std::filesystem::copy_file(data_path("london_neutral_042_03.jpg"), dir.file("in/b.JFIF"));
    CliRun two = certphoto("check --json - " + shell_quoted(dir.file("in")), dir);
    nlohmann::json reports = nlohmann::json::parse(two.out);
    ASSERT_TRUE(reports.is_array() && reports.size() == 2u) << two.out.substr(0, 300);
    EXPECT_EQ(reports[1]["file"], dir.file("in/b.JFIF"));
    EXPECT_NE(reports[1]["verdict"], "error");
    // Named on the command line, a hidden file is read (and this one is not a picture).
    EXPECT_EQ(certphoto("check " + shell_quoted(dir.file("in/._a.jpg")), dir).exit_code, 2);
}

// A folder of photos in a format that is not read (an iPhone's .heic, a camera's raw files beside its JPEGs) is
// not "no photos": the batch names what it left out and says to export it as JPEG.
TEST(Cli, PicturesInFormatsNotReadAreNamedNotDropped) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("in"));
    Bytes webp;
    ASSERT_TRUE(cv::imencode(".webp", cv::imread(data_path("london_neutral_021_03.jpg")), webp));
    write_bytes(dir.file("in/IMG_0001.webp"), webp);
    CliRun only = certphoto("check " + shell_quoted(dir.file("in")), dir);
    EXPECT_EQ(only.exit_code, 2);
    EXPECT_NE(only.err.find("Left out 1 picture in formats that are not read (.webp)"), std::string::npos) << only.err;
    EXPECT_NE(only.err.find("已跳过 1 个不支持格式的图片（.webp）"), std::string::npos) << only.err;
    std::filesystem::copy_file(data_path("london_neutral_021_03.jpg"), dir.file("in/IMG_0002.jpg"));
    write_bytes(dir.file("in/IMG_0002.CR2"), Bytes(4096, 0));
    CliRun both = certphoto("check --json - " + shell_quoted(dir.file("in")), dir);
    EXPECT_EQ(both.exit_code, 1) << "the JPEG is checked (a studio shot, not an upload yet)";
    EXPECT_TRUE(nlohmann::json::parse(both.out).is_object()) << "one report: " << both.out.substr(0, 200);
    EXPECT_NE(both.err.find("Left out 2 pictures in formats that are not read (.cr2, .webp)"), std::string::npos) << both.err;
}

// A school's folder unpacked from a zip made on a Chinese Windows names its photos in GBK. The JSON report, the
// summary and the console name them in Chinese (JSON cannot hold the raw bytes: the report was an internal
// error, nothing written), and fix writes the upload under the photo's own name.
TEST(Cli, PhotosNamedInGbkAreReportedInChinese) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("in"));
    const std::string gbk_name = "\xD5\xC5\xC8\xFD";  // 张三
    std::filesystem::copy_file(data_path("london_neutral_021_03.jpg"), dir.file("in/" + gbk_name + ".jpg"));
    CliRun r = certphoto("fix --out-dir " + shell_quoted(dir.file("out")) + " --json " + shell_quoted(dir.file("r.json")) + " --summary " +
                             shell_quoted(dir.file("s.csv")) + " " + shell_quoted(dir.file("in")),
                         dir);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir.file("out/" + gbk_name + ".jpg")));
    const nlohmann::json report = nlohmann::json::parse(read_bytes(dir.file("r.json")));
    EXPECT_EQ(report["file"], dir.file("in/张三.jpg"));
    EXPECT_EQ(report["output"], dir.file("out/张三.jpg"));
    const Bytes csv = read_bytes(dir.file("s.csv"));
    EXPECT_NE(std::string(csv.begin(), csv.end()).find("in/张三.jpg,pass"), std::string::npos);
    EXPECT_NE(r.out.find("in/张三.jpg"), std::string::npos) << r.out;
}

// Uploads written into a folder inside the photos' folder are not photos of the next run.
TEST(Cli, AnOutputFolderInsideTheInputFolderIsNotAnInput) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("in"));
    std::filesystem::copy_file(data_path("london_neutral_021_03.jpg"), dir.file("in/a.jpg"));
    std::string command = "fix --force --out-dir " + shell_quoted(dir.file("in/uploads")) + " --json - " + shell_quoted(dir.file("in"));
    ASSERT_EQ(certphoto(command, dir).exit_code, 0);
    CliRun again = certphoto(command, dir);
    EXPECT_EQ(again.exit_code, 0) << again.err;
    nlohmann::json report = nlohmann::json::parse(again.out);
    ASSERT_TRUE(report.is_object()) << "one input, not the upload as well: " << again.out.substr(0, 200);
    EXPECT_EQ(report["file"], dir.file("in/a.jpg"));
}

// One worker reads and decodes the next photo while it fixes the current one: every report still belongs to its
// photo (an unreadable one in the middle included), and the uploads are byte for byte those of two workers.
TEST(Cli, OneWorkerReadingAheadGivesEachPhotoItsOwnReportAndUpload) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("in"));
    std::filesystem::copy_file(data_path("london_neutral_021_03.jpg"), dir.file("in/a.jpg"));
    write_bytes(dir.file("in/b.jpg"), {'n', 'o', 't', ' ', 'a', ' ', 'j', 'p', 'g'});
    std::filesystem::copy_file(data_path("london_neutral_042_03.jpg"), dir.file("in/c.jpg"));
    auto fix = [&](const char* workers) {
        std::string out = dir.file(std::string("out") + workers), json = out + ".json";
        CliRun r = certphoto(std::string("fix -j ") + workers + " --out-dir " + shell_quoted(out) + " --json " + shell_quoted(json) +
                             " " + shell_quoted(dir.file("in")), dir);
        EXPECT_EQ(r.exit_code, 2) << "one input is unreadable";
        return std::make_pair(out, nlohmann::json::parse(read_bytes(json)));
    };
    auto [one_dir, one] = fix("1");
    auto [two_dir, two] = fix("2");
    ASSERT_EQ(one.size(), 3u);
    EXPECT_EQ(one[0]["verdict"], "pass");
    EXPECT_EQ(one[1]["verdict"], "error");
    EXPECT_EQ(one[2]["verdict"], "pass");
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(one[i]["file"], two[i]["file"]) << i;
        EXPECT_EQ(one[i]["verdict"], two[i]["verdict"]) << i;
    }
    for (const char* name : {"a.jpg", "c.jpg"})
        EXPECT_EQ(read_bytes(one_dir + "/" + name), read_bytes(two_dir + "/" + name)) << name;
    EXPECT_NE(read_bytes(one_dir + "/a.jpg"), read_bytes(one_dir + "/c.jpg"));
}

TEST(Cli, UsageErrorsExitTwo) {
    TempDir dir;
    EXPECT_EQ(certphoto("check", dir).exit_code, 2);
    EXPECT_EQ(certphoto("fix " + shell_quoted(data_path("lisa3.jpg")), dir).exit_code, 2);
    EXPECT_EQ(certphoto("fix -o x.jpg " + shell_quoted(data_path("lisa3.jpg")) + " " + shell_quoted(data_path("lisa3.jpg")), dir).exit_code, 2);
    CliRun unknown = certphoto("check --preset no-such " + shell_quoted(data_path("lisa3.jpg")), dir);
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("未知的预设"), std::string::npos);
    // The upload is a JPEG and the overlay a PNG: a file named otherwise would mislead the upload site.
    CliRun png_upload = certphoto("fix -o " + shell_quoted(dir.file("upload.png")) + " " + shell_quoted(data_path("london_neutral_021_03.jpg")), dir);
    EXPECT_EQ(png_upload.exit_code, 2);
    EXPECT_NE(png_upload.err.find("请以 .jpg 或 .jpeg 结尾"), std::string::npos) << png_upload.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("upload.png")));
    EXPECT_EQ(certphoto("check --overlay " + shell_quoted(dir.file("o.jpg")) + " " + shell_quoted(data_path("lisa3.jpg")), dir).exit_code, 2);
    EXPECT_FALSE(std::filesystem::exists(dir.file("o.jpg")));
    // A report named as a folder is refused before the photos are worked on, not after.
    CliRun folder_report = certphoto("check --json " + shell_quoted(dir.path().string()) + " " + shell_quoted(data_path("lisa3.jpg")), dir);
    EXPECT_EQ(folder_report.exit_code, 2);
    EXPECT_NE(folder_report.err.find("是文件夹"), std::string::npos) << folder_report.err;
    EXPECT_EQ(folder_report.out.find("lisa3"), std::string::npos) << "nothing is checked: " << folder_report.out;
}

}  // namespace
}  // namespace certphoto::test
