import re
from pathlib import Path

import pytest

from storyloc.errors import SourceError
from storyloc.story import count_words, parse_story, render_markdown

from conftest import DATA, PROJECT, REPO, STORY

ARTICLE = PROJECT / "source" / STORY / "article.md"


def test_real_story_has_every_block_of_the_seed_in_order():
    story = parse_story(ARTICLE)
    kinds = [seg.kind for seg in story.segments()]
    assert kinds[:3] == ["title", "dek", "byline"]
    assert kinds.count("paragraph") == 9
    assert kinds.count("caption") == 7
    assert kinds.count("credit") == 7
    assert [f.id for f in story.figures][0] == "troops-protect-bakhmut"
    assert story.meta["publisher"] == "Gwara Media"
    assert story.meta["date"] == "2023-02"


def test_story_text_matches_the_seed_word_for_word():
    """Every seed block appears as a paragraph or as 'caption (credit)'."""
    story = parse_story(ARTICLE)
    rebuilt = []
    for block in story.blocks:
        if block.figure is not None:
            rebuilt.append(f"{block.figure.caption.text} ({block.figure.credit.text})")
        else:
            rebuilt.append(block.segment.text)
    seed_blocks = [b.strip() for b in (DATA / "seed.txt").read_text().split("\n\n") if b.strip()]
    assert rebuilt == seed_blocks


def _story(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s" / "article.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """---
title: A *test* story
figures:
  one: {image: images/one.jpg}
---

First paragraph with a [link](https://example.org/a) and *emphasis*,
wrapped over two lines.

::: figure one
caption: A caption
  on two lines
credit: Somebody for Somewhere
:::
"""


def test_links_become_numbered_references_and_come_back(tmp_path):
    story = parse_story(_story(tmp_path, GOOD))
    paragraph = story.blocks[0].segment
    assert paragraph.text == ("First paragraph with a [link][1] and *emphasis*, wrapped over two lines.")
    assert paragraph.links == ("https://example.org/a",)
    assert render_markdown(story, lambda seg: seg.text, "en").count("(https://example.org/a)") == 1
    # an unknown reference stays literal rather than inventing a target
    rendered = render_markdown(story, lambda seg: "[x][7] [y][1]" if seg.kind == "paragraph" else seg.text, "uk")
    assert "\\[x\\]\\[7\\] [y](https://example.org/a)" in rendered
    assert story.figures[0].caption.text == "A caption on two lines"


def test_render_markdown_round_trips_the_structure(tmp_path):
    path = _story(tmp_path, GOOD)
    story = parse_story(path)
    again = _story(tmp_path / "again", render_markdown(story, lambda seg: seg.text, "en"))
    reparsed = parse_story(again)
    assert [(s.kind, s.text, s.links) for s in reparsed.segments()] == \
           [(s.kind, s.text, s.links) for s in story.segments()]


def test_count_words_counts_link_text_not_targets():
    assert count_words("Russia’s full-scale [war][1] in 2023") == 5


@pytest.mark.parametrize("text, line, message", [
    ("---\ntitle: x\n", 1, "never closed"),
    ("no front matter\n", 1, "must start with '---'"),
    ("---\ntitle: [unclosed\n---\n", 2, "not valid YAML"),
    ("---\ntitle: x\n---\n\n::: figure a\ncaption: c\n:::\n", 5, "figure 'a' has no image"),
    ("---\ntitle: x\nfigures:\n  a: {image: a.jpg}\n---\n\n::: figure a\ncaption: c\n", 7, "not closed"),
    ("---\ntitle: x\nfigures:\n  a: {image: a.jpg}\n---\n\ntext\n", 4, "has no '::: figure' block"),
    ("---\ntitle: x\nauthor: y\n---\n", 3, "unknown front matter field 'author'"),
    ("---\ntitle: x\ndate: last week\n---\n", 3, "date must be"),
    ("---\ntitle: x\nfigures:\n  a: {image: ../../etc/passwd}\n---\n", 4, "inside the story folder"),
    ("---\ntitle: x\nfigures:\n  a: {image: a.jpg}\n---\n\n::: figure a\ncaption: c\nnote: d\n:::\n", 9,
     "unknown figure field 'note'"),
    ("---\ntitle: x\npublisher: [Gwara, Media]\n---\n", 3, "publisher must be text"),
    ("---\ntitle: x\nlang: 5\n---\n", 3, "lang must be text"),
    ("---\n\"title\": x\n'dek': [y]\n---\n", 3, "dek must be text"),
])
def test_bad_story_gives_file_and_line(tmp_path, text, line, message):
    path = _story(tmp_path, text)
    with pytest.raises(SourceError) as caught:
        parse_story(path, display_path="article.md")
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"article.md:{line}: ")


