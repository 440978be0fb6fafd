// Trainers' sheet (certphoto sheet): written from a mixed set of real photos, compared with what
// `certphoto check` reports for the same photos, and rendered in headless Chromium.
#include <map>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli_run.hpp"
#include "common_problems.hpp"
#include "test_support.hpp"

namespace certphoto::test {
namespace {

// What each photo shows (tests/data/ATTRIBUTION.tsv): a clean studio shot fix can frame (042), lipstick
// (002), a blue top (canada 024f), a dark one-sided face (lisa3), a small blurred smoothed face (meds S013),
// an overexposed shiny face (meds S028), a burnt-out cap under top light (grace hopper), five faces, and
// a file cut short.
const std::vector<std::string> mixed_set{
    "london_neutral_042_03.jpg", "london_neutral_002_03.jpg", "canada_024f.jpg", "lisa3.jpg", "meds_S013-01-t10_01.jpg",
    "meds_S028-01-t10_01.jpg", "debian_matplotlib_grace_hopper.jpg", "pexels_group_meeting.jpeg"};
const std::string truncated_name = "cut-short.jpg";

struct Article {
    std::string opening;  // the start tag, with its attributes
    std::string body;
};

std::string attribute(const std::string& tag, const std::string& name) {
    std::smatch m;
    if (std::regex_search(tag, m, std::regex(name + "=\"([^\"]*)\""))) return m[1];
    return {};
}

// <article class="KIND ..."> elements; articles are not nested on the sheet.
std::vector<Article> articles(const std::string& html, const std::string& kind) {
    std::vector<Article> found;
    std::string marker = "<article class=\"" + kind;
    for (std::size_t at = html.find(marker); at != std::string::npos; at = html.find(marker, at + 1)) {
        std::size_t tag_end = html.find('>', at), end = html.find("</article>", at);
        found.push_back({html.substr(at, tag_end - at + 1), html.substr(tag_end + 1, end - tag_end - 1)});
    }
    return found;
}

std::set<std::string> attribute_values(const std::string& text, const std::string& name) {
    std::set<std::string> values;
    std::regex pattern(name + "=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) values.insert((*it)[1]);
    return values;
}

cv::Mat embedded_image(const std::string& body, const std::string& css_class) {
    // found by hand: std::regex recurses per character and overflows the stack on 100 KB of base64
    std::size_t tag = body.find("<img class=\"" + css_class + "\"");
    if (tag == std::string::npos) return {};
    const std::string data = "src=\"data:image/jpeg;base64,";
    std::size_t start = body.find(data, tag) + data.size(), end = body.find('"', start);
    std::string text = body.substr(start, end - start);
    std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::vector<uchar> bytes;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=') break;
        buffer = (buffer << 6) | unsigned(alphabet.find(c));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes.push_back(uchar((buffer >> bits) & 0xff));
        }
    }
    return cv::imdecode(bytes, cv::IMREAD_COLOR);
}

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

std::string chromium() {
    const char* chosen = std::getenv("CERTPHOTO_CHROMIUM");
    return chosen && *chosen ? chosen : "/usr/bin/chromium";
}

// The page as Chromium has it after loading: the probe script writes into <body> how many images there
// are, how many failed to decode, and how many articles have no height.
std::string rendered_dom(const std::string& html, const TempDir& dir) {
    std::string probe = html;
    probe.insert(probe.rfind("</body>"),
                 "<script>window.addEventListener('load',()=>{const imgs=[...document.images];"
                 "document.body.dataset.images=imgs.length;"
                 "document.body.dataset.broken=imgs.filter(i=>!i.complete||i.naturalWidth===0).length;"
                 "document.body.dataset.flat=[...document.querySelectorAll('article')]"
                 ".filter(a=>a.getBoundingClientRect().height<20).length;"
                 "document.body.dataset.probed='yes';});</script>");
    write_bytes(dir.file("probe.html"), Bytes(probe.begin(), probe.end()));
    std::string command = chromium() + " --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
                          " --disable-component-update --disable-sync --disable-quic --user-data-dir=" + dir.file("chromium") +
                          " --virtual-time-budget=10000 --dump-dom file://" + dir.file("probe.html") + " >" +
                          dir.file("dom.html") + " 2>" + dir.file("chromium.log");
    EXPECT_EQ(std::system(command.c_str()), 0) << "chromium failed; see " << dir.file("chromium.log");
    Bytes dom = read_bytes(dir.file("dom.html"));
    return std::string(dom.begin(), dom.end());
}

class Sheet : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<TempDir>();
        Bytes whole = read_bytes(data_path("london_neutral_042_03.jpg"));
        write_bytes(dir_->file(truncated_name), Bytes(whole.begin(), whole.begin() + 4000));
        std::string inputs;
        for (const auto& name : mixed_set) inputs += " " + shell_quoted(data_path(name));
        inputs += " " + shell_quoted(dir_->file(truncated_name));
        run_ = std::make_unique<CliRun>(certphoto("sheet -j 2 -o " + shell_quoted(dir_->file("sheet.html")) + inputs, *dir_));
        Bytes html = read_bytes(dir_->file("sheet.html"));
        html_ = std::string(html.begin(), html.end());
        certphoto("check -j 2 --json " + shell_quoted(dir_->file("check.json")) + inputs, *dir_);
        for (const auto& report : nlohmann::json::parse(read_bytes(dir_->file("check.json")))) checks_[file_name(report["file"])] = report;
    }
    static void TearDownTestSuite() { dir_.reset(); }

    // Rules each photo fails or is warned on, as `certphoto check` reports them.
    static std::set<std::string> flagged(const std::string& name) {
        std::set<std::string> ids;
        for (const auto& c : checks_.at(name)["checks"])
            if (c["status"] == "fail" || c["status"] == "warn") ids.insert(c["id"].get<std::string>());
        return ids;
    }

    static Article card(const std::string& name) {
        static std::vector<Article> cards = articles(html_, "photo");
        for (const auto& a : cards)
            if (attribute(a.opening, "data-file") == name) return a;
        throw std::runtime_error("no card for " + name);
    }

    static inline std::unique_ptr<TempDir> dir_;
    static inline std::unique_ptr<CliRun> run_;
    static inline std::string html_;
    static inline std::map<std::string, nlohmann::json> checks_;
};

