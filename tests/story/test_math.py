"""TeX math in a story: kept whole and never translated, like code."""
from storyloc.check import Entry, run_checks
from storyloc.po import Message
from storyloc.story import render_markdown

from storytext import parse, segs

MATH = r"""Let $$A, \, B$$ be sets and $$S = \sum_{\{ T_j \}} T_j$$, so $x^2$ holds.

$$
\begin{align*}

W &= 1 \\

&= 2
\end{align*}
$$

\begin{equation}
E = mc^2
\end{equation}

It cost $5 and $10, or US$5 and $ 6 $.
"""


def test_math_is_one_code_span_in_its_message_and_display_math_a_math_code_block(tmp_path):
    """Inline math is a code span holding it whole, dollars and all (the translator keeps it as is);
    display math and an amsmath environment are ```math blocks, never messages; prices stay text."""
    story = parse(tmp_path, MATH)
    assert segs(story) == [
        ("paragraph", r"Let `$$A, \, B$$` be sets and `$$S = \sum_{\{ T_j \}} T_j$$`, so `$x^2$` holds."),
        ("paragraph", "It cost $5 and $10, or US$5 and $ 6 $.")]
    assert [(b.kind, b.info, b.text) for b in story.blocks[1:3]] == [
        ("code", "math", "\\begin{align*}\n\nW &= 1 \\\\\n\n&= 2\n\\end{align*}\n"),
        ("code", "math", "\\begin{equation}\nE = mc^2\n\\end{equation}\n")]
    assert story.warnings == []
    out = render_markdown(story, lambda seg: seg.text, "en")
    assert "```math\n\\begin{align*}\n\nW &= 1" in out and "`$x^2$`" in out


def test_a_translation_must_keep_the_math_and_its_braces_are_no_placeholders(tmp_path):
    story = parse(tmp_path, MATH)
    seg = list(story.segments())[1]

    def failures(target):
        entry = Entry(Message(seg.text, [target]), "de", "paragraph", seg)
        return [(c.id, message) for c, message in run_checks(entry)]

    kept = r"Seien `$$A, \, B$$` Mengen und `$$S = \sum_{\{ T_j \}} T_j$$`, also gilt `$x^2$`."
    assert failures(kept) == []
    changed = kept.replace(r"T_j \}} T_j", r"T_k \}} T_k")
    assert [check for check, _ in failures(changed)] == ["markup"]
