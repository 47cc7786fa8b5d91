"""storyloc draft with the real Apertium, offline: what a user and a translator see."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from storyloc.po import read_po, save_po
from storyloc.project import Project
from storyloc.draft import draft
from storyloc.draft.placeholders import localize_number
from storyloc.po.provenance import is_machine_draft, latest, records, text_digest

from conftest import DATA, STORY, msgfmt_check, run
from drafting import needs_apertium, po, with_empty_catalogs


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No test reads or writes the user's draft cache, or inherits their online setting."""
    monkeypatch.setenv("STORYLOC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STORYLOC_ONLINE", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")   # 2023-11-14


@pytest.fixture
def root(project_dir: Path) -> Path:
    return with_empty_catalogs(project_dir, ("es", "de"))


@needs_apertium
def test_spanish_draft_fills_every_entry_keeps_names_numbers_and_marks_it_fuzzy(root):
    result = run(root, "draft", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert "20 apertium" in result.output
    assert msgfmt_check(po(root, "es")).returncode == 0
    entries = read_po(po(root, "es")).entries()
    assert entries and all(m.msgstr[0] and m.fuzzy for m in entries)
    for m in entries:
        record = latest(m, "draft")
        assert record.fields == {"engine": "apertium", "pair": "eng-spa", "date": "2023-11-14",
                                 "text": text_digest(m.msgstr[0])}
        assert is_machine_draft(m)
        assert not re.search(r"(?<!\w)[*@#]\w", m.msgstr[0]), m.msgstr[0]     # no Apertium marks as text
        for number in re.findall(r"\d[\d,.]*\d|\d", m.msgid):
            assert localize_number(number, "es") in m.msgstr[0]       # 70,000 is 70.000 in Spanish
    text = {m.msgid: m.msgstr[0] for m in entries}
    assert "70.000" in " ".join(text.values()) and "70,000" not in " ".join(text.values())
    everything = " ".join(text.values())
    for name in ("Bajmut", "provincia de Donetsk", "Gwara Media", "Oleksandr Babenko", "Kramatorsk", "Sloviansk",
                 "Soledar", "Kirilenko", "Donbás", "Dvorichna", "provincia de Járkov"):
        assert name in everything, name
    assert "Bakhmut" not in everything and "Oblast" not in everything
    assert text["Oleksandr Babenko for Gwara Media"].count("Gwara Media") == 1
    # unknown words became review notes, not text
    notes = [r.text for m in entries for r in records(m) if r.kind == "note"]
    assert any(n.startswith("unknown words, left as in the English: ") for n in notes), notes


@needs_apertium
def test_people_s_translations_survive_draft_force_update_and_build(root):
    es = po(root, "es")
    catalog = read_po(es)
    human = catalog.find("Life under fire in Bakhmut", "title")
    human.msgstr = ["La vida bajo el fuego en Bajmut"]                 # reviewed: not fuzzy
    old = catalog.find("Oleksandr Babenko for Gwara Media", "credit")
    old.msgstr = ["Oleksandr Babenko para Gwara Media (antigua)"]      # a person's text, fuzzy after a merge
    old.fuzzy = True
    save_po(catalog, es)
    uk_before = po(root, "uk").read_bytes()

    for args in (["draft"], ["draft", "--force"], ["update"], ["draft", "--force", "--lang", "es"], ["build"]):
        assert run(root, *args).exit_code == 0, args
        after = read_po(es)
        title = after.find("Life under fire in Bakhmut", "title")
        assert title.msgstr == ["La vida bajo el fuego en Bajmut"] and not title.fuzzy
        credit = after.find("Oleksandr Babenko for Gwara Media", "credit")
        assert credit.msgstr == ["Oleksandr Babenko para Gwara Media (antigua)"] and latest(credit, "draft") is None
        assert po(root, "uk").read_bytes() == uk_before
        assert msgfmt_check(es).returncode == 0


@needs_apertium
def test_force_redrafts_machine_drafts_and_a_second_run_changes_nothing(root):
    assert run(root, "draft", "--lang", "es").exit_code == 0
    first = po(root, "es").read_bytes()
    again = run(root, "draft", "--lang", "es")
    assert "es " in again.output and po(root, "es").read_bytes() == first
    assert re.search(r"bakhmut-under-fire\s+es\s+0\s", again.output)
    forced = run(root, "draft", "--lang", "es", "--force")
    assert re.search(r"bakhmut-under-fire\s+es\s+20\s", forced.output)
    assert po(root, "es").read_bytes() == first          # same engine, same date: same drafts


def test_offline_run_says_what_stayed_empty_and_exits_zero_or_not_with_strict(root):
    before = po(root, "de").read_bytes()
    result = run(root, "draft", "--lang", "de")
    assert result.exit_code == 0
    assert "left undrafted: locales/de/LC_MESSAGES/bakhmut-under-fire.po: 20" in result.output
    assert "google: online engines are off" in result.output
    assert po(root, "de").read_bytes() == before
    [offline] = draft(Project.load(root), ("de",))
    assert offline.complete          # nothing a rerun could do better without a change of configuration

    strict = run(root, "draft", "--lang", "de", "--strict")
    assert strict.exit_code == 1
    last = strict.output.strip().splitlines()[-1]
    assert re.match(r"Error: locales/de/LC_MESSAGES/bakhmut-under-fire\.po:\d+: 20 segment\(s\) left undrafted; "
                    r"first: .*google: online engines are off", last), last
    assert "Traceback" not in strict.output


def test_a_translation_saved_by_a_person_during_the_run_is_kept(root):
    """Drafting can take minutes: a save in Poedit (or the review page) meanwhile is not overwritten."""
    other = po(root, "de").with_name("other-story.po")
    catalog = read_po(po(root, "de"))
    title = catalog.find("Life under fire in Bakhmut", "title")
    title.msgstr = ["Leben unter Beschuss in Bachmut"]
    save_po(catalog, other)

    def person_saves(event):
        if event.kind == "start":
            mine = read_po(po(root, "de"))
            mine.find("Photographs by Oleksandr Babenko", "byline").msgstr = ["Fotos: Oleksandr Babenko"]
            mine.find("Life under fire in Bakhmut", "title").msgstr = ["Leben unter Feuer"]
            save_po(mine, po(root, "de"))

    draft(Project.load(root), ("de",), ("tm",), progress=person_saves)
    after = read_po(po(root, "de"))
    assert sum(1 for m in after.entries() if latest(m, "draft")) == 0     # every draft went where a person wrote
    byline = after.find("Photographs by Oleksandr Babenko", "byline")
    assert byline.msgstr == ["Fotos: Oleksandr Babenko"] and not byline.fuzzy
    title = after.find("Life under fire in Bakhmut", "title")
    assert title.msgstr == ["Leben unter Feuer"] and latest(title, "draft") is None
    assert msgfmt_check(po(root, "de")).returncode == 0


def test_bad_glossary_is_one_line_error_and_nothing_is_written(root):
    (root / "glossary" / "es.csv").write_text("en,es,note\nBakhmut,Bajmut\nSoledar,,\n", encoding="utf-8")
    before = po(root, "es").read_bytes()
    result = run(root, "draft", "--lang", "es")
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: glossary/es.csv:3: a term needs both its source and its target form "
                                     "(repeat the source to keep it as is)")
    assert po(root, "es").read_bytes() == before


@pytest.mark.parametrize("setting, message", [
    ('[tool.storyloc.draft.engines]\nes = ["tm", "bing"]\n', "engines.es: unknown engine 'bing'"),
    ("[tool.storyloc.draft]\ntm_min_score = 120\n", "tm_min_score must be a whole percentage"),
    ('[tool.storyloc.draft]\nendpoints = { libre = "localhost:5000" }\n', "endpoints.libre must be an http(s) URL"),
    ("[tool.storyloc.draft]\nconcurency = 4\n", "unknown setting 'concurency'"),
])
def test_draft_settings_are_checked_with_their_line(root, setting, message):
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    (root / "pyproject.toml").write_text(text + "\n" + setting, encoding="utf-8")
    key_line = text.count("\n") + 3                 # after a blank line and the table header
    result = run(root, "draft")
    assert result.exit_code == 2
    assert re.match(rf"Error: \S*pyproject\.toml:{key_line}: {re.escape(message)}", result.output), result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unknown_engine_on_the_command_line(root):
    result = run(root, "draft", "--engine", "bing")
    assert result.exit_code == 2 and result.output.startswith("Error: unknown engine 'bing'")


def test_missing_catalog_says_to_run_update_first(root):
    po(root, "de").unlink()
    result = run(root, "draft", "--lang", "de")
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: locales/de/LC_MESSAGES/bakhmut-under-fire.po: "
                                     "no catalog yet; run `storyloc update` first")


