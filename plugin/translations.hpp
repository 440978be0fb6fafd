#pragma once
// The plug-in's own texts (menus, dialogs) go through gettext: English in the code, Chinese in po/zh_CN.po,
// shown in the user's language. The reports' texts come from core, bilingual already, and are shown in both.
#include <string>

#include <glib/gi18n-lib.h>

namespace certphoto::plugin {

// The compiled catalogs: $CERTPHOTO_LOCALEDIR (tests, relocated installs), else the installed locale folder.
std::string locale_dir();
void init_translations();

// The plug-in's icon, beside its executable (installed there by meson); empty when it is missing.
std::string icon_path();

}  // namespace certphoto::plugin
