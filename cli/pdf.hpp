#pragma once
// The printable sheet: the HTML page printed to PDF by a local headless Chromium. The page and the
// browser profile live in a private temporary folder, removed afterwards; the browser gets no network.
#include <string>

#include "image.hpp"

namespace certphoto::cli {

// Throws Error when no Chromium is found ($CERTPHOTO_CHROMIUM, then chromium on PATH) or printing fails.
Bytes print_html_to_pdf(const std::string& html);

}  // namespace certphoto::cli
