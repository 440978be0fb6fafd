#pragma once
// The first directory (IFD0) of a TIFF structure: TIFF files and the EXIF block of a JPEG share it.
// Only what we read is decoded: integer tags and the byte range of undefined/byte tags (ICC).
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

namespace certphoto {

struct TiffEntry {
    std::uint16_t type = 0;
    std::uint32_t count = 0;
    std::uint32_t value_or_offset = 0;  // raw field
    std::uint32_t value = 0;            // first value for SHORT/LONG
};

class TiffDirectory {
public:
    // Parses the header and IFD0 of data[0..size). Returns nullopt when malformed.
    static std::optional<TiffDirectory> parse(const std::uint8_t* data, std::size_t size);

    std::optional<std::uint32_t> integer(std::uint16_t tag) const;
    // Bytes of a BYTE/UNDEFINED tag stored out of line (e.g. the ICC profile, tag 34675).
    std::optional<std::pair<std::size_t, std::size_t>> byte_range(std::uint16_t tag) const;

    static constexpr std::uint16_t tag_width = 256;
    static constexpr std::uint16_t tag_height = 257;
    static constexpr std::uint16_t tag_orientation = 274;
    static constexpr std::uint16_t tag_icc_profile = 34675;

private:
    std::map<std::uint16_t, TiffEntry> entries_;
    std::size_t size_ = 0;
};

}  // namespace certphoto