@pytest.mark.parametrize("date, message", [
    ("2023-02-30", "does not exist"),
    ("2023-02-29", "does not exist"),
    ("2023-2-5", "date must be YYYY-MM-DD or YYYY-MM"),
    ("2023-02-01 10:00:00", "date must be YYYY-MM-DD or YYYY-MM"),
    ("2023-13", "does not exist"),
])
def test_impossible_dates_are_errors_not_tracebacks(tmp_path, date, message):
    path = _story(tmp_path, f"---\ntitle: x\ndate: {date}\n---\n")
    with pytest.raises(SourceError) as caught:
        parse_story(path)
    assert caught.value.line == 3 and message in caught.value.message


def test_a_field_given_twice_is_an_error(tmp_path):
    path = _story(tmp_path, "---\ntitle: x\ndek: y\ntitle: z\n---\n")
    with pytest.raises(SourceError) as caught:
        parse_story(path)
    assert caught.value.line == 4 and "'title' is given twice" in caught.value.message


def test_quoted_front_matter_keys_are_fields_like_any_other(tmp_path):
    story = parse_story(_story(tmp_path, "---\n\"title\": A story\n'dek': Its dek\n---\n\nText.\n"))
    assert (story.title.text, story.title.line, story.dek.line) == ("A story", 2, 3)


def test_byte_order_mark_is_tolerated_and_bad_bytes_name_their_line(tmp_path):
    path = _story(tmp_path, "---\ntitle: x\n---\n\nText.\n")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert parse_story(path).title.text == "x"
    path.write_bytes(b"---\ntitle: x\n---\n\nCaf\xe9\n")
    with pytest.raises(SourceError) as caught:
        parse_story(path)
    assert caught.value.line == 5 and "not UTF-8" in caught.value.message


def test_an_image_beside_the_bundle_files_is_refused(tmp_path):
    path = _story(tmp_path, "---\ntitle: x\nfigures:\n  a: {image: index.html}\n---\n")
    with pytest.raises(SourceError) as caught:
        parse_story(path)
    assert caught.value.line == 4 and "may not be named 'index.html'" in caught.value.message


def test_a_line_break_in_a_translation_cannot_break_the_structure(tmp_path):
    story = parse_story(_story(tmp_path, GOOD))
    text = render_markdown(story, lambda seg: seg.text + "\n\n::: figure x\n", "uk")
    again = parse_story(_story(tmp_path / "again", text))
    assert [s.kind for s in again.segments()] == [s.kind for s in story.segments()]


# -- the document model: one message per leaf block ------------------------------------------------

def _parse(tmp_path, body: str, front: str = "title: T\n", **kw):
    return parse_story(_story(tmp_path, f"---\n{front}---\n\n{body}"), display_path="article.md", **kw)


def _segs(story):
    return [(s.kind, s.text) for s in story.segments()][1:]


def test_a_heading_followed_directly_by_text_is_two_messages(tmp_path):
    story = _parse(tmp_path, "## What changed\nThe council voted.\n#### Deeper\n")
    assert _segs(story) == [("heading", "What changed"), ("paragraph", "The council voted."),
                            ("heading", "Deeper")]
    assert [b.level for b in story.blocks if b.kind == "heading"] == [2, 4]
    assert story.blocks[0].segment.note == "Heading, level 2." and story.blocks[1].segment.line == 6


def test_nested_lists_give_one_message_per_item_and_ordered_lists_keep_their_start(tmp_path):
    story = _parse(tmp_path, "- first point\n- second point\n  - nested one\n  - nested two\n- third\n\n"
                             "3. Third\n4. Fourth\n")
    assert _segs(story) == [("item", "first point"), ("item", "second point"), ("item", "nested one"),
                            ("item", "nested two"), ("item", "third"), ("item", "Third"), ("item", "Fourth")]
    bullets, ordered = story.blocks
    assert (bullets.ordered, ordered.ordered, ordered.start) == (False, True, 3)
    assert bullets.children[1].children[1].kind == "list"           # the nested list is inside item 2
    notes = [s.note for s in story.segments()][1:]
    assert notes[2] == "List item (list 1, item 2 › list 2, item 1)."
    assert notes[6] == "List item (list 3, item 4)."


