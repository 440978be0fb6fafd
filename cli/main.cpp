// certphoto: check photos against a certificate-photo preset and make the compliant upload JPEG.
// A thin host: it parses arguments, calls core, prints and writes. It decides nothing about photos.
#include <algorithm>
#include <ctime>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>

#include "atomic_file.hpp"
#include "certphoto_config.hpp"
#include "batch.hpp"
#include "check.hpp"
#include "console.hpp"
#include "error.hpp"
#include "face_landmarks.hpp"
#include "fix.hpp"
#include "jpeg_writer.hpp"
#include "overlay.hpp"
#include "png_codec.hpp"
#include "pdf.hpp"
#include "sheet.hpp"
#include "stage_times.hpp"
#include "summary.hpp"

namespace fs = std::filesystem;
using namespace certphoto;

namespace {

// A fault of ours (or of the system under us) has no message of its own in Chinese.
Message internal_error(const std::exception& e) { return {std::string("Internal error: ") + e.what(), std::string("内部错误：") + e.what()}; }

constexpr int exit_pass = 0, exit_fail = 1, exit_error = 2, exit_interrupted = 130;

struct CommonOptions {
    std::string preset_id = default_preset_id;
    std::string json_path;
    std::string overlay_path;
    std::string summary_path;
    std::vector<std::string> inputs;
    unsigned workers = cli::default_workers();
};

struct PhotoResult {
    Report report;
    int exit_code = exit_pass;
    bool ran = false;
};

int worst(int a, int b) { return std::max(a, b); }

// One overlay per input: the requested file for one input, BASE-<input name>.png for several, and for an input
// named like an earlier one (a.jpg, a.png) BASE-<input name>-<extension>.png, so that neither replaces the other.
std::vector<std::string> overlay_paths(const std::string& requested, const std::vector<std::string>& inputs) {
    if (requested.empty()) return std::vector<std::string>(inputs.size());
    if (inputs.size() == 1) return {requested};
    fs::path base(requested);
    auto named = [&](const std::string& input, bool with_extension) {
        fs::path p(input);
        std::string name = base.stem().string() + "-" + p.stem().string();
        if (with_extension && p.has_extension()) name += "-" + p.extension().string().substr(1);
        return (base.parent_path() / (name + ".png")).string();
    };
    std::vector<std::string> paths;
    for (const auto& input : inputs) paths.push_back(named(input, false));
    std::vector<std::optional<std::size_t>> same = cli::same_output_as_earlier(paths);
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (same[i]) paths[i] = named(inputs[i], true);
    return paths;
}

void write_overlay(const std::string& path, const Analysis& analysis, const std::vector<Finding>& checks,
                   const std::vector<std::string>& inputs) {
    write_file_atomically(path, encode_png(draw_overlay(analysis, checks)), {true, inputs});
}

void write_json(const std::string& path, const std::vector<const Report*>& reports, const std::vector<std::string>& inputs) {
    nlohmann::json document;
    if (reports.size() == 1) {
        document = to_json(*reports.front());
    } else {
        document = nlohmann::json::array();
        for (const Report* r : reports) document.push_back(to_json(*r));
    }
    std::string text = document.dump(2) + "\n";
    if (path == "-") {
        std::cout << text;
    } else {
        write_file_atomically(path, Bytes(text.begin(), text.end()), {true, inputs});
    }
}

int finish(const CommonOptions& common, const std::vector<PhotoResult>& results, bool fixing) {
    bool json_on_stdout = common.json_path == "-";
    std::ostream& human = json_on_stdout ? std::cerr : std::cout;
    int code = exit_pass;
    std::vector<const Report*> reports;
    for (const auto& r : results) {
        if (!r.ran) continue;
        cli::print_report(human, r.report);
        code = worst(code, r.exit_code);
        reports.push_back(&r.report);
    }
    std::size_t not_run = results.size() - reports.size();
    if (results.size() > 1 || not_run) cli::print_counts(std::cerr, cli::count_results(reports, not_run), fixing);
    if (!common.json_path.empty() && !reports.empty()) write_json(common.json_path, reports, common.inputs);
    if (!common.summary_path.empty()) {
        std::string csv = cli::summary_csv(reports);
        write_file_atomically(common.summary_path, Bytes(csv.begin(), csv.end()), {true, common.inputs});
    }
    return not_run ? exit_interrupted : code;
}

PhotoResult check_one(LoadedPhoto photo, const Preset& preset, const CommonOptions& common, const std::string& overlay) {
    CheckedPhoto checked = check_loaded(std::move(photo), preset);
    PhotoResult result{checked.report, checked.report.verdict == "pass" ? exit_pass : exit_fail, true};
    if (checked.report.verdict == "error") result.exit_code = exit_error;
    if (checked.analysis && !overlay.empty()) write_overlay(overlay, *checked.analysis, checked.report.checks, common.inputs);
    return result;
}

struct FixTarget {
    std::string output_path;
    std::string out_dir;
    bool force = false;
    bool lighting_only = false;
};

std::string output_path_for(const FixTarget& target, const std::string& input) {
    if (!target.output_path.empty()) return target.output_path;
    return (fs::path(target.out_dir) / (fs::path(input).stem().string() + ".jpg")).string();
}

// The folders the requested files go into are made before any photo is worked on: a missing one would otherwise
// be found only when the first report or overlay is written, after its upload.
void make_folder(const fs::path& folder) {
    std::error_code ec;
    if (folder.empty() || fs::is_directory(folder, ec)) return;
    if (!fs::create_directories(folder, ec) && ec)
        throw Error(ErrorKind::usage, {"Cannot make the folder " + folder.string() + ": " + ec.message(),
                                       "无法创建文件夹 " + folder.string() + "：" + ec.message()});
}

// The folder a file option writes into; none for standard output ("-") or an option not given.
fs::path folder_of(const std::string& file) { return file.empty() || file == "-" ? fs::path() : fs::path(file).parent_path(); }

// The report, the summary, the overlays and the uploads are different files: --json naming an upload would
// replace the photo just written with its own report. (Inputs are protected when each file is written.)
void check_files_apart(const std::vector<std::pair<std::string, std::vector<std::string>>>& files_by_option) {
    std::vector<std::string> files, options;
    for (const auto& [option, named] : files_by_option)
        for (const auto& file : named)
            if (!file.empty() && file != "-") {
                files.push_back(file);
                options.push_back(option);
            }
    std::vector<std::optional<std::size_t>> same = cli::same_output_as_earlier(files);
    for (std::size_t i = 0; i < files.size(); ++i)
        if (same[i] && options[*same[i]] != options[i])
            throw Error(ErrorKind::usage, {options[i] + " and " + options[*same[i]] + " would both write " + files[i] + "; name different files",
                                           options[i] + " 与 " + options[*same[i]] + " 会写入同一个文件 " + files[i] + "；请指定不同的文件"});
}

// A file option naming a folder fails when it is written, after every photo was worked on: refused first.
void require_not_folder(const std::string& file, const std::string& option) {
    std::error_code unused;
    if (!file.empty() && file != "-" && fs::is_directory(file, unused))
        throw Error(ErrorKind::usage, {option + " " + file + " is a folder; name a file", option + " " + file + " 是文件夹；请指定文件"});
}

// What a check or fix (`fix`: its target) is asked to write, settled before any photo is read: fix's -o for one
// input, each file named for its format and apart from the others, the folders made.
void prepare_outputs(const CommonOptions& common, const FixTarget* fix, const std::vector<std::string>& overlays) {
    if (fix && fix->output_path.empty() && fix->out_dir.empty())
        throw Error(ErrorKind::usage, {"fix needs -o OUT.jpg (one input) or --out-dir DIR", "fix 需要 -o 输出.jpg（单个输入）或 --out-dir 文件夹"});
    if (fix && !fix->output_path.empty() && common.inputs.size() != 1)
        throw Error(ErrorKind::usage, {"-o takes one input; use --out-dir for several", "-o 只能用于单个输入；多个输入请用 --out-dir"});
    if (fix && !fix->output_path.empty()) require_extension(fix->output_path, "-o", "JPEG", {".jpg", ".jpeg"});
    if (!common.overlay_path.empty()) require_extension(common.overlay_path, "--overlay", "PNG", {".png"});
    std::vector<std::string> uploads;
    if (fix)
        for (const auto& input : common.inputs) uploads.push_back(output_path_for(*fix, input));
    require_not_folder(common.json_path, "--json");
    require_not_folder(common.summary_path, "--summary");
    if (fix) require_not_folder(fix->output_path, "-o");
    check_files_apart({{"--json", {common.json_path}}, {"--summary", {common.summary_path}}, {"--overlay", overlays},
                       {fix && !fix->output_path.empty() ? "-o" : "--out-dir", uploads}});
    for (const std::string& file : {common.json_path, common.summary_path, common.overlay_path}) make_folder(folder_of(file));
    if (fix) {
        make_folder(folder_of(fix->output_path));
        make_folder(fix->out_dir);
    }
}

// Inputs whose upload would be written over an earlier input's are not fixed, and say which input that is.
std::vector<std::optional<Message>> outputs_taken(const FixTarget& target, const std::vector<std::string>& inputs) {
    std::vector<std::string> outputs;
    for (const auto& input : inputs) outputs.push_back(output_path_for(target, input));
    std::vector<std::optional<std::size_t>> same = cli::same_output_as_earlier(outputs);
    std::vector<std::optional<Message>> taken(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (same[i])
            taken[i] = Message{"Not fixed: " + inputs[*same[i]] + " in this batch is written to the same " + outputs[i] +
                                   "; rename one of the two, or fix them in separate runs into separate folders",
                               "未处理：本批中的 " + inputs[*same[i]] + " 也写入同一个 " + outputs[i] +
                                   "；请将其中一张改名，或分两次处理并输出到不同文件夹"};
    return taken;
}

PhotoResult fix_one(LoadedPhoto photo, const Preset& preset, const CommonOptions& common, const FixTarget& target,
                    const std::string& overlay) {
    const std::string input = photo.path;
    FixedPhoto fixed = fix_photo(check_loaded(std::move(photo), preset), {target.force, target.lighting_only});
    PhotoResult result;
    result.ran = true;
    if (!fixed.input.analysis) {
        fixed.input.report.from_fix = true;
        return {fixed.input.report, exit_error, true};
    }
    const CheckedPhoto& shown = fixed.jpeg.empty() ? fixed.input : fixed.output;
    result.report = shown.report;
    result.report.from_fix = true;
    result.report.refusal = fixed.refusal;
    result.report.file = input;
    result.report.edits = fixed.edits;
    if (fixed.jpeg.empty()) {
        result.exit_code = exit_fail;
    } else {
        std::string out = output_path_for(target, input);
        write_file_atomically(out, fixed.jpeg, {target.force, common.inputs});
        result.report.output = out;
        result.exit_code = fixed.output_passes ? exit_pass : exit_fail;
    }
    if (!overlay.empty()) write_overlay(overlay, *shown.analysis, shown.report.checks, common.inputs);
    return result;
}

// One worker takes the photos in order, and reads and decodes the next while it checks and fixes this one, on a
// thread of idle priority: it runs only when a core would otherwise wait (while this photo's GrabCut runs alone),
// never slowing this photo down. Several workers keep every core busy already.
void at_idle_priority() {
    sched_param unused{};
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &unused);  // a failure only loses the overlap
}

// job(i, photo) for every input i but those with a reason not to run, which are reported with it as errors.
template <typename Job>
std::vector<PhotoResult> run_batch(const CommonOptions& common, const Preset& preset, Resolution resolution, Job job,
                                   const std::vector<std::optional<Message>>& not_run = {}) {
    std::vector<PhotoResult> results(common.inputs.size());
    const bool read_ahead = common.workers == 1;
    auto skipped = [&](std::size_t i) { return i < not_run.size() && not_run[i]; };
    auto load = [&](std::size_t i) { return load_photo(common.inputs[i], preset, resolution); };
    std::future<LoadedPhoto> next;
    cli::run_parallel(common.inputs.size(), common.workers, [&](std::size_t i) {
        if (skipped(i)) {
            results[i] = {error_report(common.inputs[i], common.preset_id, *not_run[i]), exit_error, true};
            return;
        }
        try {
            LoadedPhoto photo = next.valid() ? next.get() : load(i);
            if (read_ahead && i + 1 < common.inputs.size() && !skipped(i + 1))
                next = std::async(std::launch::async, [&load, i] {
                    at_idle_priority();
                    return load(i + 1);
                });
            results[i] = job(i, std::move(photo));
        } catch (const Error& e) {
            results[i] = {error_report(common.inputs[i], common.preset_id, e.message()), exit_error, true};
        } catch (const std::exception& e) {
            // A fault of ours must not stop the batch: the file is reported, the others go on.
            results[i] = {error_report(common.inputs[i], common.preset_id, internal_error(e)),
                          exit_error, true};
        }
    }, common.inputs);
    return results;
}

void add_inputs(CLI::App& command, CommonOptions& common) {
    command.add_option("--preset", common.preset_id, "Preset id (see: certphoto presets)");
    command.add_option("-j,--jobs", common.workers, "Photos processed at once (default: the number of cores)")->check(CLI::Range(1, 256));
    command.add_option("inputs", common.inputs, "Photos or folders")->required();
}

void add_common(CLI::App& command, CommonOptions& common) {
    add_inputs(command, common);
    command.add_option("--json", common.json_path, "Write the JSON report to FILE, or - for standard output");
    command.add_option("--overlay", common.overlay_path, "Write the photo with what was found drawn on it (PNG)");
    command.add_option("--summary", common.summary_path, "Write one CSV row per photo: file, verdict, failing rules, output, error");
}

struct SheetTarget {
    std::string output_path;
    std::string language = "zh";
};

std::string today() {
    std::time_t now = std::time(nullptr);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", std::localtime(&now));
    return text;
}

// A sheet is written whatever the photos show (failing photos are what it is for): exit 0 when written,
// 2 when it could not be, 130 when interrupted.
int sheet_command(const CommonOptions& common, const SheetTarget& target, const Preset& preset) {
    require_extension(target.output_path, "-o", "HTML/PDF", {".html", ".htm", ".pdf"});
    std::vector<SheetPhoto> photos(common.inputs.size());
    std::size_t ran = cli::run_parallel(common.inputs.size(), common.workers, [&](std::size_t i) {
        try {
            photos[i] = make_sheet_photo(common.inputs[i], preset);
        } catch (const Error& e) {
            photos[i].report = error_report(common.inputs[i], common.preset_id, e.message());
        } catch (const std::exception& e) {
            photos[i].report = error_report(common.inputs[i], common.preset_id, internal_error(e));
        }
    }, common.inputs);
    if (ran < photos.size()) return exit_interrupted;
    std::string html = render_sheet_html(photos, preset, {target.language == "en" ? Language::en : Language::zh, today()});
    bool pdf = fs::path(target.output_path).extension() == ".pdf";
    Bytes bytes = pdf ? cli::print_html_to_pdf(html) : Bytes(html.begin(), html.end());
    write_file_atomically(target.output_path, bytes, {true, common.inputs});
    std::vector<const Report*> reports;
    for (const auto& p : photos) reports.push_back(&p.report);
    cli::print_counts(std::cerr, cli::count_results(reports, 0), false);
    std::cerr << "示例页 / sheet: " << target.output_path << "\n";
    return exit_pass;
}

int list_presets_command() {
    for (const Preset& p : list_presets())
        std::cout << p.id << (p.id == default_preset_id ? " (default)" : "") << "\n  " << p.name.zh << "\n  " << p.name.en
                  << "\n  " << p.source_file << "\n";
    return exit_pass;
}

}  // namespace

