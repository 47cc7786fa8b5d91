"""Form: whitespace, line breaks, end punctuation, length, the apostrophe, copies of the English."""
import pytest

from storyloc.check import Entry, run_checks
from storyloc.po import Message

from check_cases import case_ids, failures

# (source, translation, language, kind, the checks that must fail)
CASES = [
    ("Soledar is near.", " Soledar  está cerca.", "es", "paragraph", ["whitespace"]),
    ("Soledar is near.", "Soledar está\ncerca.", "es", "paragraph", ["line-break"]),
    ("Is it near?", "¿Está cerca?", "es", "paragraph", []),
    ("Is it near?", "Está cerca.", "es", "paragraph", ["end-punctuation"]),
    ("A caption without a stop", "Un pie de foto sin punto", "es", "caption", []),
    ("The city has become a total wreck after months.", "Місто.", "uk", "paragraph", ["length"]),
    ("Sloviansk is near.", "Словʼянськ поруч.", "uk", "paragraph", []),
    ("Sloviansk is near.", "Слов'янськ поруч.", "uk", "paragraph", ["apostrophe"]),
    ("Sloviansk is near.", "Слов’янськ поруч.", "uk", "paragraph", ["apostrophe"]),
    ("The elderly do not want to leave.", "The elderly do not want to leave.", "uk", "paragraph", ["untranslated"]),
]


@pytest.mark.parametrize("source, target, lang, kind, expected", CASES)
def test_form_cases(source, target, lang, kind, expected):
    assert case_ids(source, target, lang, kind) == sorted(expected), failures(source, target, lang, kind)


def test_the_catalog_s_own_apostrophe_is_the_one_to_keep():
    entry = Entry(Message("Sloviansk is near.", ["Слов’янськ поруч."]), "uk", "paragraph", apostrophe="’")
    assert [c.id for c, _ in run_checks(entry)] == []
