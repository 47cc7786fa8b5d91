"""storyloc.po.read: GNU's grammar exactly, the fast path held to it, lossless round trips."""
import subprocess
from pathlib import Path

import pytest

from storyloc.errors import CatalogError
from storyloc.po import compile_mo, format_po, parse_po, read_catalog, read_po, save_po

from conftest import msgfmt_check

AWKWARD = (Path(__file__).resolve().parent.parent / "data" / "po" / "awkward.po").read_text(encoding="utf-8")
"""Everything awkward a valid catalog may hold, in layouts Babel and polib rewrite."""

@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_load_and_save_changes_nothing(newline):
    text = AWKWARD.replace("\n", newline)
    catalog = parse_po(text)
    assert format_po(catalog) == text
    assert format_po(parse_po(format_po(catalog))) == text


def test_parse_keeps_what_other_libraries_drop():
    catalog = parse_po(AWKWARD)
    assert catalog.find("empty context is a context", "").msgstr == ["порожній контекст"]
    assert catalog.find("empty context is a context").msgstr == ["без контексту"]
    assert [m.msgstr[0] for m in catalog.entries() if m.msgid == "duplicate"] == ["перший", "другий"]
    assert catalog.find("octal é and \t tab and \"quotes\" and \\ backslash").msgstr == ["вісімкове é"]
    assert catalog.find("short").references == ["builtin/submodule--helper.c:3600",
                                                 "a-very-long-file-name-with-hyphens.c:12"]
    fuzzy = catalog.find("new english")
    assert fuzzy.previous_msgid == "old english" and fuzzy.status == "draft"
    obsolete = catalog.obsolete()
    assert [m.msgid for m in obsolete] == ["gone", "obsolete with previous"]
    assert obsolete[1].previous_msgid == "older"
    assert catalog.find("%d file").msgstr == ["%d файл", "%d файли", "%d файлів"]


def test_other_readers_see_the_same_messages(project_dir):
    """polib and Babel, the Python readers other tools use, read our catalogs as we do."""
    import polib
    from babel.messages.pofile import read_po as babel_read_po

    for po in sorted((project_dir / "locales").rglob("*.po")):
        ours = {(m.msgctxt, m.msgid): (m.msgstr[0], m.fuzzy) for m in read_po(po).entries()}
        theirs = {(e.msgctxt, e.msgid): (e.msgstr, e.fuzzy) for e in polib.pofile(str(po))
                  if not e.obsolete}
        assert ours == theirs, po
        with open(po, "rb") as f:
            babel_catalog = babel_read_po(f)
        assert {(m.context, m.id): (m.string, m.fuzzy) for m in babel_catalog if m.id} == ours, po


REGULAR = r'''# A catalog in msgcat's layout: what the fast reader takes whole.
msgid ""
msgstr ""
"Language: uk\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"

#. a note
#: a.c:1 b.c:2
#, fuzzy, c-format
#| msgctxt "old"
#| msgid "was \"quoted\""
msgctxt "menu"
msgid "with \"quotes\", a \\ backslash and a\ttab"
msgstr "з \"лапками\""

#
msgid ""
"wrapped over "
"two lines\n"
msgstr ""

msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d файл"
msgstr[1] "%d файли"
msgstr[2] "%d файлів"
'''


OBSOLETE_AND_PREVIOUS = REGULAR + r'''
#, fuzzy
#| msgid "was"
msgid "is"
msgstr "є"

#~ msgid "gone"
#~ msgstr ""
#~ "пішло "
#~ "назавжди"

#~| msgid "older"
#~ msgid "obsolete with previous"
#~ msgstr "застаріле"
'''


def _without_fast_path(monkeypatch, text):
    """The same text read entry by entry through GNU's grammar alone (the regular expressions off)."""
    import re

    from storyloc.po import read as module
    monkeypatch.setattr(module, "REGULAR", re.compile(r"(?!)"))
    monkeypatch.setattr(module, "REGULAR_OBSOLETE", re.compile(r"(?!)"))
    return parse_po(text, "x.po")


