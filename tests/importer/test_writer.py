"""The Markdown writer: text kept exactly, structure carried, links kept to their targets."""
from __future__ import annotations

import pytest

from importtext import structure, paragraphs, md, page


def test_reference_links_resolve_to_their_own_targets():
    """A source's own [text][1] + [1]: url cannot collide with storyloc's [text][n] numbering: it is inlined."""
    result = md("---\ntitle: T\n---\n\nThe [council vote][1] and [the report][2].\n\n"
                "[1]: https://example.org/vote\n[2]: https://example.org/report\n")
    assert "[council vote](https://example.org/vote)" in result.text
    assert "[the report](https://example.org/report)" in result.text
    assert "[1]" not in result.text and "[2]" not in result.text


def test_text_is_kept_exactly():
    """No-break and narrow no-break spaces, typographic quotes and entities come through as characters."""
    result = md("---\ntitle: T\n---\n\nA\u00a0b “quoted” it’s 10\u202f000 &#8220;x&#8221; 5&nbsp;km\n")
    assert "A\u00a0b “quoted” it’s 10\u202f000 “x” 5\u00a0km" in result.text


@pytest.mark.parametrize("text", ["1. Not a list", "# Not a heading", "- Not an item", "> Not a quote",
                                  "*Not emphasis*", "[Not a link](x)", "| not | a table |", "<b>not markup</b>"])
def test_text_that_looks_like_markdown_stays_text(text):
    result = page(f"<p>{text.replace('<', '&lt;')}</p>")
    assert paragraphs(result.text) == [text]


def test_nested_lists_and_a_heading_followed_directly_by_text():
    result = md("---\ntitle: T\n---\n## What changed\nFirst line.\n\n- a\n  - a1\n  - a2\n- b\n\n"
                "5. five\n6. six\n")
    s = structure(result.text)
    assert s["h2"] == 1 and s["li"] == 6
    assert "## What changed\n\nFirst line." in result.text
    assert "- a\n  - a1\n  - a2\n- b" in result.text and "5. five\n6. six" in result.text


@pytest.mark.parametrize("body, expected, warning", [
    ("<p>CO<sub>2</sub> rose</p>", "CO2 rose", "subscript carried as plain text"),
    ("<h2>Two<br>lines</h2><p>Text.</p>", "## Two lines", None),
    ("<table><caption>Votes by ward</caption><tr><th>A</th></tr><tr><td>1</td></tr></table>",
     "| A |\n| --- |\n| 1 |\n\nVotes by ward", "a table or quote caption carried as a paragraph after it"),
    ("<blockquote><p>We had no choice.</p><footer>Mayor Lee</footer></blockquote>",
     "> We had no choice.\n>\n> Mayor Lee", None),
])
def test_smaller_html_constructs(body, expected, warning):
    result = page(body)
    assert expected in result.text
    assert result.warnings == ([f"in.html:1: {warning}"] if warning else [])


def test_code_blocks_are_carried_as_fences():
    """Code is structure the story keeps untranslated: a fence, with its language."""
    result = md("---\ntitle: T\n---\n\nText.\n\n```sh\necho \"a  b\"\n```\n\n    indented\n")
    assert result.text.endswith("Text.\n\n```sh\necho \"a  b\"\n```\n\n```\nindented\n```\n")
    html_result = page('<p>Text.</p><pre><code class="language-python">x = "```"\n</code></pre>')
    assert html_result.text.endswith('Text.\n\n````python\nx = "```"\n````\n')
    assert result.warnings == html_result.warnings == []


def test_text_marked_to_run_in_another_direction_is_named_once():
    """opensource.guide's Arabic articles isolate Latin names in <span dir='ltr'>; a story has no such mark."""
    result = md("---\ntitle: T\nlang: ar\n---\n\nالبيئة الشخصية <span dir='ltr' markdown=\"1\">(Personal Ecology)"
                "</span>\n\nمنظمة الصحة العالمية <span dir='ltr'>(WHO)</span>\n", source_language="en")
    assert "البيئة الشخصية (Personal Ecology)\n\nمنظمة الصحة العالمية (WHO)\n" in result.text
    assert result.warnings == ['in.md:6: 2 passages marked to run in another text direction (<span dir="ltr"> and '
                               'more) carried without the mark: a story has none; check their punctuation on the page']


def test_a_direction_that_changes_nothing_is_no_loss():
    result = page('<p>The <span dir="ltr">Owncast</span> server.</p><div dir="rtl"><p>نص <bdi dir="rtl">عربي</bdi>'
                  '</p></div>')
    assert result.warnings == ['in.html:1: 1 passage marked to run in another text direction (<div dir="rtl">) '
                               'carried without the mark: a story has none; check its punctuation on the page']


def test_an_abbreviation_s_expansion_is_named():
    result = page('<p>The <abbr title="HyperText Markup Language">HTML</abbr> and <abbr>CSS</abbr> files.</p>')
    assert "The HTML and CSS files." in result.text
    assert result.warnings == ["in.html:1: the expansion of 'HTML' (<abbr title='HyperText Markup Language'>) left "
                               "out; the abbreviation is kept"]


def test_cell_alignment_carries_to_its_column():
    """GFM aligns columns: a column takes its cells' <td align> when its header has none; two ways are named."""
    result = page('<table><tr><th>Ward</th><th align="center">Votes</th><th>Share</th></tr>'
                  '<tr><td>North</td><td align="right">1,204</td><td align="right">52%</td></tr>'
                  '<tr><td>South</td><td>998</td><td style="text-align: left">48%</td></tr>'
                  '<tr><td>All</td><td>2,202</td><td align="right">100%</td></tr></table>')
    assert "| Ward | Votes | Share |\n| --- | :---: | ---: |\n" in result.text
    assert result.warnings == ["in.html:1: the cells of column 2 are aligned center and right: the column is "
                               "aligned center, as a Markdown table's column is one way",
                               "in.html:1: the cells of column 3 are aligned right and left: the column is "
                               "aligned right, as a Markdown table's column is one way"]


def test_comments_between_list_items_leave_the_items_siblings():
    """Distill's and CMS templates' comments between <li>s (each left a run of blanks: two made the next
    item a sub-item)."""
    result = page('<ul>\n  <li>first.</li>\n  <!-- one -->\n  <!-- two -->\n  <!-- three -->\n  <li>second.</li>\n'
                  '</ul>\n<ol start="4">\n  <li>a.</li>\n  <!-- x -->\n  <!-- y -->\n  <li>b.</li>\n</ol>\n'
                  '<p>run<!-- z -->on</p>\n')
    assert result.text.endswith("- first.\n- second.\n\n4. a.\n5. b.\n\nrunon\n")


def test_distills_inline_footnotes_are_footnotes_and_its_citations_are_named():
    """Distill (distill.pub) writes a note where it is referenced, <d-footnote>; it ran into the sentence."""
    result = page('<p>Into these mountains.<d-footnote>That is, <em>really</em> good tutorials.</d-footnote> The '
                  'climb <d-cite key="a,b"></d-cite> and <d-cite key="c"></d-cite>.</p><p>Again<d-footnote>Second.'
                  '</d-footnote>.</p>')
    assert "Into these mountains.[^1] The climb" in result.text and "Again[^2]." in result.text
    assert result.text.endswith("[^1]: That is, *really* good tutorials.\n\n[^2]: Second.\n")
    assert [w for w in result.warnings if "d-cite" in w] == [
        "in.html:1: 2 citations (<d-cite key=…>) left out: their bibliography is a script, which a story cannot "
        "hold; write them as footnotes"]
