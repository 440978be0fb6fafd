#include "pdf.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.hpp"

namespace fs = std::filesystem;

namespace certphoto::cli {
namespace {

// A sheet of 80 photos prints in about 10 s; a browser that takes ten times that is stuck.
constexpr auto print_timeout = std::chrono::seconds(120);

std::string find_chromium() {
    if (const char* chosen = std::getenv("CERTPHOTO_CHROMIUM"); chosen && *chosen) return chosen;
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    for (std::size_t start = 0; start <= dirs.size();) {
        std::size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
            fs::path candidate = fs::path(dirs.substr(start, end - start)) / name;
            if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        }
        start = end + 1;
    }
    throw Error(ErrorKind::usage, {"A PDF sheet needs Chromium (Debian package chromium); write the sheet as .html instead",
                                   "生成 PDF 需要 Chromium（Debian 软件包 chromium）；或将示例页输出为 .html"});
}

// A private folder (mode 0700) that is removed with everything in it when this goes out of scope.
class TemporaryFolder {
public:
    TemporaryFolder() {
        std::string pattern = (fs::temp_directory_path() / "certphoto-sheet-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw Error(ErrorKind::write_failed, {"Cannot make a temporary folder", "无法创建临时文件夹"});
        path_ = pattern;
    }
    ~TemporaryFolder() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

int run_with_timeout(const std::vector<std::string>& arguments) {
    std::vector<char*> argv;
    for (const auto& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t child = ::fork();
    if (child < 0) return -1;
    if (child == 0) {
        int quiet = ::open("/dev/null", O_WRONLY);
        ::dup2(quiet, STDOUT_FILENO);
        ::dup2(quiet, STDERR_FILENO);
        ::setpgid(0, 0);  // the browser's helper processes go with it on a timeout
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + print_timeout;
    int status = 0;
    while (::waitpid(child, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(-child, SIGKILL);
            ::waitpid(child, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

Bytes print_html_to_pdf(const std::string& html) {
    std::string chromium = find_chromium();
    TemporaryFolder folder;
    fs::path page = folder.path() / "sheet.html", pdf = folder.path() / "sheet.pdf";
    std::ofstream(page, std::ios::binary) << html;
    // The flags keep the browser off the network (it has nothing to fetch: every image is embedded).
    int code = run_with_timeout({chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                 "--disable-quic", "--disable-extensions", "--user-data-dir=" + (folder.path() / "profile").string(),
                                 "--no-pdf-header-footer", "--print-to-pdf=" + pdf.string(), "file://" + page.string()});
    std::ifstream in(pdf, std::ios::binary);
    Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (code != 0 || bytes.size() < 5 || std::string(bytes.begin(), bytes.begin() + 5) != "%PDF-")
        throw Error(ErrorKind::write_failed, {"Chromium could not print the sheet to PDF (" + chromium + ")",
                                    "Chromium 无法将示例页打印为 PDF（" + chromium + "）"});
    return bytes;
}

}  // namespace certphoto::cli
