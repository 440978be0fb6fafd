#pragma once
// What a person reads on the terminal: Chinese first, then English, for every verdict and message.
#include <optional>
#include <ostream>

#include "message.hpp"
#include "report.hpp"

namespace certphoto::cli {

void print_report(std::ostream& out, const Report& report);
// A written upload's tight-shot note (fix.hpp: filled_beyond_photo_note), for the console and the summary.
std::optional<Message> tight_shot_note(const Report& report);
void print_error(std::ostream& out, const Message& message);
void print_note(std::ostream& out, const Message& message);  // on stderr before a batch: what it leaves out

}  // namespace certphoto::cli
