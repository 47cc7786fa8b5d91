"""storyloc import: each construct carried, each one left out named with its line, non-articles refused."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from conftest import REPO, run
from storyloc.errors import SourceError
from storyloc.importer import convert, import_article

DATA = REPO / "tests" / "data" / "import"
BASE = "https://gazette.example/"


def markdown_it() -> MarkdownIt:
    """The parser of the story format: CommonMark, GFM tables, footnotes, front matter, containers."""
    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(footnote_plugin)
    for name in ("figure", "pullquote"):
        md.use(container_plugin, name=name)
    return md


def structure(markdown: str) -> Counter:
    """What a reader sees, counted: headings by level, items, quotes, cells, notes, figures, links."""
    soup = BeautifulSoup(markdown_it().render(markdown), "html5lib")
    count = Counter({tag: len(soup.find_all(tag)) for tag in
                     ("h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "table", "th", "td", "a", "hr")})
    count["footnotes"] = len(soup.select("li.footnote-item"))
    count["figures"] = len(soup.select("div.figure"))
    count["pullquotes"] = len(soup.select("div.pullquote"))
    count["li"] -= count["footnotes"]
    count["a"] -= 2 * count["footnotes"]  # each note's reference and its way back
    count["hr"] -= 1 if count["footnotes"] else 0
    return count


def paragraphs(markdown: str) -> list[str]:
    soup = BeautifulSoup(markdown_it().render(markdown), "html5lib")
    return [p.get_text() for p in soup.find_all("p")]


def md(text: str, **kw):
    return convert(text, "in.md", html=False, base_url=BASE, **kw)


def page(body: str, **kw):
    return convert(f"<html><head><title>T</title></head><body>{body}</body></html>", "in.html", html=True, **kw)


# -- whole files against golden files ----------------------------------------------------


@pytest.mark.parametrize("source, is_html", [("wordpress-export.html", True), ("hugo-post.md", False)])
def test_golden_files(source, is_html):
    """A WordPress export and a Hugo post with every construct, compared whole with what they must become."""
    result = convert((DATA / source).read_bytes(), source, html=is_html, base_url=BASE, source_language="en")
    expected = (DATA / (source.rsplit(".", 1)[0] + ".article.md")).read_text(encoding="utf-8")
    assert result.text == expected


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


def test_reference_links_resolve_to_their_own_targets():
    """A source's own [text][1] + [1]: url cannot collide with storyloc's [text][n] numbering: it is inlined."""
    result = md("---\ntitle: T\n---\n\nThe [council vote][1] and [the report][2].\n\n"
                "[1]: https://example.org/vote\n[2]: https://example.org/report\n")
    assert "[council vote](https://example.org/vote)" in result.text
    assert "[the report](https://example.org/report)" in result.text
    assert "[1]" not in result.text and "[2]" not in result.text


def test_text_is_kept_exactly():
    """No-break and narrow no-break spaces, typographic quotes and entities come through as characters."""
    result = md("---\ntitle: T\n---\n\nA\u00a0b “quoted” it’s 10\u202f000 &#8220;x&#8221; 5&nbsp;km\n")
    assert "A\u00a0b “quoted” it’s 10\u202f000 “x” 5\u00a0km" in result.text


@pytest.mark.parametrize("text", ["1. Not a list", "# Not a heading", "- Not an item", "> Not a quote",
                                  "*Not emphasis*", "[Not a link](x)", "| not | a table |", "<b>not markup</b>"])
def test_text_that_looks_like_markdown_stays_text(text):
    result = page(f"<p>{text.replace('<', '&lt;')}</p>")
    assert paragraphs(result.text) == [text]


def test_nested_lists_and_a_heading_followed_directly_by_text():
    result = md("---\ntitle: T\n---\n## What changed\nFirst line.\n\n- a\n  - a1\n  - a2\n- b\n\n"
                "5. five\n6. six\n")
    s = structure(result.text)
    assert s["h2"] == 1 and s["li"] == 6
    assert "## What changed\n\nFirst line." in result.text
    assert "- a\n  - a1\n  - a2\n- b" in result.text and "5. five\n6. six" in result.text


# -- figures -------------------------------------------------------------------------------


def test_hugo_figure_shortcode():
    result = md('---\ntitle: T\n---\n\nText.\n\n{{< figure src = "/img/a.jpg" alt = "A cat" '
                'caption = "On the *roof*" attr = "Photo: Jo" >}}\n')
    assert "::: figure a\nimage: https://gazette.example/img/a.jpg\nalt: A cat\ncaption: On the *roof*\n" \
           "credit: Jo\n:::" in result.text
    assert result.warnings == []


def test_jekyll_and_eleventy_figures():
    result = md('---\ntitle: T\n---\n\nText.\n\n{% include "linked-figure.html",\n  image: "/a/b.png",\n'
                '  alt: "A chart",\n  caption: "Votes." %}\n\n<figure>\n  {% image "c/d.jpg" "" %}\n'
                '  <figcaption>A hall. Photo courtesy: GSA</figcaption>\n</figure>\n')
    assert "::: figure b\nimage: https://gazette.example/a/b.png\nalt: A chart\ncaption: Votes.\n:::" in result.text
    assert "::: figure d\nimage: https://gazette.example/c/d.jpg\ncaption: A hall.\n" \
           "credit: GSA\n:::" in result.text
    assert result.warnings == ["in.md:12: figure 'd' has no alt text; add an `alt:` line"]


def test_a_credit_only_figure_and_a_markdown_image_with_a_title():
    result = md('---\ntitle: T\n---\n\n![A heron](/h.jpg "Waiting.")\n\n'
                '<figure><img src="x.jpg" alt="X"><figcaption>Photo: Jo Lee</figcaption></figure>\n')
    assert "::: figure h\nimage: https://gazette.example/h.jpg\nalt: A heron\ncaption: Waiting.\n:::" in result.text
    assert "::: figure x\nimage: https://gazette.example/x.jpg\nalt: X\ncredit: Jo Lee\n:::" in result.text


def test_a_gallery_and_figure_ids_stay_unique():
    result = page('<p>Two views.</p><figure><img src="/a/p.jpg" alt="One"><img src="/b/p.jpg" alt="Two"></figure>'
                  '<figure><img src="/c/p.jpg" alt="Three"></figure>', base_url=BASE)
    assert "::: figure p\nimage: https://gazette.example/a/p.jpg\nimage: https://gazette.example/b/p.jpg\n" \
           "alt: One\n:::" in result.text
    assert "::: figure p-2\n" in result.text


def test_a_lead_image_from_front_matter():
    result = md("---\ntitle: T\nimage: /lead.jpg\nimage_figcaption: \"The square. Photo: Jo\"\n---\n\nText.\n")
    assert "lead:\n  image: https://gazette.example/lead.jpg\n  caption: The square.\n  credit: Jo\n" \
           in result.text
    assert result.warnings == ["in.md:3: the lead image has no alt text; add `alt:` under `lead:`"]


def test_site_paths_are_named_without_a_base_url():
    result = convert("---\ntitle: T\n---\n\n[a](/x/) and [b](/y/)\n", "in.md", html=False)
    assert "[a](/x/)" in result.text
    assert result.warnings == ["in.md:5: the link /x/ is a path on the original site; pass --base-url https://… "
                               "to make such paths absolute"]


# -- what cannot be carried is named, with its line ----------------------------------------


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


@pytest.mark.parametrize("source, line, message", [
    ("Text.\n\n{{< tweet 123 >}}\n", 8, "shortcode 'tweet' has no place in a story; left out (its inner text is kept)"),
    ("Text.\n\n<script>x()</script>\n", 8, "a script has no place in a story; left out"),
    ("Text.\n\n<div>\n<p>one</p>\n<script>x()</script>\n</div>\n", 10, "a script has no place in a story; left out"),
    ("Text.\n\n{{< figure alt=\"x\" >}}\n", 8, "shortcode 'figure' names no image; left out"),
])
def test_markdown_constructs_left_out_are_named_with_their_line(source, line, message):
    result = md("---\ntitle: T\ntags: [a]\n---\n\n" + source)
    assert f"in.md:{line}: {message}" in result.warnings
    assert "in.md:3: front matter field 'tags' has no place in a story; left out" in result.warnings


# -- not an article: one line, nothing written ------------------------------------------


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


# -- the command -----------------------------------------------------------------------------


def test_import_writes_atomically_and_never_overwrites_without_force(tmp_path, project_dir):
    source = DATA / "hugo-post.md"
    result = run(project_dir, "import", str(source), "--story", "rivers", "--base-url", BASE)
    assert result.exit_code == 0, result.output
    target = project_dir / "source" / "rivers" / "article.md"
    assert target.read_text(encoding="utf-8") == (DATA / "hugo-post.article.md").read_text(encoding="utf-8")
    assert result.output.splitlines()[-2] == ("source/rivers/article.md: written from markdown "
                                              "('Rivers of the north', 3 figures, 4 warnings)")
    assert result.output.splitlines()[-1] == ("warning: add 'rivers' to `stories` in [tool.storyloc] "
                                              "to extract and build it")
    assert sorted(p.name for p in target.parent.iterdir()) == ["article.md"]  # no temporary file left

    target.write_text("edited by a person\n", encoding="utf-8")
    again = run(project_dir, "import", str(source), "--story", "rivers")
    assert again.exit_code == 1
    assert again.output == "Error: source/rivers/article.md: already exists; pass --force to replace it " \
                           "with the import\n"
    assert target.read_text(encoding="utf-8") == "edited by a person\n"

    forced = run(project_dir, "import", str(source), "--story", "rivers", "--force", "--base-url", BASE)
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8") == (DATA / "hugo-post.article.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("slug", ["Bad_Name", "../escape", "-x"])
def test_a_story_name_must_be_a_story_name(project_dir, slug):
    result = run(project_dir, "import", str(DATA / "hugo-post.md"), "--story", slug)
    assert result.exit_code == 1
    assert result.output == f"Error: not a story name: {slug!r} (lowercase letters, digits and '-')\n"


def test_import_article_library_call(project, tmp_path):
    """The library call the command makes: what it wrote, from what, with what warnings."""
    result = import_article(DATA / "wordpress-export.html", "bridge", project, base_url=BASE)
    assert result.path == project.article("bridge") and result.kind == "html"
    assert result.figures == 2 and result.title == "Council votes to close the bridge"
    assert all(re.match(r"^\S+:\d+: ", w) for w in result.warnings)
    with pytest.raises(SourceError):
        import_article(DATA / "wordpress-export.html", "bridge", project)


def test_liquid_site_addresses_and_other_template_expressions():
    result = md('---\ntitle: T\n---\n\nSee [x]({{ site.baseurl }}/blog/) and [y]({{ "/about/" | relative_url }})'
                ' {{ page.foo }}.\n')
    assert "See [x](https://gazette.example/blog/) and [y](https://gazette.example/about/) ." in result.text
    assert result.warnings == ["in.md:5: template expression {{ page.foo }} has no place in a story; left out"]


def test_an_image_beside_the_text_becomes_a_figure_before_its_paragraph():
    """WordPress's floated photo (alignright) is not the paragraph's caption: it goes before it, as a figure."""
    result = page('<p><a href="/full.jpg"><img class="alignright wp-image-9" src="/nci.jpg" alt="NCI Mobile" '
                  'width="166" height="250"></a>The institute went mobile. <img class="emoji" src="s.png" alt="😀">'
                  '</p>', base_url=BASE)
    assert result.text.endswith("---\n\n::: figure nci\nimage: https://gazette.example/nci.jpg\nalt: NCI Mobile\n"
                                ":::\n\nThe institute went mobile. 😀\n")


def test_an_icon_in_a_sentence_stays_an_inline_image():
    result = page('<p>Press <img src="/icons/share (1).png" alt="the share button" width="16"> to share.</p>'
                  '<h2><img src="/flag.png" alt="Flag"> Results</h2>', base_url=BASE)
    assert "Press ![the share button](https://gazette.example/icons/share%20%281%29.png) to share." in result.text
    assert "## ![Flag](https://gazette.example/flag.png) Results" in result.text
    assert result.warnings == []


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


def test_classic_wordpress_captions_and_lazy_loaded_images():
    result = page('<p>Text.</p><div id="attachment_7" class="wp-caption alignnone"><img data-src="/a.jpg" '
                  'src="data:image/gif;base64,R0lGOD" alt="A pier"><p class="wp-caption-text">The pier at dawn. '
                  'Photo by Jo Lee</p></div>', base_url=BASE)
    assert "::: figure a\nimage: https://gazette.example/a.jpg\nalt: A pier\ncaption: The pier at dawn.\n" \
           "credit: Jo Lee\n:::" in result.text


def test_the_same_file_imports_to_the_same_bytes():
    data = (DATA / "wordpress-export.html").read_bytes()
    first = convert(data, "wp.html", html=True, base_url=BASE)
    assert convert(data, "wp.html", html=True, base_url=BASE) == first


def test_the_readme_example_is_what_the_command_prints(tmp_path, monkeypatch):
    """The console block in README.md's import section, run for real."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^\$ storyloc (import .*)$", readme, re.M)
    printed = readme[command.end() + 1:].split("```", 1)[0]
    root = tmp_path / "newsroom"
    (root / "export").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.storyloc]\nsource_language = "en"\nlanguages = ["es"]\n',
                                         encoding="utf-8")
    args = command.group(1).split()
    (root / args[1]).write_bytes((REPO / "tests" / "data" / "articles" / "18f-foia-tumblr-export.html").read_bytes())
    monkeypatch.chdir(root)
    result = run(root, *args)
    assert result.exit_code == 0
    assert result.output == printed


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


