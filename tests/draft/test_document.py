"""The catalog seen as a story: the kinds, names and checks every draft is held to before it is kept."""
from __future__ import annotations

from storyloc.draft.document import VERIFY, Document
from storyloc.glossary import Glossary, load_glossary
from storyloc.po import read_po
from storyloc.project import Project
from storyloc.story import parse_story

from conftest import PROJECT, STORY


def document(lang: str) -> Document:
    project = Project.load(PROJECT)
    story = parse_story(project.article(STORY), STORY, project.rel(project.article(STORY)))
    catalog = read_po(project.catalog(STORY, lang))
    return Document.of(catalog, story, lang, load_glossary(project, lang))


def test_the_story_s_kinds_order_title_and_names_are_known():
    doc = document("uk")
    assert doc.title == "Life under fire in Bakhmut" and doc.kinds[doc.title] == "title"
    assert doc.kinds["Oleksandr Babenko for Gwara Media"] == "credit"
    assert "Gwara Media" in doc.names and "Oleksandr Babenko" in doc.names
    assert any(t.source == "Gwara Media" and t.keep for t in doc.glossary.terms)
    assert doc.texts[0] == doc.title and len(doc.texts) == len(set(doc.texts))
    # reviewed translations go with their segments as context for a language model
    assert doc.reviewed[doc.title] == "Життя під обстрілами в Бахмуті"
    assert doc.item(doc.title, doc.title, context=True).id == "1"


def test_a_draft_is_verified_by_storyloc_s_own_checks():
    doc = document("es")
    text = next(t for t in doc.texts if "70,000" in t)
    assert any(problem.startswith("numbers: ") for problem in doc.verify(text, "Unas 80.000 personas"))
    assert doc.verify("Life under fire in Bakhmut", "La vida bajo el fuego en Bajmut") == []
    assert {"markup", "links", "numbers", "placeholders", "names", "glossary"} <= set(VERIFY)


def test_names_in_a_script_storyloc_cannot_read_back_are_said_in_a_note():
    doc = Document("ar", Glossary("ar"), ["Oleksandr Babenko for Gwara Media"],
                   {"Oleksandr Babenko for Gwara Media": "credit"}, {}, ("Oleksandr Babenko", "Gwara Media"))
    [note] = doc.unverified("Oleksandr Babenko for Gwara Media", "أولكسندر بابينكو لـ Gwara Media")
    assert note.startswith("names not verified") and "Oleksandr Babenko" in note
    assert doc.unverified("Oleksandr Babenko for Gwara Media", "Oleksandr Babenko для Gwara Media") == []
