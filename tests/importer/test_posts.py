"""Hugo, Jekyll and Eleventy posts: shortcodes, template tags, Markdown."""
from __future__ import annotations

import pytest

from importtext import md


def test_hugo_figure_shortcode():
    result = md('---\ntitle: T\n---\n\nText.\n\n{{< figure src = "/img/a.jpg" alt = "A cat" '
                'caption = "On the *roof*" attr = "Photo: Jo" >}}\n')
    assert "::: figure a\nimage: https://gazette.example/img/a.jpg\nalt: A cat\ncaption: On the *roof*\n" \
           "credit: Jo\n:::" in result.text
    assert result.warnings == []


def test_jekyll_and_eleventy_figures():
    result = md('---\ntitle: T\n---\n\nText.\n\n{% include "linked-figure.html",\n  image: "/a/b.png",\n'
                '  alt: "A chart",\n  caption: "Votes." %}\n\n<figure>\n  {% image "c/d.jpg" "" %}\n'
                '  <figcaption>A hall. Photo courtesy: GSA</figcaption>\n</figure>\n')
    assert "::: figure b\nimage: https://gazette.example/a/b.png\nalt: A chart\ncaption: Votes.\n:::" in result.text
    assert "::: figure d\nimage: https://gazette.example/c/d.jpg\ncaption: A hall.\n" \
           "credit: GSA\n:::" in result.text
    assert result.warnings == ["in.md:12: figure 'd' has no alt text; add an `alt:` line"]


@pytest.mark.parametrize("source, line, message", [
    ("Text.\n\n{{< tweet 123 >}}\n", 8, "shortcode 'tweet' has no place in a story; left out (its inner text is kept)"),
    ("Text.\n\n<script>x()</script>\n", 8, "a script has no place in a story; left out"),
    ("Text.\n\n<div>\n<p>one</p>\n<script>x()</script>\n</div>\n", 10, "a script has no place in a story; left out"),
    ("Text.\n\n{{< figure alt=\"x\" >}}\n", 8, "shortcode 'figure' names no image; left out"),
])
def test_markdown_constructs_left_out_are_named_with_their_line(source, line, message):
    result = md("---\ntitle: T\ntags: [a]\n---\n\n" + source)
    assert f"in.md:{line}: {message}" in result.warnings
    assert "in.md:3: front matter field 'tags' has no place in a story; left out" in result.warnings


def test_liquid_site_addresses_and_other_template_expressions():
    result = md('---\ntitle: T\n---\n\nSee [x]({{ site.baseurl }}/blog/) and [y]({{ "/about/" | relative_url }})'
                ' {{ page.foo }}.\n')
    assert "See [x](https://gazette.example/blog/) and [y](https://gazette.example/about/) ." in result.text
    assert result.warnings == ["in.md:5: template expression {{ page.foo }} has no place in a story; left out"]


def test_markdown_escapes_in_a_shortcode_address_are_undone():
    """WordPress-to-Hugo converters escaped underscores even inside shortcode arguments."""
    result = md('---\ntitle: T\n---\n\nText.\n\n{{< legacy-img src="2013/11/apples\\_and\\_oranges.jpg" alt="Fruit" >}}\n')
    assert "image: https://gazette.example/2013/11/apples_and_oranges.jpg\n" in result.text


def test_a_caption_set_on_the_line_under_an_image_shortcode():
    """18F's Eleventy posts: {% image %} and, on the next line of the same paragraph, the caption in italics."""
    result = md('---\ntitle: T\n---\n\nText.\n\n{% image "a/email.jpg" "An illustration" %}\n*An illustration of '
                'closed-node\ncommunication, from the talk*\n\nMore.\n')
    assert "::: figure email\nimage: https://gazette.example/a/email.jpg\nalt: An illustration\ncaption: An " \
           "illustration of closed-node communication, from the talk\n:::\n\nMore." in result.text


def test_a_markdown_source_keeps_its_footnote_labels():
    result = md("---\ntitle: T\n---\n\nA[^flood] b[^1] c[^flood].\n\n[^flood]: Gauge.\n[^1]: One.\n")
    assert result.text.endswith("A[^flood] b[^1] c[^flood].\n\n[^flood]: Gauge.\n\n[^1]: One.\n")


