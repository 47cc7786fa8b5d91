"""The PO layer: lossless round trips, precise syntax errors, msgfmt-compatible .mo files."""
import subprocess

import pytest

from storyloc.po import Message, compile_mo, format_po, parse_po, read_catalog, read_po, save_po
from storyloc.errors import CatalogError

from conftest import msgfmt_check

# Everything awkward a valid catalog may hold, in layouts Babel and polib rewrite.
AWKWARD = r'''# Ukrainian translation.
# Odd comment   with  spaces
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: test\n"
"Language: uk\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"

#. An extracted note
#: builtin/submodule--helper.c:3600 a-very-long-file-name-with-hyphens.c:12
#, c-format
msgid "short"
msgstr "коротко"

msgctxt ""
msgid "empty context is a context"
msgstr "порожній контекст"

msgid "empty context is a context"
msgstr "без контексту"

msgid "octal \303\251 and \t tab and \"quotes\" and \\ backslash"
msgstr "вісімкове \303\251"

msgid "a line that somebody wrapped by hand " "on one line"
msgstr ""
"wrapped "
"by hand, not the GNU way"

msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d файл"
msgstr[1] "%d файли"
msgstr[2] "%d файлів"

msgid "duplicate"
msgstr "перший"

msgid "duplicate"
msgstr "другий"

#, fuzzy
#| msgid "old english"
msgid "new english"
msgstr "стара"

#~ msgid "gone"
#~ msgstr "пішло"

#~| msgid "older"
#~ msgid "obsolete with previous"
#~ msgstr "застаріле"
'''


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


def test_changing_one_entry_rewrites_only_that_entry_in_gnu_layout():
    catalog = parse_po(AWKWARD)
    catalog.find("short").msgstr = ["змінено"]
    out = format_po(catalog)
    before, after = AWKWARD.splitlines(), out.splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert changed == [('msgstr "коротко"', 'msgstr "змінено"')]
    # the hand-wrapped entry elsewhere is still exactly as it was
    assert '"by hand, not the GNU way"' in out


def test_real_msgfmt_accepts_what_we_write(tmp_path):
    path = tmp_path / "x.po"
    text = AWKWARD.replace('msgid "duplicate"\nmsgstr "другий"\n\n', "")  # msgfmt rejects duplicates
    catalog = parse_po(text)
    catalog.find("short").msgstr = ["інакше"]
    save_po(catalog, path)
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr


def test_mo_matches_msgfmt_content(tmp_path):
    """Compare with msgunfmt: the same messages as GNU msgfmt compiles (fuzzy ones left out)."""
    text = AWKWARD.replace('msgid "duplicate"\nmsgstr "другий"\n\n', "")
    po = tmp_path / "x.po"
    po.write_text(text, encoding="utf-8")
    ours = tmp_path / "ours.mo"
    ours.write_bytes(compile_mo(parse_po(text)))
    gnu = tmp_path / "gnu.mo"
    subprocess.run(["msgfmt", "-o", str(gnu), str(po)], check=True)
    unfmt = [subprocess.run(["msgunfmt", str(mo)], capture_output=True, text=True, check=True).stdout
             for mo in (ours, gnu)]
    assert unfmt[0] == unfmt[1]
    assert "new english" not in unfmt[0]


def test_new_message_is_written_like_msgcat_writes_it(tmp_path):
    catalog = parse_po('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n')
    catalog.messages.append(Message(
        "As Russia’s full-scale invasion of Ukraine approaches its one-year anniversary, civilians continue "
        "to fight for their lives", ["Наближається перша річниця"], translator_comments=["a note"],
        references=["source/story/article.md:25"], flags=["fuzzy"], previous_msgid="As Russia’s invasion"))
    path = tmp_path / "new.po"
    save_po(catalog, path)
    gnu = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True).stdout
    assert gnu == path.read_text(encoding="utf-8")


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
    assert line.find("e").lineno == 10


def _gnu_error_lines(path):
    import re
    result = msgfmt_check(path)
    assert result.returncode != 0, "msgfmt accepts it"
    return [int(n) for n in re.findall(rf"^{re.escape(str(path))}:(\d+):(?:\d+:)? (?!warning)", result.stderr, re.M)]


