"""Inline text both ways: links numbered, text kept exactly, a translation made safe."""

from storyloc.story import count_words, parse_story, render_markdown

from storytext import GOOD, write_story, parse


def test_links_become_numbered_references_and_come_back(tmp_path):
    story = parse_story(write_story(tmp_path, GOOD))
    paragraph = story.blocks[0].segment
    assert paragraph.text == ("First paragraph with a [link][1] and *emphasis*, wrapped over two lines.")
    assert paragraph.links == ("https://example.org/a",)
    assert render_markdown(story, lambda seg: seg.text, "en").count("(https://example.org/a)") == 1
    # an unknown reference stays literal rather than inventing a target
    rendered = render_markdown(story, lambda seg: "[x][7] [y][1]" if seg.kind == "paragraph" else seg.text, "uk")
    assert "\\[x\\]\\[7\\] [y](https://example.org/a)" in rendered
    assert story.figures[0].caption.text == "A caption on two lines"


def test_count_words_counts_link_text_not_targets():
    assert count_words("Russia’s full-scale [war][1] in 2023") == 5


def test_reference_links_of_the_source_cannot_collide_with_the_numbering(tmp_path):
    """The source's own [text][1] with [1]: url is resolved by markdown-it first; storyloc numbers anew."""
    story = parse(tmp_path, "See the [council vote][1], the [budget](https://b.example/budget) and "
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
    story = parse(tmp_path, text + "\n", front="title: \u201cA\u00a0title\u201d\n")
    assert story.title.text == "\u201cA\u00a0title\u201d"
    assert story.blocks[0].segment.text == "Le 1\u202f000 «\u00a0mots\u00a0» d’un “Cafe\u0301” wrapped here."
    out = render_markdown(story, lambda s: s.text, "en")
    assert "Le 1\u202f000 «\u00a0mots\u00a0» d’un “Cafe\u0301” wrapped here." in out
    assert "\u201cA\u00a0title\u201d" in out


def test_code_spans_emphasis_and_escapes_survive_the_round_trip(tmp_path):
    story = parse(tmp_path, "Use `storyloc *build*` with **care**, 5 \\* 3, snake_case_name and \\[sic\\].\n")
    seg = story.blocks[0].segment
    assert seg.text == "Use `storyloc *build*` with **care**, 5 \\* 3, snake_case_name and \\[sic\\]."
    again = parse_story(write_story(tmp_path / "again", render_markdown(story, lambda s: s.text, "en")))
    assert again.blocks[0].segment.text == seg.text


def test_controls_and_bidi_overrides_never_reach_an_output():
    from storyloc.story.inline import clean
    assert clean("a\x07b\x1b[31m\x85c\u202ed\u2066e\u2069\u2028f\tg\nh") == "ab[31mcde f\tg\nh"


def test_a_translation_writing_an_image_as_a_link_still_shows_the_sources_image(tmp_path):
    story = parse(tmp_path, "See ![the map](images/map.png).\n")
    out = render_markdown(story, lambda s: "Дивіться [мапу][1].", "uk")
    assert "Дивіться ![мапу](images/map.png)." in out


def test_a_translation_line_that_would_start_a_block_reads_back_as_the_same_paragraph(tmp_path):
    """article.md escapes where a line would start a list, heading, quote or footnote definition:
    the mark after an ordered item's number ("1986\\." — a backslash before a digit is no escape)."""
    story = parse(tmp_path, "One.\n\nTwo.\n\nThree.\n\nFour.\n\nFive[^n].\n\n[^n]: A note.\n")
    texts = ["1986. That year began.", "11. November: es begann.", "2) Plus eins.", "# Not a heading.",
             "[^n]: looks like a note's definition."]
    paragraphs = [b.segment for b in story.blocks if b.kind == "paragraph"]
    chosen = dict(zip((p.text for p in paragraphs), texts))
    out = render_markdown(story, lambda s: chosen.get(s.text, s.text), "de")
    assert "1986\\. That" in out and "11\\. November" in out and "2\\) Plus" in out
    again = parse_story(write_story(tmp_path / "again", out))
    assert [b.segment.text for b in again.blocks if b.kind == "paragraph"] == texts
    assert [n.label for n in again.footnotes] == ["n"]


def test_a_headings_id_is_written_back_and_a_translation_cannot_make_one(tmp_path):
    story = parse(tmp_path, "## Results {#results}\n\nText.\n\n## Plain\n")
    texts = {"Results": "Ergebnisse {#evil}", "Plain": "Schlicht {#evil}"}
    out = render_markdown(story, lambda s: texts.get(s.text, s.text), "de")
    assert "## Ergebnisse {#evil\\} {#results}" in out and "## Schlicht {#evil\\}" in out
    again = parse_story(write_story(tmp_path / "again", out))
    assert [(b.segment.text, b.info) for b in again.blocks if b.kind == "heading"] == [
        ("Ergebnisse {#evil}", "results"), ("Schlicht {#evil}", None)]


def test_a_translations_dollars_stay_text_in_article_md(tmp_path):
    """The story reader reads ``$…$`` as math: a translation's "$" (text in a catalog) is escaped, so
    "$$" on a line of its own cannot open a display block that takes the rest of the story."""
    story = parse(tmp_path, "One.\n\nTwo.\n\nThree.\n")
    texts = {"One.": "a $b$ c", "Two.": "$$", "Three.": "Costs $5 and $10, $x$."}
    out = render_markdown(story, lambda s: texts.get(s.text, s.text), "de")
    again = parse_story(write_story(tmp_path / "again", out))
    assert [b.segment.text for b in again.blocks] == ["a $b$ c", "$$", "Costs $5 and $10, $x$."]
