from pathlib import Path

import pytest

from storyloc.errors import SourceError
from storyloc.story import count_words, parse_story, render_markdown

from conftest import REPO, STORY

ARTICLE = REPO / "source" / STORY / "article.md"


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
    seed_blocks = [b.strip() for b in (REPO / "tests" / "data" / "seed.txt").read_text().split("\n\n") if b.strip()]
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