# What msgfmt --check refuses: (text, the message, whether storyloc names msgfmt's first line).
GNU_REFUSES = {
    "plural then plain msgstr": (HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', "syntax error"),
    "plain then msgstr[0]": (HEADER + 'msgid "a"\nmsgstr[0] "b"\n', "missing 'msgid_plural' section"),
    "comment between msgid and msgstr": (HEADER + 'msgid "a"\n# note\nmsgstr "b"\n', "missing 'msgstr' section"),
    "previous between msgid and msgstr": (HEADER + 'msgid "a"\n#| msgid "o"\nmsgstr "b"\n',
                                          "missing 'msgstr' section"),
    "msgid ends with newline": (HEADER + 'msgid "line\\n"\nmsgstr "ligne"\n',
                                "'msgid' and 'msgstr' entries do not both end with '\\n'"),
    "msgstr ends with newline": (HEADER + 'msgid "line"\nmsgstr ""\n"ligne\\n"\n',
                                 "'msgid' and 'msgstr' entries do not both end with '\\n'"),
    "plural form begins with newline": (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n\n'
        'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] "\\nbs"\n',
        "'msgid' and 'msgstr[1]' entries do not both begin with '\\n'"),
    "second header": (HEADER + 'msgid ""\nmsgstr "Language: uk\\n"\n', "duplicate message definition"),
    "duplicate of an obsolete": (HEADER + 'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n',
                                 "duplicate message definition"),
    "no header": ('msgid "a"\nmsgstr "b"\n', "header missing"),
    "empty header": ('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n', "header missing"),
    "only comments": ("# nothing here\n", "header missing"),
    "obsolete header": ('#~ msgid ""\n#~ msgstr "Content-Type: text/plain; charset=UTF-8\\n"\n', "header missing"),
    "charset lies": (HEADER + 'msgid "a"\nmsgstr "caf\xe9"\n', "invalid multibyte sequence"),
    "domain line": (HEADER + 'domain "other"\nmsgid "a"\nmsgstr "b"\n', "'domain other' directive"),
    "mixed obsolete": (HEADER + '#~ msgid "a"\nmsgstr "b"\n', "inconsistent use of #~"),
    "wrong plural index": (HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[2] "c"\n',
                           "plural form has wrong index"),
    "unknown keyword": (HEADER + 'msgid "a"\nmsgstr "b"\nmsgstring "c"\n', 'keyword "msgstring" unknown'),
    "bad escape": (HEADER + 'msgid "a"\nmsgstr "b\\q"\n', "invalid control sequence"),
    "stray quote": (HEADER + 'msgid "a"\nmsgstr "say "hi" now"\n', 'keyword "hi" unknown'),
    "no msgstr at the end": (HEADER + 'msgid "a"\n', "missing 'msgstr' section"),
    "msgstr without msgid": (HEADER + 'msgstr "b"\n', "syntax error"),
    "context separator": (HEADER + 'msgid "a\\004b"\nmsgstr "c"\n', "context separator"),
    "plural without Plural-Forms": (HEADER + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] "c"\n',
                                    "lacks \"Plural-Forms"),
    "too few forms": ('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=3; plural=n%10==1 ? 0 : n%10==2 ? 1 : 2;\\n"\n\n'
                      'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n', "has 2 forms"),
    "plural value too large": ('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=n%3;\\n"\n',
                               "can produce values as large as 2"),
    "division by zero": ('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n/(n-7))%2;\\n"\n',
                         "division by zero"),
    "bad nplurals": ('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=x; plural=n != 1;\\n"\n', "invalid nplurals"),
    "bad plural expression": ('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=n !=;\\n"\n',
                              "invalid plural expression"),
}


@pytest.mark.parametrize("text, message", GNU_REFUSES.values(), ids=GNU_REFUSES.keys())
def test_refuses_what_msgfmt_refuses_on_its_line(tmp_path, text, message):
    path = tmp_path / "bad.po"
    path.write_bytes(text.encode("latin-1") if "\xe9" in text else text.encode("utf-8"))
    before = path.read_bytes()
    gnu_lines = _gnu_error_lines(path)
    with pytest.raises(CatalogError) as caught:
        read_catalog(path, "bad.po")
    error = caught.value
    assert message in error.message and error.path == "bad.po"
    if gnu_lines:
        assert error.line in gnu_lines, (error.line, gnu_lines)
    assert path.read_bytes() == before


def test_unclosed_string_names_its_own_line(tmp_path):
    """msgfmt names the line after an unclosed string; storyloc names the string's line."""
    path = tmp_path / "bad.po"
    path.write_text(HEADER + 'msgid "a"\nmsgstr "b\n\nmsgid "c"\nmsgstr "d"\n', encoding="utf-8")
    assert _gnu_error_lines(path)[0] == 7
    with pytest.raises(CatalogError) as caught:
        read_catalog(path, "bad.po")
    assert caught.value.line == 6 and "end-of-line within string" in caught.value.message


@pytest.mark.parametrize("body, line, message", [
    ('msgid "a"\nmsgstr "b\\001c"\n', 6, "control character U+0001"),
    ('msgid "a"\nmsgstr ""\n"\\033[31mred"\n', 6, "control character U+001B"),
    ('msgid "a"\nmsgstr "b\x85c"\n', 6, "control character U+0085"),
    ('msgid "a\\n"\nmsgstr "line\\r\\n"\n', 6, "control character U+000D"),
])
def test_control_characters_in_a_translation_are_refused(tmp_path, body, line, message):
    """msgfmt accepts them; storyloc refuses them when a stage reads the catalog (tab and newline pass)."""
    path = tmp_path / "x.po"
    path.write_text(HEADER + body, encoding="utf-8")
    assert msgfmt_check(path).returncode == 0
    read_po(path)                                  # the reader takes what GNU takes
    with pytest.raises(CatalogError) as caught:
        read_catalog(path, "x.po")
    assert caught.value.line == line and message in caught.value.message
    path.write_text(HEADER + 'msgid "a\\tb\\n"\nmsgstr "в\\tб\\n"\n', encoding="utf-8")
    read_catalog(path, "x.po")


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


