#include "atomic_file.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.hpp"

namespace certphoto {
namespace fs = std::filesystem;
namespace {

Error write_error(const std::string& path, const std::string& why_en, const std::string& why_zh) {
    return Error(ErrorKind::write_failed, {"Cannot write " + path + ": " + why_en, "无法写入 " + path + "：" + why_zh});
}

bool same_file(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
    return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

class TempFile {
public:
    explicit TempFile(const fs::path& target) {
        std::string pattern = (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
        name_.assign(pattern.begin(), pattern.end());
        name_.push_back('\0');
        fd_ = mkstemp(name_.data());
    }
    ~TempFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!committed_ && fd_ != -2) std::remove(name_.data());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    bool ok() const { return fd_ >= 0; }
    bool write_all(const Bytes& bytes) {
        std::size_t done = 0;
        while (done < bytes.size()) {
            ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            done += static_cast<std::size_t>(n);
        }
        return ::fsync(fd_) == 0 && ::fchmod(fd_, 0644) == 0;
    }
    bool commit(const fs::path& target) {
        if (::close(fd_) != 0) return false;
        fd_ = -1;
        committed_ = std::rename(name_.data(), target.c_str()) == 0;
        return committed_;
    }

private:
    std::vector<char> name_;
    int fd_ = -1;
    bool committed_ = false;
};

}  // namespace

void write_file_atomically(const std::string& path_text, const Bytes& bytes, const WritePolicy& policy) {
    fs::path path(path_text);
    if (path.parent_path().empty()) path = fs::path(".") / path;
    for (const auto& input : policy.protected_paths)
        if (same_file(path, input))
            throw write_error(path_text, "it is an input photo; inputs are never overwritten", "这是输入照片，输入文件永远不会被覆盖");
    std::error_code ec;
    if (fs::exists(path, ec) && !policy.replace_existing)
        throw write_error(path_text, "the file exists (use --force to replace it)", "文件已存在（使用 --force 覆盖）");
    TempFile temp(path);
    if (!temp.ok()) throw write_error(path_text, std::strerror(errno), std::strerror(errno));
    if (!temp.write_all(bytes)) throw write_error(path_text, std::string("writing failed: ") + std::strerror(errno), "写入失败（磁盘已满或无权限？）");
    if (!temp.commit(path)) throw write_error(path_text, std::strerror(errno), std::strerror(errno));
}

std::string lower_case_extension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

void require_extension(const std::string& path, const std::string& what, const std::string& format,
                       const std::vector<std::string>& extensions) {
    const std::string ext = lower_case_extension(path);
    if (std::find(extensions.begin(), extensions.end(), ext) != extensions.end()) return;
    std::string names, names_zh;
    for (const auto& e : extensions) {
        names += (names.empty() ? "" : " or ") + e;
        names_zh += (names_zh.empty() ? "" : " 或 ") + e;
    }
    throw Error(ErrorKind::usage, {what + " " + path + ": it is written as " + format + "; name it " + names,
                                   what + " " + path + "：写出的是 " + format + " 文件，请以 " + names_zh + " 结尾"});
}

}  // namespace certphoto