def _facts(catalog):
    return [(m.content(), m.raw, m.lineno, m.msgstr_lineno) for m in catalog.messages], catalog.tail


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_regular_entries_read_as_the_grammar_reads_them(project_dir, monkeypatch, newline):
    """Entries in msgcat's layout are taken by one regular expression each; they must read exactly
    as GNU's grammar reads them: the same messages, raw text, line numbers and tail."""
    texts = [OBSOLETE_AND_PREVIOUS, REGULAR.rstrip("\n"), REGULAR + "\n\n# trailing comment\n", AWKWARD]
    texts += [p.read_text(encoding="utf-8") for p in sorted(project_dir.rglob("*.po*"))]
    for text in texts:
        text = text.replace("\n", newline)
        fast = parse_po(text, "x.po")
        with monkeypatch.context() as patch:
            slow = _without_fast_path(patch, text)
        assert _facts(fast) == _facts(slow)
        assert format_po(fast) == text
    fuzzy = parse_po(REGULAR).find('with "quotes", a \\ backslash and a\ttab', "menu")
    assert fuzzy.previous_msgctxt == "old" and fuzzy.previous_msgid == 'was "quoted"' and fuzzy.lineno == 14
    gone = parse_po(OBSOLETE_AND_PREVIOUS).obsolete()
    assert [(m.msgid, m.msgstr, m.previous_msgid) for m in gone] == [
        ("gone", ["пішло назавжди"], None), ("obsolete with previous", ["застаріле"], "older")]


HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
PLURAL_HEADER = HEADER.replace('\n\n', '\n"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n\n')

# Layouts GNU gettext 0.21 reads that a line-by-line reader refuses or splits wrongly.
GNU_READS = {
    "leading blanks": ' \tmsgid "a"\n   msgstr "b"\n  "c"\n',
    "one line": 'msgid "a" msgstr "b"\n',
    "several on one line": 'msgid "a" msgstr "b" msgid "c" msgstr "d"\n',
    "comment after a string": 'msgid "a"\nmsgstr "b" # not part of it\n\nmsgid "c"\nmsgstr "d"\n',
    "no space": 'msgid"a"\nmsgstr""\n',
    "blank lines inside": 'msgid "a"\n\nmsgstr\n\n"b"\n',
    "spaced plural index": 'msgid "a"\nmsgid_plural "as"\nmsgstr [ 0 ] "b"\nmsgstr[1]"bs"\n',
    "CR CR LF": 'msgid "a"\r\r\nmsgstr "b"\r\r\n\r\r\n#~ msgid "c"\r\r\n#~ msgstr "d"\r\r\n',
    "separators in strings": 'msgid "a\u2028b"\nmsgstr "c\u2028d\x85e\x0cf\x0bg\u2029"\n\n'
                             '#| msgid "old\x0c"\nmsgid "x"\nmsgstr "y\x85"\n\n#~ msgid "o\u2028"\n#~ msgstr "p"\n',
    "backslash-newline": 'msgid "a\\\nb"\nmsgstr "c\\\nd"\n# a comment \\\ncontinued\nmsgid "e"\nmsgstr "f"\n',
    "obsolete without space": '#~msgid "a"\n#~msgstr "b"\n',
    "comments only at the end": 'msgid "a"\nmsgstr "b"\n\n# the end\n#\n',
    # every string after a keyword is the keyword's: a reading that gave "c" back to end the entry
    # before the blanks made it the start of another, and a syntax error
    "obsolete strings before blanks": '#~ msgid "a"\n#~ msgstr "b"\n#~ "c"\n  \nmsgid "z"\nmsgstr "y"\n',
}


@pytest.mark.parametrize("body", GNU_READS.values(), ids=GNU_READS.keys())
def test_reads_what_gnu_reads(tmp_path, body):
    """Accepted by msgfmt --check, read, written back byte for byte, compiled to the same .mo."""
    path = tmp_path / "x.po"
    data = (PLURAL_HEADER + body).encode("utf-8")
    path.write_bytes(data)
    assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr
    catalog = read_catalog(path, "x.po") if "\x85" not in body and "\x0c" not in body else read_po(path)
    assert format_po(catalog).encode("utf-8") == data
    ours, gnu = tmp_path / "ours.mo", tmp_path / "gnu.mo"
    ours.write_bytes(compile_mo(catalog))
    subprocess.run(["msgfmt", "-o", str(gnu), str(path)], check=True)
    unfmt = [subprocess.run(["msgunfmt", str(mo)], capture_output=True, check=True).stdout for mo in (ours, gnu)]
    assert unfmt[0] == unfmt[1]


