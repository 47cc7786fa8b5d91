"""Markdown: inline markup, links, footnotes, table cells and block-level Markdown the same as the English's."""
import pytest

from storyloc.check import Entry, run_checks
from storyloc.po import Message

from check_cases import LINKS, case_ids, failures, ids

# (source, translation, language, kind, the checks that must fail)
CASES = [
    ("A *big* and **bold** `x` word.", "Велике *і* **жирне** `x` слово.", "uk", "paragraph", []),
    ("A *big* and **bold** word.", "Велике і **жирне** слово.", "uk", "paragraph", ["markup"]),
    ("Run `make` now.", "Запустіть `зробити` зараз.", "uk", "paragraph", ["markup"]),
    ("A big word.", "Велике <script>alert(1)</script> слово.", "uk", "paragraph", ["html"]),
    ("Read [the report][1].", "Прочитайте [звіт][1].", "uk", "paragraph", []),
    ("Read [the report][1] and [this][2].", "Прочитайте [звіт][1].", "uk", "paragraph", ["links"]),
    ("Read [the report][1].", "Прочитайте [звіт][2].", "uk", "paragraph", ["links"]),
    ("Read [the report][1].", "Прочитайте [звіт](https://evil.example/).", "uk", "paragraph", ["links"]),
    ("See https://gwaramedia.com/en for more.", "Див. https://gwaramedia.com/en.", "uk", "paragraph", []),
    ("See https://gwaramedia.com/en for more.", "Див. https://gwaramedia.com/uk.", "uk", "paragraph", ["links"]),
]


@pytest.mark.parametrize("source, target, lang, kind, expected", CASES)
def test_markup_cases(source, target, lang, kind, expected):
    assert case_ids(source, target, lang, kind) == sorted(expected), failures(source, target, lang, kind)


@pytest.mark.parametrize("source, target, expected", [
    ("A word.", "# Слово.", ["blocks"]),
    ("A word.", "> Слово.", ["blocks"]),
    ("A word.", "- Слово.", ["blocks"]),
    ("A word.", "1. Слово.", ["blocks"]),
    ("A word.", "| Слово |", ["blocks", "end-punctuation"]),
    ("A word.", "[x]: https://evil.example/", ["blocks", "end-punctuation", "links"]),
    ("A word.", "---", ["blocks", "end-punctuation"]),
    ("1. A word.", "1. Слово.", []),
    ("Read [the report](https://ex.org/r) now.", "Прочитайте [звіт](https://ex.org/r) зараз.", []),
    ("Read <https://ex.org/r> now.", "Прочитайте <https://ex.org/r> зараз.", []),
    ("Read [the report](https://ex.org/r) now.", "Прочитайте [звіт](https://evil.example/r) зараз.", ["links"]),
])
def test_blocks_and_inline_links(source, target, expected):
    assert ids(source, target) == sorted(expected), failures(source, target)


def test_a_missing_link_names_its_target():
    [(_, message)] = failures("Read [the report][1] and [this][2].", "Прочитайте [звіт][1].", links=LINKS)
    assert "[...][2] → https://b.example is missing" in message


def test_footnote_markers_and_table_cells_are_checked():
    note = Entry(Message(msgid="The vote[^1] was close.[^2]", msgstr=["Голосування[^1] було близьким."]), "uk",
                 "paragraph")
    assert [m for c, m in run_checks(note) if c.id == "footnotes"] == [
        "footnote marker [^2] ×1 in the English, ×0 here"]
    cell = Entry(Message(msgid="Buses", msgstr=["Автобуси | 10"]), "uk", "cell")
    assert [c.id for c, _ in run_checks(cell)] == ["table-cell"]
