"""Any catalog, without a project: ``storyloc check PATH…``, as ``msgfmt --check`` reads it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from .. import files
from ..errors import CatalogError
from ..po import read_po, validate
from ..po.validation import flag_lines_problem
from .hostile import control_problems, format_fields, format_problems
from .registry import ERROR, WARNING


HEADER_FIELDS = {                 # msgfmt --check-header's fields and their template defaults
    "Project-Id-Version": "PACKAGE VERSION", "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
    "Last-Translator": "FULL NAME <EMAIL@ADDRESS>", "Language-Team": "LANGUAGE <LL@li.org>",
    "MIME-Version": None, "Content-Type": "text/plain; charset=CHARSET", "Content-Transfer-Encoding": None,
    "Language": "",
}


@dataclass
class FileFinding:
    """One problem of a catalog read without a project: ``file:line: severity: message``."""

    path: str
    line: int | None
    severity: str
    message: str
    ignored: ClassVar[bool] = False         # a file's findings cannot be silenced (and are counted alike)

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


def check_file(path, shown: str | None = None) -> list[FileFinding]:
    """Check one catalog as ``msgfmt --check`` would, without a project: syntax, header and plural
    forms (the reader's :func:`~storyloc.po.validate`), header fields, entries with several ``#,``
    lines (a warning: msgfmt reads them, keeping the last one's flags), format strings, control
    and bidi characters, and a header naming another charset than the UTF-8 the bytes are.
    Errors refuse the file; warnings do not. A file that cannot be read (missing, a folder, no
    permission) is one error. ``shown``: the file's name in the findings (default: as
    :func:`storyloc.files.shown` gives it)."""
    path = Path(path)
    shown = shown or files.shown(path)
    out: list[FileFinding] = []
    if not path.exists():               # in msgfmt's words, not the project's "run storyloc update first"
        return [FileFinding(shown, None, ERROR, "No such file or directory")]
    try:
        catalog = read_po(path, shown)
        validate(catalog, shown)
    except CatalogError as error:
        return [FileFinding(error.path or shown, error.line, ERROR, error.message)]   # unreadable too
    header = catalog.header                 # validate refused a file without one, and broken plurals
    fields = catalog.header_fields()
    header_line = header.msgstr_lineno or header.lineno
    for name, default in HEADER_FIELDS.items():
        if name not in fields:
            out.append(FileFinding(shown, header_line, WARNING, f"header field {name!r} missing"))
        elif default is not None and fields[name] == default:
            out.append(FileFinding(shown, header_line, WARNING,
                                   f"header field {name!r} still has the template's value"))
    mislabelled = utf8_under_another_charset(catalog)
    if mislabelled is not None:
        out.append(FileFinding(shown, header_line, WARNING, mislabelled))
    lang = fields.get("Language") or path.parent.parent.name or "en"
    for m in catalog.messages:
        if m is header:
            continue
        flag_lines = flag_lines_problem(m)      # msgfmt reads it (the stages refuse it)
        if flag_lines is not None:
            out.append(FileFinding(shown, m.lineno, WARNING, flag_lines))
        sources = [m.msgid] + ([m.msgid_plural] if m.msgid_plural is not None else [])
        for n, text in enumerate(m.msgstr):
            source = m.msgid if n == 0 or m.msgid_plural is None else m.msgid_plural
            problems = list(control_problems(source, text, lang))
            if text and not m.fuzzy and not m.obsolete:
                problems += format_problems(source, text, m.flags, sources if m.msgid_plural is not None else (),
                                            english="the msgid")
                if m.msgid_plural is None:
                    problems += [f"format {f} of the msgid is missing" for f in
                                 format_fields(m.msgid, m.flags) - format_fields(text, m.flags)]
            label = f"msgstr[{n}]" if m.msgid_plural is not None else "msgstr"
            out.extend(FileFinding(shown, m.msgstr_lineno or m.lineno, ERROR, f"{label}: {p}") for p in problems)
    return out


def utf8_under_another_charset(catalog) -> str | None:
    """A warning when the header names a charset other than UTF-8 but the file's bytes, non-ASCII
    among them, are valid UTF-8: then they are almost surely UTF-8 (text in KOI8-R, Latin-1 or
    EUC-JP is rarely valid UTF-8), and reading them in the named charset, as msgfmt and storyloc
    do, garbles every such character without a word."""
    data = catalog.bytes_as_read
    if not data or data.isascii() or catalog.charset is None or catalog.encoding in UTF8_OR_ASCII:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    count = sum(1 for c in text if c > "\x7f")
    return (f"the header says charset={catalog.charset}, but the file's bytes read as UTF-8 ({count:,} "
            f"character{'s' if count != 1 else ''} past ASCII in the file), which in {catalog.charset} are garbled: if the file is "
            f"UTF-8, say charset=UTF-8 in the header")


UTF8_OR_ASCII = {"utf-8", "utf-8-sig", "ascii"}      # Python's names for the codecs