def test_separators_in_strings_are_characters():
    catalog = parse_po(HEADER + GNU_READS["separators in strings"])
    assert catalog.find("a\u2028b").msgstr == ["c\u2028d\x85e\x0cf\x0bg\u2029"]
    assert catalog.find("x").previous_msgid == "old\x0c"
    assert catalog.obsolete()[0].msgid == "o\u2028"
    line = parse_po(HEADER + GNU_READS["backslash-newline"])
    assert line.find("ab").msgstr == ["cd"] and line.find("e").translator_comments == ["a comment continued"]
    # the file's lines: msgid "e" is on line 11, its msgstr "c" on 7 (msgfmt names these for the
    # newline check; for a duplicate it names line 12 here, counting a comment's backslash-newline twice)
    assert (line.find("e").lineno, line.find("ab").msgstr_lineno) == (11, 7)


def test_nul_is_refused_though_msgfmt_truncates(tmp_path):
    """GNU cuts a string at a NUL byte and compiles what is left: a silent loss, so storyloc refuses."""
    path = tmp_path / "x.po"
    path.write_bytes((HEADER + 'msgid "a"\nmsgstr "b\0c"\n').encode("utf-8"))
    assert msgfmt_check(path).returncode == 0
    with pytest.raises(CatalogError) as caught:
        read_po(path, "x.po")
    assert caught.value.line == 6 and "NUL" in caught.value.message


def test_charsets(tmp_path):
    """A catalog in the charset its header names is read and written back in it; an unknown charset
    or undeclared non-UTF-8 bytes are read byte for byte (as GNU does) but refused by the stages."""
    latin = tmp_path / "latin.po"
    latin.write_bytes(HEADER.replace("UTF-8", "ISO-8859-1").encode() + 'msgid "cafe"\nmsgstr "café"\n'.encode("latin-1"))
    catalog = read_catalog(latin, "latin.po")
    assert catalog.find("cafe").msgstr == ["café"] and catalog.encoding == "iso8859-1"
    catalog.find("cafe").msgstr = ["crème"]
    save_po(catalog, latin)
    assert latin.read_bytes().endswith('msgstr "crème"\n'.encode("latin-1"))
    assert msgfmt_check(latin).returncode == 0
    catalog.find("cafe").msgstr = ["кава"]
    with pytest.raises(CatalogError, match="cannot be written in the catalog's charset ISO-8859-1"):
        save_po(catalog, latin)
    for header, message in [(HEADER.replace("UTF-8", "FOO-1"), "unknown charset 'FOO-1'"),
                            ('msgid ""\nmsgstr "Project-Id-Version: x\\n"\n\n', "not UTF-8")]:
        path = tmp_path / "odd.po"
        data = header.encode() + 'msgid "a"\nmsgstr "\xe9"\n'.encode("latin-1")
        path.write_bytes(data)
        assert msgfmt_check(path).returncode == 0
        assert format_po(read_po(path)).encode(read_po(path).encoding) == data
        with pytest.raises(CatalogError, match=message):
            read_catalog(path, "odd.po")


