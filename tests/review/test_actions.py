"""review/actions.py: what save, review, approve, needs work and ignore do to one entry."""
import pytest

from storyloc.errors import ReviewError
from storyloc.po import provenance, read_po
from storyloc.review import Review, clean_text

from conftest import STORY, msgfmt_check
from reviewing import OLENA, entry, po, segment, sha  # noqa: F401 (po: a fixture)


def test_approve_clears_fuzzy_and_records_who(project, po):
    review = Review(project, "uk", "Tester", today=lambda: "2026-11-26", now=lambda: "2026-11-26 10:00+0000")
    before = po.read_text(encoding="utf-8")
    seg = review.page(STORY)["segments"][6]
    data = review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "approve", seg["msgstr"], OLENA)
    m = entry(po, "Russian troops intensify")
    assert m.status == "reviewed" and m.previous_msgid is None
    digest = provenance.text_digest(m.msgstr[0])
    assert [r.format() for r in provenance.records(m)] == [
        "storyloc: draft engine=apertium pair=eng-ukr date=2026-11-25",
        "storyloc: reviewed by=Olena_Kovalenko role=editor date=2026-11-26",
        f"storyloc: approved by=Olena_Kovalenko role=editor date=2026-11-26 text={digest}"]
    assert data["segments"][6]["state"] == "approved" and data["approved"] == 1
    header = read_po(po).header_fields()
    assert header["Last-Translator"] == "Olena Kovalenko"
    assert header["PO-Revision-Date"] == "2026-11-26 10:00+0000"
    assert data["version"] == sha(po) and data["counts"]["draft"] == 2
    assert msgfmt_check(po).returncode == 0, msgfmt_check(po).stderr
    # nothing else in the file moved
    after = po.read_text(encoding="utf-8")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == ['"PO-Revision-Date: 2026-11-26 10:00+0000\\n"', '"Last-Translator: Olena Kovalenko\\n"',
                       "# storyloc: reviewed by=Olena_Kovalenko role=editor date=2026-11-26",
                       f"# storyloc: approved by=Olena_Kovalenko role=editor date=2026-11-26 text={digest}"]


def test_empty_entries_drafts_needs_work_and_ignore(project, po):
    review = Review(project, "uk", "Tester", today=lambda: "2026-11-26")
    seg = review.page(STORY)["segments"][2]
    review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "save", "")
    assert entry(po, "Photographs by").status == "missing" and not entry(po, "Photographs by").fuzzy
    review.change(STORY, seg["ctxt"], seg["msgid"], segment(review, 2)["version"], "save", "Фото Олександра Бабенка")
    m = entry(po, "Photographs by")
    assert m.status == "draft" and provenance.latest(m, "edited").fields["by"] == "Tester"
    review.change(STORY, seg["ctxt"], seg["msgid"], segment(review, 2)["version"], "review", "Фото Олександра Бабенка")
    assert segment(review, 2)["state"] == "reviewed"
    review.change(STORY, seg["ctxt"], seg["msgid"], segment(review, 2)["version"], "unapprove")
    m = entry(po, "Photographs by")
    assert m.status == "draft" and provenance.latest(m, "reviewed") is None
    hostile = review.page(STORY)["segments"][9]
    data = review.change(STORY, hostile["ctxt"], hostile["msgid"], hostile["version"], "ignore", check="markup")
    assert all(c["ignored"] for c in data["segments"][9]["checks"] if c["id"] == "markup")
    assert "storyloc: ignore markup by=Tester date=2026-11-26" in entry(po, hostile["msgid"][:30]).translator_comments
    assert msgfmt_check(po).returncode == 0


def test_newlines_stay_where_the_english_has_them():
    assert clean_text("рядок\r\nдругий", "line\nsecond", "x.po", 1) == "рядок\nдругий"
    assert clean_text("рядок\nдругий", "line second", "x.po", 1) == "рядок другий"
    assert clean_text("рядок", "line\n", "x.po", 1) == "рядок\n"             # msgfmt --check: both or neither
    assert clean_text("рядок\n", "line", "x.po", 1) == "рядок"
    assert clean_text("a\tb", "a b", "x.po", 1) == "a\tb"
    with pytest.raises(ReviewError, match=r"x.po:7: the translation holds a control character \(U\+001B\)"):
        clean_text("a\x1bb", "a", "x.po", 7)
    with pytest.raises(ReviewError, match=r"x.po:7: the translation holds a bidi control U\+202E"):
        clean_text("a\u202eb", "a", "x.po", 7, "uk")
    assert clean_text("a\u200fb", "a", "x.po", 7, "ar") == "a\u200fb"     # a mark where the language is RTL


def _message(flags: str, msgstr: str):
    from storyloc.po import parse_po
    text = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            f"# storyloc: draft engine=apertium pair=eng-ukr date=2026-11-25\n{flags}"
            f'msgid "Hello"\nmsgstr "{msgstr}"\n')
    return parse_po(text).entries()[0]


def test_each_action_on_one_entry_in_memory():
    from storyloc.review import Reviewer, apply_action
    taras = Reviewer("Taras")
    m = _message("#, fuzzy\n", "Привіт")
    apply_action(m, "approve", None, OLENA, None, "2026-11-27")
    assert not m.fuzzy and provenance.state(m) == "approved" and m.changed
    assert [r.kind for r in provenance.records(m)] == ["draft", "reviewed", "approved"]
    apply_action(m, "save", "Привіт!", taras, None, "2026-11-28")    # an edit: reviewed by its author, approval gone
    assert provenance.state(m) == "reviewed"
    assert [(r.kind, r.fields.get("by")) for r in provenance.records(m)] == [("draft", None), ("reviewed", "Taras")]
    apply_action(m, "unapprove", None, taras, None, "2026-11-28")
    assert m.fuzzy and provenance.latest(m, "edited").fields["by"] == "Taras"
    apply_action(m, "save", "", taras, None, "2026-11-28")            # emptied: just empty
    assert m.msgstr == [""] and not m.fuzzy and provenance.state(m) == "missing"
    assert [r.kind for r in provenance.records(m)] == ["draft"]
    new = _message("", "")
    apply_action(new, "save", "Привіт", taras, None, "2026-11-28")    # new text starts as a draft
    assert new.fuzzy and provenance.latest(new, "edited").fields == {"by": "Taras", "role": "translator",
                                                                     "date": "2026-11-28"}
    apply_action(new, "ignore", None, taras, "numbers", "2026-11-28")
    apply_action(new, "ignore", None, taras, "numbers", "2026-11-28")  # once is enough
    assert new.translator_comments.count("storyloc: ignore numbers by=Taras date=2026-11-28") == 1
    with pytest.raises(ReviewError, match="unknown check 'nope'"):
        apply_action(new, "ignore", None, taras, "nope", "2026-11-28")
