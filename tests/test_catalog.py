"""The PO layer: lossless round trips, precise syntax errors, msgfmt-compatible .mo files."""
import subprocess

import pytest

from storyloc.catalog import Message, compile_mo, format_po, parse_po, read_catalog, read_po, save_po
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


@pytest.mark.parametrize("text, line, message", [
    ('msgid "a"\nmsgstr "b\n', 2, "expected a quoted string"),
    ('msgid "a"\nmsgstr "say "hi" now"\n', 2, "unescaped"),
    ('msgid "a"\nmsgstr "b" "c\n', 2, "expected a quoted string"),
    ('msgid "a"\n', 1, "no msgstr"),
    ('msgstr "b"\n', 1, "msgstr without msgid"),
    ('msgid "a"\nmsgstr "b"\nbogus\n', 3, "unexpected text"),
    ('msgid "a"\nmsgid "b"\nmsgstr ""\n', 2, "duplicate msgid"),
    ('msgid "a"\nmsgstr "b\\q"\n', 2, "bad escape"),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "x"\n', 3, "out of order"),
])
def test_syntax_errors_name_the_line(text, line, message):
    with pytest.raises(CatalogError) as caught:
        parse_po(text, "x.po")
    assert caught.value.line == line, caught.value
    assert message in caught.value.message


def test_not_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / "latin1.po"
    path.write_bytes(b'msgid "a"\nmsgstr "\xe9"\n')
    with pytest.raises(CatalogError) as caught:
        read_po(path, "latin1.po")
    assert str(caught.value).startswith("latin1.po:2: not UTF-8")


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


@pytest.mark.parametrize("text, line, message", [
    ('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 7, "duplicate message, first defined at line 4"),
    ('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', 7, "duplicate message"),
    ('msgid ""\nmsgstr "Plural-Forms: nplurals=x; plural=n != 1;\\n"\n', 1, "invalid Plural-Forms"),
    ('msgid ""\nmsgstr "Plural-Forms: nplurals=2; plural=n !=;\\n"\n', 1, "invalid Plural-Forms"),
    ('msgid ""\nmsgstr "Plural-Forms: nplurals=3; plural=n%10==1 ? 0 : 1;\\n"\n\n'
     'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n', 4, "has 2 forms but Plural-Forms says nplurals=3"),
])
def test_validate_refuses_what_msgfmt_refuses(tmp_path, text, line, message):
    path = tmp_path / "bad.po"
    path.write_text(text, encoding="utf-8")
    assert msgfmt_check(path).returncode != 0          # GNU agrees it is broken
    with pytest.raises(CatalogError) as caught:
        read_catalog(path, "bad.po")
    assert caught.value.line == line and message in caught.value.message


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


def test_fast_reader_and_line_reader_agree(project_dir):
    """Regular files go through one regular expression per entry; they must read exactly as the
    line-by-line reader reads them: the same messages, raw text, line numbers and tail."""
    from storyloc.catalog import _parse_lines, _parse_regular

    texts = [REGULAR, REGULAR.rstrip("\n"), REGULAR + "\n\n"]
    texts += [p.read_text(encoding="utf-8") for p in sorted(project_dir.rglob("*.po*"))]
    for text in texts:
        fast, slow = _parse_regular(text), _parse_lines(text, "x.po")   # the fast one does not give up
        assert [(m.content(), m.raw, m.lineno) for m in fast.messages] == \
               [(m.content(), m.raw, m.lineno) for m in slow.messages]
        assert fast.tail == slow.tail and format_po(fast) == text
    fuzzy = parse_po(REGULAR).find('with "quotes", a \\ backslash and a\ttab', "menu")
    assert fuzzy.previous_msgctxt == "old" and fuzzy.previous_msgid == 'was "quoted"' and fuzzy.lineno == 14
