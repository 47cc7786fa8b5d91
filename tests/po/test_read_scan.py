"""What the reader finds by searching the whole file once: the charset, NUL characters, obsolete entries."""
import pytest

from storyloc.errors import CatalogError
from storyloc.po import parse_po

HEADER = 'msgid ""\nmsgstr "Content-Type: text/plain; charset={}\\n"\n\n'


@pytest.mark.parametrize("charset", ["UTF-8", "ISO-8859-1", "KOI8-U"])
def test_a_nul_is_refused_on_its_line_whatever_the_charset(charset):
    text = HEADER.format(charset) + 'msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "d\0"\n'
    with pytest.raises(CatalogError) as e:
        parse_po(text.encode("latin-1" if charset != "UTF-8" else "utf-8"))
    assert e.value.line == 8 and "NUL" in e.value.message


def entries(text):
    return [(m.msgid, m.msgstr, m.obsolete, m.lineno, m.msgstr_lineno, m.raw) for m in parse_po(text.encode()).messages]


@pytest.mark.parametrize("before", ["", " ", "\t"])
def test_an_obsolete_entry_after_a_string_on_its_line_reads_the_same_with_or_without_others(before):
    """Only obsolete entries that start a line are looked for by the expression; one that follows
    a string on its line goes to the tokenizer, which reads it the same way."""
    text = HEADER.format("UTF-8") + f'msgid "a"\nmsgstr "b"{before}#~ msgid "c"\n#~ msgstr "d"\n'
    alone = entries(text)
    with_another = entries(text + '\n#~ msgid "z"\n#~ msgstr "y"\n')
    assert alone == with_another[:3]
    assert alone[2][:3] == ("c", ["d"], True) and with_another[3][0] == "z"


def test_obsolete_entries_at_the_start_of_the_file_and_after_blank_lines():
    assert [m.obsolete for m in parse_po(b'#~ msgid "c"\n#~ msgstr "d"\n').messages] == [True]
    text = HEADER.format("UTF-8") + '\n\n# note\n#~ msgid "c"\n#~ msgstr "d"\n'
    assert [(m.msgid, m.obsolete, m.lineno) for m in parse_po(text.encode()).messages][1] == ("c", True, 7)


def test_an_obsolete_entry_is_found_after_tildes_elsewhere():
    """The search for "#~" at a line start looks at each "~" in turn (in paths, in #~| lines)."""
    text = HEADER.format("UTF-8") + 'msgid "~/.config"\nmsgstr "~/.налаштування"\n\n# ~ not one\n#~ msgid "c"\n#~ msgstr "d"\n'
    assert [(m.msgid, m.obsolete) for m in parse_po(text.encode()).messages][1:] == [("~/.config", False), ("c", True)]


def test_the_charset_is_the_header_s_not_another_entry_s():
    """The bytes are searched for the first Content-Type string; when that one is not the header's
    (GNU reads the header's alone), the file is read again in the header's charset."""
    tail = 'msgid "x\\n"\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1 is what a header says\\n"\n\n' \
           'msgid "File"\nmsgstr "Файл"\n'
    without = parse_po(('msgid ""\nmsgstr "Language: uk\\n"\n\n' + tail).encode("utf-8"))
    assert (without.charset, without.encoding, without.messages[-1].msgstr) == (None, "utf-8", ["Файл"])
    koi8 = parse_po((HEADER.format("KOI8-U") + tail).encode("koi8-u"))
    assert (koi8.charset, koi8.messages[-1].msgstr) == ("KOI8-U", ["Файл"])
