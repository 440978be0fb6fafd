#pragma once
// Running the certphoto command from a test: exit code and both output streams.
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "test_support.hpp"

namespace certphoto::test {

struct CliRun {
    int exit_code;
    std::string out;
    std::string err;
};

inline CliRun certphoto(const std::string& arguments, const TempDir& dir) {
    std::string command = std::string(CERTPHOTO_CLI) + " " + arguments + " >" + dir.file("stdout") + " 2>" + dir.file("stderr");
    int status = std::system(command.c_str());
    Bytes out = read_bytes(dir.file("stdout")), err = read_bytes(dir.file("stderr"));
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, std::string(out.begin(), out.end()), std::string(err.begin(), err.end())};
}

inline std::string shell_quoted(const std::string& path) { return "'" + path + "'"; }

}  // namespace certphoto::test
