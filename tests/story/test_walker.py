"""The block walker: one message per leaf block, with its place."""


from storytext import parse, segs


def test_a_heading_followed_directly_by_text_is_two_messages(tmp_path):
    story = parse(tmp_path, "## What changed\nThe council voted.\n#### Deeper\n")
    assert segs(story) == [("heading", "What changed"), ("paragraph", "The council voted."),
                            ("heading", "Deeper")]
    assert [b.level for b in story.blocks if b.kind == "heading"] == [2, 4]
    assert story.blocks[0].segment.note == "Heading, level 2." and story.blocks[1].segment.line == 6


def test_nested_lists_give_one_message_per_item_and_ordered_lists_keep_their_start(tmp_path):
    story = parse(tmp_path, "- first point\n- second point\n  - nested one\n  - nested two\n- third\n\n"
                             "3. Third\n4. Fourth\n")
    assert segs(story) == [("item", "first point"), ("item", "second point"), ("item", "nested one"),
                            ("item", "nested two"), ("item", "third"), ("item", "Third"), ("item", "Fourth")]
    bullets, ordered = story.blocks
    assert (bullets.ordered, ordered.ordered, ordered.start) == (False, True, 3)
    assert bullets.children[1].children[1].kind == "list"           # the nested list is inside item 2
    notes = [s.note for s in story.segments()][1:]
    assert notes[2] == "List item (list 1, item 2 › list 2, item 1)."
    assert notes[6] == "List item (list 3, item 4)."


def test_each_paragraph_of_a_block_quote_is_a_message_without_its_markers(tmp_path):
    story = parse(tmp_path, "> She said the shelling\n> never stops.\n>\n> Second paragraph.\n\n"
                             "::: pullquote\nLarge words.\n:::\n")
    assert segs(story) == [("quote", "She said the shelling never stops."), ("quote", "Second paragraph."),
                            ("pullquote", "Large words.")]
    assert [s.note for s in story.segments()][-1].startswith("Pull quote")


def test_table_cells_are_messages_and_keep_their_place(tmp_path):
    story = parse(tmp_path, "| City | Population |\n|:--|--:|\n| Bakhmut | 70,000 |\n| Soledar | |\n")
    assert segs(story) == [("cell", "City"), ("cell", "Population"), ("cell", "Bakhmut"), ("cell", "70,000"),
                            ("cell", "Soledar")]
    [table] = story.blocks
    assert [[c.align for c in row.children] for row in table.children][0] == ["left", "right"]
    assert [row.header for row in table.children] == [True, False, False]
    assert table.children[2].children[1].segment is None              # an empty cell is no message
    assert [s.note for s in story.segments()][4] == "Table 1, row 1, column 2."


def test_thematic_breaks_comments_and_empty_blocks_are_never_messages(tmp_path):
    story = parse(tmp_path, "One.\n\n---\n\n<!-- more -->\n\nTwo <!-- inline --> words.\n\n***\n")
    assert segs(story) == [("paragraph", "One."), ("paragraph", "Two words.")]
    assert [b.kind for b in story.blocks] == ["paragraph", "rule", "paragraph", "rule"]
    assert story.warnings == []


def test_footnotes_keep_their_markers_and_are_messages_of_their_own(tmp_path):
    story = parse(tmp_path, "The vote[^vote] was close.[^1]\n\n[^1]: A second note.\n\n"
                             "[^vote]: Held on *1 May*.\n\n    With a second paragraph.\n")
    assert segs(story) == [("paragraph", "The vote[^vote] was close.[^1]"),
                            ("footnote", "Held on *1 May*."), ("footnote", "With a second paragraph."),
                            ("footnote", "A second note.")]
    assert [(n.label, n.number, n.line) for n in story.footnotes] == [("vote", 1, 9), ("1", 2, 7)]
    assert story.blocks[0].segment.footnotes == ("vote", "1")


