#include "batch.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <mutex>
#include <thread>

#include <csignal>

#include <unistd.h>

#include "atomic_file.hpp"
#include "rules/rule.hpp"

namespace certphoto::cli {
namespace fs = std::filesystem;

namespace {

bool is_photo_name(const fs::path& p) {
    const std::string ext = lower_case_extension(p.string());
    // .jfif and .jpe: JPEGs as Windows and some browsers save them.
    return ext == ".jpg" || ext == ".jpeg" || ext == ".jfif" || ext == ".jpe" || ext == ".png" || ext == ".tif" || ext == ".tiff";
}

// Pictures in formats that are not read: phones' and the web's, and cameras' raw files.
bool is_other_picture_name(const fs::path& p) {
    static const std::set<std::string> extensions{".heic", ".heif", ".hif", ".webp", ".avif", ".gif", ".bmp", ".psd", ".jxl", ".jp2",
                                                  ".cr2", ".cr3", ".nef", ".arw", ".dng", ".raf", ".orf", ".rw2"};
    return extensions.count(lower_case_extension(p.string())) > 0;
}

volatile std::sig_atomic_t stop_requested = 0;

void on_stop_signal(int signal_number) {
    stop_requested = 1;
    std::signal(signal_number, SIG_DFL);  // a second one ends the process
}

}  // namespace

void install_signal_handling() {
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    std::signal(SIGXFSZ, SIG_IGN);  // a file-size limit or full disk then fails the write with an error
}

bool interrupted() { return stop_requested != 0; }

ExpandedInputs expand_inputs(const std::vector<std::string>& arguments, const std::string& outputs_folder) {
    std::error_code unused;
    const fs::path skipped = outputs_folder.empty() ? fs::path() : fs::weakly_canonical(outputs_folder, unused);
    ExpandedInputs inputs;
    std::vector<std::string>& files = inputs.files;
    for (const auto& argument : arguments) {
        std::error_code ec;
        if (!fs::is_directory(argument, ec)) {
            files.push_back(argument);  // a missing file is reported by the check, not dropped here
            continue;
        }
        std::vector<std::string> found;
        for (auto it = fs::recursive_directory_iterator(argument, fs::directory_options::skip_permission_denied, ec);
             it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (ec) break;
            const bool hidden = it->path().filename().string().rfind('.', 0) == 0;
            if (it->is_directory(ec) && (hidden || (!skipped.empty() && fs::weakly_canonical(it->path(), ec) == skipped))) {
                it.disable_recursion_pending();
                continue;
            }
            if (hidden) continue;
            if (!it->is_regular_file(ec)) continue;
            if (is_photo_name(it->path())) found.push_back(it->path().string());
            else if (is_other_picture_name(it->path())) inputs.other_formats.push_back(it->path().string());
        }
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return inputs;
}

Message left_out_note(const std::vector<std::string>& other_formats) {
    std::set<std::string> extensions;
    for (const auto& file : other_formats) extensions.insert(lower_case_extension(file));
    std::string en_list, zh_list;
    for (const auto& ext : extensions) {
        en_list += (en_list.empty() ? "" : ", ") + ext;
        zh_list += (zh_list.empty() ? "" : "、") + ext;
    }
    const std::string count = std::to_string(other_formats.size());
    return {"Left out " + count + (other_formats.size() == 1 ? " picture" : " pictures") + " in formats that are not read (" + en_list +
                "): export them as JPEG to check them",
            "已跳过 " + count + " 个不支持格式的图片（" + zh_list + "）：请导出为 JPEG 后再检测"};
}

std::vector<std::optional<std::size_t>> same_output_as_earlier(const std::vector<std::string>& outputs) {
    std::map<fs::path, std::size_t> first_writer;
    std::vector<std::optional<std::size_t>> same(outputs.size());
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        std::error_code unused;
        auto [it, inserted] = first_writer.emplace(fs::weakly_canonical(outputs[i], unused), i);
        if (!inserted) same[i] = it->second;
    }
    return same;
}

unsigned default_workers() { return std::max(1u, std::thread::hardware_concurrency()); }

std::size_t run_parallel(std::size_t count, unsigned workers, const std::function<void(std::size_t)>& job,
                         const std::vector<std::string>& names) {
    const bool show_progress = count > 1 && ::isatty(STDERR_FILENO);
    std::atomic<std::size_t> next{0}, done{0};
    std::mutex progress_lock;
    auto worker = [&] {
        for (std::size_t i; !interrupted() && (i = next++) < count;) {
            job(i);
            std::size_t finished = ++done;
            if (show_progress) {
                std::lock_guard<std::mutex> lock(progress_lock);
                std::fprintf(stderr, "\r\033[K[%zu/%zu] %s", finished, count, fs::path(names[i]).filename().c_str());
                std::fflush(stderr);
            }
        }
    };
    unsigned n = static_cast<unsigned>(std::min<std::size_t>(std::max(1u, workers), count));
    set_rule_threads_per_photo(std::max(1u, default_workers() / n));  // cores left over go to each photo's rules
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < n; ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    if (show_progress) std::fprintf(stderr, "\r\033[K");
    return done;
}

}  // namespace certphoto::cli
