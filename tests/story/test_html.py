"""Raw HTML in a story's source."""


import pytest
from bs4 import BeautifulSoup

from storytext import parse, segs


def test_an_html_block_keeps_its_text_with_a_warning_and_allowed_embeds_are_carried(tmp_path):
    body = ('<div class="ad">Buy <b>now</b></div>\n\n'
            '<iframe src="https://www.youtube.com/embed/x1" title="Video"></iframe>\n\n'
            '<iframe src="https://evil.example/x"></iframe>\n\nText with <span>inline</span> tags.\n')
    story = parse(tmp_path, body, embed_hosts=("youtube.com",))
    assert [b.kind for b in story.blocks] == ["paragraph", "embed", "paragraph"]
    assert (story.blocks[1].text, story.blocks[1].info) == ("https://www.youtube.com/embed/x1", "Video")
    assert segs(story) == [("paragraph", "Buy **now**"), ("paragraph", "Text with inline tags.")]
    assert story.warnings == [
        "article.md:5: raw HTML '<div class=\"ad\">Buy <b>now</b></div>' is read as Markdown, its text kept "
        "and its tags left out; write Markdown",
        "article.md:9: embed from 'evil.example' is left out: its host is not in [tool.storyloc] embed_hosts",
        "article.md:11: raw HTML '<span>' is left out; write Markdown",
        "article.md:11: raw HTML '</span>' is left out; write Markdown"]


def test_an_embed_with_text_around_it_in_one_block_names_the_text_it_leaves_out(tmp_path):
    body = ('<div><p>Watch the briefing.</p>\n<iframe src="https://www.youtube.com/embed/x1">Fallback</iframe>\n'
            '<p>It ran long.</p></div>\n')
    story = parse(tmp_path, body, embed_hosts=("youtube.com",))
    assert [b.kind for b in story.blocks] == ["embed"]
    assert story.warnings == ["article.md:5: raw HTML '<div><p>Watch the briefing.</p>' holds an embed and 6 word(s) "
                              "of text, which are left out: put the embed in an HTML block of its own"]


HTML_BLOCKS = """<div class="note">
<p>First <b>bold</b> para.</p>
<p>Second para.</p>
</div>

<table><tr><td>Cell one</td><td>Cell two</td></tr></table>

<script>track()</script>

- An item

  <p>Its <i>second</i> paragraph, with <a href="/about">a link</a>.</p>

Last.
"""


def test_html_blocks_are_read_as_the_markdown_they_stand_for(tmp_path):
    """The text of a raw HTML block (a <div> of paragraphs, a <table>, HTML inside a list item) is a
    message like the story's own Markdown, at the HTML block's lines; a block with no text is named."""
    story = parse(tmp_path, HTML_BLOCKS)
    assert [(s.kind, s.text, s.line) for s in story.segments()][1:] == [
        ("paragraph", "First **bold** para.", 5), ("paragraph", "Second para.", 7),
        ("cell", "Cell one", 10), ("cell", "Cell two", 10),
        ("item", "An item", 14), ("item", "Its *second* paragraph, with [a link][1].", 16),
        ("paragraph", "Last.", 18)]
    assert [b.kind for b in story.blocks] == ["paragraph", "paragraph", "table", "list", "paragraph"]
    assert story.blocks[3].children[0].children[1].segment.links == ("/about",)
    assert story.warnings == [
        "article.md:5: raw HTML '<div class=\"note\">' is read as Markdown, its text kept and its tags "
        "left out; write Markdown",
        "article.md:10: raw HTML '<table><tr><td>Cell one</td><td>Cell two' is read as Markdown, its text "
        "kept and its tags left out; write Markdown",
        "article.md:10: a table without a header row: its first row becomes the header",
        "article.md:12: raw HTML '<script>track()</script>' is left out: it has no text; write Markdown",
        "article.md:16: raw HTML '<p>Its <i>second</i> paragraph, with <a ' is read as Markdown, its "
        "text kept and its tags left out; write Markdown"]


def test_an_html_blocks_lines_stay_within_it_and_its_figure_takes_a_new_id(tmp_path):
    """The Markdown an HTML block becomes may be longer than the HTML: no message is placed after the
    block; a <figure> in it becomes a figure whose id is not one the story's own figures have."""
    body = ('<dl><dt>Term</dt><dd>Definition</dd></dl>\n\n'
            '<figure><img src="images/a.jpg" alt="A"><figcaption>Cap</figcaption></figure>\n\n'
            '::: figure a\nimage: images/b.jpg\nalt: B\n:::\n')
    story = parse(tmp_path, body)
    assert [(s.kind, s.text, s.line) for s in story.segments()][1:] == [
        ("paragraph", "**Term**", 5), ("paragraph", "Definition", 5),
        ("alt", "A", 7), ("caption", "Cap", 7), ("alt", "B", 11)]
    assert [f.id for f in story.figures] == ["a-2", "a"]


def test_the_text_of_an_html_block_reaches_the_pot_and_the_page(tmp_path):
    from storyloc.build import build
    from storyloc.extract import extract
    from storyloc.project import Project
    from storyloc.update import update

    root = tmp_path / "newsroom"
    (root / "source" / "s").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.storyloc]\nsource_language = "en"\nlanguages = ["es"]\n',
                                         encoding="utf-8")
    (root / "source" / "s" / "article.md").write_text("---\ntitle: T\n---\n\n" + HTML_BLOCKS, encoding="utf-8")
    project = Project.load(root)
    extract(project)
    pot = project.template("s").read_text(encoding="utf-8")
    assert 'msgid "First **bold** para."' in pot and 'msgid "Cell two"' in pot
    update(project)
    build(project, ("s",))
    page = BeautifulSoup((project.bundle("s", "en") / "index.html").read_text(encoding="utf-8"), "html5lib")
    body = page.find("article")
    assert {"First bold para.", "Second para.", "Last."} <= {p.get_text() for p in body.find_all("p")}
    assert [th.get_text() for th in body.find_all("th")] == ["Cell one", "Cell two"]
    assert page.find("script", string="track()") is None


