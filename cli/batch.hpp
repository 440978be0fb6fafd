#pragma once
// Batches: inputs expanded from files and folders, processed by N workers, results kept in input order.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "message.hpp"

namespace certphoto::cli {

// Files as given; folders searched recursively for .jpg .jpeg .jfif .jpe .png .tif .tiff (any case), sorted. A folder
// `outputs_folder` inside a searched folder is not searched: fix's uploads are not inputs of the next run. Nor
// are hidden files and folders (a name starting with a dot): a folder copied from a Mac holds a "._NAME.jpg"
// beside each photo (not a picture), and viewers keep thumbnails in ".thumbnails".
struct ExpandedInputs {
    std::vector<std::string> files;
    // Pictures the folders hold in formats that are not read (a phone's .heic, a camera's raw files beside its
    // JPEGs, .webp): left out of the batch, and named in a note so they are not silently missing.
    std::vector<std::string> other_formats;
};
ExpandedInputs expand_inputs(const std::vector<std::string>& arguments, const std::string& outputs_folder = {});

// "Left out 3 pictures in formats that are not read (.heic, .cr2): export them as JPEG to check them"
Message left_out_note(const std::vector<std::string>& other_formats);

// The file each input of a batch writes, named from the input (fix: DIR/<name without extension>.jpg). Two
// inputs named alike (a.jpg beside a.png, 001.jpg in two schools' folders, a file given twice) would write the
// same file, the later over the earlier. Each entry is the index of the first input writing the same file, or
// none for that first one itself.
std::vector<std::optional<std::size_t>> same_output_as_earlier(const std::vector<std::string>& outputs);

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
