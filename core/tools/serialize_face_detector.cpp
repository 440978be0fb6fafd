// Build-time tool: writes dlib's frontal face detector, already decoded, as a C++ array of its serialized
// bytes. dlib::get_frontal_face_detector() decodes the detector from entropy-coded text on every call (0.3 s
// of each process's start); dlib::deserialize reads these 155 KB in 3 ms.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <dlib/image_processing/frontal_face_detector.h>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: serialize-face-detector OUTPUT.cpp\n";
        return 2;
    }
    std::ostringstream serialized;
    dlib::serialize(dlib::get_frontal_face_detector(), serialized);
    const std::string bytes = serialized.str();

    std::ofstream out(argv[1]);
    out << "// Generated at build time by core/tools/serialize_face_detector.cpp: dlib's frontal face detector,\n"
           "// serialized with dlib::serialize.\n"
           "#include <cstddef>\n\nnamespace certphoto {\n\n"
           "extern const unsigned char face_detector_bytes[] = {";
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        out << (i % 24 == 0 ? "\n    " : " ") << static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << ',';
    }
    out << "\n};\nextern const std::size_t face_detector_size = sizeof(face_detector_bytes);\n\n}  // namespace certphoto\n";
    out.close();
    if (!out) {
        std::perror(argv[1]);
        return 1;
    }
    return 0;
}
