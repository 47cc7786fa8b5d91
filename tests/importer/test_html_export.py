"""Reading a CMS's HTML export: what is carried, what is named, what is refused."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from conftest import run
from importtext import DATA, BASE, structure, page
from storyloc.importer import convert


def test_wordpress_export_structure_and_warnings():
    result = convert((DATA / "wordpress-export.html").read_bytes(), "wp.html", html=True, base_url=BASE)
    s = structure(result.text)
    assert (s["h2"], s["h3"], s["h4"], s["h5"], s["h6"]) == (1, 1, 1, 1, 1)
    assert s["h1"] == 0  # the page's <h1> is the title
    assert (s["li"], s["blockquote"], s["table"], s["th"], s["td"]) == (5, 1, 1, 2, 4)
    assert (s["footnotes"], s["figures"], s["pullquotes"], s["hr"]) == (1, 2, 1, 1)
    assert "3. Third\n4. Fourth" in result.text  # an ordered list keeps its start
    assert "| --- | ---: |" in result.text  # and a column its alignment
    assert result.warnings == ["wp.html:22: a table or quote caption carried as a paragraph after it"]
    assert result.title == "Council votes to close the bridge" and result.figures == 2
    front = result.text.split("---\n")[1]
    assert "dek: The 5–4 vote ends a year of debate." in front and "byline: Ana Ruiz" in front
    assert "date: '2024-05-01'" in front
    assert "Home" not in result.text and "©" not in result.text  # page furniture outside <article>


@pytest.mark.parametrize("body, line, message", [
    ("<p>a</p>\n<script>x()</script>", 2, "a script has no place in a story; left out"),
    ("<p>a</p>\n\n<style>p{}</style>", 3, "a <style> block has no place in a story; left out"),
    ("<p>a</p>\n<form><input></form>", 2, "a form has no place in a story; left out"),
    ("<p>a</p>\n<video src=v.mp4></video>", 2, "a video has no place in a story; left out"),
    ("<p>a</p>\n<p><img src=i.jpg alt=A class=alignright>Text beside.</p>", 2,
     "an image inside running text moved before its paragraph, as a figure"),
    ("<table><tr><th>a</th><th>b</th></tr><tr><td colspan=2>x</td></tr></table>", 1,
     "a cell spanning columns (colspan) carried as one cell and empty ones"),
    ("<table><tr><th>a</th><th>b</th></tr><tr><td rowspan=2>x</td><td>y</td></tr></table>", 1,
     "a cell spanning rows (rowspan) carried in its first row only"),
    ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>", 1,
     "a table without a header row: its first row becomes the header"),
    ("<table><tr><th>a</th><th>b</th></tr><tr><td>c</td></tr></table>", 1,
     "a table with rows of different lengths: short rows padded with empty cells"),
    ("<p>a</p>\n<p>&nbsp;</p>", 2, "a paragraph holding only a no-break space (a spacer) left out"),
    ("<p>See <a href='#part-2'>part 2</a></p>", 1, "a link to #part-2 on the same page kept as plain text"),
    ("<p>a <u>b</u></p>", 1, "underlining carried as plain text"),
    ("<p>a <del>b</del></p>", 1, "struck-through text carried as plain text"),
    ("<p>a</p>\n<figure><img src=x.jpg></figure>", 2, "figure 'x' has no alt text; add an `alt:` line"),
    ("<p>a</p>\n<figure><p>no image</p></figure>", 2, "a <figure> without an image left out"),
    ("<p>a</p>\n<dl><dt>t</dt><dd>d</dd></dl>", 2, "a definition list carried as paragraphs"),
])
def test_html_constructs_left_out_are_named_with_their_line(body, line, message):
    result = convert(body, "x.html", html=True, base_url=BASE, date_hint=None) if "<title>" in body else \
        convert(f"---\ntitle: T\n---\n{body}\n", "x.html", html=True, base_url=BASE)
    assert f"x.html:{line + 3}: {message}" in result.warnings


@pytest.mark.parametrize("name, data, line, message", [
    ("a.html", b"", 1, "the file is empty: not an article"),
    ("a.md", b"  \n\n", 1, "the file is empty: not an article"),
    ("a.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, "a binary file, not an article"),
    ("a.md", b"caf\xe9 au lait\n", 1, "not UTF-8 text: not an article this importer can read"),
    ("a.html", b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>', 1,
     "an RSS feed, not an article"),
    ("a.html", b"<!doctype html><html><head><title>Sign in</title></head><body><form><input name=u>"
               b"<button>Go</button></form></body></html>", 1,
     "no article text (no paragraph, list, table or captioned figure): not an article"),
    ("a.html", b"<!doctype html><html><body><p>Words but no title.</p></body></html>", 1,
     "no title (front matter `title`, an <h1> or a <title>): not an article"),
    ("a.md", b"---\ntitle: T\n", 1, "front matter opened with --- is never closed"),
    ("a.md", b"---\ntitle: [unclosed\n---\nText\n", 3, "front matter is not valid YAML: "),
    ("a.md", b"---\n- a list\n---\nText\n", 2, "front matter is not a mapping of fields"),
])
def test_a_file_that_is_not_an_article_is_a_one_line_error(tmp_path, project_dir, name, data, line, message):
    path = tmp_path / name
    path.write_bytes(data)
    result = run(project_dir, "import", str(path), "--story", "new-story")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}:{line}: {message}"), result.output
    assert not (project_dir / "source" / "new-story").exists()


def test_the_parser_choice_an_html_page_that_is_not_an_article(tmp_path, project_dir):
    """A real page shape (navigation, a search form, a footer) with no article in it: refused in one line."""
    path = tmp_path / "index.html"
    path.write_text("<!DOCTYPE html>\n<html><head><title>The Gazette</title></head>\n<body>\n"
                    "<nav><ul><li><a href=/news>News</a></li></ul></nav>\n"
                    "<form action=/search><input name=q><button>Search</button></form>\n"
                    "<footer>© The Gazette</footer>\n</body></html>\n", encoding="utf-8")
    result = run(project_dir, "import", str(path), "--story", "front")
    assert result.exit_code == 1
    assert result.output == (f"Error: {path}:1: no article text (no paragraph, list, table or captioned figure): "
                             f"not an article\n")


def test_the_parser_builds_the_tree_a_browser_builds():
    """Why html5lib: an unclosed <p> before a <figure> is closed first, as browsers do (libxml2 nests them)."""
    result = page("<p>Intro<figure><img src=a.jpg alt=A><figcaption>Cap</figcaption></figure><p>Next", base_url=BASE)
    assert result.text.endswith("Intro\n\n::: figure a\nimage: https://gazette.example/a.jpg\nalt: A\ncaption: Cap\n"
                                ":::\n\nNext\n")


def test_a_wordpress_export_is_built_with_its_embed_notes_and_pull_quote(tmp_path):
    """The CMS export through the whole flow: the page has the embed its host list allows, notes, a pull quote."""
    root = tmp_path / "newsroom"
    root.mkdir()
    (root / "pyproject.toml").write_text('[tool.storyloc]\nsource_language = "en"\nlanguages = ["es"]\n'
                                         'embed_hosts = ["www.youtube.com"]\n', encoding="utf-8")
    result = run(root, "import", str(DATA / "wordpress-export.html"), "--story", "bridge", "--base-url", BASE)
    assert result.exit_code == 0, result.output
    for command in ("extract", "update", "build"):
        result = run(root, command)
        assert result.exit_code == 0, result.output
    page_html = BeautifulSoup((root / "build" / "bridge" / "en" / "index.html").read_text(encoding="utf-8"),
                              "html5lib")
    article = page_html.find("article")
    assert article.find("iframe")["src"] == "https://www.youtube.com/embed/abc123"
    assert article.select_one("aside.pullquote").get_text(" ", strip=True).startswith("We had no choice.")
    assert len(article.select("section.footnotes li")) == 1
    assert [f.find("img")["alt"] if f.find("img") else f.find(class_="missing-image") is not None
            for f in article.find_all("figure")] in (["The old bridge at dusk", "Mayor Lee"], [True, True])
    assert "City Archive" in article.find_all("figure")[0].get_text()
    assert [h.name for h in article.find_all(re.compile("^h[2-6]$"))] == ["h2", "h3", "h4", "h5", "h6"]
