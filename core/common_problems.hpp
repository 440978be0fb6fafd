#pragma once
// The seven common rejection reasons of the notice (附件2 问题一..七), each with its remedy and the rules
// that detect it: what a trainer's sheet illustrates with real photos.
#include <string>
#include <vector>

#include "message.hpp"

namespace certphoto {

struct CommonProblem {
    int number;  // 1..7, as in the notice
    Message label;     // 问题一 / Problem 1
    Message problem;   // the notice's words
    Message solution;  // the notice's remedy
    std::vector<std::string> rule_ids;
};

const std::vector<CommonProblem>& common_problems();

}  // namespace certphoto
