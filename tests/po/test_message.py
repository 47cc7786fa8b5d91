"""storyloc.po.message: the model says whether an entry changed, and keeps comments one line each."""
from storyloc.po import Message, format_po, parse_po, write_translator_comments

TEXT = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid  "a"\nmsgstr "б"\n'


def test_an_entry_knows_whether_it_changed_and_what_it_was_read_as():
    catalog = parse_po(TEXT.encode("utf-8"), "x.po")
    assert catalog.bytes_as_read == TEXT.encode("utf-8")
    entry = catalog.find("a")
    assert not entry.changed and entry.msgstr_as_read == ("б",)
    entry.flags.append("fuzzy")
    assert entry.changed and entry.msgstr_as_read == ("б",)
    entry.flags.remove("fuzzy")
    assert not entry.changed and format_po(catalog) == TEXT          # the odd spacing is kept
    assert Message("new").changed and Message("new").msgstr_as_read is None


def test_a_detached_entry_is_written_anew():
    catalog = parse_po(TEXT)
    catalog.find("a").detach()
    assert format_po(catalog).endswith('\nmsgid "a"\nmsgstr "б"\n')


def test_translator_comments_are_kept_one_line_each_and_never_twice():
    entry = Message("a")
    write_translator_comments(entry, ["checked\nby Olena", "checked by Olena", "note\x1b[31m"])
    assert entry.translator_comments == ["checked by Olena", "note [31m"]
    write_translator_comments(entry, ["new"], keep=lambda c: c.startswith("checked"))
    assert entry.translator_comments == ["checked by Olena", "new"]


COMMENTED = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
             '#  odd   spacing kept\n#. TRANSLATORS: a note\n#:   a.c:1    b.c:2\n#, c-format\nmsgid "%d a"\nmsgstr "%d б"\n')


def test_comment_lines_read_on_first_use_leave_the_entry_unchanged():
    """A read entry keeps its comment lines as they are until a list of them is asked for; asking
    changes nothing, and a change made then is seen as a change."""
    for ask in (None, "translator_comments", "extracted_comments", "references"):
        catalog = parse_po(COMMENTED)
        entry = catalog.find("%d a")
        if ask is not None:
            getattr(entry, ask)
        assert not entry.changed and format_po(catalog) == COMMENTED
    entry = parse_po(COMMENTED).find("%d a")
    assert (entry.translator_comments, entry.extracted_comments, entry.references, entry.flags) == (
        [" odd   spacing kept"], ["TRANSLATORS: a note"], ["a.c:1", "b.c:2"], ["c-format"])
    assert entry.content() == Message("%d a", ["%d б"], translator_comments=[" odd   spacing kept"],
                                      extracted_comments=["TRANSLATORS: a note"], references=["a.c:1", "b.c:2"],
                                      flags=["c-format"]).content()
    for change in (lambda m: m.references.append("c.c:3"), lambda m: setattr(m, "extracted_comments", []),
                   lambda m: write_translator_comments(m, ["checked"])):
        catalog = parse_po(COMMENTED)
        entry = catalog.find("%d a")
        change(entry)
        assert entry.changed
        assert parse_po(format_po(catalog)).find("%d a").content() == entry.content()