def test_mo_has_msgfmts_header_and_plural_rules(tmp_path):
    """msgfmt drops POT-Creation-Date from the header (reproducible builds), keeps a fuzzy header, and
    compiles a plural entry whose first form is translated even if another is empty."""
    text = ('#, fuzzy\nmsgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"POT-Creation-Date: 2024-01-01 00:00+0000\\n"\n'
            '"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=n != 1;\\n"\n\n'
            'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] ""\n\n'
            'msgid "b"\nmsgid_plural "bs"\nmsgstr[0] ""\nmsgstr[1] "y"\n')
    po = tmp_path / "x.po"
    po.write_text(text, encoding="utf-8")
    ours, gnu = tmp_path / "ours.mo", tmp_path / "gnu.mo"
    ours.write_bytes(compile_mo(read_po(po)))
    subprocess.run(["msgfmt", "-o", str(gnu), str(po)], check=True)
    unfmt = [subprocess.run(["msgunfmt", str(mo)], capture_output=True, text=True, check=True).stdout
             for mo in (ours, gnu)]
    assert unfmt[0] == unfmt[1] and "POT-Creation-Date" not in unfmt[0] and 'msgid "a"' in unfmt[0]


def test_regular_expression_path_never_disagrees_with_the_grammar(monkeypatch):
    """Strings made of quotes, backslashes and escape letters, split over lines, live and obsolete:
    the fast path must read each file exactly as the tokenizer does, or hand it over (same error)."""
    import random
    rng = random.Random(5)
    alphabet = ['a', 'b', ' ', 'n', '\\n', '\\"', '\\t', '\\\\', '\\101', '\\x41', '"', '\\', '\x04']
    weights = [9, 9, 5, 3, 6, 4, 3, 3, 1, 1, 1, 1, 0.3]

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


def test_stages_write_a_catalog_in_its_own_charset(tmp_path):
    """encode_po is how every stage turns a catalog into bytes: the header's charset, not always UTF-8."""
    from storyloc.po import encode_po
    catalog = parse_po(HEADER.replace("UTF-8", "ISO-8859-1") + 'msgid "cafe"\nmsgstr "café"\n')
    assert encode_po(catalog).endswith('msgstr "café"\n'.encode("latin-1"))
    assert encode_po(parse_po(HEADER + 'msgid "cafe"\nmsgstr "café"\n')).endswith('"café"\n'.encode("utf-8"))


def test_mo_is_byte_identical_to_msgfmts_system_dependent_strings_included(tmp_path):
    """c-format strings with <inttypes.h> macros (and the I flag in a translation) in the
    system-dependent tables of a revision-1 file with msgfmt's hash table, as glibc needs them;
    other files as msgfmt --no-hash writes them."""
    text = (PLURAL_HEADER + '#, c-format\nmsgid "%s: offset = %<PRIu64>, size = %zu bytes."\n'
            'msgstr "%s: зсув = %<PRIu64>, розмір = %zu байтів."\n\n'
            '#, c-format\nmsgctxt "menu"\nmsgid "%d file at %<PRIx64>"\nmsgid_plural "%d files at %<PRIx64>"\n'
            'msgstr[0] "%Id файл"\nmsgstr[1] "%Id файли на %<PRIx64>"\n\n'
            'msgid "plain"\nmsgstr "просто"\n\n#, c-format\nmsgid "100%% of %d"\nmsgstr "100%% з %d"\n')
    po = tmp_path / "x.po"
    po.write_text(text, encoding="utf-8")
    gnu = tmp_path / "gnu.mo"
    subprocess.run(["msgfmt", "-o", str(gnu), str(po)], check=True)
    assert compile_mo(read_po(po)) == gnu.read_bytes()
    for body in ("", 'msgid "a"\nmsgstr "b"\n'):                    # revision 0: no hash table needed
        po.write_text(HEADER + body, encoding="utf-8")
        subprocess.run(["msgfmt", "--no-hash", "-o", str(gnu), str(po)], check=True)
        assert compile_mo(read_po(po)) == gnu.read_bytes()


def test_hashes_of_many_keys_at_once_are_gnus_hash_string():
    import random

    from storyloc.po.mo import _hash, _hashes
    rng = random.Random(2)
    keys = [bytes(rng.choices(range(1, 256), k=rng.choice([0, 1, 3, 7, 8, 9, 40, 41, 300, rng.randint(0, 900)])))
            for _ in range(3000)]
    assert _hashes(keys) == [_hash(k) for k in keys]
    assert _hash(b"") == 0 and _hash(b"a") == 0x61 and _hash(b"ab") == 0x672   # (0x61 << 4) + 0x62
