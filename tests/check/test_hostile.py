"""Hostile text: far too long, control and bidi characters, raw HTML, format specs; and every check, the
build and the review page finishing on a hostile megabyte."""
import pytest

from storyloc.check import Entry, findings_for
from storyloc.po import Message

from check_cases import failures, ids, run_hostile
from conftest import STORY


@pytest.mark.parametrize("source, target, lang, expected", [
    ("A word.", "Слово\x00.", "uk", ["control-chars"]),
    ("A word.", "Слово\x1b[31m.", "uk", ["control-chars", "markup", "numbers"]),
    ("A word.", "Слово\x85.", "uk", ["control-chars"]),
    ("A word.", "Сло\tво.", "uk", ["whitespace"]),                    # a tab is the whitespace check's
    ("A word.", "Слово \u202eовлс.", "uk", ["control-chars"]),
    ("A word.", "Слово \u2066x\u2069.", "uk", ["control-chars"]),
    ("A word.", "كلمة \u2067x\u2069.", "ar", []),                       # isolates belong in right-to-left text
    ("A word.", "كلمة \u202ex.", "ar", ["control-chars"]),             # an override never does
    ("A word.", "Слово <!-- x --> тут.", "uk", ["html"]),
    ("A word.", "Слово <img src=x onerror=alert(1)> тут.", "uk", ["html"]),
    ("A word.", "Слово &lt;script&gt; тут.", "uk", ["html"]),
    ("A <b>word</b>.", "<b>Слово</b>.", "uk", []),
    ("{count} photos", "{count:>99999999} фото", "uk", ["format", "numbers", "placeholders"]),
    ("{count} photos", "{count!r} фото", "uk", ["format", "placeholders"]),
])
def test_hostile_text_checks(source, target, lang, expected):
    assert ids(source, target, lang) == sorted(expected), failures(source, target, lang)


def test_a_translation_far_longer_than_its_english_is_refused_unread():
    assert failures("A word.", "Слово. " * 1000) == [
        ("too-long", "7,000 characters for 7 of English (at most 228); the other checks did not read it")]


def test_hostile_checks_cannot_be_silenced():
    m = Message("A word.", ["Слово\x00."], translator_comments=["storyloc: ignore control-chars"])
    entry = Entry(m, "uk", "paragraph")
    [finding] = findings_for(entry, "x.po", "s")
    assert finding.check == "control-chars" and not finding.ignored


_CHECKS_SCRIPT = r'''
from storyloc.po import Message
from storyloc.check import CHECKS, Entry, run_checks
from storyloc.check.hostile import TOO_LONG_RATIO, TOO_LONG_SLACK
from storyloc.story import Segment
english = ("Residents of Bakhmut, in Donetsk Oblast, said on February 1 that 70,000 people "
           "had left; see [the report][1] and https://gwaramedia.com/en. ") * 8       # a long paragraph
for kind, lang in (("paragraph", "uk"), ("byline", "de"), ("credit", "ar")):
    # a megabyte through the registry, as every caller runs the checks
    entry = Entry(Message(english, [hostile()]), lang, kind, Segment(kind, english, 1, None, None, ()))
    assert [c.id for c, _ in run_checks(entry)] == ["too-long"]
# every check itself, on every shape at the largest size the registry lets through
largest = TOO_LONG_RATIO * len(english) + TOO_LONG_SLACK
for shape in SHAPES:
    entry = Entry(Message(english, [shape * (largest // len(shape))]), "uk", "byline",
                  Segment("byline", english, 1, None, None, ("https://gwaramedia.com",)), ("Oleksandr Babenko",))
    for c in CHECKS.values():
        list(c.run(entry))
print("ok")
'''


def test_every_check_completes_on_hostile_text():
    result = run_hostile(_CHECKS_SCRIPT)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


_PIPELINE_SCRIPT = r'''
import sys
from pathlib import Path
from storyloc.po import read_po, save_po
from storyloc.check import check
from storyloc.project import Project
from storyloc.review import Review
root, story = Path(sys.argv[1]), sys.argv[2]
project = Project.load(root)
path = project.catalog(story, "uk")
catalog = read_po(path)
entry = next(m for m in catalog.entries() if m.msgid_plural is None)
entry.msgstr = [hostile()]
entry.fuzzy = False
save_po(catalog, path)
assert check(project, ("uk",)).errors >= 1
from storyloc.build import build
build(project)
page = Review(project, "uk").page(story)
assert page["errors"] >= 1 and [c["id"] for c in page["segments"][0]["checks"]] == ["too-long"]
print("ok")
'''


def test_check_build_and_the_review_page_complete_on_a_hostile_catalog(project_dir):
    result = run_hostile(_PIPELINE_SCRIPT, str(project_dir), STORY)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
