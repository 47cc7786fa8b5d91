"""Front matter of posts and exports: the story's fields, its lead image, its language."""
from __future__ import annotations

import pytest

from conftest import run
from importtext import md
from storyloc.importer import import_article


def test_a_lead_image_from_front_matter():
    result = md("---\ntitle: T\nimage: /lead.jpg\nimage_figcaption: \"The square. Photo: Jo\"\n---\n\nText.\n")
    assert "lead:\n  image: https://gazette.example/lead.jpg\n  caption: The square.\n  credit: Jo\n" \
           in result.text
    assert result.warnings == ["in.md:3: the lead image has no alt text; add `alt:` under `lead:`"]


def test_a_german_origin_article_keeps_its_language(tmp_path):
    """<html lang="de-DE"> (or Hugo's index.de.md, or front matter lang) makes a German-origin story; English is a target."""
    root = tmp_path / "newsroom"
    root.mkdir()
    (root / "pyproject.toml").write_text('[tool.storyloc]\nsource_language = "en"\nlanguages = ["de", "es"]\n',
                                         encoding="utf-8")
    page_path = tmp_path / "brücke.html"
    page_path.write_text('<!doctype html><html lang="de-DE"><head><title>Die Brücke wird geschlossen</title></head>'
                         '<body><article><h1>Die Brücke wird geschlossen</h1><p>Der Rat stimmte mit 5 zu 4 '
                         'Stimmen.</p><ul><li>Der Verkehr wird umgeleitet.</li></ul></article></body></html>',
                         encoding="utf-8")
    result = run(root, "import", str(page_path), "--story", "bruecke")
    assert result.exit_code == 0, result.output
    article = (root / "source" / "bruecke" / "article.md").read_text(encoding="utf-8")
    assert article.startswith("---\ntitle: Die Brücke wird geschlossen\nlang: de\n---\n")
    for command in ("extract", "update", "build"):
        result = run(root, command)
        assert result.exit_code == 0, result.output
    assert (root / "build" / "bruecke" / "en" / "index.html").exists()
    assert 'lang="de"' in (root / "build" / "bruecke" / "de" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, front, expected", [
    ("post.de.md", "", "lang: de\n"),
    ("post.md", "lang: de-AT\n", "lang: de\n"),
    ("post.md", "language: en\n", ""),  # the project's own language goes without saying
])
def test_the_story_language_from_file_name_or_front_matter(tmp_path, project, name, front, expected):
    path = tmp_path / name
    path.write_text(f"---\ntitle: T\n{front}---\n\nText.\n", encoding="utf-8")
    import_article(path, "lang-test", project)
    assert project.article("lang-test").read_text(encoding="utf-8") == f"---\ntitle: T\n{expected}---\n\nText.\n"