def test_the_pipeline_stage_drafts_one_story_and_says_whether_it_is_complete(root):
    from storyloc.draft import DraftSession
    project = Project.load(root)
    with DraftSession(project) as session:
        stage = session(project, STORY)
    assert stage.story == STORY and [r.lang for r in stage.results] == ["uk", "es", "de", "pl", "fr", "ar"]
    assert stage.complete                       # online engines are off: nothing a rerun would change


def test_apertium_drafts_a_structured_story_and_its_markers_survive_to_the_page(tmp_path):
    """Footnote markers, emphasis, link references and table cells come back from Apertium intact."""
    from storyloc.build import build
    from storyloc.check import check
    from storyloc.extract import extract
    from storyloc.story import parse_story
    from storyloc.update import update
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(DATA / "rich", root / "source" / "rich")
    (root / "pyproject.toml").write_text('[tool.storyloc]\nsource_language = "en"\nlanguages = ["es"]\n'
                                         'stories = ["rich"]\nembed_hosts = ["youtube.com"]\n', encoding="utf-8")
    project = Project.load(root)
    extract(project)
    update(project)
    [result] = draft(project, engines=("apertium",))
    assert result.drafted == result.segments
    catalog = read_po(project.catalog("rich", "es"))
    paragraph = next(m for m in catalog.entries() if m.msgid.startswith("The [council vote][1]"))
    assert re.search(r"\[[^\]]+\]\[1\].*\[[^\]]+\]\[2\].*\[\^1\]", paragraph.msgstr[0]), paragraph.msgstr[0]
    assert "*seis*" in catalog.find("The debate lasted *six* hours.").msgstr[0]
    assert catalog.find("10").msgstr[0] == "10"
    assert not [f for f in check(project).findings if f.check in ("footnotes", "links", "markup", "table-cell")]
    assert msgfmt_check(project.catalog("rich", "es")).returncode == 0
    # drafts are approved as they are: the Spanish page has the source's structure and targets
    for m in catalog.entries():
        m.flags = [f for f in m.flags if f != "fuzzy"]
    save_po(catalog, project.catalog("rich", "es"))
    build(project)
    again = parse_story(project.bundle("rich", "es") / "article.md", embed_hosts=("youtube.com",))
    source = parse_story(project.article("rich"), embed_hosts=("youtube.com",))
    assert [b.kind for b in again.blocks] == [b.kind for b in source.blocks]
    assert again.blocks[0].segment.links == source.blocks[0].segment.links
    assert again.footnotes[0].label == "1"
