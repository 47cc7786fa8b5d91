"""What a check sees: each translated entry with its kind, segment, names, glossary terms and apostrophe."""
from storyloc.check import entries_for, glossary_terms, kind_of, terms_in
from storyloc.check.entry import catalog_apostrophe
from storyloc.glossary import Term, load_glossary
from storyloc.po import Catalog, Message, read_po
from storyloc.project import Project
from storyloc.story import Segment, parse_story

from conftest import PROJECT, STORY


def test_kind_comes_from_the_segment_else_the_context():
    m = Message("x", ["y"], "figure:1")
    assert kind_of(m, None) == "caption"
    assert kind_of(Message("x", ["y"], "title"), None) == "title"
    assert kind_of(Message("x", ["y"]), None) == "paragraph"
    assert kind_of(m, Segment("credit", "x", 1, None, None, ())) == "credit"


def test_terms_in_finds_whole_words_the_longer_of_overlapping_ones_in_text_order():
    terms = [Term("Donetsk", "Донецьк"), Term("Donetsk Oblast", "Донецька область"), Term("Bakhmut", "Бахмут"),
             Term("Kyiv", "Київ")]
    assert [t.source for t in terms_in("Bakhmut, in Donetsk Oblast, not Kyivska", terms)] == \
        ["Bakhmut", "Donetsk Oblast"]


def test_glossary_terms_are_the_glossary_s_own():
    project = Project.load(PROJECT)
    terms = glossary_terms(project, "uk")
    assert terms == load_glossary(project, "uk").terms and len(terms) > 5
    assert [t.source for t in terms if t.keep] == ["Gwara Media"]


def test_the_catalog_s_apostrophe_is_the_one_most_of_it_writes():
    def catalog(*texts):
        return Catalog(messages=[Message(str(n), [t]) for n, t in enumerate(texts)])
    assert catalog_apostrophe(catalog("Слов’янськ", "п’ять", "Словʼянськ")) == "’"
    assert catalog_apostrophe(catalog("Слов’янськ", "Словʼянськ")) == "\u02bc"
    assert catalog_apostrophe(Catalog()) == "\u02bc"


def test_one_entry_per_translated_singular_message(project):
    path = project.catalog(STORY, "uk")
    catalog = read_po(path)
    story = parse_story(project.article(STORY), STORY)
    entries = entries_for(project, STORY, "uk", catalog, story)
    assert len(entries) == sum(1 for m in catalog.entries() if m.translated and m.msgid_plural is None)
    assert {e.kind for e in entries} >= {"title", "paragraph", "credit"}
    assert all(e.apostrophe == "\u02bc" for e in entries)
    assert entries_for(project, STORY, "uk", Catalog(), story) == []
