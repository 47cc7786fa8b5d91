"""What ``msgfmt --check`` refuses (GNU gettext 0.21), and what storyloc refuses beyond it.

:func:`validate` names msgfmt's line for each error; :func:`refuse` adds storyloc's own
refusals for the catalogs its stages read (see the README, "Reading catalogs exactly as GNU
gettext reads them").  Syntax errors are the reader's (:mod:`storyloc.po.read`).
"""
from __future__ import annotations

import re

from ..errors import CatalogError
from .message import Catalog, Message, codec


def validate(catalog: Catalog, shown: str) -> None:
    """Refuse what ``msgfmt --check`` refuses (GNU gettext 0.21), naming msgfmt's line: no
    header, a duplicate message (a second header too), a ``domain`` line, a broken
    ``Plural-Forms``, plural entries with the wrong number of forms, and translations whose
    msgid begins or ends with a newline while the translation does not (or the reverse).
    Format strings (``c-format`` …) are the business of :mod:`storyloc.check`."""
    seen: dict[tuple[str | None, str], int] = {}
    for m in catalog.messages:
        first = seen.setdefault(m.key, m.lineno)
        if first != m.lineno:
            raise CatalogError(f"duplicate message definition, first defined at line {first} "
                               f"(msgfmt refuses this; keep one of them)", shown, m.lineno)
    for name, line in catalog.domains:
        raise CatalogError(f"'domain {name}' directive: one catalog is one domain here (msgfmt -o "
                           f"ignores it and fails)", shown, line)
    header = catalog.header
    if header is None or not header.msgstr or not header.msgstr[0]:
        raise CatalogError("PO file header missing or invalid (the first entry must be msgid \"\" "
                           "with a Content-Type line)", shown, header.lineno if header else None)
    kept = [m for m in catalog.entries() if m.msgstr and m.msgstr[0] and not m.fuzzy]
    _check_plural_forms(header, [m for m in kept if m.msgid_plural is not None], shown)
    _check_newlines(kept, shown)


def _check_plural_forms(header: Message, plural_messages: list[Message], shown: str) -> None:
    """The header's ``Plural-Forms`` (the formula evaluated for n = 0…1000, as msgfmt does) and the
    number of forms of each plural entry."""
    text = header.msgstr[0]
    header_line = header.msgstr_lineno or header.lineno
    has_plural, has_nplurals = text.find("plural="), text.find("nplurals=")
    if has_plural < 0 or has_nplurals < 0:
        if plural_messages:
            raise CatalogError("message catalog has plural form translations, but the header lacks "
                               "\"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\"", shown,
                               plural_messages[0].msgstr_lineno)
        return
    nplurals = re.match(r"\s*(\d+)", text[has_nplurals + 9:])
    if nplurals is None:
        raise CatalogError("invalid nplurals value in the header", shown, header_line)
    count = int(nplurals.group(1))
    formula = _plural_formula(text[has_plural + 7:], shown, header_line)
    for n in range(1001):
        try:
            value = formula(n)
        except ZeroDivisionError:
            raise CatalogError("plural expression can produce division by zero", shown,
                               header_line) from None
        if value < 0:
            raise CatalogError("plural expression can produce negative values", shown, header_line)
        if value >= count:
            raise CatalogError(f"nplurals = {count} but plural expression can produce values as "
                               f"large as {value}", shown, header_line)
    for m in plural_messages:
        if len(m.msgstr) != count:
            raise CatalogError(f"plural message has {len(m.msgstr)} forms but Plural-Forms says "
                               f"nplurals={count} (line {header_line})", shown, m.msgstr_lineno)


def _check_newlines(kept: list[Message], shown: str) -> None:
    """A translation begins and ends with ``\\n`` exactly when its msgid does (msgfmt --check)."""
    for m in kept:
        if not m.msgid:
            continue
        texts = [("msgid_plural", m.msgid_plural)] if m.msgid_plural is not None else []
        texts += [(f"msgstr[{i}]" if m.msgid_plural is not None else "msgstr", s) for i, s in enumerate(m.msgstr)]
        for where, test in (("begin", str.startswith), ("end", str.endswith)):
            want = test(m.msgid, "\n")
            for name, value in texts:
                if test(value, "\n") != want:
                    raise CatalogError(f"'msgid' and '{name}' entries do not both {where} with '\\n'",
                                       shown, m.msgstr_lineno or m.lineno)


def _plural_formula(text: str, shown: str, line: int):
    """The ``plural=`` expression of a header as a function of n (GNU's C grammar)."""
    expression = re.match(r"[^;\n]*", text).group().strip()
    import gettext  # only here: its import costs more than a small catalog's parse
    try:
        if not expression:
            raise ValueError("empty")
        return gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError) as e:
        raise CatalogError(f"invalid plural expression: {e}", shown, line) from None


def refuse(catalog: Catalog, shown: str) -> None:
    """storyloc's own refusals, beyond msgfmt's, for a catalog a stage reads: a charset Python
    does not know, non-UTF-8 bytes under a header that names no charset, an entry with several
    ``#,`` lines (:func:`refuse_flag_lines`) and control characters in a translation
    (:func:`refuse_controls`)."""
    if codec(catalog.charset) is None and catalog.charset is not None:
        raise CatalogError(f"unknown charset {catalog.charset!r} in the header; storyloc reads UTF-8 and "
                           f"the charsets GNU gettext knows", shown, catalog.header.msgstr_lineno)
    if catalog.encoding != "utf-8" and codec(catalog.charset) is None:
        raise CatalogError("not UTF-8, and the header names no charset (add "
                           "'Content-Type: text/plain; charset=UTF-8')", shown, catalog.header.msgstr_lineno)
    refuse_flag_lines(catalog, shown)
    refuse_controls(catalog, shown)


def refuse_flag_lines(catalog: Catalog, shown: str) -> None:
    """Refuse an entry with more than one ``#,`` line (:func:`flag_lines_problem`)."""
    for m in catalog.messages:
        problem = flag_lines_problem(m)
        if problem is not None:
            raise CatalogError(problem, shown, m.lineno)


def flag_lines_problem(m: Message) -> str | None:
    """What is wrong with an entry read with more than one ``#,`` line, else None.  GNU gettext
    0.21 keeps only the last one's flags (so does the reader): ``#, fuzzy`` then ``#, c-format``
    is not fuzzy to msgfmt, which compiles it, and msgcat drops the "fuzzy"."""
    raw = m.raw
    if raw is None or raw.count("#,") < 2:
        return None
    lines = [line.rstrip("\r") for line in raw.split("\n") if line.startswith("#,")]
    if len(lines) < 2:
        return None
    return (f"{len(lines)} '#,' lines before one entry ({'; '.join(lines)}): GNU gettext keeps only the last "
            f"one's flags; put them all on one '#,' line")


def refuse_controls(catalog: Catalog, shown: str) -> None:
    """Refuse C0 and C1 control characters (other than tab and newline) in a translation.

    msgfmt accepts them, but no translation needs one, and they reach a page as invisible
    text that changes what it shows (a carriage return, an escape, U+0085).  So storyloc
    refuses them when a stage reads a catalog, naming the line."""
    control = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")     # compiled here: only the stages need it
    for m in catalog.messages:
        for value in m.msgstr:
            found = control.search(value)
            if found is not None:
                raise CatalogError(f"control character U+{ord(found.group()):04X} in a translation "
                                   f"(only tab and newline are allowed; remove it)", shown, m.msgstr_lineno or m.lineno)