def test_a_headings_id_is_taken_off_its_text_and_kept_on_its_block(tmp_path):
    """``## Title {#id}`` (Pandoc, kramdown, Hugo): the id is no part of the message, the block keeps it
    (``info``, which the page and article.json read); classes are named as left out; braces that are no
    attributes stay text."""
    story = parse(tmp_path, "## Who did we hear from? {#demographics}\n\n### *Methods* {#how .wide}\n\n"
                             "## Sets {A} and {}\n\n## Glued{#x}\n")
    assert segs(story) == [("heading", "Who did we hear from?"), ("heading", "*Methods*"),
                            ("heading", "Sets {A} and {}"), ("heading", "Glued{#x}")]
    assert [b.info for b in story.blocks] == ["demographics", "how", None, None]
    assert story.warnings == ["article.md:7: heading attributes other than its id are left out: class"]
    assert story.blocks[0].as_json(lambda seg: {})["info"] == "demographics"


def test_a_heading_id_the_page_already_has_is_named_and_left_out(tmp_path):
    story = parse(tmp_path, "## One {#same}\n\n## Two {#same}\n\n## Three {#fn-1}\n\n## Four {#figure-map}\n\n"
                            '## Five {id="a b"}\n')
    assert [b.info for b in story.blocks] == ["same", None, None, None, None]
    assert story.warnings == [f"article.md:{line}: heading id '{ident}' left out: the page has that id already"
                              for line, ident in ((7, "same"), (9, "fn-1"), (11, "figure-map"))] + [
        "article.md:13: heading id 'a b' left out: an id is one word"]


def test_a_definition_list_is_carried_as_paragraphs_with_a_warning(tmp_path):
    """``Term`` / ``: Definition`` (mdit-py-plugins' deflist) is the term in bold and each definition,
    as the importer carries an HTML <dl>; one warning names it (it was one paragraph, unnamed)."""
    story = parse(tmp_path, "Apple\n: A fruit.\n: A company.\n\nPear\n:   Another *fruit*.\n\nAfter.\n")
    assert segs(story) == [("paragraph", "**Apple**"), ("paragraph", "A fruit."), ("paragraph", "A company."),
                            ("paragraph", "**Pear**"), ("paragraph", "Another *fruit*."), ("paragraph", "After.")]
    assert [s.line for s in story.segments()][1:] == [5, 6, 7, 9, 10, 12]
    assert story.warnings == [
        "article.md:5: a definition list is carried as paragraphs: each term in bold, then its definitions"]


def test_abbreviation_definitions_are_named_and_left_out(tmp_path):
    """``*[HTML]: …`` (PHP Markdown Extra, kramdown) has no place in a story: a paragraph of them is left
    out, each named on its line; one inside other text stays text, named."""
    story = parse(tmp_path, "The HTML spec.\n\n*[HTML]: HyperText Markup Language\n*[W3C]: World Wide Web\n\n"
                             "Text\n*[X]: ex\n")
    assert segs(story) == [("paragraph", "The HTML spec."), ("paragraph", "Text \\*\\[X\\]: ex")]
    tail = "the story format has no abbreviations; write the words out where the page needs them"
    assert story.warnings == [
        f"article.md:7: abbreviation definition '*[HTML]: HyperText Markup Language' is left out: {tail}",
        f"article.md:8: abbreviation definition '*[W3C]: World Wide Web' is left out: {tail}",
        f"article.md:11: abbreviation definition '*[X]: ex' is shown as text: {tail}"]


def test_kramdowns_heading_attributes_are_read_as_pandocs():
    """``## Title {: #id}`` (kramdown, so Jekyll posts) as ``{#id}``: one reader for stories and imports."""
    from storyloc.story.walker import heading_attributes
    from markdown_it.token import Token
    for written in ("Sentiment {: #sentiment .wide}", "Sentiment {:#sentiment .wide}"):
        kept, attrs = heading_attributes([Token("text", "", 0, content=written)], written)
        assert [t.content for t in kept] == ["Sentiment"] and attrs == {"id": "sentiment", "class": "wide"}
