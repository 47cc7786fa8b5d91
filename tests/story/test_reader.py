"""Reading article.md: the seed story, UTF-8, and every mistake named with its file and line."""
import re

import pytest

from storyloc.errors import SourceError
from storyloc.story import parse_story

from conftest import DATA, PROJECT, REPO, STORY
from storytext import write_story, parse

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


@pytest.mark.parametrize("text, line, message", [
    ("---\ntitle: x\n", 1, "never closed"),
    ("no front matter\n", 1, "must start with '---'"),
    ("---\ntitle: [unclosed\n---\n", 2, "not valid YAML"),
    ("---\ntitle: [unclosed, a\ndek: x\n---\n", 3,
     "not valid YAML: expected ',' or ']', but got ':' (while parsing a flow sequence that starts on line 2)"),
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
    path = write_story(tmp_path, text)
    with pytest.raises(SourceError) as caught:
        parse_story(path, display_path="article.md")
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"article.md:{line}: ")


def test_byte_order_mark_is_tolerated_and_bad_bytes_name_their_line(tmp_path):
    path = write_story(tmp_path, "---\ntitle: x\n---\n\nText.\n")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert parse_story(path).title.text == "x"
    path.write_bytes(b"---\ntitle: x\n---\n\nCaf\xe9\n")
    with pytest.raises(SourceError) as caught:
        parse_story(path)
    assert caught.value.line == 5 and "not UTF-8" in caught.value.message


def test_a_nul_character_is_refused_with_its_line(tmp_path):
    """No catalog can hold U+0000: refused where it is, not written into catalogs that no read accepts."""
    path = write_story(tmp_path, "---\ntitle: x\n---\n\nText.\n\nCaf\0e.\n")
    with pytest.raises(SourceError) as caught:
        parse_story(path)
    assert caught.value.line == 7 and "NUL" in caught.value.message


def test_the_readme_example_story_is_a_valid_write_story(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Writing a story"):]
    example = re.search(r"```markdown\n(.*?)```", section, re.S).group(1)
    story = parse_story(write_story(tmp_path, example))
    kinds = {s.kind for s in story.segments()}
    assert {"heading", "item", "quote", "cell", "footnote", "alt", "caption", "credit", "pullquote",
            "correction"} <= kinds
    assert story.warnings == [] and story.lead is not None and story.keep == ("Gwara Media",)


@pytest.mark.parametrize("body, line, message", [
    ("::: figure a\nimage: a.jpg\ncaption: c\n", 5, "figure 'a' is not closed with ':::'"),
    ("::: pullquote\nWords.\n", 5, "pull quote opened here is not closed"),
    ("::: figure a\ncaption: c\n:::\n", 5, "figure 'a' has no image"),
    ("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n", 7, "table row has 3 cells, its header 2"),
    ("| a | b |\n|---|---|\n| 1 |\n", 7, "table row has 1 cell, its header 2"),
    ("Text[^x].\n", 5, "footnote reference [^x] has no definition"),
    ("Text[^1].\n\n[^1]: one\n\n[^1]: two\n", 9, "footnote [^1] is defined twice (first on line 7)"),
    ("::: sidebar\nx\n:::\n", 5, "unexpected '::: sidebar'"),
    ("::: figure a b\nimage: a.jpg\n:::\n", 5, "one id"),
    ("::: figure a\nimage: javascript:alert(1)\n:::\n", 6, "an image is a file in the story folder or an http(s)"),
])
def test_bad_body_gives_file_and_line(tmp_path, body, line, message):
    with pytest.raises(SourceError) as caught:
        parse(tmp_path, body)
    assert (caught.value.line, str(caught.value).startswith(f"article.md:{line}: ")) == (line, True), str(caught.value)
    assert message in caught.value.message
