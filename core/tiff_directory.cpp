#include "tiff_directory.hpp"

namespace certphoto {
namespace {

struct Reader {
    const std::uint8_t* data;
    std::size_t size;
    bool little_endian;

    bool has(std::size_t offset, std::size_t n) const { return offset <= size && n <= size - offset; }
    std::uint16_t u16(std::size_t o) const {
        return little_endian ? std::uint16_t(data[o] | data[o + 1] << 8) : std::uint16_t(data[o] << 8 | data[o + 1]);
    }
    std::uint32_t u32(std::size_t o) const {
        return little_endian ? std::uint32_t(data[o]) | std::uint32_t(data[o + 1]) << 8 |
                                   std::uint32_t(data[o + 2]) << 16 | std::uint32_t(data[o + 3]) << 24
                             : std::uint32_t(data[o]) << 24 | std::uint32_t(data[o + 1]) << 16 |
                                   std::uint32_t(data[o + 2]) << 8 | std::uint32_t(data[o + 3]);
    }
};

constexpr std::uint16_t type_short = 3;
constexpr std::uint16_t type_long = 4;
constexpr std::size_t entry_bytes = 12;
constexpr std::uint16_t max_entries = 1000;  // a real IFD0 has a few dozen; more means garbage

}  // namespace

std::optional<TiffDirectory> TiffDirectory::parse(const std::uint8_t* data, std::size_t size) {
    if (size < 8) return std::nullopt;
    bool little = data[0] == 'I' && data[1] == 'I';
    bool big = data[0] == 'M' && data[1] == 'M';
    if (!little && !big) return std::nullopt;
    Reader r{data, size, little};
    if (r.u16(2) != 42) return std::nullopt;
    std::size_t ifd = r.u32(4);
    if (!r.has(ifd, 2)) return std::nullopt;
    std::uint16_t count = r.u16(ifd);
    if (count > max_entries || !r.has(ifd + 2, count * entry_bytes)) return std::nullopt;

    TiffDirectory dir;
    dir.size_ = size;
    for (std::uint16_t i = 0; i < count; ++i) {
        std::size_t at = ifd + 2 + i * entry_bytes;
        TiffEntry e;
        std::uint16_t tag = r.u16(at);
        e.type = r.u16(at + 2);
        e.count = r.u32(at + 4);
        e.value_or_offset = r.u32(at + 8);
        e.value = e.type == type_short ? r.u16(at + 8) : e.value_or_offset;
        dir.entries_[tag] = e;
    }
    return dir;
}

std::optional<std::uint32_t> TiffDirectory::integer(std::uint16_t tag) const {
    auto it = entries_.find(tag);
    if (it == entries_.end() || (it->second.type != type_short && it->second.type != type_long)) return std::nullopt;
    return it->second.value;
}

std::optional<std::pair<std::size_t, std::size_t>> TiffDirectory::byte_range(std::uint16_t tag) const {
    auto it = entries_.find(tag);
    if (it == entries_.end() || it->second.count <= 4) return std::nullopt;
    std::size_t offset = it->second.value_or_offset, length = it->second.count;
    if (offset > size_ || length > size_ - offset) return std::nullopt;
    return std::make_pair(offset, length);
}

}  // namespace certphoto
