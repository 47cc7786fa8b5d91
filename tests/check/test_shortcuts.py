"""The checks' shortcuts (a test that skips a check when its trigger cannot occur, prose read without
markdown-it, glossary patterns made once): each case's failures are what the checks gave before them."""
import pytest

from storyloc.check import terms_in
from storyloc.check.text import LINK_REF, _markdown, inline
from storyloc.glossary import Term

from check_cases import LINKS, TERMS, failures

PROSE = ["Hello [uk] world!", "a ] ( b [ c ) !", "A [lone] bracket and a bang!", "x  y\tz ", " lead", "A’s 3.5 % {x} #t @h",
         "«Так» — сказав він…", "a\u00a0b\u202fc\u2028d", "-- -> = + ~ ^ | > $"]
MARKDOWN = ["[a](b)", "[a][1]", "![i](p.png)", "*a*", "_a_", "`c`", "a\nb", "a\rb", "a\0b", "&amp;", "&#49;",
            "<https://x.example>", "a\\*b", "x  \ny"]


@pytest.mark.parametrize("text", PROSE + MARKDOWN)
def test_inline_tokens_are_markdown_its(text):
    tokens = _markdown.parseInline(LINK_REF.sub(r"\1", text))          # link references read as their text
    assert inline(text) == list(tokens[0].children or [])


def test_prose_is_one_text_token():
    for text in PROSE:
        assert [(t.type, t.content) for t in inline(text)] == [("text", text)]


CASES = [
    # a character reference is a digit once parsed; a decimal point may be one too
    ("One &#49;&#50;&#51; thing.", "Одна річ.", [("numbers", "number 123 is missing")]),
    ("It grew 3.5 times.", "Зросло в 3.5 раза.",
     [("number-format", "3.5 is written the English way; here it is 3,5")]),
    ("It grew 3.5 times.", "Зросло в 3&period;5 раза.",
     [("number-format", "3.5 is written the English way; here it is 3,5"),
      ("html", "character reference &period;: write the character itself")]),
    ("At 10.30 on 1 February.", "О 10:30 1 лютого.", []),
    # written-out URLs and addresses on one side only
    ("Write to ann@ex.org now.", "Пишіть зараз, будь ласка.", [("links", "URL changed or missing (ann@ex.org)")]),
    ("See www.ex.org now.", "Дивіться зараз.", [("links", "URL changed or missing (www.ex.org)")]),
    ("See the report.", "Дивіться [звіт](https://evil.example).",
     [("links", "link target changed (https://evil.example is not in the English)")]),
    ("See the report.", "Дивіться [звіт][1].", [("links", "link [...][1] has no target in the English (it has 0 link(s))")]),
    ("A [lone] bracket and a bang!", "Одна [дужка] і знак!", []),
    ("Sources.", "Джерела[^1].", [("footnotes", "footnote marker [^1] is not in the English")]),
    # placeholders, HTML's ends and references
    ("Done.", "Зроблено TK.", [("placeholders", "placeholder TK left in the text")]),
    ("Done.", "Зроблено __NAME__ [[x]] \ue000.",
     [("markup", "**strong** ×0 in the English, ×1 here"), ("placeholders", "placeholder __NAME__ left in the text"),
      ("placeholders", "placeholder [[x]] left in the text"), ("placeholders", "placeholder U+E000 left in the text")]),
    ("Done.", "Зроблено -->.", [("html", "HTML markup '-->' (a comment, declaration or instruction); remove it")]),
    ("Done.", "Зроблено &amp; так.", [("html", "character reference &amp;: write the character itself")]),
    # a copy of the English: case and spacing aside, and each copied word counted as often as it occurs
    ("The troops held the line at night.", "the  TROOPS held\tthe line at night.",
     [("whitespace", "double space"), ("whitespace", "tab character"), ("untranslated", "same as the English")]),
    ("The troops held the line at night.", "The troops the troops held the line, вночі.",
     [("untranslated", "mostly English (7 of 8 words copied)")]),
    # block starts on later lines, in the table's order; indented code only after the first line
    ("A line.", "Рядок\n    # не заголовок\n1. пункт\n---\n  > цитата",
     [("line-break", "line break inside the translation; write it on one line"),
      ("end-punctuation", "the English ends with a full stop, the translation with no end punctuation"),
      ("blocks", "a line starts a indented code the English does not have; escape the first character or reword"),
      ("blocks", "a line starts a list item the English does not have; escape the '.' after the number (1\\.) "
                 "or reword"),
      ("blocks", "a line starts a thematic break or underline the English does not have; escape the first character "
                 "or reword"),
      ("blocks", "a line starts a block quote the English does not have; escape the first character or reword")]),
    ("    code first", "    код перший", []),
    ("In 1986, it began.", "1986) Es begann.",
     [("markup", "unbalanced ( )"),
      ("blocks", "a line starts a list item the English does not have; escape the ')' after the number (1986\\)) "
                 "or reword")]),
    ("A dash.", "- тире.",
     [("blocks", "a line starts a list item the English does not have; escape the first character or reword")]),
    ("The *engine* word.", "Слово *unknown рушія*.", []),
    ("The engine word.", "Слово *невідоме рушія.",
     [("engine-marks", "engine mark *невідоме (unknown word)")]),      # the engine's *, not emphasis
    ("In Donetsk Oblast, Bakhmut.", "У Донецькій області, Бахмут.", []),
    # apostrophes between Ukrainian letters only (not quotes, not in Latin names), each kind named
    ("Sloviansk, feathers and family.", "Слов'янськ, пір’я, сім`я, м'ясо і 'цитата' та Oʼ'Brien.",
     [("markup", "unbalanced ` (a code marker without its pair)"),
      ("apostrophe", "apostrophe ' (U+0027) in “Слов'янськ, пір’я”; this catalog writes ʼ (U+02BC)"),
      ("apostrophe", "apostrophe ’ (U+2019) in “в'янськ, пір’я, сім`я, м'”; this catalog writes ʼ (U+02BC)"),
      ("apostrophe", "apostrophe ` (U+0060) in “, пір’я, сім`я, м'ясо і '”; this catalog writes ʼ (U+02BC)"),
      ("apostrophe", "apostrophe ' (U+0027) in “’я, сім`я, м'ясо і 'цитат”; this catalog writes ʼ (U+02BC)")]),
]


@pytest.mark.parametrize("source,target,expected", CASES)
def test_failures_are_the_same_with_the_shortcuts(source, target, expected):
    assert failures(source, target, "uk", "paragraph", TERMS, (), LINKS) == expected


def test_a_catalog_writes_the_apostrophe_most_of_its_words_have():
    from storyloc.check.entry import catalog_apostrophe
    from storyloc.po import Catalog, Message
    catalog = Catalog(messages=[Message("", ["h"]), Message("a", ["Слов'янськ і м'ясо"]), Message("b", ["пір’я 'так'"])])
    assert catalog_apostrophe(catalog) == "'"


def test_glossary_terms_whole_words_longest_first():
    terms = TERMS + [Term("Donetsk", "Донецьк")]
    found = terms_in("In Donetsk Oblast, Bakhmut, Bakhmut and Gwara Media.", terms)
    assert [t.source for t in found] == ["Donetsk Oblast", "Bakhmut", "Gwara Media"]
    assert [t.source for t in terms_in("In Donetsk Oblasts and Bakhmutian.", terms)] == ["Donetsk"]
    assert [t.source for t in terms_in("Donetsk, then Donetsk Oblast", terms)] == ["Donetsk", "Donetsk Oblast"]
