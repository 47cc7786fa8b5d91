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
