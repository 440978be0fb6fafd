#pragma once
// One rule's finding in a report, by id; a missing id fails the test that asked.
#include <stdexcept>
#include <string>

#include "report.hpp"

namespace certphoto::test {

// By value: callers pass the id as a temporary, and a reference returned beside it reads as dangling to g++ 14.
inline Finding finding(const Report& r, const std::string& id) {
    for (const auto& c : r.checks)
        if (c.id == id) return c;
    throw std::runtime_error("no finding " + id);
}

}  // namespace certphoto::test
