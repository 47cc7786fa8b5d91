"""storyloc.po.validation: what msgfmt --check refuses, on its line, and storyloc's own refusals."""
import pytest

from storyloc.errors import CatalogError
from storyloc.po import read_catalog, read_po

from conftest import msgfmt_check

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'


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
    "msgid with a backslash-newline ends with newline": (HEADER + 'msgid "a\\\nb\\n"\nmsgstr "c"\n',
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
    "obsolete string after a live entry": (HEADER + 'msgid "a"\nmsgstr "b"\n#~ "tail"\n', "inconsistent use of #~"),
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
