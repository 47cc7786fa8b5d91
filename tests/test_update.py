import subprocess

import pytest

from storyloc.po import parse_po, read_po, save_po
from storyloc.extract import extract
from storyloc.languages import plural_forms
from storyloc.update import merge, update

from conftest import STORY, msgfmt_check, normalise_dates, plural_rule

P7 = ("This is the daily, constant din of the war in Donbas, where a fierce struggle is\n"
      "underway to break the months-long deadlock that this place, the town of Bakhmut,\n"
      "has become.")


def _entries_by_key(text: str) -> dict:
    return {m.key: m.raw for m in parse_po(text).messages}


def test_editing_one_paragraph_makes_exactly_that_entry_fuzzy(project):
    extract(project)
    update(project)
    po = project.catalog(STORY, "uk")
    before = po.read_text(encoding="utf-8")
    old = read_po(po).find(" ".join(P7.split()))
    assert old.status == "reviewed"

    article = project.article(STORY)
    article.write_text(article.read_text().replace(P7, P7.replace("fierce struggle", "bitter struggle")))
    extract(project)
    [uk] = [r for r in update(project) if r.lang == "uk"]
    assert (uk.fuzzy, uk.new, uk.obsolete) == (1, 0, 0)

    after = po.read_text(encoding="utf-8")
    changed = read_po(po).find(" ".join(P7.replace("fierce struggle", "bitter struggle").split()))
    assert changed.fuzzy and changed.status == "draft"
    assert changed.previous_msgid == old.msgid
    assert changed.msgstr == old.msgstr            # the translation is kept for the reviewer
    assert "#| msgid" in after
    # every other entry is byte for byte what it was
    old_chunks, new_chunks = _entries_by_key(before), _entries_by_key(after)
    # (the header takes the new template's POT-Creation-Date, as msgmerge does)
    untouched = [k for k in old_chunks if k not in (old.key, (None, ""))]
    assert len(untouched) == 19
    for key in untouched:
        assert new_chunks[key] == old_chunks[key], key
    assert msgfmt_check(po).returncode == 0


def test_removed_segment_becomes_obsolete_and_comes_back(project):
    extract(project)
    update(project)
    article = project.article(STORY)
    original = article.read_text()
    last = "Gwara Media do not stop showing"
    article.write_text(original[: original.index(last)])
    extract(project)
    update(project)
    catalog = read_po(project.catalog(STORY, "uk"))
    [gone] = catalog.obsolete()
    assert gone.msgid.startswith(last) and gone.status == "reviewed"
    assert "#~ msgid" in project.catalog(STORY, "uk").read_text()
    article.write_text(original)
    extract(project)
    update(project)
    back = read_po(project.catalog(STORY, "uk"))
    assert not back.obsolete()
    assert back.entries()[-1].msgid.startswith(last) and back.entries()[-1].status == "reviewed"


def test_translator_comments_and_flags_survive_a_merge(project):
    extract(project)
    update(project)
    po = project.catalog(STORY, "uk")
    catalog = read_po(po)
    entry = catalog.entries()[4]
    entry.translator_comments.append("checked against the Ukrainian edition")
    entry.flags.append("no-wrap")
    save_po(catalog, po)
    template = read_po(project.template(STORY))
    template.entries()[4].extracted_comments = ["A new note from the template."]
    merged, _ = merge(read_po(po), template, 3)
    again = merged.entries()[4]
    assert again.translator_comments == ["checked against the Ukrainian edition"]
    assert "no-wrap" in again.flags
    assert again.extracted_comments == ["A new note from the template."]


# GNU gettext's manual spells these rules; CLDR (through Babel) must mean the same.
GETTEXT_RULES = {
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "de": "nplurals=2; plural=(n != 1);",
}


def test_new_catalogs_have_a_correct_header_and_pass_msgfmt(project):
    extract(project)
    for lang in project.languages:
        project.catalog(STORY, lang).unlink(missing_ok=True)
    for result in update(project):
        assert result.created
        catalog = read_po(result.path)
        fields = catalog.header_fields()
        assert fields["Language"] == result.lang
        # Rules are compared by what they mean for n = 0…1000, never by spelling.
        assert plural_rule(fields["Plural-Forms"]) == plural_rule(plural_forms(result.lang))
        if result.lang in GETTEXT_RULES:
            assert plural_rule(fields["Plural-Forms"]) == plural_rule(GETTEXT_RULES[result.lang])
        assert fields["Content-Type"] == "text/plain; charset=UTF-8"
        check = msgfmt_check(result.path)
        assert check.returncode == 0 and check.stderr == "", (result.lang, check.stderr)
    ar = read_po(project.catalog(STORY, "ar")).header_fields()
    assert ar["Plural-Forms"].startswith("nplurals=6;")