static void print_stage_times() {
    for (const auto& [stage, seconds] : stage_times()) std::cerr << "stage " << stage << " " << seconds << "\n";
}

namespace {

// The subcommands and the options they fill in (CLI11 keeps pointers to these: built in place, never moved).
struct Commands {
    CommonOptions check_options, fix_options, sheet_options;
    FixTarget target;
    SheetTarget sheet_target;
    CLI::App *check = nullptr, *fix = nullptr, *sheet = nullptr, *presets = nullptr;
};

void define_commands(CLI::App& app, Commands& c) {
    app.require_subcommand(1);
    app.set_version_flag("--version", CERTPHOTO_VERSION);
    c.check = app.add_subcommand("check", "Check photos against a preset / 检测照片");
    add_common(*c.check, c.check_options);
    c.fix = app.add_subcommand("fix", "Make the compliant upload JPEG / 生成合格的上传照片");
    add_common(*c.fix, c.fix_options);
    auto* output = c.fix->add_option("-o,--output", c.target.output_path, "Output JPEG (one input)");
    auto* out_dir = c.fix->add_option("--out-dir", c.target.out_dir, "Output folder: DIR/<input name>.jpg");
    output->excludes(out_dir);
    c.fix->add_flag("--force", c.target.force, "Write even when a rule fix cannot repair fails; replace existing outputs");
    c.fix->add_flag("--lighting-only", c.target.lighting_only,
                    "Only even the lighting (smooth gain, never the face's detail); keep framing and background / 仅校正光线");
    c.sheet = app.add_subcommand("sheet", "Trainers' pass/fail sheet (HTML or PDF) / 生成合格与不合格示例页");
    add_inputs(*c.sheet, c.sheet_options);
    c.sheet->add_option("-o,--output", c.sheet_target.output_path, "Sheet file: .html (self-contained) or .pdf (printed by Chromium)")
        ->required();
    c.sheet->add_option("--lang", c.sheet_target.language, "Language of the sheet: zh or en (default zh)")
        ->check(CLI::IsMember({"zh", "en"}));
    c.presets = app.add_subcommand("presets", "List presets / 列出预设");
}

// The photos the inputs name, folders searched; a usage error when there are none. Pictures in formats that are
// not read are counted in a note.
std::vector<std::string> photos_to_read(const std::vector<std::string>& inputs, const std::string& out_dir) {
    cli::ExpandedInputs expanded = cli::expand_inputs(inputs, out_dir);
    if (expanded.files.empty()) {
        Message none{"No JPEG, PNG or TIFF photos found in the given folders", "所给文件夹中没有 JPEG、PNG 或 TIFF 照片"};
        if (!expanded.other_formats.empty()) {
            const Message left_out = cli::left_out_note(expanded.other_formats);
            none = {none.en + ". " + left_out.en, none.zh + "。" + left_out.zh};
        }
        throw Error(ErrorKind::usage, none);
    }
    if (!expanded.other_formats.empty()) cli::print_note(std::cerr, cli::left_out_note(expanded.other_formats));
    return std::move(expanded.files);
}

int run_parsed(Commands& c) {
    if (*c.presets) return list_presets_command();
    FaceLandmarker::shared();  // starts loading the face models while the inputs are listed and decoded
    CommonOptions& common = *c.check ? c.check_options : *c.sheet ? c.sheet_options : c.fix_options;
    common.inputs = photos_to_read(common.inputs, *c.fix ? c.target.out_dir : std::string());
    const Preset preset = find_preset(common.preset_id);
    cli::install_signal_handling();
    if (*c.sheet) return sheet_command(common, c.sheet_target, preset);
    const std::vector<std::string> overlays = overlay_paths(common.overlay_path, common.inputs);
    prepare_outputs(common, *c.fix ? &c.target : nullptr, overlays);
    if (*c.check)
        return finish(common, run_batch(common, preset, Resolution::as_needed, [&](std::size_t i, LoadedPhoto photo) {
                          return check_one(std::move(photo), preset, common, overlays[i]);
                      }), false);
    Resolution resolution = c.target.lighting_only ? Resolution::full : Resolution::as_needed;
    return finish(common, run_batch(common, preset, resolution, [&](std::size_t i, LoadedPhoto photo) {
                      return fix_one(std::move(photo), preset, common, c.target, overlays[i]);
                  }, outputs_taken(c.target, common.inputs)), true);
}

}  // namespace

static int run_command(int argc, char** argv) {
    CLI::App app{"certphoto: certificate photo checks and fixes / 证件照检测与制作"};
    Commands commands;
    define_commands(app, commands);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? exit_pass : exit_error;
    }
    try {
        return run_parsed(commands);
    } catch (const Error& e) {
        cli::print_error(std::cerr, e.message());
        return exit_error;
    } catch (const std::exception& e) {
        cli::print_error(std::cerr, internal_error(e));
        return exit_error;
    }
}

int main(int argc, char** argv) {
    // A batch allocates and frees the same large pictures photo after photo. glibc would hand each back to
    // the kernel and fault it in again, page by page, for the next photo (a fifth of a 24 MP fix went to
    // page faults); kept in the heap they are reused.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    int code = run_command(argc, argv);
    if (stage_times_enabled()) print_stage_times();
    return code;
}
