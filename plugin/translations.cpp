#include "translations.hpp"

#include <cstdlib>
#include <filesystem>

#include <libgimp/gimp.h>

#include "certphoto_config.hpp"

namespace certphoto::plugin {

std::string locale_dir() {
    const char* override_dir = std::getenv("CERTPHOTO_LOCALEDIR");
    return override_dir && *override_dir ? override_dir : CERTPHOTO_LOCALEDIR;
}

void init_translations() {
    bindtextdomain(GETTEXT_PACKAGE, locale_dir().c_str());
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
}

std::string icon_path() {
    std::filesystem::path icon = std::filesystem::path(gimp_get_progname()).parent_path() / "certphoto.png";
    std::error_code ec;
    return std::filesystem::exists(icon, ec) ? icon.string() : std::string();
}

}  // namespace certphoto::plugin
