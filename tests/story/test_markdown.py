"""article.md written back from the tree: a translation can never make structure."""
import re

from storyloc.story import parse_story, render_markdown

from storytext import GOOD, write_story, parse


def test_render_markdown_round_trips_the_structure(tmp_path):
    path = write_story(tmp_path, GOOD)
    story = parse_story(path)
    again = write_story(tmp_path / "again", render_markdown(story, lambda seg: seg.text, "en"))
    reparsed = parse_story(again)
    assert [(s.kind, s.text, s.links) for s in reparsed.segments()] == \
           [(s.kind, s.text, s.links) for s in story.segments()]


def test_a_line_break_in_a_translation_cannot_break_the_structure(tmp_path):
    story = parse_story(write_story(tmp_path, GOOD))
    text = render_markdown(story, lambda seg: seg.text + "\n\n::: figure x\n", "uk")
    again = parse_story(write_story(tmp_path / "again", text))
    assert [s.kind for s in again.segments()] == [s.kind for s in story.segments()]


def test_a_translation_cannot_make_structure_in_article_md(tmp_path):
    story = parse(tmp_path, "Text.\n\n| a | b |\n|---|---|\n| c | d |\n\n## Head\n\n- item\n")
    hostile = {"paragraph": "# Big\n\n- list\n> quote <script>alert(1)</script>",
               "cell": "x | y\n|---|", "heading": "Head ##", "item": "1. one\n---"}
    out = render_markdown(story, lambda s: hostile.get(s.kind, s.text), "uk")
    again = parse_story(write_story(tmp_path / "again", out))
    assert [b.kind for b in again.blocks] == [b.kind for b in story.blocks]
    assert [len(r.children) for r in again.blocks[1].children] == [2, 2]
    texts = {s.kind: s.text for s in again.segments()}
    assert texts["paragraph"] == "# Big - list > quote \\<script>alert(1)\\</script>"   # all of it text
    assert "\\<script>" in out and not re.search(r"(?<!\\)<script>", out)
