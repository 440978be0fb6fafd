// Batches that never lose a photo: every bad input through the real command, with its exit code, its
// bilingual message, no output and the input unchanged; privacy of the output; interruption; full disks.
#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include "image_fixtures.hpp"
#include "output_verification.hpp"

namespace certphoto::test {
namespace {

struct Command {
    int exit_code;
    std::string out;
};

Command run(const std::string& arguments, const TempDir& dir, const std::string& prefix = "") {
    std::string command = prefix + std::string(CERTPHOTO_CLI) + " " + arguments + " >" + dir.file("log") + " 2>&1";
    int status = std::system(("bash -c '" + command + "'").c_str());
    Bytes log = read_bytes(dir.file("log"));
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, std::string(log.begin(), log.end())};
}

cv::Mat studio_photo() { return cv::imread(data_path("london_neutral_021_03.jpg")); }

Bytes png_header_claiming(uint32_t width, uint32_t height) {
    Bytes png = encode(".png", sample_photo());
    for (int i = 0; i < 4; ++i) {
        png[16 + i] = static_cast<uint8_t>(width >> (24 - 8 * i));
        png[20 + i] = static_cast<uint8_t>(height >> (24 - 8 * i));
    }
    return png;
}

struct BadInput {
    std::string name;
    Bytes bytes;
    std::string en, zh;  // what the message must say
};

std::vector<BadInput> unreadable_inputs() {
    Bytes truncated = read_bytes(data_path("london_neutral_021_03.jpg"));
    truncated.resize(truncated.size() / 3);
    std::string text = "graduation photo list\n";
    Bytes icc = {'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0, 1, 1};
    for (int i = 0; i < 400; ++i) icc.push_back(static_cast<uint8_t>(i * 13));
    cv::Mat one_pixel(1, 1, CV_8UC3, cv::Scalar(200, 200, 200));
    return {
        {"empty.jpg", {}, "Empty file", "文件为空"},
        {"truncated.jpg", truncated, "truncated", "损坏"},
        {"text.jpg", Bytes(text.begin(), text.end()), "Not an image", "不是图像文件"},
        {"one-pixel.png", encode(".png", one_pixel), "too small", "太小"},
        {"bomb.png", png_header_claiming(60000, 60000), "too large", "过大"},
        {"bad-icc.jpg", rgb_jpeg(sample_photo(), {{JPEG_APP0 + 2, icc}}), "ICC", "色彩配置文件"},
    };
}

TEST(BadInput, EachUnreadableFileExitsTwoWithABilingualMessageAndNoOutput) {
    for (const auto& bad : unreadable_inputs()) {
        TempDir dir;
        write_bytes(dir.file(bad.name), bad.bytes);
        Command r = run("fix --out-dir " + dir.file("out") + " " + dir.file(bad.name), dir);
        EXPECT_EQ(r.exit_code, 2) << bad.name << "\n" << r.out;
        EXPECT_NE(r.out.find(bad.en), std::string::npos) << bad.name << ": " << r.out;
        EXPECT_NE(r.out.find(bad.zh), std::string::npos) << bad.name << ": " << r.out;
        EXPECT_EQ(read_bytes(dir.file(bad.name)), bad.bytes) << bad.name;
        EXPECT_TRUE(!std::filesystem::exists(dir.file("out")) || std::filesystem::is_empty(dir.file("out"))) << bad.name;
    }
}

TEST(BadInput, UnusualButValidLayoutsAreRead) {
    cv::Mat bgra, sixteen;
    cv::cvtColor(studio_photo(), bgra, cv::COLOR_BGR2BGRA);
    studio_photo().convertTo(sixteen, CV_16UC3, 257.0);
    std::vector<std::pair<std::string, Bytes>> inputs{
        {"cmyk.jpg", cmyk_jpeg(studio_photo())},
        {"alpha.png", encode(".png", bgra)},
        {"sixteen.png", encode(".png", sixteen)},
        {"sixteen.tiff", encode(".tiff", sixteen)},
    };
    for (const auto& [name, bytes] : inputs) {
        TempDir dir;
        write_bytes(dir.file(name), bytes);
        Command r = run("fix -o " + dir.file("out.jpg") + " " + dir.file(name), dir);
        EXPECT_EQ(r.exit_code, 0) << name << "\n" << r.out;
        EXPECT_EQ(cv::imread(dir.file("out.jpg")).size(), cv::Size(480, 640)) << name;
        EXPECT_EQ(read_bytes(dir.file(name)), bytes) << name;
    }
}

// A grey JPEG is read like any other, but a certificate photo is a colour photo: the face has no colour, so
// color-cast asks for a reshoot and nothing is written.
TEST(BadInput, BlackAndWhitePhotoIsReadAndNeedsAReshoot) {
    cv::Mat grey;
    cv::cvtColor(studio_photo(), grey, cv::COLOR_BGR2GRAY);
    TempDir dir;
    Bytes bytes = encode(".jpg", grey);
    write_bytes(dir.file("grey.jpg"), bytes);
    Command r = run("fix -o " + dir.file("out.jpg") + " " + dir.file("grey.jpg"), dir);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("color-cast"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("黑白"), std::string::npos) << r.out;
    EXPECT_FALSE(std::filesystem::exists(dir.file("out.jpg")));
    EXPECT_EQ(read_bytes(dir.file("grey.jpg")), bytes);
}

TEST(BadInput, EveryExifOrientationIsStoodUpright) {
    // The camera stored the studio shot turned; the tag says how to show it.
    for (int orientation = 2; orientation <= 8; ++orientation) {
        cv::Mat stored;
        cv::Mat photo = studio_photo();
        // The inverse of what the tag asks the viewer to do.
        switch (orientation) {
            case 2: cv::flip(photo, stored, 1); break;
            case 3: cv::rotate(photo, stored, cv::ROTATE_180); break;
            case 4: cv::flip(photo, stored, 0); break;
            case 5: cv::transpose(photo, stored); break;
            case 6: cv::rotate(photo, stored, cv::ROTATE_90_COUNTERCLOCKWISE); break;
            case 7: cv::rotate(photo, stored, cv::ROTATE_180); cv::transpose(stored, stored); break;
            case 8: cv::rotate(photo, stored, cv::ROTATE_90_CLOCKWISE); break;
        }
        TempDir dir;
        write_bytes(dir.file("turned.jpg"), rgb_jpeg(stored, {{JPEG_APP0 + 1, exif_with_orientation(orientation)}}));
        Command r = run("check --json " + dir.file("r.json") + " " + dir.file("turned.jpg"), dir);
        EXPECT_EQ(r.exit_code, 1) << orientation << r.out;
        nlohmann::json report = nlohmann::json::parse(read_bytes(dir.file("r.json")));
        EXPECT_EQ(report["image"]["width"], 1350) << orientation;
        EXPECT_LT(std::abs(report["face"]["roll"].get<double>()), 3.0) << orientation << ": face not upright";
    }
}

// Saved on its side or upside down without the orientation tag (an export that dropped it): check and fix say
// which way to turn it, not that there is no face or that it needs a reshoot; a picture with no face at all
// still says there is none.
TEST(BadInput, APhotoOnItsSideSaysWhichWayToTurnIt) {
    const std::vector<std::tuple<cv::RotateFlags, std::string, std::string>> turns{
        {cv::ROTATE_90_CLOCKWISE, "counter-clockwise", "逆时针"},
        {cv::ROTATE_90_COUNTERCLOCKWISE, "90° clockwise", "顺时针"},
        {cv::ROTATE_180, "upside down", "上下颠倒"}};
    for (const auto& [stored_as, en, zh] : turns) {
        cv::Mat stored;
        cv::rotate(studio_photo(), stored, stored_as);
        TempDir dir;
        write_bytes(dir.file("turned.jpg"), encode(".jpg", stored));
        Command checked = run("check " + dir.file("turned.jpg"), dir);
        EXPECT_EQ(checked.exit_code, 1) << checked.out;
        EXPECT_NE(checked.out.find(en), std::string::npos) << checked.out;
        EXPECT_NE(checked.out.find(zh), std::string::npos) << checked.out;
        Command fixed = run("fix -o " + dir.file("out.jpg") + " " + dir.file("turned.jpg"), dir);
        EXPECT_EQ(fixed.exit_code, 1) << fixed.out;
        EXPECT_NE(fixed.out.find(std::string("not written: ") + "照片"), std::string::npos) << fixed.out;
        EXPECT_EQ(fixed.out.find("需要重拍"), std::string::npos) << fixed.out;
        EXPECT_FALSE(std::filesystem::exists(dir.file("out.jpg")));
    }
    TempDir dir;
    cv::Mat wall = studio_photo()(cv::Rect(0, 0, 300, 300)).clone();
    write_bytes(dir.file("wall.jpg"), encode(".jpg", wall));
    Command r = run("check " + dir.file("wall.jpg"), dir);
    EXPECT_NE(r.out.find("No face found"), std::string::npos) << r.out;
}

// A close-up whose face runs past the photo's edges (eyes and nose fill the frame, as in the red-eye sample
// BoldRedEye) is no photo without a face: the report says it was taken too close, in both languages.
TEST(BadInput, AFaceTooCloseToFitIsNamedNotMissed) {
    TempDir dir;
    write_bytes(dir.file("close.jpg"), encode(".jpg", studio_photo()(cv::Rect(420, 520, 520, 400)).clone()));
    Command r = run("check " + dir.file("close.jpg"), dir);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("taken too close"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("拍摄距离太近"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("No face found"), std::string::npos) << r.out;
}

TEST(BadInput, NoFaceThreeFacesAndACutFaceNeedAReshoot) {
    cv::Mat photo = studio_photo();
    std::vector<std::pair<std::string, Bytes>> inputs{
        {"wall.jpg", encode(".jpg", photo(cv::Rect(0, 0, 300, 300)).clone())},  // the studio wall alone
        {"group.jpg", read_bytes(data_path("pexels_group_meeting.jpeg"))},
        {"cut.jpg", encode(".jpg", photo(cv::Rect(0, 150, 800, 1200)).clone())},  // through the middle of the face
    };
    for (const auto& [name, bytes] : inputs) {
        TempDir dir;
        write_bytes(dir.file(name), bytes);
        Command r = run("fix --out-dir " + dir.file("out") + " --json " + dir.file("r.json") + " " + dir.file(name), dir);
        EXPECT_EQ(r.exit_code, 1) << name << "\n" << r.out;
        EXPECT_NE(r.out.find("需要重拍"), std::string::npos) << name << r.out;
        EXPECT_NE(r.out.find("reshoot"), std::string::npos) << name << r.out;
        EXPECT_TRUE(std::filesystem::is_empty(dir.file("out"))) << name;
        EXPECT_EQ(read_bytes(dir.file(name)), bytes) << name;
        nlohmann::json report = nlohmann::json::parse(read_bytes(dir.file("r.json")));
        EXPECT_TRUE(report["output"].is_null()) << name;
    }
}

TEST(Privacy, OutputsCarryNoExifOrGpsFromTheInput) {
    TempDir dir;
    // An EXIF block with a GPS directory pointer and a GPS latitude, as phones write them.
    Bytes exif = {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 2, 0,
                  0x12, 0x01, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0,           // orientation 1
                  0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0,          // GPS IFD at 38
                  0, 0, 0, 0,                                          // no next IFD
                  1, 0, 0x01, 0, 2, 0, 2, 0, 0, 0, 'N', 0, 0, 0, 0, 0, 0, 0};  // GPSLatitudeRef "N"
    std::string maker = "MakerNote:Phone SN 12345 GPS 31.2304N 121.4737E";
    exif.insert(exif.end(), maker.begin(), maker.end());
    Bytes input = rgb_jpeg(studio_photo(), {{JPEG_APP0 + 1, exif}});
    write_bytes(dir.file("phone.jpg"), input);
    Command r = run("fix -o " + dir.file("out.jpg") + " " + dir.file("phone.jpg"), dir);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    Bytes out = read_bytes(dir.file("out.jpg"));
    std::string text(out.begin(), out.end());
    EXPECT_EQ(text.find("Exif"), std::string::npos);
    EXPECT_EQ(text.find("GPS"), std::string::npos);
    EXPECT_EQ(text.find("12345"), std::string::npos);
    EXPECT_NE(text.find("ICC_PROFILE"), std::string::npos) << "the sRGB profile is the one thing kept";
}

TEST(Batch, FortyPhotosWithFiveBadOnesGiveThirtyFiveResultsAndFiveErrors) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("school"));
    const std::vector<std::string> good{"meds_S013-01-t10_01.jpg", "meds_S006-01-t10_01.jpg", "lisa3.jpg",
                                        "debian_kphotoalbum_anne_helene.jpg", "pexels_group_meeting.jpeg"};
    for (int i = 0; i < 35; ++i)
        std::filesystem::copy_file(data_path(good[i % good.size()]), dir.file("school/photo-" + std::to_string(100 + i) + ".jpg"));
    auto bad = unreadable_inputs();
    for (int i = 0; i < 5; ++i) write_bytes(dir.file("school/bad-" + bad[i].name), bad[i].bytes);
    Command r = run("check -j 2 --summary " + dir.file("summary.csv") + " " + dir.file("school"), dir);
    EXPECT_EQ(r.exit_code, 2);
    std::ifstream csv(dir.file("summary.csv"));
    std::string line;
    std::getline(csv, line);
    // Excel needs the byte-order mark to read Chinese; the Chinese texts follow the English ones.
    EXPECT_EQ(line, "\xEF\xBB\xBF" "file,verdict,failing_rules,output,error,note,error_zh,note_zh");
    int results = 0, errors = 0;
    std::string rows;
    while (std::getline(csv, line)) {
        ++(line.find(",error,") != std::string::npos ? errors : results);
        rows += line + "\n";
    }
    EXPECT_EQ(results, 35);
    EXPECT_EQ(errors, 5);
    for (int i = 0; i < 5; ++i) EXPECT_NE(rows.find(bad[i].zh), std::string::npos) << bad[i].name << ": its error in Chinese too\n" << rows;
    EXPECT_NE(r.out.find("total 40"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("合计 40"), std::string::npos) << r.out;
}

TEST(Batch, CtrlCStopsCleanlyWithNoPartialOutput) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("in"));
    for (int i = 0; i < 16; ++i)
        std::filesystem::copy_file(data_path("london_neutral_021_03.jpg"), dir.file("in/p" + std::to_string(10 + i) + ".jpg"));
    pid_t child = fork();
    if (child == 0) {
        std::freopen(dir.file("log").c_str(), "w", stdout);
        std::freopen(dir.file("log2").c_str(), "w", stderr);
        execl(CERTPHOTO_CLI, CERTPHOTO_CLI, "fix", "-j", "2", "--out-dir", dir.file("out").c_str(), dir.file("in").c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    // Once the first output exists the batch is under way; then the user presses Ctrl-C.
    for (int i = 0; i < 600 && (!std::filesystem::exists(dir.file("out")) || std::filesystem::is_empty(dir.file("out"))); ++i)
        usleep(50'000);
    kill(child, SIGINT);
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 130);
    std::size_t outputs = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.file("out"))) {
        std::string name = entry.path().filename().string();
        EXPECT_EQ(name.find(".tmp-"), std::string::npos) << "temporary file left: " << name;
        EXPECT_EQ(cv::imread(entry.path().string()).size(), cv::Size(480, 640)) << name << " is not a whole JPEG";
        ++outputs;
    }
    EXPECT_GE(outputs, 1u);
    EXPECT_LT(outputs, 16u) << "the batch should have stopped early";
    Bytes log = read_bytes(dir.file("log2"));
    EXPECT_NE(std::string(log.begin(), log.end()).find("interrupted"), std::string::npos);
}

TEST(Batch, AFullDiskIsAnErrorNotAHalfWrittenJpeg) {
    TempDir dir;
    // A 16 KB file-size limit stands in for a full disk: the upload (well over 16 KB) cannot be written.
    Command r = run("fix -o " + dir.file("out.jpg") + " " + data_path("london_neutral_021_03.jpg"), dir, "ulimit -f 16; ");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("无法写入"), std::string::npos) << r.out;
    EXPECT_FALSE(std::filesystem::exists(dir.file("out.jpg")));
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
}

TEST(Batch, AnUnwritableOutputFolderIsAnError) {
    TempDir dir;
    write_bytes(dir.file("not-a-folder"), {1});
    Command r = run("fix --out-dir " + dir.file("not-a-folder/out") + " " + data_path("lisa3.jpg"), dir);
    EXPECT_EQ(r.exit_code, 2) << r.out;
}

}  // namespace
}  // namespace certphoto::test
