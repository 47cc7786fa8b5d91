"""review/session.py: each action written back at once, merged with what changed meanwhile, never overwriting."""
import pytest

from storyloc.errors import Conflict, Forbidden, ReviewError
from storyloc.po import provenance, read_po
from storyloc.review import Review

from conftest import STORY, msgfmt_check
from reviewing import OLENA, entry, po  # noqa: F401 (po: a fixture)


def test_save_keeps_the_state_and_a_stale_version_is_refused(project, po):
    review = Review(project, "uk", "Tester", today=lambda: "2026-11-26")
    page = review.page(STORY)
    seg, other = page["segments"][0], page["segments"][2]
    review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "save", "Життя під\nобстрілами: Бахмут")
    m = entry(po, "Life under fire")
    assert m.msgstr == ["Життя під обстрілами: Бахмут"] and m.status == "reviewed"   # no newline the English lacks
    assert provenance.latest(m, "reviewed").fields == {"by": "Tester", "role": "translator", "date": "2026-11-26"}
    on_disk = po.read_bytes()
    with pytest.raises(Conflict, match="someone changed this entry since this page loaded it") as refused:
        review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "save", "Інше")
    assert (refused.value.yours, refused.value.theirs) == ("Інше", "Життя під обстрілами: Бахмут")
    assert po.read_bytes() == on_disk
    # a save to an entry nobody else changed merges into the file as it is now
    review.change(STORY, other["ctxt"], other["msgid"], other["version"], "save", "Фото: Олександр Бабенко")
    catalog = read_po(po)
    assert catalog.find(seg["msgid"], "title").msgstr == ["Життя під обстрілами: Бахмут"]
    assert catalog.find(other["msgid"], "byline").msgstr == ["Фото: Олександр Бабенко"]
    assert msgfmt_check(po).returncode == 0


def test_approving_nothing_is_refused(project, po):
    review = Review(project, "uk", "Tester")
    seg = review.page(STORY)["segments"][0]
    with pytest.raises(ReviewError, match="nothing to review"):
        review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "review", "  ")
    with pytest.raises(Forbidden, match="only an editor can approve"):
        review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "approve")
    with pytest.raises(ReviewError, match="nothing to approve"):
        review.change(STORY, seg["ctxt"], seg["msgid"], seg["version"], "approve", "  ", OLENA)