def test_a_catalog_keeps_its_own_plural_rule(project):
    """A translator's catalog keeps the rule its plural entries were written for, whatever CLDR says now."""
    extract(project)
    before = {lang: read_po(project.catalog(STORY, lang)).header_fields()["Plural-Forms"]
              for lang in project.languages}
    for result in update(project):
        assert not result.created
        after = read_po(result.path).header_fields()["Plural-Forms"]
        assert plural_rule(after) == plural_rule(before[result.lang]), result.lang


def test_msgcat_resave_produces_no_diff(project, tmp_path):
    """What Poedit or msgcat would write back is byte-identical to what update wrote."""
    extract(project)
    update(project)
    article = project.article(STORY)
    article.write_text(article.read_text().replace(P7, P7.replace("fierce", "bitter")))
    extract(project)
    update(project)
    for lang in project.languages:
        po = project.catalog(STORY, lang)
        out = subprocess.run(["msgcat", str(po)], capture_output=True, text=True, check=True).stdout
        assert out == po.read_text(encoding="utf-8"), lang


def test_update_twice_changes_nothing(project):
    extract(project)
    update(project)
    second = update(project)
    assert not any(r.written for r in second)


def test_unrelated_new_text_gets_no_fuzzy_suggestion(project):
    extract(project)
    update(project)
    article = project.article(STORY)
    article.write_text(article.read_text().replace(
        P7, "Volunteers deliver bread and medicine to basements where families shelter at night."))
    extract(project)
    [uk] = [r for r in update(project) if r.lang == "uk"]
    assert (uk.new, uk.fuzzy, uk.obsolete) == (1, 0, 1)


def test_a_catalog_without_header_is_refused_and_left_alone(project):
    """msgfmt --check refuses a .po without a header (or an empty one); so does update, naming the
    file, instead of silently replacing it with a fresh catalog."""
    from storyloc.errors import CatalogError
    extract(project)
    update(project)
    po = project.catalog(STORY, "uk")
    text = po.read_text(encoding="utf-8")
    for broken in (text[text.index("#. Headline"):], ""):   # the header gone, translations kept; emptied
        po.write_text(broken, encoding="utf-8")
        assert msgfmt_check(po).returncode != 0
        with pytest.raises(CatalogError, match="header missing"):
            update(project)
        assert po.read_text(encoding="utf-8") == broken


def test_merge_golden(project, golden):
    """A merge after three kinds of English change, compared whole with the file a reviewer approved:
    an edited paragraph (fuzzy, with `#|` previous msgid), a new one (empty), a removed one (`#~`)."""
    extract(project)
    update(project)
    article = project.article(STORY)
    text = article.read_text(encoding="utf-8")
    text = text.replace(P7, P7.replace("fierce struggle", "bitter struggle") +
                        "\n\nVolunteers deliver bread and medicine to basements where families shelter at night.")
    text = text[: text.index("Gwara Media do not stop showing")]
    article.write_text(text, encoding="utf-8")
    extract(project)
    [uk] = [r for r in update(project) if r.lang == "uk"]
    assert (uk.fuzzy, uk.new, uk.obsolete) == (1, 1, 1)
    golden("merge/uk.po", normalise_dates(project.catalog(STORY, "uk").read_text(encoding="utf-8")))


# -- plural and format changes on an exact match, as msgmerge handles them ------------------

HEADER_UK = ('msgid ""\nmsgstr ""\n"Project-Id-Version: t\\n"\n"PO-Revision-Date: 2026-11-29 12:00+0000\\n"\n'
             '"Last-Translator: T <t@example.org>\\n"\n"Language-Team: Ukrainian\\n"\n"MIME-Version: 1.0\\n"\n'
             '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n"Language: uk\\n"\n'
             '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
             '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n')
HEADER_POT = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


def _merged(tmp_path, old: str, template: str) -> tuple[str, dict]:
    catalog = parse_po(HEADER_UK + old)
    merged, counts = merge(catalog, parse_po(HEADER_POT + template), 3)
    path = tmp_path / "merged.po"
    save_po(merged, path)
    check = msgfmt_check(path)
    assert check.returncode == 0 and check.stderr == "", check.stderr
    return path.read_text(encoding="utf-8"), counts


def test_a_template_that_adds_a_plural_makes_the_entry_fuzzy_with_every_form_filled(tmp_path):
    text, _ = _merged(tmp_path, 'msgid "%(n)d photo"\nmsgstr "%(n)d фото"\n',
                      'msgid "%(n)d photo"\nmsgid_plural "%(n)d photos"\nmsgstr[0] ""\nmsgstr[1] ""\n')
    assert text.endswith('#, fuzzy\n#| msgid "%(n)d photo"\nmsgid "%(n)d photo"\nmsgid_plural "%(n)d photos"\n'
                         'msgstr[0] "%(n)d фото"\nmsgstr[1] "%(n)d фото"\nmsgstr[2] "%(n)d фото"\n')


