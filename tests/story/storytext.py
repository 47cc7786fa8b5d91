"""Small stories written for the tests of tests/story/."""
from pathlib import Path

from storyloc.story import parse_story


def write_story(tmp_path: Path, text: str) -> Path:
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


def parse(tmp_path, body: str, front: str = "title: T\n", **kw):
    return parse_story(write_story(tmp_path, f"---\n{front}---\n\n{body}"), display_path="article.md", **kw)


def segs(story):
    return [(s.kind, s.text) for s in story.segments()][1:]
