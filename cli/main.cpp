#include <iostream>
#include "check.hpp"
#include "error.hpp"
using namespace certphoto;
int main(int argc, char** argv) {
    Preset preset = find_preset(default_preset_id);
    nlohmann::json all = nlohmann::json::array();
    for (int i = 1; i < argc; ++i) all.push_back(to_json(check_file(argv[i], preset).report));
    std::cout << all.dump(1) << "\n";
}
