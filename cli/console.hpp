#pragma once
// What a person reads on the terminal: Chinese first, then English, for every verdict and message.
#include <ostream>

#include "message.hpp"
#include "report.hpp"

namespace certphoto::cli {

void print_report(std::ostream& out, const Report& report);
void print_error(std::ostream& out, const Message& message);

}  // namespace certphoto::cli
