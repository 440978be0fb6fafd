#pragma once
// Batches: inputs expanded from files and folders, processed by N workers, results kept in input order.
#include <functional>
#include <string>
#include <vector>

namespace certphoto::cli {

// Files as given; folders searched recursively for .jpg .jpeg .png .tif .tiff (any case), sorted.
std::vector<std::string> expand_inputs(const std::vector<std::string>& arguments);

// Runs job(i) for every i in [0, count) on `workers` threads; shows progress on a terminal. After
// Ctrl-C (or SIGTERM) no new job starts; the ones under way finish. Returns how many jobs ran.
std::size_t run_parallel(std::size_t count, unsigned workers, const std::function<void(std::size_t)>& job,
                         const std::vector<std::string>& names);

// Installs the Ctrl-C / SIGTERM handling above; a second Ctrl-C ends the process at once (outputs are
// written atomically, so even then none is left half-written). A full disk becomes a write error, not a kill.
void install_signal_handling();
bool interrupted();

unsigned default_workers();

}  // namespace certphoto::cli
