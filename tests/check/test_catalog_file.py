"""`storyloc check PATH…`: any catalog, without a project, as msgfmt --check reads it."""
import json
from pathlib import Path

import storyloc
from storyloc.check import ERROR, check_file, tally

from conftest import msgfmt_check, run

PO_HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: x 1\\n"\n"PO-Revision-Date: 2026-11-29 12:00+0000\\n"\n'
             '"Last-Translator: T <t@example.org>\\n"\n"Language-Team: Ukrainian\\n"\n"Language: uk\\n"\n'
             '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
             '"Content-Transfer-Encoding: 8bit\\n"\n'
             '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
             '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n')


def test_check_paths_reads_any_catalog_like_msgfmt(tmp_path):
    good = tmp_path / "good.po"
    good.write_text(PO_HEADER + '#, python-format\nmsgid "%(n)d photo"\nmsgid_plural "%(n)d photos"\n'
                    'msgstr[0] "%(n)d фото"\nmsgstr[1] "%(n)d фото"\nmsgstr[2] "%(n)d фотографій"\n',
                    encoding="utf-8")
    bad = tmp_path / "bad.po"
    bad.write_text(PO_HEADER + '#, python-format\nmsgid "Photo: %(credit)s"\nmsgstr "Фото: %(credit)999999999s"\n\n'
                   'msgid "A word"\nmsgstr "Слово \u202e"\n', encoding="utf-8")
    result = run(tmp_path, "check", str(good))
    assert result.exit_code == 0 and result.output == "1 file checked: 0 error(s), 0 warning(s)\n"
    assert msgfmt_check(good).returncode == 0
    result = run(tmp_path, "check", str(good), str(bad), str(tmp_path / "missing.po"))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{bad}:15: error: msgstr: format %(credit)999999999s is not in the msgid; a width, precision or "
        f"conversion the msgid lacks can fill memory",
        f"{bad}:15: error: msgstr: format %(credit)s of the msgid is missing",
        f"{bad}:18: error: msgstr: bidi control U+202E (Right-To-Left Override) in a left-to-right language: "
        f"it can reorder what readers see; remove it",
        f"{tmp_path / 'missing.po'}: error: No such file or directory",
        "3 files checked: 4 error(s), 0 warning(s)"]
    assert msgfmt_check(bad).returncode == 0            # msgfmt lets a 1 GB width through; storyloc does not


def test_check_paths_names_syntax_errors_and_plural_headers(tmp_path):
    broken = tmp_path / "broken.po"
    broken.write_text(PO_HEADER + 'msgid "a"\nmsgstr "b\n', encoding="utf-8")
    result = run(tmp_path, "check", str(broken))
    assert result.exit_code == 1 and result.output.startswith(f"{broken}:14: error: ")
    wrong = tmp_path / "wrong.po"
    wrong.write_text(PO_HEADER.replace("nplurals=3", "nplurals=2") + 'msgid "a"\nmsgid_plural "as"\n'
                     'msgstr[0] "b"\nmsgstr[1] "c"\n', encoding="utf-8")
    result = run(tmp_path, "check", str(wrong))
    assert result.exit_code == 1
    # the reader refuses it first, in msgfmt's words; _plural_problems says it for a reader that would not
    assert result.output.startswith(f"{wrong}:2: error: ") and "nplurals" in result.output.splitlines()[0]


def test_the_shipped_ui_catalogs_pass_check_paths():
    catalogs = sorted((Path(storyloc.__file__).parent / "locale").glob("*/LC_MESSAGES/storyloc.po"))
    assert len(catalogs) >= 5
    assert [f.format() for c in catalogs for f in check_file(c) if f.severity == ERROR] == []


def test_check_paths_as_json(tmp_path):
    bad = tmp_path / "bad.po"
    bad.write_text(PO_HEADER + 'msgid "A word"\nmsgstr "Слово\\x07"\n', encoding="utf-8")
    result = run(tmp_path, "check", "--format", "json", str(bad))
    assert result.exit_code == 1
    assert json.loads(result.output) == [{"path": str(bad), "line": 14, "severity": "error",
                                          "message": "msgstr: control character U+0007 at offset 5"}]


def test_check_paths_refuses_an_empty_catalog_like_msgfmt(tmp_path):
    empty = tmp_path / "empty.po"
    empty.write_text("", encoding="utf-8")
    result = run(tmp_path, "check", str(empty))
    assert result.exit_code == 1 and f"{empty}: error: PO file header missing" in result.output