def test_each_paragraph_of_a_block_quote_is_a_message_without_its_markers(tmp_path):
    story = _parse(tmp_path, "> She said the shelling\n> never stops.\n>\n> Second paragraph.\n\n"
                             "::: pullquote\nLarge words.\n:::\n")
    assert _segs(story) == [("quote", "She said the shelling never stops."), ("quote", "Second paragraph."),
                            ("pullquote", "Large words.")]
    assert [s.note for s in story.segments()][-1].startswith("Pull quote")


def test_table_cells_are_messages_and_keep_their_place(tmp_path):
    story = _parse(tmp_path, "| City | Population |\n|:--|--:|\n| Bakhmut | 70,000 |\n| Soledar | |\n")
    assert _segs(story) == [("cell", "City"), ("cell", "Population"), ("cell", "Bakhmut"), ("cell", "70,000"),
                            ("cell", "Soledar")]
    [table] = story.blocks
    assert [[c.align for c in row.children] for row in table.children][0] == ["left", "right"]
    assert [row.header for row in table.children] == [True, False, False]
    assert table.children[2].children[1].segment is None              # an empty cell is no message
    assert [s.note for s in story.segments()][4] == "Table 1, row 1, column 2."


def test_thematic_breaks_comments_and_empty_blocks_are_never_messages(tmp_path):
    story = _parse(tmp_path, "One.\n\n---\n\n<!-- more -->\n\nTwo <!-- inline --> words.\n\n***\n")
    assert _segs(story) == [("paragraph", "One."), ("paragraph", "Two words.")]
    assert [b.kind for b in story.blocks] == ["paragraph", "rule", "paragraph", "rule"]
    assert story.warnings == []


def test_footnotes_keep_their_markers_and_are_messages_of_their_own(tmp_path):
    story = _parse(tmp_path, "The vote[^vote] was close.[^1]\n\n[^1]: A second note.\n\n"
                             "[^vote]: Held on *1 May*.\n\n    With a second paragraph.\n")
    assert _segs(story) == [("paragraph", "The vote[^vote] was close.[^1]"),
                            ("footnote", "Held on *1 May*."), ("footnote", "With a second paragraph."),
                            ("footnote", "A second note.")]
    assert [(n.label, n.number, n.line) for n in story.footnotes] == [("vote", 1, 9), ("1", 2, 7)]
    assert story.blocks[0].segment.footnotes == ("vote", "1")


def test_reference_links_of_the_source_cannot_collide_with_the_numbering(tmp_path):
    """The source's own [text][1] with [1]: url is resolved by markdown-it first; storyloc numbers anew."""
    story = _parse(tmp_path, "See the [council vote][1], the [budget](https://b.example/budget) and "
                             "<https://c.example/>; not a link: [x][9].\n\n"
                             "[1]: https://a.example/vote \"The vote\"\n")
    seg = story.blocks[0].segment
    assert seg.text == ("See the [council vote][1], the [budget][2] and [https://c.example/][3]; "
                        "not a link: \\[x\\]\\[9\\].")
    assert seg.links == ("https://a.example/vote", "https://b.example/budget", "https://c.example/")
    assert [t.text if t else None for t in seg.titles] == ["The vote", None, None]
    out = render_markdown(story, lambda s: s.text, "en")
    assert '[council vote](https://a.example/vote "The vote")' in out
    assert "[budget](https://b.example/budget)" in out and "[x]" not in out.replace("\\[x\\]", "")
    # a translation that swaps the numbers swaps the words, never the targets
    swapped = render_markdown(story, lambda s: "[budget][2] and [vote][1]" if s.kind == "paragraph" else s.text, "uk")
    assert "[budget](https://b.example/budget) and [vote](https://a.example/vote \"The vote\")" in swapped


def test_non_breaking_spaces_quotes_and_normalization_are_kept_byte_for_byte(tmp_path):
    text = "Le 1\u202f000 «\u00a0mots\u00a0» d’un “Cafe\u0301”\nwrapped  here."
    story = _parse(tmp_path, text + "\n", front="title: \u201cA\u00a0title\u201d\n")
    assert story.title.text == "\u201cA\u00a0title\u201d"
    assert story.blocks[0].segment.text == "Le 1\u202f000 «\u00a0mots\u00a0» d’un “Cafe\u0301” wrapped here."
    out = render_markdown(story, lambda s: s.text, "en")
    assert "Le 1\u202f000 «\u00a0mots\u00a0» d’un “Cafe\u0301” wrapped here." in out
    assert "\u201cA\u00a0title\u201d" in out


