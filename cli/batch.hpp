#pragma once
// Batches: inputs expanded from files and folders, processed by N workers, results kept in input order.
#include <functional>
#include <string>
#include <vector>

namespace certphoto::cli {

// Files as given; folders searched recursively for .jpg .jpeg .png .tif .tiff (any case), sorted.
std::vector<std::string> expand_inputs(const std::vector<std::string>& arguments);

// Runs job(i) for every i in [0, count) on `workers` threads; shows progress on a terminal.
void run_parallel(std::size_t count, unsigned workers, const std::function<void(std::size_t)>& job,
                  const std::vector<std::string>& names);

unsigned default_workers();

}  // namespace certphoto::cli
