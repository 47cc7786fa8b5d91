"""Masking: what an engine must not touch goes out as {n} and comes back in the target form."""
from __future__ import annotations

import pytest

from storyloc.draft.placeholders import localize_number, mask, unmask
from storyloc.errors import MaskError

TERMS = [("Bakhmut", "Бахмут"), ("Donetsk Oblast", "Донецька область"), ("Gwara Media", "Gwara Media"),
         ("Donetsk", "Донецьк")]


def test_names_numbers_urls_and_markup_are_masked_and_restored():
    text = ("According to *Donetsk Oblast* Governor, 90% of the 70,000 people of Bakhmut fled by April 2022; "
            "see [the report][1] at https://example.org/r?id=3 or write to desk@example.org, `code` <b>x</b>.")
    m = mask(text, TERMS)
    assert "Bakhmut" not in m.text and "70,000" not in m.text and "example.org" not in m.text
    assert "Donetsk" not in m.text and "*" not in m.text and "[" not in m.text
    assert "people of" in m.text and "the report" in m.text           # words inside markup are translated
    assert m.kinds[2] == "term" and m.originals[2] == "Donetsk Oblast"   # the longer term wins
    back = unmask(m, m.text)
    assert back == text.replace("Bakhmut", "Бахмут").replace("Donetsk Oblast", "Донецька область")


def test_an_engine_s_spacing_around_placeholders_is_forgiven():
    m = mask("See [the report][1] and *this*.", [])
    assert unmask(m, m.text.replace("{", "{ ").replace("}", " }")) == "See [the report][1] and *this*."
    moved = m.text.replace("{1}the report{2}", "{1} el informe {2}")
    assert unmask(m, moved) == "See [el informe][1] and *this*."


def test_a_term_opening_a_sentence_is_capitalized():
    m = mask("Donetsk Oblast is large. So is Donetsk Oblast.", [("Donetsk Oblast", "provincia de Donetsk")])
    assert unmask(m, m.text) == "Provincia de Donetsk is large. So is provincia de Donetsk."


@pytest.mark.parametrize("mangle, message", [
    (lambda t: t.replace("{1}", ""), "placeholder {1} (term “Bakhmut”) is missing"),
    (lambda t: t + " {1}", "placeholder {1} (term “Bakhmut”) came back twice"),
    (lambda t: t + " {9}", "the engine invented placeholder {9}"),
    (lambda t: t.replace("{2}", "#").replace("{3}", "{2}").replace("#", "{3}"), "came back out of order"),
])
def test_a_broken_mask_is_an_error_not_a_draft(mangle, message):
    m = mask("Bakhmut is *safe* now.", TERMS)
    assert m.pairs == [(2, 3)]
    with pytest.raises(MaskError, match=message.replace("{", r"\{").replace("}", r"\}").replace("(", r"\(")
                       .replace(")", r"\)")):
        unmask(m, mangle(m.text))


def test_a_segment_of_only_names_needs_no_engine():
    assert mask("Gwara Media", TERMS).only_placeholders()
    assert mask("Bakhmut, Donetsk Oblast", TERMS).only_placeholders()
    assert not mask("Photographs by Gwara Media", TERMS).only_placeholders()
    assert mask("2022", TERMS).only_placeholders()       # nothing to translate (the glossary stage also
                                                          # wants a term in it before it drafts alone)


def test_literal_braces_in_the_source_are_shielded_too():
    m = mask("Use {1} here with Bakhmut", TERMS)
    assert m.originals[1] == "{1}" and unmask(m, m.text) == "Use {1} here with Бахмут"


def test_words_are_not_split_and_snake_case_is_left_alone():
    m = mask("Bakhmutians and file_name_here and 2*3", TERMS)
    assert "Bakhmutians" in m.text and "file_name_here" in m.text


@pytest.mark.parametrize("token, lang, expected", [
    ("70,000", "es", "70.000"), ("70,000", "de", "70.000"), ("70,000", "uk", "70\u00a0000"),
    ("70,000", "fr", "70\u202f000"), ("3.5", "uk", "3,5"), ("1,234.50", "es", "1.234,50"),
    ("40%", "fr", "40\u00a0%"), ("40%", "uk", "40%"), ("12.5%", "es", "12,5\u00a0%"),
    ("2022", "es", "2022"), ("350", "de", "350"), ("10:30", "uk", "10:30"), ("70,000", None, "70,000"),
])
def test_numbers_come_back_as_the_language_writes_them(token, lang, expected):
    assert localize_number(token, lang) == expected
    masked = mask(f"About {token} people", [], lang)
    assert unmask(masked, masked.text) == f"About {expected} people"


def test_for_a_language_model_numbers_and_markup_stay_in_the_text():
    m = mask("About *70,000* left [Bakhmut][1] and Gwara Media said so[^1].", [("Gwara Media", "Gwara Media")],
             "uk", numbers=False, markup=False)
    assert m.text == "About *70,000* left [Bakhmut][1] and {1} said so{2}."
    assert unmask(m, "Близько *70 000* … [Бахмут][1] {1} {2}.") == "Близько *70 000* … [Бахмут][1] Gwara Media [^1]."


@pytest.mark.parametrize("lang, expected", [
    ("es", "Suspended in abril de 2022, since 1 de febrero de 2023."),
    ("fr", "Suspended in avril 2022, since 1 février 2023."),
    ("de", "Suspended in April 2022, since 1. Februar 2023."),
    ("uk", "Suspended in April 2022, since 1 February 2023."),      # inflects: left to the engine
])
def test_dates_come_back_as_the_language_writes_them(lang, expected):
    masked = mask("Suspended in April 2022, since 1 February 2023.", [], lang)
    assert unmask(masked, masked.text) == expected
    assert "May" in mask("May we go?", [], "es").text                 # a month needs a day or a year


def test_a_kept_name_written_out_instead_of_its_placeholder_is_accepted():
    m = mask("Oleksandr Babenko for Gwara Media", [("Gwara Media", "Gwara Media")])
    assert unmask(m, "Олександр Бабенко для Gwara Media") == "Олександр Бабенко для Gwara Media"
    with pytest.raises(MaskError, match="missing"):
        unmask(m, "Олександр Бабенко для Гвара Медіа")