def test_a_template_expression_printing_a_string_keeps_it():
    """go.dev's {{raw `…`}} holds the post's code (a "}}" inside it too); Go's {{ "text" }} prints its text."""
    result = md('---\ntitle: T\n---\n\nThe code looks like:\n\n{{raw `\n\tfunc f() T {\n\t\treturn T{S{}}\n\t}\n`}}\n\n'
                'After {{ "it" }} and {{- `that` | safeHTML -}}.\n')
    assert result.text.endswith("The code looks like:\n\n```\nfunc f() T {\n\treturn T{S{}}\n}\n```\n\n"
                                "After it and that.\n")
    assert result.warnings == []


def test_a_warning_quoting_a_long_template_expression_is_one_line():
    result = md('---\ntitle: T\n---\n\nText.\n\n{{ partial "figure.html"\n  (dict "src" "a.jpg" "alt" "A long '
                'description of the picture" "caption" "x") }}\n\nMore.\n')
    assert result.warnings == ['in.md:7: template expression {{ partial "figure.html" (dict "src" "a.jpg" "alt" '
                               '"A long des… }} has no place in a story; left out']
    assert result.text.endswith("Text.\n\nMore.\n")


def test_heading_attributes_are_taken_off_and_their_ids_kept_on_the_heading():
    """kramdown's and Hugo's {#id}: never a translator's text; the id stays the heading's, as the
    story writes it, and other attributes are named once."""
    result = md("---\ntitle: T\n---\n\n## Who did we hear from? {#demographics}\n\nText.\n\n"
                "### Sentiment {: #sentiment .wide}\n\nMore.\n\n## Sets {A, B}\n\nEnd.\n")
    assert ("## Who did we hear from? {#demographics}\n\nText.\n\n### Sentiment {#sentiment}\n\nMore.\n\n"
            "## Sets {A, B}\n") in result.text
    assert result.warnings == ["in.md:9: heading attributes other than ids (class) left out"]


def test_an_html_headings_id_is_kept_when_the_story_reads_it_back():
    from storyloc.importer.writer import heading_id
    assert heading_id("h-results") == " {#h-results}" and heading_id("概要") == " {#概要}"
    assert heading_id(None) == heading_id("") == heading_id("two words") == heading_id("a}b") == ""


def test_markdown_inside_html_marked_markdown_1_is_rendered():
    """kramdown's markdown="1" (opensource.guide): the words and credit inside the raw HTML are Markdown."""
    result = md('---\ntitle: T\n---\n\nText.\n\n<aside markdown="1" class="pquote">\n  \\[Docs\\] are *very* '
                'important & 2 < 3.\n  <p markdown="1" class="pquote-credit">\n— @kittens, ["Call for '
                'contributors"](https://github.com/babel/babel/issues/1347)\n  </p>\n</aside>\n')
    assert result.text.endswith("::: pullquote\n\\[Docs\\] are *very* important & 2 \\< 3.\n\n— @kittens, "
                                "[\"Call for contributors\"](https://github.com/babel/babel/issues/1347)\n:::\n")


def test_markdown_inside_html_holds_no_html_of_its_own():
    """An escaped tag in such text stays text, and an entity is decoded once (it was a real <script>)."""
    result = md('---\ntitle: T\n---\n\nText.\n\n<aside markdown="1" class="pquote">\n  Never '
                '&lt;script&gt;alert(1)&lt;/script&gt; and &amp;lt;b&amp;gt; here.\n</aside>\n')
    assert result.text.endswith("::: pullquote\nNever \\<script>alert(1)\\</script> and \\&lt;b\\&gt; here.\n:::\n")
    assert not [w for w in result.warnings if "script" in w]


def test_an_unclosed_template_expression_before_many_quotes_is_read_in_linear_time(tmp_path):
    """Prose with a literal "{{" and quoted phrases after it: each quote is read one way, not in every
    way of splitting them (the old expression took 300 s for 20 quoted words; this guard, a minute)."""
    import subprocess
    import sys
    program = ("from storyloc.importer.posts import EXPRESSION\n"
               "print(EXPRESSION.search('Templates open with `{{` and close later. ' + '\"yes\" ' * 60 + '}'))")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "None"
    result = md("---\ntitle: T\n---\n\nTemplates open with `{{` and close later.\n\n"
                + "".join(f'The editor said "yes" and the writer said "no" in round {i}.\n\n' for i in range(12)))
    assert result.text.count('"yes"') == 12
