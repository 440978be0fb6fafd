#include "shape_model.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace certphoto {

FloatBlock::FloatBlock(std::size_t capacity) : capacity_(capacity) {
    if (capacity_ == 0) return;
    void* mapped = ::mmap(nullptr, capacity_ * sizeof(float), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) throw std::bad_alloc();
    ::madvise(mapped, capacity_ * sizeof(float), MADV_HUGEPAGE);  // a hint: without huge pages it still works
    data_ = static_cast<float*>(mapped);
}

FloatBlock::~FloatBlock() {
    if (data_) ::munmap(data_, capacity_ * sizeof(float));
}

FloatBlock::FloatBlock(FloatBlock&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), capacity_(std::exchange(other.capacity_, 0)) {}

FloatBlock& FloatBlock::operator=(FloatBlock&& other) noexcept {
    if (this != &other) {
        if (data_) ::munmap(data_, capacity_ * sizeof(float));
        data_ = std::exchange(other.data_, nullptr);
        capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
}

namespace {

// The whole file mapped read-only and read ahead in one call (MAP_POPULATE), not page by page.
class MappedBytes {
public:
    explicit MappedBytes(const std::string& path) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw std::runtime_error("cannot open " + path);
        struct stat info {};
        if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
            size_ = static_cast<std::size_t>(info.st_size);
            void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
            data_ = mapped == MAP_FAILED ? nullptr : static_cast<const unsigned char*>(mapped);
        }
        ::close(fd);
        if (!data_) throw std::runtime_error("cannot map " + path);
    }
    ~MappedBytes() { ::munmap(const_cast<unsigned char*>(data_), size_); }
    MappedBytes(const MappedBytes&) = delete;
    MappedBytes& operator=(const MappedBytes&) = delete;

    const unsigned char* begin() const { return data_; }
    const unsigned char* end() const { return data_ + size_; }
    std::size_t size() const { return size_; }

private:
    const unsigned char* data_ = nullptr;
    std::size_t size_ = 0;
};

// dlib's serialization format (dlib/serialize.h): an integer is a control byte (0x80: negative; low nibble:
// byte count, 1 to 8) then its magnitude's bytes, least significant first; a float is two such integers, a
// mantissa and a binary exponent, with exponents 32000-32002 standing for inf, -inf and NaN.
class SerialReader {
public:
    SerialReader(const unsigned char* begin, const unsigned char* end) : at_(begin), end_(end) {}

    template <typename T>
    T integer() {
        std::uint64_t magnitude = 0;
        bool negative = false;
        read_integer(magnitude, negative);
        if constexpr (std::is_unsigned_v<T>) {
            if (negative || magnitude > std::numeric_limits<T>::max()) fail();
            return static_cast<T>(magnitude);
        } else {
            auto limit = static_cast<std::uint64_t>(std::numeric_limits<T>::max());
            if (magnitude > limit) fail();
            return negative ? static_cast<T>(-static_cast<std::int64_t>(magnitude)) : static_cast<T>(magnitude);
        }
    }

    float real() {
        auto mantissa = integer<std::int64_t>();
        auto exponent = integer<std::int16_t>();
        if (exponent >= 32000) {
            if (exponent == 32000) return std::numeric_limits<float>::infinity();
            if (exponent == 32001) return -std::numeric_limits<float>::infinity();
            return std::numeric_limits<float>::quiet_NaN();
        }
        // dlib computes ldexp((float)mantissa, exponent); a product with an exact power of two rounds the same
        // and is several times faster.
        if (exponent >= -126 && exponent <= 127) {
            std::uint32_t bits = static_cast<std::uint32_t>(exponent + 127) << 23;
            float power;
            std::memcpy(&power, &bits, sizeof power);
            return static_cast<float>(mantissa) * power;
        }
        return std::ldexp(static_cast<float>(mantissa), exponent);
    }

    bool at_end() const { return at_ == end_; }
    std::size_t remaining() const { return static_cast<std::size_t>(end_ - at_); }
    [[noreturn]] static void fail() { throw std::runtime_error("not a dlib shape predictor model"); }

private:
    void read_integer(std::uint64_t& magnitude, bool& negative) {
        if (at_ == end_) fail();
        unsigned control = *at_++;
        negative = control & 0x80;
        unsigned bytes = control & 0x0F;
        if (bytes == 0 || bytes > 8 || remaining() < bytes) fail();
        if (remaining() >= 8) {  // one unaligned load, masked to the integer's bytes (x86-64 and ARM are little-endian)
            std::memcpy(&magnitude, at_, 8);
            if (bytes < 8) magnitude &= (std::uint64_t{1} << (8 * bytes)) - 1;
        } else {
            for (unsigned i = bytes; i-- > 0;) magnitude = (magnitude << 8) | at_[i];
        }
        at_ += bytes;
    }

