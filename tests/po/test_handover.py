"""A catalog handed from one stage to the next is what reading its file gives, to the last slot."""
from __future__ import annotations

from pathlib import Path

import pytest

from storyloc.po import Message, handover, parse_po, read_po

DATA = Path(__file__).resolve().parent.parent / "data"
CATALOGS = sorted([DATA / "po" / "awkward.po", DATA / "golden" / "merge" / "uk.po",
                   *(DATA / "project" / "locales").glob("*/LC_MESSAGES/*.po")])
SLOTS = [s for s in Message.__slots__]


def edited(text: str):
    """A catalog as a merge leaves it: translations changed, an entry fuzzy with its previous msgid,
    one made obsolete, one new, and the rest as read."""
    catalog = parse_po(text)
    entries = catalog.entries()
    for i, m in enumerate(entries):
        if i % 5 == 1:
            m.msgstr = [s + " (змінено)" for s in m.msgstr]
        elif i % 5 == 2 and m.msgid_plural is None:
            m.previous_msgid, m.msgid = m.msgid, m.msgid + " and a clause that makes the line wrap somewhere"
            m.fuzzy = True
            m.previous_msgid = m.msgid.rsplit(" and a clause", 1)[0]
        elif i % 5 == 3:
            m.obsolete = True
    catalog.messages.append(Message("A new sentence, long enough to be wrapped by the writer across "
                                    "two lines or more, as msgcat would wrap it.", [""],
                                    references=["article.md:99"], extracted_comments=["paragraph"]))
    return catalog


def same_as_read(taken, fresh) -> None:
    assert len(taken.messages) == len(fresh.messages)
    for a, b in zip(taken.messages, fresh.messages):
        for slot in SLOTS:
            assert getattr(a, slot) == getattr(b, slot), (slot, b.lineno, getattr(a, slot), getattr(b, slot))
    for name in ("newline", "tail", "domains", "bytes_as_read", "encoding", "path"):
        assert getattr(taken, name) == getattr(fresh, name), name


@pytest.mark.parametrize("source", CATALOGS, ids=lambda p: p.relative_to(DATA).as_posix())
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_saved_catalog_is_handed_over_as_reading_it_gives_it(tmp_path, source, newline):
    text = source.read_text(encoding="utf-8").replace("\n", newline)
    catalog = edited(text)
    path = tmp_path / "out.po"
    handover.save(catalog, path)
    taken = handover.take(path)
    assert taken is catalog
    same_as_read(taken, read_po(path))
    assert handover.take(path) is None                      # once


def test_a_file_changed_since_is_read_again(tmp_path):
    catalog = edited(CATALOGS[-1].read_text(encoding="utf-8"))
    path = tmp_path / "out.po"
    handover.save(catalog, path)
    path.write_bytes(path.read_bytes() + b"\n")             # someone else saved it meanwhile
    assert handover.take(path) is None
    assert handover.read_catalog(path).bytes_as_read == path.read_bytes()


def test_a_layout_the_reader_takes_token_by_token_is_not_handed_over(tmp_path):
    catalog = parse_po('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                       '  msgid "indented"\nmsgstr "з відступом"\n')
    path = tmp_path / "out.po"
    assert handover.save(catalog, path)
    assert handover.take(path) is None
    assert read_po(path).messages[1].lineno == 4


HEADER = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'


@pytest.mark.parametrize("text, edit", [
    (HEADER + '\nmsgid "a"\nmsgstr "A"', lambda c: c.messages.append(Message("new", [""]))),   # no final newline
    (HEADER.replace('\\n"', '\\n"\n"Plural-Forms: nplurals=2; plural=n != 1;\\n"')
     + '\nmsgid "x"\nmsgid_plural "xs"\nmsgstr[0]"a"\nmsgstr [1] "b"\n', lambda c: None),       # msgstr[0] not at its place
    (HEADER, lambda c: c.messages.append(Message("a\0b", [""]))),                               # a NUL the reader refuses
    (HEADER, lambda c: c.messages.append(Message("r", [""], references=["./a.md:1"]))),         # "./" the writer drops
    (HEADER, lambda c: c.messages.append(Message("r", [""], translator_comments=["two\nlines"]))),
    (HEADER, lambda c: c.messages.append(Message("r", [""], flags=["no wrap"]))),
    (HEADER.replace('\\n"', '\\n"\n"Content-Type: text/plain; charset=ISO-8859-1\\n"'),
     lambda c: c.messages.append(Message("é", [""]))),                                          # two charsets
], ids=["no-final-newline", "msgstr-irregular", "nul", "dot-slash", "comment-break", "flag-space", "two-charsets"])
def test_what_a_read_would_give_otherwise_is_not_handed_over(tmp_path, text, edit):
    catalog = parse_po(text)
    edit(catalog)
    path = tmp_path / "out.po"
    handover.save(catalog, path)
    assert handover.take(path) is None


def test_forget_drops_the_kept_catalogs_and_what_was_laid_out_for_them(tmp_path):
    from storyloc.po import write
    catalog = edited(CATALOGS[-1].read_text(encoding="utf-8"))
    path = tmp_path / "out.po"
    handover.save(catalog, path)
    assert handover._shapes and write._LAID_OUT           # the new, untranslated entry was laid out
    handover.forget()
    assert handover.take(path) is None
    assert not handover._shapes and not write._LAID_OUT
    again = edited(CATALOGS[-1].read_text(encoding="utf-8"))
    handover.save(again, path)                            # laid out anew, the same as before
    same_as_read(handover.take(path), read_po(path))
