// libFuzzer harness for everything a file's bytes reach before analysis: format detection, the JPEG, PNG
// and TIFF decoders, EXIF and TIFF directories, the ICC profile and the colour conversion.
// Build and run with scripts/fuzz (not part of CI). Any input may only end in a certphoto::Error.
#include <cstddef>
#include <cstdint>

#include "error.hpp"
#include "image.hpp"
#include "preset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A small pixel limit keeps every run fast and checks that oversized headers are refused.
    static const certphoto::InputLimits limits{4'000'000, 64'000'000, 8};
    try {
        certphoto::decode_image(certphoto::Bytes(data, data + size), limits);
    } catch (const certphoto::Error&) {
        // refused with a message: the expected way for a bad file to end
    }
    return 0;
}
