"""The engine chain: the translation memory and the glossary before the machines, and what comes back intact."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from storyloc.draft import draft
from storyloc.po import read_po, save_po
from storyloc.po.provenance import latest, records
from storyloc.project import Project

from conftest import STORY, msgfmt_check, run
from drafting import needs_apertium, po, with_empty_catalogs


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No test reads or writes the user's draft cache, or inherits their online setting."""
    monkeypatch.setenv("STORYLOC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STORYLOC_ONLINE", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


@pytest.fixture
def root(project_dir: Path) -> Path:
    return with_empty_catalogs(project_dir, ("es", "de"))


@needs_apertium
def test_markup_and_link_references_come_back_intact(root):
    article = root / "source" / STORY / "article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nThe *daily* shelling was reported by "
                       "[the regional administration](https://example.org/report) in 2023.\n", encoding="utf-8")
    assert run(root, "extract").exit_code == 0
    assert run(root, "update", "--lang", "es").exit_code == 0
    assert run(root, "draft", "--lang", "es").exit_code == 0
    drafted = read_po(po(root, "es")).find(
        "The *daily* shelling was reported by [the regional administration][1] in 2023.")
    assert drafted is not None and drafted.fuzzy
    assert re.search(r"\*\w[^*]*\w\*", drafted.msgstr[0]), drafted.msgstr[0]
    assert re.search(r"\[\w[^\]]*\w\]\[1\]", drafted.msgstr[0]), drafted.msgstr[0]
    assert "2023" in drafted.msgstr[0]
    assert msgfmt_check(po(root, "es")).returncode == 0


def test_glossary_alone_drafts_a_segment_that_is_only_names(root):
    catalog = read_po(po(root, "de"))
    catalog.find("Photographs by Oleksandr Babenko", "byline").msgid = "Oleksandr Babenko"
    save_po(catalog, po(root, "de"))
    project = Project.load(root)
    [result] = draft(project, ("de",), ("tm", "glossary"))
    assert result.by_engine == {"glossary": 1}
    entry = read_po(po(root, "de")).find("Oleksandr Babenko", "byline")
    assert entry.msgstr == ["Oleksandr Babenko"] and entry.fuzzy
    assert latest(entry, "draft").fields["engine"] == "glossary"


def _other_story(root, reviewed: dict[tuple[str, str], str], renamed: dict[tuple[str, str], str] | None = None):
    """Another story's German catalog beside this one: every entry a draft, but ``reviewed``
    ((msgid, msgctxt) → translation) reviewed; ``renamed`` gives such an entry another English."""
    catalog = read_po(po(root, "de"))
    for m in catalog.entries():
        m.msgstr, m.fuzzy = ["x"], True
    for (msgid, ctx), text in reviewed.items():
        entry = catalog.find(msgid, ctx)
        entry.msgstr, entry.fuzzy = [text], False
        entry.msgid = (renamed or {}).get((msgid, ctx), msgid)
    save_po(catalog, po(root, "de").with_name("other-story.po"))


def test_translation_memory_drafts_from_other_catalogs_exact_and_fuzzy(root):
    credit = ("Oleksandr Babenko for Gwara Media", "credit")
    _other_story(root, {("Life under fire in Bakhmut", "title"): "Leben unter Beschuss in Bachmut",
                        credit: "Oleksandr Babenko für Gwara Media"},
                 renamed={credit: "Oleksandr Babenko for the Gwara Media"})
    [result] = draft(Project.load(root), ("de",), ("tm",))
    assert result.by_engine == {"tm": 2}
    drafted = read_po(po(root, "de"))
    exact = drafted.find("Life under fire in Bakhmut", "title")
    assert exact.msgstr == ["Leben unter Beschuss in Bachmut"] and exact.fuzzy
    assert latest(exact, "draft").fields["score"] == "100"
    fuzzy = drafted.find("Oleksandr Babenko for Gwara Media", "credit")
    score = int(latest(fuzzy, "draft").fields["score"])
    assert 75 <= score < 100
    assert any("its English: “Oleksandr Babenko for the Gwara Media”" in r.text for r in records(fuzzy))
    assert msgfmt_check(po(root, "de")).returncode == 0


def test_an_exact_match_carrying_what_no_draft_may_is_not_used(root):
    """A reviewed translation of the same English in another story is verified like any draft:
    raw HTML, a link of its own or a block start keep it out, with the reason."""
    _other_story(root, {
        ("Life under fire in Bakhmut", "title"): "Leben unter Beschuss in Bachmut <script>alert(1)</script>",
        ("Oleksandr Babenko for Gwara Media", "credit"): "# Oleksandr Babenko für [Gwara](https://evil.example/)"})
    [result] = draft(Project.load(root), ("de",), ("tm",))
    assert result.by_engine == {}
    drafted = read_po(po(root, "de"))
    for msgid, ctx in (("Life under fire in Bakhmut", "title"), ("Oleksandr Babenko for Gwara Media", "credit")):
        assert drafted.find(msgid, ctx).msgstr == [""]
    reasons = [r for u in result.undrafted for r in u.reasons if "not used" in r]
    assert any(r.startswith("tm: 100% match from locales/de/LC_MESSAGES/other-story.po not used: html:") for r in reasons), reasons
    assert any("not used: blocks:" in r or "not used: links:" in r for r in reasons), reasons


def test_a_match_far_longer_than_its_english_is_not_used_whatever_it_holds(root):
    """The checks stop at a text past too-long: such a match is refused for its length, not let through."""
    _other_story(root, {("Life under fire in Bakhmut", "title"): "Bachmut <script>alert(1)</script>"
                                                                + " und so weiter" * 40})
    [result] = draft(Project.load(root), ("de",), ("tm",))
    assert read_po(po(root, "de")).find("Life under fire in Bakhmut", "title").msgstr == [""]
    assert any("100% match from locales/de/LC_MESSAGES/other-story.po not used: too-long:" in r
               for u in result.undrafted for r in u.reasons)