def test_the_parser_builds_the_tree_a_browser_builds():
    """Why html5lib: an unclosed <p> before a <figure> is closed first, as browsers do (libxml2 nests them)."""
    result = page("<p>Intro<figure><img src=a.jpg alt=A><figcaption>Cap</figcaption></figure><p>Next", base_url=BASE)
    assert result.text.endswith("Intro\n\n::: figure a\nimage: https://gazette.example/a.jpg\nalt: A\ncaption: Cap\n"
                                ":::\n\nNext\n")


def test_an_image_inlined_as_data_is_named():
    result = page('<p>a</p>\n<figure><img src="data:image/png;base64,iVBOR" alt="x"></figure>')
    assert result.warnings == ["in.html:2: an image without an address (none, or an inline data: URI) left out"]
    assert "::: figure" not in result.text


def test_markdown_escapes_in_a_shortcode_address_are_undone():
    """WordPress-to-Hugo converters escaped underscores even inside shortcode arguments."""
    result = md('---\ntitle: T\n---\n\nText.\n\n{{< legacy-img src="2013/11/apples\\_and\\_oranges.jpg" alt="Fruit" >}}\n')
    assert "image: https://gazette.example/2013/11/apples_and_oranges.jpg\n" in result.text


def test_a_caption_set_on_the_line_under_an_image_shortcode():
    """18F's Eleventy posts: {% image %} and, on the next line of the same paragraph, the caption in italics."""
    result = md('---\ntitle: T\n---\n\nText.\n\n{% image "a/email.jpg" "An illustration" %}\n*An illustration of '
                'closed-node\ncommunication, from the talk*\n\nMore.\n')
    assert "::: figure email\nimage: https://gazette.example/a/email.jpg\nalt: An illustration\ncaption: An " \
           "illustration of closed-node communication, from the talk\n:::\n\nMore." in result.text