def test_code_spans_emphasis_and_escapes_survive_the_round_trip(tmp_path):
    story = _parse(tmp_path, "Use `storyloc *build*` with **care**, 5 \\* 3, snake_case_name and \\[sic\\].\n")
    seg = story.blocks[0].segment
    assert seg.text == "Use `storyloc *build*` with **care**, 5 \\* 3, snake_case_name and \\[sic\\]."
    again = parse_story(_story(tmp_path / "again", render_markdown(story, lambda s: s.text, "en")))
    assert again.blocks[0].segment.text == seg.text


FIGURES = """::: figure credit-only
image: images/a.jpg
credit: Jane Doe / Agency
:::

::: figure blank
image: https://cdn.example.org/media/b.png
caption:
alt: A burnt-out bus on an empty street
:::

::: figure gallery
image: images/c1.jpg
image: images/c2.jpg
caption: Two views
  of the square
:::
"""


def test_figures_caption_and_credit_optional_alt_a_message_urls_and_galleries(tmp_path):
    story = _parse(tmp_path, FIGURES, front="title: T\nlead: {image: images/lead.jpg, alt: The lead, "
                                            "caption: Lead caption}\n")
    assert [(f.id, f.images) for f in story.figures] == [
        ("lead", ("images/lead.jpg",)), ("credit-only", ("images/a.jpg",)),
        ("blank", ("https://cdn.example.org/media/b.png",)), ("gallery", ("images/c1.jpg", "images/c2.jpg"))]
    assert [(s.kind, s.context, s.text) for s in story.segments()][1:] == [
        ("alt", "alt:lead", "The lead"), ("caption", "figure:lead", "Lead caption"),
        ("credit", "credit", "Jane Doe / Agency"),
        ("alt", "alt:blank", "A burnt-out bus on an empty street"),
        ("caption", "figure:gallery", "Two views of the square")]
    assert story.warnings == ["article.md:6: figure 'credit-only' has no alt text ('alt:'); "
                              "the page uses its caption or nothing",
                              "article.md:17: figure 'gallery' has no alt text ('alt:'); "
                              "the page uses its caption or nothing"]
    assert [image for image, _ in story.local_images()] == ["images/lead.jpg", "images/a.jpg",
                                                            "images/c1.jpg", "images/c2.jpg"]
    again = parse_story(_story(tmp_path / "again", render_markdown(story, lambda s: s.text, "en")))
    assert [(s.kind, s.text) for s in again.segments()] == [(s.kind, s.text) for s in story.segments()]
    assert [f.images for f in again.figures] == [f.images for f in story.figures]


def test_corrections_and_keep_in_front_matter(tmp_path):
    story = _parse(tmp_path, "Gwara Media reported.\n",
                   front="title: T\nkeep: [Gwara Media]\ncorrections:\n"
                         "  - {date: 2023-03-01, note: An earlier version misspelt Soledar.}\n")
    assert story.keep == ("Gwara Media",)
    [correction] = story.corrections
    assert (correction.date, correction.note.context, correction.note.text) == (
        "2023-03-01", "correction:2023-03-01", "An earlier version misspelt Soledar.")
    assert "Keep “Gwara Media” as is." in story.blocks[0].segment.note
    assert list(story.segments())[-1] is correction.note


def test_raw_html_is_left_out_with_a_warning_and_allowed_embeds_are_carried(tmp_path):
    body = ('<div class="ad">Buy <b>now</b></div>\n\n'
            '<iframe src="https://www.youtube.com/embed/x1" title="Video"></iframe>\n\n'
            '<iframe src="https://evil.example/x"></iframe>\n\nText with <span>inline</span> tags.\n')
    story = _parse(tmp_path, body, embed_hosts=("youtube.com",))
    assert [b.kind for b in story.blocks] == ["embed", "paragraph"]
    assert (story.blocks[0].text, story.blocks[0].info) == ("https://www.youtube.com/embed/x1", "Video")
    assert _segs(story) == [("paragraph", "Text with inline tags.")]
    assert story.warnings == [
        "article.md:5: raw HTML '<div class=\"ad\">Buy <b>now</b></div>' is left out; write Markdown",
        "article.md:9: embed from 'evil.example' is left out: its host is not in [tool.storyloc] embed_hosts",
        "article.md:11: raw HTML '<span>' is left out; write Markdown",
        "article.md:11: raw HTML '</span>' is left out; write Markdown"]


