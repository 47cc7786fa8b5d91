"""What engines and templates leave behind: engine marks, words run together, placeholders."""
import pytest

from storyloc.check import Entry, run_checks
from storyloc.po import Message

from check_cases import case_ids, failures

# (source, translation, language, kind, the checks that must fail)
CASES = [
    ("Soledar is near.", "*Soledar está cerca.", "es", "paragraph", ["engine-marks"]),
    ("Soledar is near.", "Soledar está {1} cerca.", "es", "paragraph", ["placeholders"]),
    ("Soledar is near.", "Soledar está TK cerca.", "es", "paragraph", ["placeholders"]),
    ("Follow #Soledar now.", "Seguid #Soledar ahora.", "es", "paragraph", []),
]


@pytest.mark.parametrize("source, target, lang, kind, expected", CASES)
def test_leftover_cases(source, target, lang, kind, expected):
    assert case_ids(source, target, lang, kind) == sorted(expected), failures(source, target, lang, kind)


def test_words_the_engine_ran_together_are_flagged_until_fixed():
    note = "storyloc: note words Apertium ran together, put the spaces back: lainvasiónde"
    glued = Message("As the invasion nears", ["Como lainvasiónde se acerca"], translator_comments=[note])
    entry = Entry(glued, "es", "paragraph")
    assert [(c.id, m) for c, m in run_checks(entry) if c.id == "engine-marks"] == [
        ("engine-marks", "lainvasiónde: words the engine ran together; put the spaces back")]
    glued.msgstr = ["Como la invasión de se acerca"]
    assert [c.id for c, _ in run_checks(entry) if c.id == "engine-marks"] == []