INLINE_HTML = """---
title: Inline tags
---

A <em>quiet</em> day, a <strong>loud</strong> night: <i>Kyiv Post</i> and <b>Reuters</b> say so.

Read <a href="https://example.org/report" title="The full report">the report</a>, run <code>make &amp; test</code>,<br>
then rest. <sup>1</sup> <span class="x">Marked</span> text, a <a href="javascript:alert(1)">bad link</a>.
"""


def test_inline_html_the_story_format_can_carry_reaches_the_catalog_and_the_page_as_markdown(tmp_path):
    """<em>/<i>, <strong>/<b>, <a href>, <code> and <br> in article.md are Markdown's own markup in the
    .pot and on the page; other tags are named and left out; a translation's tags stay text."""
    from storyloc.build import build
    from storyloc.extract import extract
    from storyloc.po import read_po, save_po
    from storyloc.project import Project
    from storyloc.update import update
    from conftest import msgfmt_check

    root = tmp_path / "newsroom"
    (root / "source" / "inline").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.storyloc]\nsource_language = "en"\nlanguages = ["es"]\n',
                                         encoding="utf-8")
    (root / "source" / "inline" / "article.md").write_text(INLINE_HTML, encoding="utf-8")
    project = Project.load(root)
    [result] = extract(project)
    assert [w.split(": ", 1)[1] for w in result.warnings] == [
        "raw HTML '<sup>' is left out; write Markdown", "raw HTML '</sup>' is left out; write Markdown",
        "raw HTML '<span class=\"x\">' is left out; write Markdown",
        "raw HTML '</span>' is left out; write Markdown",
        "raw HTML '<a href=\"javascript:alert(1)\">' is left out; write Markdown"]
    pot = read_po(project.template("inline"))
    first, second = (m for m in pot.messages if m.msgctxt is None and m.msgid)
    assert first.msgid == "A *quiet* day, a **loud** night: *Kyiv Post* and **Reuters** say so."
    assert second.msgid == "Read [the report][1], run `make & test`,\\\nthen rest. 1 Marked text, a bad link."
    assert any("Link [1] goes to https://example.org/report" in c for c in second.extracted_comments)
    assert pot.find("The full report", "link-title") is not None

    update(project)
    catalog = read_po(project.catalog("inline", "es"))
    catalog.find(first.msgid, None).msgstr = ["Un día <em>tranquilo</em>, una noche **ruidosa**: <script>x()</script>."]
    save_po(catalog, project.catalog("inline", "es"))
    assert msgfmt_check(project.catalog("inline", "es")).returncode == 0
    build(project, ("inline",))
    page = BeautifulSoup((project.bundle("inline", "en") / "index.html").read_text(encoding="utf-8"), "html5lib")
    body = page.find("article")
    assert [e.get_text() for e in body.find_all("em")] == ["quiet", "Kyiv Post"]
    assert [e.get_text() for e in body.find_all("strong")] == ["loud", "Reuters"]
    link = body.find("a", string="the report")
    assert link["href"] == "https://example.org/report" and link["title"] == "The full report"
    assert body.find("code").get_text() == "make & test" and body.find("br") is not None
    assert not body.find_all(["sup", "span"], class_="x") and "javascript" not in str(body)
    es = (project.bundle("inline", "es") / "index.html").read_text(encoding="utf-8")
    es_body = BeautifulSoup(es, "html5lib").find("article")
    assert "<em>tranquilo</em>" in es_body.get_text() and es_body.find("script") is None
    assert [e.get_text() for e in es_body.find_all("strong")][:1] == ["ruidosa"]


@pytest.mark.parametrize("body, text, warnings", [
    ("Edge <em>word </em>next and <strong> lead</strong>.", "Edge *word* next and **lead**.", []),
    ("Nested <a href=\"https://a.example\">out <a href=\"https://b.example\">in</a></a>.", "Nested [out in][1].",
     ["raw HTML '<a href=\"https://b.example\">' is left out; write Markdown"]),
    ("Unclosed <em>emphasis and </strong> stray.", "Unclosed emphasis and stray.",
     ["raw HTML '</strong>' is left out; write Markdown", "raw HTML '<em>' is left out; write Markdown"]),
    ("Tight word<em>\"quoted\"</em>word.", "Tight word\"quoted\"word.",
     ["inline HTML here cannot be written as Markdown (its tags cross Markdown's own or touch a word); "
      "its tags are left out"]),
    ("Code <code>a <em>b</em></code> end.", "Code a *b* end.", ["raw HTML '<code>' is left out; write Markdown"]),
    ("An icon <img src=\"images/i.png\" alt=\"warning sign\"> here.", "An icon ![warning sign][1] here.", []),
    ("A <!-- note --> comment.", "A comment.", []),
])
def test_inline_html_is_carried_only_where_markdown_can_say_the_same(tmp_path, body, text, warnings):
    story = parse(tmp_path, body + "\n")
    assert story.blocks[0].segment.text == text
    assert [w.split(": ", 1)[1] for w in story.warnings] == warnings
