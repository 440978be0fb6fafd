#pragma once
// dlib's shape predictor model file (the 68-point landmark model), read into flat arrays.
//
// dlib's own deserialize reads the 95 MB file through std::istream one variable-length integer at a time and
// builds 120,000 small matrices: 0.65 s, most of a process's cold start. This reader decodes the same format
// straight from a mapped file into one block of floats. The landmarks placed with it are bit-identical to
// dlib's (tests/unit/test_shape_model.cpp). dlib-free: face_landmarks.cpp walks it with dlib's pixel sampling.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace certphoto {

// A block of floats in its own anonymous mapping, advised for transparent huge pages: first touch of 65 MB
// in 4 KB pages costs more than decoding the file on a virtual machine.
class FloatBlock {
public:
    FloatBlock() = default;
    explicit FloatBlock(std::size_t capacity);
    ~FloatBlock();
    FloatBlock(FloatBlock&& other) noexcept;
    FloatBlock& operator=(FloatBlock&& other) noexcept;
    FloatBlock(const FloatBlock&) = delete;
    FloatBlock& operator=(const FloatBlock&) = delete;

    float* data() { return data_; }
    const float* data() const { return data_; }
    std::size_t capacity() const { return capacity_; }

private:
    float* data_ = nullptr;
    std::size_t capacity_ = 0;
};

class ShapeModel {
public:
    struct Split {
        std::uint32_t idx1 = 0, idx2 = 0;  // feature pixels compared
        float thresh = 0;
    };
    struct Tree {
        std::uint32_t first_split = 0, splits = 0;  // into Cascade::splits; leaves = splits + 1
        std::size_t first_leaf = 0;                 // offset into the leaf block, in floats
    };
    struct Cascade {
        std::vector<std::uint32_t> anchors;  // per feature pixel: the shape point it is placed relative to
        std::vector<float> deltas;           // per feature pixel: x, y offset from its anchor (mean-shape units)
        std::vector<Split> splits;
        std::vector<Tree> trees;
    };

    // Throws std::runtime_error when the file is missing or is not a version 1 dlib shape predictor.
    static ShapeModel read(const std::string& path);

    const std::vector<float>& initial_shape() const { return initial_shape_; }  // x0, y0, x1, y1... (unit box)
    const std::vector<Cascade>& cascades() const { return cascades_; }
    std::size_t points() const { return initial_shape_.size() / 2; }

    // Adds to shape the leaf every tree of the cascade reaches with these feature pixel values, in tree order
    // (dlib's order: float sums are not associative).
    void add_leaves(const Cascade& cascade, const std::vector<float>& features, std::vector<float>& shape) const;

private:
    std::vector<float> initial_shape_;
    std::vector<Cascade> cascades_;
    FloatBlock leaves_;
};

}  // namespace certphoto