def test_regular_expression_path_never_disagrees_with_the_grammar(monkeypatch):
    """Strings made of quotes, backslashes and escape letters, split over lines, live and obsolete:
    the fast path must read each file exactly as the tokenizer does, or hand it over (same error)."""
    import random
    rng = random.Random(5)
    # ("\\x4" and "1": a byte escape that would run on into the next string if strings were joined first;
    # a backslash-newline, which GNU removes, so the lines of what follows are the file's, not the text's)
    alphabet = ['a', 'b', ' ', 'n', '1', '\\n', '\\"', '\\t', '\\\\', '\\101', '\\x41', '\\x4', '"', '\\', '\x04',
                '\\\n']
    weights = [9, 9, 5, 3, 2, 6, 4, 3, 3, 1, 1, 1, 1, 1, 0.3, 0.5]

    def literal():
        return '"' + "".join(rng.choices(alphabet, weights, k=rng.randint(0, 8))) + '"'

    def field(prefix, keyword):
        lines = [f"{prefix}{keyword} {literal()}"] + [f"{prefix}{literal()}" for _ in range(rng.randint(0, 2))]
        return "\n".join(lines) + "\n"

    def outcome(text, patch=None):
        try:
            catalog = _without_fast_path(patch, text) if patch else parse_po(text, "x.po")
            return _facts(catalog)
        except CatalogError as e:
            return e.line, e.message

    read = 0
    for _ in range(600):
        prefix = rng.choice(["", "#~ "])
        previous = field(("#~| " if prefix else "#| "), "msgid") if rng.random() < 0.3 else ""
        context = field(prefix, "msgctxt") if rng.random() < 0.2 else ""
        text = (HEADER + previous + context + field(prefix, "msgid") + field(prefix, "msgstr") + "\n"
                + 'msgid "z"\nmsgstr "y"\n')
        with monkeypatch.context() as patch:
            slow = outcome(text, patch)
        assert outcome(text) == slow, text
        read += isinstance(slow[0], list)
    assert 150 < read < 450        # both kinds well represented


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_each_flag_line_replaces_the_flags_before_it_as_gnu_reads_them(tmp_path, newline):
    """``#, fuzzy`` then ``#, c-format``: msgfmt compiles the entry (only the last line's flags
    count) and msgcat drops "fuzzy"; both readers give the last line's flags, and the stages refuse
    the entry rather than guess which was meant."""
    body = ('#, fuzzy\n#, c-format\nmsgid "a %d"\nmsgstr "b %d"\n\n'
            '#, c-format\n#, no-wrap\nmsgid "x"\nmsgstr "y"\n\n'
            '#, fuzzy, c-format\n#, no-wrap\nmsgid "p"\nmsgstr ""\n"q"\n\n'    # (two strings: the tokenizer reads it)
            '#  a translator comment with #, in it\n#, fuzzy\nmsgid "f"\nmsgstr "g"\n')
    path = tmp_path / "flags.po"
    path.write_bytes((HEADER + body).replace("\n", newline).encode())
    catalog = read_po(path)
    assert [m.flags for m in catalog.entries()] == [["c-format"], ["no-wrap"], ["no-wrap"], ["fuzzy"]]
    gnu, ours = tmp_path / "gnu.mo", tmp_path / "ours.mo"
    subprocess.run(["msgfmt", "-o", str(gnu), str(path)], check=True)
    ours.write_bytes(compile_mo(catalog))
    unfmt = [subprocess.run(["msgunfmt", str(mo)], capture_output=True, check=True).stdout for mo in (ours, gnu)]
    assert unfmt[0] == unfmt[1] and b'msgid "a %d"' in unfmt[1]
    assert format_po(catalog).encode() == path.read_bytes()
    with pytest.raises(CatalogError) as caught:
        read_catalog(path, "flags.po")
    assert str(caught.value) == ("flags.po:7: 2 '#,' lines before one entry (#, fuzzy; #, c-format): GNU gettext "
                                 "keeps only the last one's flags; put them all on one '#,' line")


def test_a_missing_file_is_named_and_a_stage_s_catalog_says_what_makes_it(tmp_path):
    """A library call on any path says the file is missing; the stages' reader also names the
    command that makes their catalogs."""
    missing = tmp_path / "nope.po"
    with pytest.raises(CatalogError) as plain:
        read_po(missing, "nope.po")
    assert str(plain.value) == "nope.po: file not found"
    with pytest.raises(CatalogError) as stage:
        read_catalog(str(missing), "nope.po")
    assert str(stage.value) == "nope.po: catalog not found; run `storyloc update` first"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_merge_conflicts_marker_is_named_as_one(newline):
    text = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n<<<<<<< HEAD\nmsgid "a"\nmsgstr "б"\n'
            '=======\nmsgid "a"\nmsgstr "в"\n>>>>>>> theirs\n').replace("\n", newline)
    with pytest.raises(CatalogError) as e:
        parse_po(text.encode(), "x.po")
    assert e.value.line == 4 and "a merge conflict's marker" in str(e.value) and "init-git" in str(e.value)
    with pytest.raises(CatalogError) as e:
        parse_po(b'msgid ""\nmsgstr ""\n\n<<< not a marker\n', "x.po")
    assert str(e.value) == "x.po:4: syntax error"