TEST_F(Sheet, IsWrittenForAMixedSetIncludingAnUnreadableFile) {
    EXPECT_EQ(run_->exit_code, 0) << run_->err;
    ASSERT_FALSE(html_.empty());
    EXPECT_EQ(checks_.size(), mixed_set.size() + 1);
    EXPECT_EQ(articles(html_, "photo").size(), mixed_set.size() + 1);
    EXPECT_NE(html_.find("<html lang=\"zh-CN\">"), std::string::npos);
    EXPECT_EQ(html_.find("src=\"http"), std::string::npos) << "a sheet must not fetch anything";
    EXPECT_EQ(html_.find("src=\"file:"), std::string::npos);
}

TEST_F(Sheet, EveryPhotoCardShowsTheCheckVerdictAndEveryFlaggedRule) {
    for (const auto& [name, report] : checks_) {
        const Article& a = card(name);
        EXPECT_EQ(attribute(a.opening, "data-verdict"), report["verdict"]) << name;
        EXPECT_EQ(attribute_values(a.body, "data-rule"), flagged(name)) << name;
        if (report["verdict"] != "error") {
            cv::Mat overlay = embedded_image(a.body, "overlay");
            ASSERT_FALSE(overlay.empty()) << name;
            double aspect = double(report["image"]["width"]) / double(report["image"]["height"]);
            EXPECT_NEAR(double(overlay.cols) / overlay.rows, aspect, 0.02) << name;
        }
    }
}

TEST_F(Sheet, GroupsTheFailuresByRule) {
    std::map<std::string, std::set<std::string>> expected;  // rule -> photos
    for (const auto& [name, report] : checks_)
        for (const auto& id : flagged(name)) expected[id].insert(name);
    std::map<std::string, std::set<std::string>> shown;
    for (const auto& a : articles(html_, "rule")) shown[attribute(a.opening, "data-rule")] = attribute_values(a.body, "<tr data-file");
    EXPECT_EQ(shown, expected);
}

TEST_F(Sheet, IllustratesTheSevenCommonProblemsWithTheMatchingPhotos) {
    auto problems = articles(html_, "problem");
    ASSERT_EQ(problems.size(), 7u);
    for (const CommonProblem& problem : common_problems()) {
        std::set<std::string> expected;
        for (const auto& [name, report] : checks_)
            for (const auto& id : problem.rule_ids)
                if (flagged(name).count(id)) expected.insert(name);
        const Article& a = problems[problem.number - 1];
        EXPECT_EQ(attribute(a.opening, "data-problem"), std::to_string(problem.number));
        EXPECT_NE(a.body.find(problem.problem.zh), std::string::npos) << "the notice's words for problem " << problem.number;
        EXPECT_EQ(attribute_values(a.body, "<a class=\"thumb\" href=\"#[^\"]*\" data-file"), expected) << "problem " << problem.number;
    }
    // What these photos show, as labelled by a person: each problem of the notice has its example.
    auto illustrated = [&](int number, const std::string& name) {
        return attribute_values(problems[number - 1].body, "<a class=\"thumb\" href=\"#[^\"]*\" data-file").count(name) == 1;
    };
    EXPECT_TRUE(illustrated(1, "lisa3.jpg"));
    EXPECT_TRUE(illustrated(3, "meds_S013-01-t10_01.jpg"));
    EXPECT_TRUE(illustrated(4, "meds_S028-01-t10_01.jpg"));
    EXPECT_TRUE(illustrated(5, "debian_matplotlib_grace_hopper.jpg"));
    EXPECT_TRUE(illustrated(6, "lisa3.jpg"));
    EXPECT_TRUE(illustrated(7, "meds_S013-01-t10_01.jpg"));
    EXPECT_FALSE(illustrated(1, "london_neutral_042_03.jpg"));
}

