"""The page's pieces: the JSON writer and the per-story cache of rendered texts."""
import datetime
import json
from pathlib import Path

import pytest

from storyloc.build.gates import Shown
from storyloc.build.page import Inline, json_bytes
from storyloc.story import parse_story_text

SAMPLE = {"b": [1, 2.5, None, True, False, "</script> \u2028 \u2029 é 😀 \x00\x1f\x7f \"\\", {}, [],
                {"z": "ü", "a": [[]], "m": {"k": -0.1}}],
          "a": "plain", "c": -1e100, "d": 10**15, "é": "non-ASCII key"}


def _standard(data) -> bytes:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    return (text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n").encode()


def test_json_bytes_is_what_the_standard_library_writes():
    assert json_bytes(SAMPLE) == _standard(SAMPLE)
    assert b"</" not in json_bytes(SAMPLE) and "\u2028".encode() not in json_bytes(SAMPLE)
    assert json.loads(json_bytes(SAMPLE)) == SAMPLE


def test_json_bytes_writes_what_orjson_refuses_as_before():
    big = {"n": 2**70, "list": [2**64]}
    assert json_bytes(big) == _standard(big)
    with pytest.raises(TypeError):         # not JSON: refused as the standard library refuses it
        json_bytes({"date": datetime.date(2024, 1, 1)})


STORY = """---
title: A title
---

Shared words[^1] and a [link](https://example.org "Its title").

Words only here.

[^1]: The note.
"""


def _shown(story, texts: dict[str, str]) -> dict:
    out = {}
    for seg in story.segments():
        text = texts.get(seg.text, seg.text)
        out[seg.key] = Shown(seg, text, "reviewed" if text != seg.text else "missing", text == seg.text)
    return out


def test_languages_share_rendered_texts_but_each_page_anchors_its_own_footnote_references():
    story = parse_story_text(STORY, Path("article.md"), "s", "article.md")
    para = story.blocks[0].segment
    shared: dict = {}
    first = Inline(story, _shown(story, {}), shared)
    second = Inline(story, _shown(story, {"Its title": "Його назва"}), shared)
    html = first.html(para)
    assert 'id="fnref-1"' in html and 'title="Its title"' in html
    assert 'id="fnref-1-2"' in first.html(para)            # the page's second reference: its own anchor
    assert second.html(para).count('id="fnref-1"') == 1     # another page: its own first reference
    assert second.tokens(para) is first.tokens(para)         # the same English, parsed once
    assert 'title="Його назва"' in second.html(para)           # the link's title is that page's own
    assert first.markdown(para) == 'Shared words[^1] and a [link](https://example.org "Its title").'
    assert second.markdown(para) == 'Shared words[^1] and a [link](https://example.org "Його назва").'
    assert first.html(para) == str(html).replace(' id="fnref-1"', ' id="fnref-1-3"')


def test_languages_showing_the_same_texts_share_a_body_and_its_footnote_anchors():
    story = parse_story_text(STORY, Path("article.md"), "s", "article.md")
    para = story.blocks[0].segment
    shared: dict = {}
    first, second = (Inline(story, _shown(story, {}), shared) for _ in range(2))
    translated = Inline(story, _shown(story, {"Words only here.": "Слова лише тут."}), shared)
    body = first.for_texts("body", lambda: first.html(para))
    assert 'id="fnref-1"' in body
    assert second.for_texts("body", lambda: pytest.fail("made again for the same texts")) is body
    assert 'id="fnref-1"' not in second.html(para)         # its page's first reference was in the body
    made = translated.for_texts("body", lambda: translated.html(para))
    assert made == body and made is not body                  # other texts: made for that page
