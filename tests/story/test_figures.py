"""Figures: images, alt text, captions, credits, galleries."""

import pytest

from storyloc.errors import SourceError
from storyloc.story import parse_story, render_markdown

from storytext import write_story, parse


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


def test_an_image_beside_the_bundle_files_is_refused(tmp_path):
    path = write_story(tmp_path, "---\ntitle: x\nfigures:\n  a: {image: index.html}\n---\n")
    with pytest.raises(SourceError) as caught:
        parse_story(path)
    assert caught.value.line == 4 and "may not be named 'index.html'" in caught.value.message


def test_figures_caption_and_credit_optional_alt_a_message_urls_and_galleries(tmp_path):
    story = parse(tmp_path, FIGURES, front="title: T\nlead: {image: images/lead.jpg, alt: The lead, "
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
    again = parse_story(write_story(tmp_path / "again", render_markdown(story, lambda s: s.text, "en")))
    assert [(s.kind, s.text) for s in again.segments()] == [(s.kind, s.text) for s in story.segments()]
    assert [f.images for f in again.figures] == [f.images for f in story.figures]
