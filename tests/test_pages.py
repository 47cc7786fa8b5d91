"""Story pages the web trusts: canonical, two-way hreflang from the feed, og:, NewsArticle JSON-LD, and axe-core."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import PROJECT, STORY, run

SITE = "https://news.example.org/stories/"


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    text = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    (root / "pyproject.toml").write_text(text.replace('dist_dir = "dist"', f'dist_dir = "dist"\nsite_url = "{SITE}"'),
                                         encoding="utf-8")
    for name in ("source", "locales"):
        shutil.copytree(PROJECT / name, root / name)
    return root


def page(root, lang):
    return (root / "build" / STORY / lang / "index.html").read_text(encoding="utf-8")


def links(html):
    return {m.group(1): m.group(2) for m in re.finditer(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)}


def jsonld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.S).group(1))


def test_a_site_url_gives_absolute_canonical_two_way_alternates_og_and_json_ld(site):
    assert run(site, "build").exit_code == 0
    en, uk = page(site, "en"), page(site, "uk")
    assert f'<link rel="canonical" href="{SITE}{STORY}/uk/">' in uk
    expected = {"en": f"{SITE}{STORY}/en/", "uk": f"{SITE}{STORY}/uk/", "x-default": f"{SITE}{STORY}/en/"}
    assert links(en) == links(uk) == expected                          # both ways, the same set
    assert f'<meta property="og:url" content="{SITE}{STORY}/uk/">' in uk
    assert '<meta property="og:locale" content="uk">' in uk and '<meta property="og:type" content="article">' in uk
    data = jsonld(uk)
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "uk"
    assert data["headline"] == "Життя під обстрілами в Бахмуті"
    assert data["translationOfWork"] == {"@type": "NewsArticle", "inLanguage": "en", "@id": f"{SITE}{STORY}/en/"}
    assert data["publisher"] == {"@type": "Organization", "name": "Gwara Media"}
    assert jsonld(en)["workTranslation"] == [{"@type": "NewsArticle", "inLanguage": "uk", "@id": f"{SITE}{STORY}/uk/"}]
    # a draft names the published languages too, and says noindex
    es = page(site, "es")
    assert links(es) == expected and '<meta name="robots" content="noindex">' in es


def test_a_language_back_in_draft_stays_linked_while_the_feed_serves_its_published_version(site):
    for command in ("build", "publish"):
        assert run(site, command).exit_code == 0
    article = site / "source" / STORY / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Bakhmut, Donetsk Oblast",
                                                                   "Bakhmut in Donetsk Oblast", 1), encoding="utf-8")
    for command in ("extract", "update", "build"):
        assert run(site, command).exit_code == 0
    manifest = json.loads((site / "build" / STORY / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["languages"]["uk"]["state"] == "draft"
    assert links(page(site, "en"))["uk"] == f"{SITE}{STORY}/uk/"      # the feed still serves uk
    assert links(page(site, "uk"))["en"] == f"{SITE}{STORY}/en/"


def test_without_a_site_url_links_stay_relative(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(PROJECT / "pyproject.toml", root)
    for name in ("source", "locales"):
        shutil.copytree(PROJECT / name, root / name)
    assert run(root, "build").exit_code == 0
    uk = page(root, "uk")
    assert links(uk) == {"en": "../en/index.html", "uk": "../uk/index.html", "x-default": "../en/index.html"}
    assert 'rel="canonical"' not in uk and "og:url" not in uk and "@id" not in uk


def test_site_url_is_validated_with_its_line(tmp_path):
    from storyloc.project import Project
    from storyloc.errors import ConfigError
    root = tmp_path / "project"
    root.mkdir()
    text = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    (root / "pyproject.toml").write_text(text.replace('dist_dir = "dist"', 'dist_dir = "dist"\nsite_url = "javascript:x"'),
                                         encoding="utf-8")
    shutil.copytree(PROJECT / "source", root / "source")
    with pytest.raises(ConfigError, match="site_url must be an http"):
        Project.load(root)


def test_the_fallback_label_speaks_the_page_s_language_and_only_the_english_is_lang_en(site):
    assert run(site, "build").exit_code == 0
    es = page(site, "es")
    passage = re.search(r'<p class="fallback"><span class="fallback-label">([^<]+)</span><span lang="en" dir="ltr">',
                        es)
    assert passage and passage.group(1) == "En inglés"
    assert '<span class="fallback-label" lang' not in es and '<p lang="en" dir="ltr" class="fallback">' not in es
    assert "<main>" in es and "</main>" in es


def test_every_story_page_passes_axe_core(site):
    import axe
    sync_api = axe.need_browser()
    for command in ("build", "publish"):
        assert run(site, command).exit_code == 0
    with sync_api.sync_playwright() as playwright:
        browser = axe.launch(playwright)
        try:
            for lang in ("en", "uk", "es", "de", "pl", "fr", "ar"):
                for width in (1280, 390):
                    tab = browser.new_page(viewport={"width": width, "height": 900})
                    tab.goto((site / "build" / STORY / lang / "index.html").as_uri())
                    assert tab.locator("main h1").count() == 1
                    assert axe.serious(tab) == [], (lang, width)
                    tab.close()
        finally:
            browser.close()


def test_every_translation_carries_its_notice_hidden_once_and_the_source_page_none(site):
    from storyloc.feed import NOTICE_HIDDEN, show_notice
    assert run(site, "build").exit_code == 0
    for lang in ("uk", "es", "de", "pl", "fr", "ar"):
        data = page(site, lang).encode("utf-8")
        assert data.count(NOTICE_HIDDEN) == 1 and show_notice(data) is not None, lang
    assert b"data-storyloc-notice" not in page(site, "en").encode("utf-8")


def test_the_draft_banner_of_a_german_story_names_the_original_language_in_each_language_s_plural(project_dir):
    from storyloc.build import build
    from storyloc.extract import extract
    from storyloc.project import Project
    from storyloc.update import update
    from conftest import REPO
    shutil.copytree(REPO / "tests" / "data" / "german", project_dir / "source" / "german")
    pyproject = project_dir / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(f'stories = ["{STORY}"]', f'stories = ["{STORY}", "german"]'))
    project = Project.load(project_dir)
    extract(project)
    update(project)
    build(project, ("german",))

    def banner(lang):
        html = (project.bundle("german", lang) / "index.html").read_text(encoding="utf-8")
        return re.search(r'<aside class="draft-banner" role="note"><strong>[^<]+</strong> ([^<]+)</aside>', html).group(1)

    en = banner("en")
    assert re.fullmatch(r"(\d+) of \1 passages have not been reviewed yet and are shown in the original "
                        r"language \(German\)\.", en), en
    assert "English" not in en
    count = int(en.split()[0])
    expected = {
        "uk": f"Ще не перевірено {count} фрагментів із {count} — їх показано мовою оригіналу (німецька).",
        "es": f"{count} de {count} pasajes aún no se han revisado y se muestran en el idioma original (alemán).",
        "pl": f"{count} z {count} fragmentów nie zostało jeszcze sprawdzonych i jest wyświetlanych w języku "
              f"oryginału (niemiecki).",
        "fr": f"{count} passages sur {count} n’ont pas encore été relus et s’affichent dans la langue d’origine "
              f"(allemand).",
    }
    for lang, text in expected.items():
        assert banner(lang) == text, lang
    assert "(الألمانية)" in banner("ar") and "الإنجليزية" not in banner("ar")