def test_a_file_s_findings_are_counted_like_a_project_s(tmp_path):
    bad = tmp_path / "bad.po"
    bad.write_text(PO_HEADER.replace('"Language-Team: Ukrainian\\n"\n', "") + 'msgid "A word"\nmsgstr "Слово\\x07"\n',
                   encoding="utf-8")
    findings = check_file(bad)
    assert sorted(f.severity for f in findings) == ["error", "warning"]
    assert tally(findings) == {"errors": 1, "warnings": 1, "ignored": 0}


def test_a_file_that_cannot_be_read_is_one_error_and_the_next_file_is_checked(tmp_path):
    (tmp_path / "folder.po").mkdir()
    assert [f.format() for f in check_file(tmp_path / "folder.po", "folder.po")] == \
        ["folder.po: error: cannot read: Is a directory"]
    result = run(tmp_path, "check", str(tmp_path / "folder.po"), str(tmp_path / "missing.po"))
    assert result.exit_code == 1 and result.output.splitlines()[-1] == "2 files checked: 2 error(s), 0 warning(s)"


def test_several_flag_lines_are_a_warning_where_msgfmt_reads_them(tmp_path):
    """msgfmt reads only the last ``#,`` line's flags: any catalog gets a warning at the entry; the
    stages, which must know whether it is fuzzy, refuse it (tests/po/test_read.py)."""
    path = tmp_path / "flags.po"
    path.write_text(PO_HEADER + '#, fuzzy\n#, python-format\nmsgid "%(n)s"\nmsgstr "%(n)s"\n', encoding="utf-8")
    assert msgfmt_check(path).returncode == 0
    assert [f.format() for f in check_file(path, "flags.po")] == [
        "flags.po:15: warning: 2 '#,' lines before one entry (#, fuzzy; #, python-format): GNU gettext keeps "
        "only the last one's flags; put them all on one '#,' line"]


def test_utf8_bytes_under_another_charset_are_a_warning(tmp_path):
    """A header naming KOI8-R over UTF-8 bytes: msgfmt reads them as KOI8-R, garbling every Cyrillic
    letter, and says nothing; check PATH names the header.  Text really in KOI8-R or Latin-1 is not
    valid UTF-8 once it holds a letter past ASCII, and gets no such warning."""
    header = PO_HEADER.replace("charset=UTF-8", "charset=KOI8-R")
    body = 'msgid "File"\nmsgstr "Файл"\n\nmsgid "Folder"\nmsgstr "Тека"\n'
    mislabelled = tmp_path / "mislabelled.po"
    mislabelled.write_bytes((header + body).encode("utf-8"))
    assert msgfmt_check(mislabelled).returncode == 0            # GNU garbles it without a word
    assert [f.format() for f in check_file(mislabelled, "mislabelled.po")] == [
        "mislabelled.po:2: warning: the header says charset=KOI8-R, but the file's bytes read as UTF-8 "
        "(8 characters past ASCII in the file), which in KOI8-R are garbled: if the file is UTF-8, say "
        "charset=UTF-8 in the header"]
    koi8 = tmp_path / "koi8.po"
    koi8.write_bytes((header + body).encode("koi8-r"))
    latin1 = tmp_path / "latin1.po"
    latin1.write_bytes((PO_HEADER.replace("charset=UTF-8", "charset=ISO-8859-1")
                        + 'msgid "Coffee"\nmsgstr "Café"\n').encode("latin-1"))
    ascii_only = tmp_path / "ascii.po"
    ascii_only.write_bytes((header + 'msgid "File"\nmsgstr "Fajl"\n').encode("ascii"))
    sig = tmp_path / "sig.po"                                   # another name for UTF-8
    sig.write_bytes((PO_HEADER.replace("charset=UTF-8", "charset=UTF-8-SIG") + body).encode("utf-8"))
    for path in (koi8, latin1, ascii_only, sig):
        assert check_file(path) == [], path.name


def test_utf8_bytes_a_named_charset_cannot_read_are_refused_with_the_hint(tmp_path):
    """ISO-8859-3 has no byte 0xC3, the lead byte of é in UTF-8: the file cannot be read in the
    charset its header names, and the error says what the bytes are."""
    path = tmp_path / "maltese.po"
    path.write_bytes((PO_HEADER.replace("charset=UTF-8", "charset=ISO-8859-3")
                      + 'msgid "Coffee"\nmsgstr "Café"\n').encode("utf-8"))
    assert [f.format() for f in check_file(path, "maltese.po")] == [
        "maltese.po:14: error: invalid multibyte sequence: these bytes are not ISO-8859-3, which the header "
        "names; the file's bytes read as UTF-8: if it is UTF-8, say charset=UTF-8 in the header"]
