"""A WordPress export (WXR), read on WordPress's own theme test data (tests/data/articles/SOURCES.md)."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from bs4 import BeautifulSoup

from conftest import REPO, run
from importtext import paragraphs, readme_example, structure
from storyloc.errors import SourceError
from storyloc.importer import convert
from storyloc.importer.wordpress import autop

WXR = REPO / "tests" / "data" / "articles" / "wordpress-theme-test-data.xml"
SITE = "https://wpthemetestdata.wordpress.com/"


def content_structure(slug: str) -> Counter:
    """The tags of the post's own content, as WordPress saved it."""
    item = re.search(rf"<item>(?:(?!</item>).)*<wp:post_name>(?:<!\[CDATA\[)?{slug}\b.*?</item>",
                     WXR.read_text(encoding="utf-8"), re.S).group(0)
    content = re.search(r"<content:encoded><!\[CDATA\[(.*?)\]\]></content:encoded>", item, re.S).group(1)
    soup = BeautifulSoup(content, "html5lib")
    return Counter({tag: len(soup.find_all(tag)) for tag in
                    ("h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "th", "td", "li")})


def post(slug: str):
    return convert(WXR.read_bytes(), "wp.xml", post=slug, base_url=SITE, source_language="en")


def test_classic_content_gets_its_paragraphs_and_keeps_its_structure():
    """Classic content has no <p>: its blank lines are the paragraphs, as WordPress shows them."""
    result = post("markup-html-tags-and-formatting")
    assert result.kind == "wordpress" and result.title == "Markup: HTML Tags and Formatting"
    front = result.text.split("---\n")[1]
    assert "byline: Theme Buster\ndate: '2013-01-11'\n" in front   # the author's display name, not the login
    count, original = structure(result.text), content_structure("markup-html-tags-and-formatting")
    for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "li"):
        assert count[tag] == original[tag], tag
    assert count["th"] + count["td"] == original["th"] + original["td"]   # a row's header cell is a cell
    assert (count["h2"], count["blockquote"], count["td"]) == (8, 2, 12)
    texts = paragraphs(result.text)
    assert "Single line blockquote:" in texts and not [p for p in texts if p.strip() in ("", "\\")]
    assert not [p for p in texts if re.match(r"\s*(#{1,6}(\s|$)|[-+*](\s|$)|>|\|)", p)]
    assert "wp.xml:509: struck-through text carried as plain text" in result.warnings
    assert "wp.xml:393: header cells inside the table's body (row headers) carried as plain cells" in result.warnings
    assert result.warnings[-2:] == ["wp.xml:612: WordPress export field 'categories' has no place in a story; "
                                    "left out",
                                    "wp.xml:613: WordPress export field 'tags' has no place in a story; left out"]


def test_nested_lists_of_classic_content():
    text = post("edge-case-nested-and-mixed-lists").text
    assert "1. ordered item\n2. ordered item\n   - **unordered**\n   - **unordered**\n     1. ordered item\n" in text
    assert "\\" not in text                          # no line break where WordPress shows none


def test_the_featured_image_is_the_lead_and_a_caption_shortcode_a_figure():
    result = post("post-format-image-caption")
    assert "lead:\n  image: https://wpthemetestdata.files.wordpress.com/2010/08/triforce-wallpaper.jpg\n" \
           "  caption: It’s dangerous to go alone! Take this.\n" in result.text
    assert "::: figure 100-5478\nimage: https://wpthemetestdata.files.wordpress.com/2008/06/100_5478.jpg?w=604\n" \
           "alt: Bell on Wharf\ncaption: Bell on wharf in San Francisco\n:::" in result.text
    assert result.warnings[0] == "wp.xml:153: the lead image has no alt text; add `alt:` under `lead:`"


def test_block_editor_content_quotes_and_pull_quotes():
    """Block markup has its <p> already; a quote's <cite> is its last paragraph, with no stray break."""
    text = post("block-quotes").text
    assert "> Gutenberg is more than an editor.\n>\n> The Gutenberg Team\n" in text
    assert "> *Johannes Gutenberg*\n" in text and "\\\n" not in text
    assert text.count("::: pullquote\n") == 2 and "Theme Reviewer\n\nTheme Reviewer" not in text


def test_media_the_export_does_not_hold_is_named():
    result = post("post-format-gallery")
    assert len([w for w in result.warnings if "WordPress shortcode [gallery]" in w]) == 10
    assert "[gallery" not in result.text and "## Nine Columns" in result.text


def test_the_story_name_chooses_the_post_and_a_wrong_one_lists_them(tmp_path):
    root = tmp_path / "newsroom"
    root.mkdir()
    (root / "pyproject.toml").write_text('[tool.storyloc]\nsource_language = "en"\nlanguages = ["es"]\n',
                                         encoding="utf-8")
    result = run(root, "import", str(WXR), "--story", "council-vote")
    assert result.exit_code == 1 and not (root / "source").exists()
    assert result.output.startswith("Error: ") and ":1: this WordPress export" in result.output
    assert result.output.split(":1: ", 1)[1].startswith("this WordPress export holds 7 posts and pages, none named "
                                    "'council-vote'; name one with --story (its slug): about, post-format-gallery")
    assert run(root, "import", str(WXR), "--story", "about").exit_code == 0
    assert "title: About The Tests" in (root / "source" / "about" / "article.md").read_text(encoding="utf-8")


def test_the_only_post_of_an_export_needs_no_name():
    text = WXR.read_text(encoding="utf-8")
    items = re.findall(r"<item>.*?</item>\n", text, re.S)
    about = next(i for i in items if "<wp:post_name><![CDATA[about]]>" in i or "<wp:post_name>about<" in i)
    single = text.split("<item>", 1)[0] + about + "\t</channel>\n</rss>\n"
    assert convert(single.encode(), "one.xml", post="any-name").title == "About The Tests"


@pytest.mark.parametrize("data, line, message", [
    (b'<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<item>\n</channel>',
     5, "not a well-formed WordPress export: mismatched tag"),
    (b'<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>x</title>'
     b'</channel></rss>', 1, "a WordPress export with no post or page: not an article"),
])
def test_a_broken_or_empty_export_is_a_one_line_error(data, line, message):
    with pytest.raises(SourceError) as caught:
        convert(data, "wp.xml", post="x")
    assert (caught.value.line, caught.value.message) == (line, message)


def test_paragraphs_are_made_where_wordpress_makes_them_and_every_line_stays():
    classic = ("First line\nsecond line.\n\n<h2>Head</h2>\nAfter it.\n<ul>\n<li>one\ntwo</li>\n</ul>\n\n"
               "<pre>keep\n\nthis</pre>\n<blockquote>Quoted.</blockquote>\n<!-- more -->\nEnd.")
    made = autop(classic)
    assert made.count("\n") == classic.count("\n")
    assert made == ("<p>First line<br>\nsecond line.</p>\n\n<h2>Head</h2>\n<p>After it.</p>\n<ul>\n<li>one<br>\ntwo"
                    "</li>\n</ul>\n\n<pre>keep\n\nthis</pre>\n<blockquote><p>Quoted.</p></blockquote>\n<!-- more -->\n"
                    "<p>End.</p>")


def test_the_readme_example_is_what_the_command_prints(tmp_path, monkeypatch):
    (tmp_path / "newsroom").mkdir()
    monkeypatch.chdir(tmp_path / "newsroom")
    printed, shown, code = readme_example(tmp_path, r"import \S+\.xml .*", WXR)
    assert code == 0 and printed == shown


def test_a_draft_with_comments_in_a_german_site_is_named_and_keeps_its_language():
    text = WXR.read_text(encoding="utf-8")
    items = re.findall(r"<item>.*?</item>\n", text, re.S)
    about = next(i for i in items if "<wp:post_name><![CDATA[about]]>" in i or "<wp:post_name>about<" in i)
    about = re.sub(r"<wp:status>(?:<!\[CDATA\[)?publish(?:\]\]>)?</wp:status>", "<wp:status>draft</wp:status>", about)
    about = about.replace("</item>", "<wp:comment><wp:comment_id>1</wp:comment_id></wp:comment></item>")
    head = text.split("<item>", 1)[0].replace("<language>en</language>", "<language>de-DE</language>")
    result = convert((head + about + "\t</channel>\n</rss>\n").encode(), "de.xml", post="about",
                     source_language="en")
    assert "lang: de\n" in result.text.split("---\n")[1]
    assert result.warnings == ["de.xml:47: the post's 1 comment(s) left out",
                               "de.xml:70: the post's status is 'draft', not published"]


def test_embed_and_media_shortcodes_keep_their_lines():
    from storyloc.importer.state import State
    from storyloc.importer.wordpress import wordpress_content
    state = State("wp.xml", None)
    content = "Before.\n\n[embed]https://www.youtube.com/watch?v=x1[/embed]\n\n[audio mp3=\"a.mp3\"][/audio]\nAfter."
    made = wordpress_content(content, state, 10)
    assert made.count("\n") == content.count("\n")
    assert '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">https://www.youtube.com/watch?v=x1' \
           in made and "[audio" not in made and "<p>After.</p>" in made
    assert state.warnings == ["wp.xml:15: WordPress shortcode [audio] (media the export does not hold) left out"]