def test_a_translation_cannot_make_structure_in_article_md(tmp_path):
    story = _parse(tmp_path, "Text.\n\n| a | b |\n|---|---|\n| c | d |\n\n## Head\n\n- item\n")
    hostile = {"paragraph": "# Big\n\n- list\n> quote <script>alert(1)</script>",
               "cell": "x | y\n|---|", "heading": "Head ##", "item": "1. one\n---"}
    out = render_markdown(story, lambda s: hostile.get(s.kind, s.text), "uk")
    again = parse_story(_story(tmp_path / "again", out))
    assert [b.kind for b in again.blocks] == [b.kind for b in story.blocks]
    assert [len(r.children) for r in again.blocks[1].children] == [2, 2]
    texts = {s.kind: s.text for s in again.segments()}
    assert texts["paragraph"] == "# Big - list > quote \\<script>alert(1)\\</script>"   # all of it text
    assert "\\<script>" in out and not re.search(r"(?<!\\)<script>", out)


@pytest.mark.parametrize("body, line, message", [
    ("::: figure a\nimage: a.jpg\ncaption: c\n", 5, "figure 'a' is not closed with ':::'"),
    ("::: pullquote\nWords.\n", 5, "pull quote opened here is not closed"),
    ("::: figure a\ncaption: c\n:::\n", 5, "figure 'a' has no image"),
    ("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", 7, "table row has 3 cells, its header 2"),
    ("| a | b |\n|---|---|\n| 1 |\n", 7, "table row has 1 cells, its header 2"),
    ("Text[^x].\n", 5, "footnote reference [^x] has no definition"),
    ("Text[^1].\n\n[^1]: one\n\n[^1]: two\n", 9, "footnote [^1] is defined twice (first on line 7)"),
    ("::: sidebar\nx\n:::\n", 5, "unexpected '::: sidebar'"),
    ("::: figure a b\nimage: a.jpg\n:::\n", 5, "one id"),
    ("::: figure a\nimage: javascript:alert(1)\n:::\n", 6, "an image is a file in the story folder or an http(s)"),
])
def test_bad_body_gives_file_and_line(tmp_path, body, line, message):
    with pytest.raises(SourceError) as caught:
        _parse(tmp_path, body)
    assert (caught.value.line, str(caught.value).startswith(f"article.md:{line}: ")) == (line, True), str(caught.value)
    assert message in caught.value.message


@pytest.mark.parametrize("front, message", [
    ("title: T\nsubtitle: x\n", "unknown front matter field 'subtitle'"),
    ("title: T\nkeep: Gwara\n", "keep must be a list"),
    ("title: T\ncorrections: [{date: 2023-13-01, note: x}]\n", "does not exist"),
    ("title: T\ncorrections: [{note: x}]\n", "correction date must be YYYY-MM-DD"),
    ("title: T\nlead: {caption: x}\n", "lead must be {image"),
    ("title: T\nlead: {image: a.jpg, size: big}\n", "unknown lead field 'size'"),
])
def test_bad_front_matter_gives_file_and_line(tmp_path, front, message):
    with pytest.raises(SourceError) as caught:
        _parse(tmp_path, "Text.\n", front=front)
    assert caught.value.line == 3 and message in caught.value.message


def test_the_readme_example_story_is_a_valid_story(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Writing a story"):]
    example = re.search(r"```markdown\n(.*?)```", section, re.S).group(1)
    story = parse_story(_story(tmp_path, example))
    kinds = {s.kind for s in story.segments()}
    assert {"heading", "item", "quote", "cell", "footnote", "alt", "caption", "credit", "pullquote",
            "correction"} <= kinds
    assert story.warnings == [] and story.lead is not None and story.keep == ("Gwara Media",)


def test_an_inline_image_is_the_sources_own_and_its_file_is_copied(tmp_path):
    story = _parse(tmp_path, "A map ![the front line](images/map.png) and ![remote](https://x.example/a.png).\n")
    seg = story.blocks[0].segment
    assert seg.text == "A map ![the front line][1] and ![remote][2]." and seg.images == frozenset({1, 2})
    assert [image for image, _ in story.local_images()] == ["images/map.png"]
    out = render_markdown(story, lambda s: "[x][1] ![y][2] ![z](https://evil.example/t.png)", "uk")
    assert "![x](images/map.png) ![y](https://x.example/a.png) z" in out


def test_controls_and_bidi_overrides_never_reach_an_output():
    from storyloc.story.inline import clean
    assert clean("a\x07b\x1b[31m\x85c\u202ed\u2066e\u2069\u2028f\tg\nh") == "ab[31mcde f\tg\nh"


def test_a_translation_writing_an_image_as_a_link_still_shows_the_sources_image(tmp_path):
    story = _parse(tmp_path, "See ![the map](images/map.png).\n")
    out = render_markdown(story, lambda s: "Дивіться [мапу][1].", "uk")
    assert "Дивіться ![мапу](images/map.png)." in out
