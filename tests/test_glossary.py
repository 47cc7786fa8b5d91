"""The shipped glossaries, and what a translator's mistakes in one look like."""
from __future__ import annotations

import re

import pytest

from storyloc.po import read_po
from storyloc.project import Project
from storyloc.glossary import load_glossary, parse_glossary
from storyloc.errors import GlossaryError

from conftest import PROJECT, STORY

NAMES = ["Bakhmut", "Donetsk Oblast", "Gwara Media", "Oleksandr Babenko", "Soledar", "Kramatorsk", "Sloviansk",
         "Kyrylenko", "Donbas", "Dvorichna", "Kharkiv Oblast"]


@pytest.fixture(scope="module")
def repo() -> Project:
    return Project.load(PROJECT)


@pytest.mark.parametrize("lang", ["uk", "es", "de", "pl", "fr", "ar"])
def test_every_shipped_language_has_the_story_s_names(repo, lang):
    glossary = load_glossary(repo, lang)
    assert sorted(t.source for t in glossary.terms) == sorted(NAMES)
    assert dict(glossary.pairs())["Gwara Media"] == "Gwara Media"


def test_ukrainian_terms_are_the_newsroom_s():
    terms = dict(load_glossary(Project.load(PROJECT), "uk").pairs())
    assert terms["Bakhmut"] == "Бахмут"
    assert terms["Donetsk Oblast"] == "Донецька область"
    assert terms["Oleksandr Babenko"] == "Олександр Бабенко"
    assert terms["Sloviansk"] == "Слов\u02bcянськ"                   # U+02BC, not ' or ’
    assert load_glossary(Project.load(PROJECT), "uk").inflecting


def test_ukrainian_glossary_agrees_with_the_reviewed_translation():
    """Every name of an English segment appears, inflected, in its reviewed Ukrainian: same stem.

    Only the name is compared: the translator may render "Donetsk Oblast Governor" as "Донецької ОДА"."""
    terms = load_glossary(Project.load(PROJECT), "uk").terms
    catalog = read_po(PROJECT / "locales" / "uk" / "LC_MESSAGES" / f"{STORY}.po")
    checked = 0
    for m in catalog.entries():
        if m.status != "reviewed":
            continue
        for term in terms:
            if re.search(rf"(?<!\w){re.escape(term.source)}(?!\w)", m.msgid):
                name = term.target.split()[0]
                stem = name[: max(4, len(name) - 2)]
                assert stem in m.msgstr[0], (term.source, name, m.msgstr[0])
                checked += 1
    assert checked >= 20


@pytest.mark.parametrize("text, line, message", [
    ("source,target\nBakhmut,Бахмут\n", 0, None),
    ("en,uk,note\nBakhmut,Бахмут,city\n\nSoledar,Соледар\n", 0, None),
    ("Bakhmut,Бахмут\n", 1, "first row must name the columns: en,uk,note"),
    ("en,uk\nBakhmut,Бахмут,city,extra\n", 2, "expected 2 or 3 columns"),
    ("en,uk\nBakhmut\n", 2, "a term needs both its source and its target form"),
    ("en,uk\nBakhmut,Бахмут\nBakhmut,Артемівськ\n", 3, "“Bakhmut” is already on line 2 as “Бахмут”"),
    ("en,uk\n\"Bakhmut,Бахмут\n", 2, "not valid CSV"),
    ("", 1, "empty glossary"),
])
def test_glossary_problems_name_their_line(text, line, message):
    if message is None:
        assert parse_glossary(text, "uk").pairs()[0] == ("Bakhmut", "Бахмут")
        return
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(text, "uk", "en", "glossary/uk.csv")
    assert caught.value.line == line and caught.value.path == "glossary/uk.csv"
    assert message in caught.value.message


def test_a_missing_glossary_is_an_empty_one(project):
    assert load_glossary(project, "uk").terms == []           # the fixture copies no glossary/


def test_an_unreadable_glossary_is_one_line(project):
    (project.root / "glossary" / "uk.csv").mkdir(parents=True)
    with pytest.raises(GlossaryError, match="cannot read"):
        load_glossary(project, "uk")


def test_suggest_proposes_the_story_s_names_each_glossary_lacks(project_dir):
    from conftest import run
    (project_dir / "glossary").mkdir()
    (project_dir / "glossary" / "es.csv").write_text("en,es,note\nDonetsk Oblast,provincia de Donetsk,\n",
                                                      encoding="utf-8")
    result = run(project_dir, "glossary", "suggest", "--lang", "es", "--lang", "uk")
    assert result.exit_code == 0, result.output
    es, uk = result.output.split("# glossary/uk.csv")
    assert es.startswith("# glossary/es.csv: ")
    assert "Gwara Media,Gwara Media,from the story (publisher)" in es          # a brand: kept as is
    assert "Oleksandr Babenko,Oleksandr Babenko,from the story (photographer)" in es   # Latin letters: kept
    assert "Kharkiv Oblast,,from the story (story)" in es                      # for the translator to fill
    assert "Donetsk Oblast," not in es                                         # the glossary has it
    assert "Oleksandr Babenko,,from the story (photographer)" in uk            # Cyrillic: to be written
    assert "Gwara Media,Gwara Media," in uk


def test_suggest_takes_only_configured_stories_and_languages(project):
    from storyloc.errors import ConfigError
    from storyloc.glossary import suggest
    assert list(suggest(project, langs=["uk"])) == ["uk"]
    with pytest.raises(ConfigError, match="story 'nope' is not configured"):
        suggest(project, ["nope"])
    with pytest.raises(ConfigError, match="unknown language: 'xx'"):
        suggest(project, langs=["xx"])


def test_story_names_protect_brands_everywhere_and_people_in_latin_script():
    from storyloc.glossary import latin_script, story_terms
    from storyloc.story import parse_story
    story = parse_story(PROJECT / "source" / STORY / "article.md", STORY)
    assert latin_script("es") and latin_script("pl") and not latin_script("uk") and not latin_script("ar")
    assert {t.source for t in story_terms(story, "es")} == {"Gwara Media", "Oleksandr Babenko"}
    assert {t.source for t in story_terms(story, "uk")} == {"Gwara Media"}
    assert all(t.keep for t in story_terms(story, "de"))


def test_names_in_reads_names_in_a_credit_line():
    from storyloc.glossary import names_in
    assert names_in("Photographs by Oleksandr Babenko for Gwara Media", ("Gwara Media",)) == \
        ["Gwara Media", "Oleksandr Babenko"]
    assert names_in("Text by Olena Kovalenko. Photographs by J. R. Doe Jr.", ()) == \
        ["Olena Kovalenko", "J. R. Doe Jr."]


def test_one_term_for_the_glossary_the_drafts_and_the_checks():
    from storyloc.glossary import Term
    assert Term("Gwara Media", "Gwara Media").keep and not Term("Bakhmut", "Бахмут").keep
    term = load_glossary(Project.load(PROJECT), "uk").terms[0]
    assert isinstance(term, Term) and term.line == 2