def test_a_wordpress_gallery_is_one_figure_with_its_images():
    result = page('<p>Text.</p><figure class="wp-block-gallery has-nested-images">'
                  '<figure class="wp-block-image"><img src="/g/one.jpg" alt="The square"><figcaption>One'
                  '</figcaption></figure><figure class="wp-block-image"><img src="/g/two.jpg" alt="The market">'
                  '</figure><figcaption class="blocks-gallery-caption">Market day. Photos: Jo Lee</figcaption>'
                  '</figure>', base_url=BASE)
    assert result.text.endswith("::: figure one\nimage: https://gazette.example/g/one.jpg\n"
                                "image: https://gazette.example/g/two.jpg\nalt: The square\ncaption: Market day.\n"
                                "credit: Jo Lee\n:::\n")
    assert result.figures == 1


def test_a_markdown_source_keeps_its_footnote_labels():
    result = md("---\ntitle: T\n---\n\nA[^flood] b[^1] c[^flood].\n\n[^flood]: Gauge.\n[^1]: One.\n")
    assert result.text.endswith("A[^flood] b[^1] c[^flood].\n\n[^flood]: Gauge.\n\n[^1]: One.\n")


@pytest.mark.parametrize("body, expected, warning", [
    ("<p>CO<sub>2</sub> rose</p>", "CO2 rose", "subscript carried as plain text"),
    ("<h2>Two<br>lines</h2><p>Text.</p>", "## Two lines", None),
    ("<table><caption>Votes by ward</caption><tr><th>A</th></tr><tr><td>1</td></tr></table>",
     "| A |\n| --- |\n| 1 |\n\nVotes by ward", "a table or quote caption carried as a paragraph after it"),
    ("<blockquote><p>We had no choice.</p><footer>Mayor Lee</footer></blockquote>",
     "> We had no choice.\n>\n> Mayor Lee", None),
])
def test_smaller_html_constructs(body, expected, warning):
    result = page(body)
    assert expected in result.text
    assert result.warnings == ([f"in.html:1: {warning}"] if warning else [])


def test_code_blocks_are_carried_as_fences():
    """Code is structure the story keeps untranslated: a fence, with its language."""
    result = md("---\ntitle: T\n---\n\nText.\n\n```sh\necho \"a  b\"\n```\n\n    indented\n")
    assert result.text.endswith("Text.\n\n```sh\necho \"a  b\"\n```\n\n```\nindented\n```\n")
    html_result = page('<p>Text.</p><pre><code class="language-python">x = "```"\n</code></pre>')
    assert html_result.text.endswith('Text.\n\n````python\nx = "```"\n````\n')
    assert result.warnings == html_result.warnings == []
