"""review/page.py: what the page shows for one story."""
from storyloc.review import Review

from conftest import STORY
from reviewing import CHANGED, DEK, HOSTILE, XSS, po, sha  # noqa: F401 (po: a fixture)


def test_page_data(project, po):
    data = Review(project, "uk", "Tester").page(STORY)
    segs = data["segments"]
    assert len(segs) == 20 and data["version"] == sha(po)
    assert [s["status"] for s in segs].count("draft") == 3
    assert data["counts"]["draft"] == 3 and data["state"] == "draft"
    dek = segs[1]
    assert dek["kind"] == "dek" and dek["provenance"][0]["fields"]["engine"] == "apertium"
    assert {g["source"] for g in dek["glossary"]} == {"Bakhmut", "Donetsk Oblast"}
    changed = segs[6]
    assert ["-", "step up"] in changed["previous"] and ["+", "intensify"] in changed["previous"]
    hostile = segs[9]
    assert hostile["msgstr"] == XSS and any(c["id"] == "html" for c in hostile["checks"])
    captions = {s["ctxt"]: s["figures"] for s in segs if s["kind"] in ("caption", "credit")}
    assert captions["figure:city-center"][0]["url"] == f"image/{STORY}/city-center"
    assert captions["figure:troops-protect-bakhmut"][0]["url"] is None
    assert len(captions["credit"]) == 7