    const unsigned char* at_;
    const unsigned char* end_;
};

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "SerialReader's fast path reads little-endian integers");

// A dlib matrix: rows and columns (negative in the current format), then its values row by row.
std::size_t read_matrix_size(SerialReader& in) {
    auto rows = std::abs(in.integer<std::int64_t>());
    auto cols = std::abs(in.integer<std::int64_t>());
    if (rows > (1 << 20) || cols > (1 << 20)) SerialReader::fail();
    return static_cast<std::size_t>(rows * cols);
}

std::size_t read_count(SerialReader& in) {
    auto count = in.integer<std::uint64_t>();
    if (count > in.remaining()) SerialReader::fail();  // every element takes at least one byte
    return static_cast<std::size_t>(count);
}

}  // namespace

ShapeModel ShapeModel::read(const std::string& path) {
    MappedBytes file(path);
    SerialReader in(file.begin(), file.end());
    if (in.integer<int>() != 1) SerialReader::fail();

    ShapeModel model;
    model.initial_shape_.resize(read_matrix_size(in));
    for (float& value : model.initial_shape_) value = in.real();
    const std::size_t shape_size = model.initial_shape_.size();
    if (shape_size == 0 || shape_size % 2 != 0) SerialReader::fail();

    // Every float takes at least four bytes of the file: this bounds the leaf block before it is read.
    model.leaves_ = FloatBlock(file.size() / 4);
    std::size_t leaves_used = 0;
    model.cascades_.resize(read_count(in));
    for (Cascade& cascade : model.cascades_) {
        cascade.trees.resize(read_count(in));
        for (Tree& tree : cascade.trees) {
            tree.first_split = static_cast<std::uint32_t>(cascade.splits.size());
            tree.splits = static_cast<std::uint32_t>(read_count(in));
            for (std::uint32_t i = 0; i < tree.splits; ++i) {
                Split split;
                split.idx1 = in.integer<std::uint32_t>();
                split.idx2 = in.integer<std::uint32_t>();
                split.thresh = in.real();
                cascade.splits.push_back(split);
            }
            bool full_tree = ((tree.splits + 1) & tree.splits) == 0;  // dlib's trees have every level filled
            if (!full_tree || read_count(in) != std::size_t{tree.splits} + 1) SerialReader::fail();
            tree.first_leaf = leaves_used;
            for (std::uint32_t leaf = 0; leaf <= tree.splits; ++leaf) {
                if (read_matrix_size(in) != shape_size || leaves_used + shape_size > model.leaves_.capacity())
                    SerialReader::fail();
                float* values = model.leaves_.data() + leaves_used;
                for (std::size_t i = 0; i < shape_size; ++i) values[i] = in.real();
                leaves_used += shape_size;
            }
        }
    }

    if (read_count(in) != model.cascades_.size()) SerialReader::fail();
    for (Cascade& cascade : model.cascades_) {
        cascade.anchors.resize(read_count(in));
        for (auto& anchor : cascade.anchors) {
            anchor = in.integer<std::uint32_t>();
            if (anchor >= shape_size / 2) SerialReader::fail();
        }
    }
    if (read_count(in) != model.cascades_.size()) SerialReader::fail();
    for (Cascade& cascade : model.cascades_) {
        std::size_t pixels = read_count(in);
        if (pixels != cascade.anchors.size()) SerialReader::fail();
        cascade.deltas.resize(2 * pixels);
        for (float& value : cascade.deltas) value = in.real();
        for (const Split& split : cascade.splits)
            if (split.idx1 >= pixels || split.idx2 >= pixels) SerialReader::fail();
    }
    if (!in.at_end()) SerialReader::fail();
    return model;
}

void ShapeModel::add_leaves(const Cascade& cascade, const std::vector<float>& features, std::vector<float>& shape) const {
    const std::size_t shape_size = initial_shape_.size();
    for (const Tree& tree : cascade.trees) {
        const Split* splits = cascade.splits.data() + tree.first_split;
        std::uint32_t node = 0;
        while (node < tree.splits) {  // dlib's layout: node i's children are 2i+1 (taken when above) and 2i+2
            const Split& split = splits[node];
            node = features[split.idx1] - features[split.idx2] > split.thresh ? 2 * node + 1 : 2 * node + 2;
        }
        const float* leaf = leaves_.data() + tree.first_leaf + (node - tree.splits) * shape_size;
        for (std::size_t i = 0; i < shape_size; ++i) shape[i] += leaf[i];
    }
}

}  // namespace certphoto