def test_a_template_that_drops_the_plural_keeps_the_other_forms_in_a_note(tmp_path):
    text, _ = _merged(tmp_path, 'msgid "one photo"\nmsgid_plural "%(n)d photos"\nmsgstr[0] "одне фото"\n'
                                'msgstr[1] "%(n)d фото"\nmsgstr[2] "%(n)d фотографій"\n',
                      'msgid "one photo"\nmsgstr ""\n')
    assert text.endswith('# storyloc: note dropped msgstr[1] "%(n)d фото"\n'
                         '# storyloc: note dropped msgstr[2] "%(n)d фотографій"\n'
                         '#, fuzzy\n#| msgid "one photo"\n#| msgid_plural "%(n)d photos"\n'
                         'msgid "one photo"\nmsgstr "одне фото"\n')


def test_a_plural_with_too_few_forms_is_filled_to_the_catalogs_count(tmp_path):
    text, _ = _merged(tmp_path, 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n',
                      'msgid "a"\nmsgid_plural "as"\nmsgstr[0] ""\nmsgstr[1] ""\n')
    assert 'msgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[2] "y"\n' in text


def test_a_format_flag_added_by_the_template_makes_a_reviewed_entry_fuzzy(tmp_path):
    text, _ = _merged(tmp_path, 'msgid "Photo: %(credit)s"\nmsgstr "Фото: %(credit)"\n',
                      '#, python-format\nmsgid "Photo: %(credit)s"\nmsgstr ""\n')
    assert text.endswith('#, fuzzy, python-format\n#| msgid "Photo: %(credit)s"\nmsgid "Photo: %(credit)s"\n'
                         'msgstr "Фото: %(credit)"\n')
    # a flag it already had changes nothing
    again, _ = _merged(tmp_path, '#, python-format\nmsgid "Photo: %(credit)s"\nmsgstr "Фото: %(credit)s"\n',
                       '#, python-format\nmsgid "Photo: %(credit)s"\nmsgstr ""\n')
    assert again.endswith('#, python-format\nmsgid "Photo: %(credit)s"\nmsgstr "Фото: %(credit)s"\n')


def test_an_exact_match_still_suggests_a_translation_for_a_new_context(tmp_path):
    text, counts = _merged(tmp_path, 'msgid "Bakhmut, Donetsk Oblast"\nmsgstr "Бахмут, Донецька область"\n',
                           'msgid "Bakhmut, Donetsk Oblast"\nmsgstr ""\n\n'
                           'msgctxt "figure:center"\nmsgid "Bakhmut, Donetsk Oblast"\nmsgstr ""\n')
    assert counts["fuzzy"] == 1
    assert 'msgid "Bakhmut, Donetsk Oblast"\nmsgstr "Бахмут, Донецька область"\n\n' in text
    assert text.endswith('#, fuzzy\n#| msgid "Bakhmut, Donetsk Oblast"\nmsgctxt "figure:center"\n'
                         'msgid "Bakhmut, Donetsk Oblast"\nmsgstr "Бахмут, Донецька область"\n')


def test_a_merged_plural_change_survives_a_second_update_unchanged(tmp_path):
    first, _ = _merged(tmp_path, 'msgid "%(n)d photo"\nmsgstr "%(n)d фото"\n',
                       'msgid "%(n)d photo"\nmsgid_plural "%(n)d photos"\nmsgstr[0] ""\nmsgstr[1] ""\n')
    merged, _ = merge(parse_po(first), parse_po(HEADER_POT + 'msgid "%(n)d photo"\nmsgid_plural "%(n)d photos"\n'
                                                'msgstr[0] ""\nmsgstr[1] ""\n'), 3)
    path = tmp_path / "again.po"
    save_po(merged, path)
    assert path.read_text(encoding="utf-8") == first


def test_catalogs_with_the_same_english_share_one_fuzzy_search(monkeypatch):
    """Two languages with the same translated English get the same suggestions from one search."""
    from storyloc.po import fuzzy
    searches = []
    search = fuzzy.Index.search
    monkeypatch.setattr(fuzzy.Index, "search", lambda self, *a, **kw: searches.append(a) or search(self, *a, **kw))
    old = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
           'msgid "The troops held the city for months"\nmsgstr "{t} 1"\n\n'
           'msgid "Nothing else happened that day"\nmsgstr "{t} 2"\n')
    template = parse_po('msgid ""\nmsgstr ""\n\nmsgid "The troops held the city for many months"\nmsgstr ""\n')
    memo: dict = {}
    uk, _ = merge(parse_po(old.format(t="uk")), template, 3, memo)
    assert len(searches) == 1
    de, _ = merge(parse_po(old.format(t="de")), template, 2, memo)
    assert len(searches) == 1                                    # the second language searched nothing
    assert [(m.msgid, m.previous_msgid, m.msgstr) for m in uk.entries()][:1] == \
        [("The troops held the city for many months", "The troops held the city for months", ["uk 1"])]
    assert [(m.msgid, m.previous_msgid, m.msgstr) for m in de.entries()][:1] == \
        [("The troops held the city for many months", "The troops held the city for months", ["de 1"])]
