// The plug-in's texts in both languages: every text marked in the sources has its Chinese translation, and the
// compiled catalog gives it.
#include <cstdio>

#include "test_support.hpp"

namespace certphoto::test {
namespace {

struct Output {
    std::string text;
    int status;
};

Output run(const std::string& command) {
    Output out{"", -1};
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return out;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) out.text += buffer;
    out.status = pclose(pipe);
    return out;
}

const std::string po_dir = CERTPHOTO_PO_DIR;

TEST(Translations, EveryPluginTextHasItsChineseTranslation) {
    TempDir dir;
    std::string pot = dir.file("certphoto.pot");
    Output extract = run("cd '" + po_dir + "/..' && xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ -o '" + pot +
                         "' --files-from=po/POTFILES");
    ASSERT_EQ(extract.status, 0) << extract.text;
    Output compare = run("msgcmp '" + po_dir + "/zh_CN.po' '" + pot + "'");
    EXPECT_EQ(compare.status, 0) << "texts without a Chinese translation:\n" << compare.text;
    Output statistics = run("msgfmt --check --statistics -o /dev/null '" + po_dir + "/zh_CN.po'");
    EXPECT_EQ(statistics.status, 0) << statistics.text;
    EXPECT_EQ(statistics.text.find("untranslated"), std::string::npos) << statistics.text;
    EXPECT_EQ(statistics.text.find("fuzzy"), std::string::npos) << statistics.text;
}

TEST(Translations, TheBuiltCatalogSpeaksChinese) {
    Output catalog = run("msgunfmt '" + std::string(CERTPHOTO_BUILD_LOCALEDIR) + "/zh_CN/LC_MESSAGES/certphoto.mo'");
    ASSERT_EQ(catalog.status, 0) << catalog.text;
    EXPECT_NE(catalog.text.find("msgid \"Certificate Photo\"\nmsgstr \"证件照\""), std::string::npos) << catalog.text;
    EXPECT_NE(catalog.text.find("msgstr \"检测(_C)…\""), std::string::npos) << catalog.text;
}

}  // namespace
}  // namespace certphoto::test