// The fixed upload beside the original is the real upload: 480x640 and passing its own check.
TEST_F(Sheet, ShowsTheFixedUploadBesideAFixablePhotoAndNoneForAReshoot) {
    const Article& fixable = card("london_neutral_042_03.jpg");
    EXPECT_EQ(attribute(fixable.opening, "data-outcome"), "fixable");
    cv::Mat fixed = embedded_image(fixable.body, "fixed");
    ASSERT_EQ(fixed.size(), cv::Size(480, 640));
    TempDir dir;
    cv::imwrite(dir.file("fixed.png"), fixed);
    CliRun check = certphoto("check " + shell_quoted(dir.file("fixed.png")) + " --json " + shell_quoted(dir.file("fixed.json")), dir);
    ASSERT_LE(check.exit_code, 1) << check.err;
    nlohmann::json report = nlohmann::json::parse(read_bytes(dir.file("fixed.json")));
    ASSERT_TRUE(report.is_object()) << report.dump();
    for (const auto& c : report["checks"])
        if (c["id"] != "output-format" && c["id"] != "output-size") {
            EXPECT_NE(c["status"], "fail") << c.dump();
        }

    for (const std::string reshoot : {"london_neutral_002_03.jpg", "canada_024f.jpg", "pexels_group_meeting.jpeg"}) {
        const Article& a = card(reshoot);
        EXPECT_EQ(attribute(a.opening, "data-outcome"), "reshoot") << reshoot;
        EXPECT_TRUE(embedded_image(a.body, "fixed").empty()) << reshoot;
        EXPECT_NE(a.body.find("class=\"refusal\""), std::string::npos) << reshoot;
    }
}

TEST_F(Sheet, AnUnreadableFileShowsItsErrorInChinese) {
    const Article& a = card(truncated_name);
    EXPECT_EQ(attribute(a.opening, "data-outcome"), "error");
    EXPECT_NE(a.body.find("class=\"error\""), std::string::npos);
    EXPECT_NE(a.body.find(checks_.at(truncated_name)["error_zh"].get<std::string>()), std::string::npos);
}

TEST_F(Sheet, RendersInHeadlessChromiumWithEveryImageDecoded) {
    TempDir dir;
    std::string dom = rendered_dom(html_, dir);
    std::smatch body;
    ASSERT_TRUE(std::regex_search(dom, body, std::regex("<body[^>]*data-probed=\"yes\"[^>]*>"))) << "the probe did not run";
    std::string tag = body[0];
    int images = std::stoi(attribute(tag, "data-images"));
    // one overlay per readable photo, a fixed upload for the fixable ones, and the thumbnails
    EXPECT_GT(images, int(mixed_set.size()) * 2);
    EXPECT_EQ(attribute(tag, "data-broken"), "0");
    EXPECT_EQ(attribute(tag, "data-flat"), "0");
    EXPECT_NE(dom.find("问题七"), std::string::npos);
}

TEST(SheetOptions, EnglishAndPdf) {
    TempDir dir;
    std::string inputs = shell_quoted(data_path("london_neutral_042_03.jpg")) + " " + shell_quoted(data_path("lisa3.jpg"));
    CliRun en = certphoto("sheet --lang en -o " + shell_quoted(dir.file("en.html")) + " " + inputs, dir);
    ASSERT_EQ(en.exit_code, 0) << en.err;
    Bytes html = read_bytes(dir.file("en.html"));
    std::string page(html.begin(), html.end());
    EXPECT_NE(page.find("<html lang=\"en\">"), std::string::npos);
    EXPECT_NE(page.find("Problem 1: Uneven light on the face"), std::string::npos);
    EXPECT_EQ(page.find("问题一"), std::string::npos);

    CliRun pdf = certphoto("sheet -o " + shell_quoted(dir.file("sheet.pdf")) + " " + inputs, dir);
    ASSERT_EQ(pdf.exit_code, 0) << pdf.err;
    Bytes bytes = read_bytes(dir.file("sheet.pdf"));
    std::string text(bytes.begin(), bytes.end());
    ASSERT_EQ(text.substr(0, 5), "%PDF-");
    std::smatch pages;
    ASSERT_TRUE(std::regex_search(text, pages, std::regex("/Count (\\d+)")));
    EXPECT_GE(std::stoi(pages[1]), 2) << "a sheet of two photos with the seven problems spans pages";

    CliRun bad = certphoto("sheet --lang fr -o " + shell_quoted(dir.file("fr.html")) + " " + inputs, dir);
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_FALSE(std::filesystem::exists(dir.file("fr.html")));
    CliRun not_named = certphoto("sheet -o " + shell_quoted(dir.file("sheet.txt")) + " " + inputs, dir);
    EXPECT_EQ(not_named.exit_code, 2) << "a sheet is HTML or PDF, named so";
    EXPECT_NE(not_named.err.find(".html 或 .htm 或 .pdf"), std::string::npos) << not_named.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("sheet.txt")));
}

}  // namespace
}  // namespace certphoto::test
