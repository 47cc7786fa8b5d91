"""``[tool.storyloc]``: locale codes (BCP 47 and CLDR forms in, gettext's form out, anything hostile
refused) and the settings added with the document model, each mistake naming its line."""
import pytest

from storyloc.project import LOCALE_CODE, Project, check_locale, normalize_locale
from storyloc.errors import ConfigError


@pytest.mark.parametrize("code, gettext_form", [
    ("uk", "uk"), ("en-US", "en_US"), ("en_US", "en_US"), ("EN-us", "en_US"), ("pt-BR", "pt_BR"),
    ("zh_Hant_TW", "zh_Hant_TW"), ("zh-hant-tw", "zh_Hant_TW"), ("sr-Latn", "sr_Latn"),
    ("sr@latin", "sr@latin"), ("sr_RS@latin", "sr_RS@latin"), ("es-419", "es_419"),
])
def test_bcp47_and_cldr_codes_are_accepted_in_gettexts_form(code, gettext_form):
    assert normalize_locale(code) == gettext_form
    check_locale(normalize_locale(code))


@pytest.mark.parametrize("code", ["uk\n", "uk\r", " uk", "../etc", "uk/../x", "en_US/..", "..", "", "u",
                                  "de-CH-1996", "zh_TW_Hant", "uk@", "uk@../x", "xx-YY", "en_US\x00", 42, None])
def test_hostile_or_unknown_codes_are_refused(code):
    with pytest.raises(ConfigError):
        check_locale(normalize_locale(code))


def test_the_pattern_matches_whole_strings_only():
    assert LOCALE_CODE.fullmatch("uk") and not LOCALE_CODE.fullmatch("uk\n")


def test_a_project_lists_languages_in_gettexts_form(tmp_path):
    (tmp_path / "source" / "s").mkdir(parents=True)
    (tmp_path / "source" / "s" / "article.md").write_text("---\ntitle: T\n---\n\nText.\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.storyloc]\nsource_language = "en-GB"\nlanguages = ["uk", "pt-BR", "zh-Hant-TW", "sr@latin"]\n',
        encoding="utf-8")
    project = Project.load(tmp_path)
    assert project.source_language == "en_GB"
    assert project.languages == ("uk", "pt_BR", "zh_Hant_TW", "sr@latin")
    assert project.select_languages(["pt-BR"]) == ("pt_BR",)
    assert project.catalog("s", "pt_BR").parent.parent.name == "pt_BR"


def test_a_hostile_language_names_its_line(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.storyloc]\nlanguages = ["uk", "../../etc"]\n',
                                             encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        Project.load(tmp_path)
    assert str(error.value).endswith("pyproject.toml:2: not a locale code: '../../etc' "
                                     "(expected e.g. 'uk', 'pt_BR', 'zh_Hant_TW', 'sr@latin')")


@pytest.mark.parametrize("code, tag", [("uk", "uk"), ("pt_BR", "pt-BR"), ("zh_Hant_TW", "zh-Hant-TW"),
                                       ("sr@latin", "sr-Latn"), ("sr_RS@latin", "sr-Latn-RS")])
def test_html_lang_is_bcp47(code, tag):
    from storyloc.languages import html_lang
    assert html_lang(code) == tag


def test_a_story_name_with_a_trailing_newline_is_refused(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.storyloc]\nlanguages = ["uk"]\nstories = ["s\\n"]\n',
                                             encoding="utf-8")
    with pytest.raises(ConfigError, match="not a story name"):
        Project.load(tmp_path)


def _project(tmp_path, extra: str) -> Project:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.storyloc]\nsource_language = "en"\nlanguages = ["uk"]\n' + extra, encoding="utf-8")
    return Project.load(tmp_path)


def test_embed_hosts_are_host_names(tmp_path):
    assert _project(tmp_path, 'embed_hosts = ["www.youtube.com", "datawrapper.dwcdn.net"]\n').embed_hosts == (
        "www.youtube.com", "datawrapper.dwcdn.net")
    assert _project(tmp_path, "").embed_hosts == ()


@pytest.mark.parametrize("value, message", [
    ('"youtube.com"', "embed_hosts must be a list"),
    ('["https://youtube.com/"]', "not a host name: 'https://youtube.com/'"),
    ('["youtube"]', "not a host name: 'youtube'"),
    ("[3]", "not a host name: 3"),
])
def test_a_bad_embed_host_names_its_line(tmp_path, value, message):
    with pytest.raises(ConfigError) as caught:
        _project(tmp_path, f"\nembed_hosts = {value}\n")
    assert caught.value.line == 5 and message in caught.value.message
