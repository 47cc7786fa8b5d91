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
