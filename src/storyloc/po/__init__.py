"""The one PO layer: read, write and compile gettext catalogs without losing a byte.

Babel and polib both rewrite what they did not change (re-wrapped lines,
dropped previous msgids, octal escapes, duplicate entries). Here every entry
keeps the exact text it was read from; only an entry whose content changed is
written anew, in GNU gettext's layout (see :mod:`storyloc.po.wrap`). So a load
and save of any valid catalog is byte-identical, CRLF files included.

One reader (:func:`read_po`, :func:`decode_po`, :func:`parse_po` for a file, bytes
or text) takes exactly what GNU gettext 0.21 reads; :func:`validate` refuses what
``msgfmt --check`` refuses, on msgfmt's lines; :func:`read_catalog` is both, plus
storyloc's own refusals, and is how the stages open a catalog.

No other module imports babel's or polib's catalog types.
"""
from __future__ import annotations

import bisect
import re
import struct
import sys
from array import array
TYPE_CHECKING = False

from ..errors import CatalogError
from .wrap import has_byte_escape, unescape, unescape_bytes

if TYPE_CHECKING:
    from pathlib import Path


class Message:
    """One entry.  ``raw`` is the exact text it was read from (with the blank lines before it)
    and ``_read_as`` its content then: it is written back untouched while the content is the same.
    (A plain class, not a dataclass: importing dataclasses costs more than reading a small catalog.)"""

    __slots__ = ("msgid", "msgstr", "msgctxt", "msgid_plural", "translator_comments", "extracted_comments",
                 "references", "flags", "previous_msgctxt", "previous_msgid", "previous_msgid_plural",
                 "obsolete", "lineno", "msgstr_lineno", "raw", "_read_as", "_end")

    def __init__(self, msgid: str, msgstr: list[str] | None = None, msgctxt: str | None = None,
                 msgid_plural: str | None = None, translator_comments: list[str] | None = None,
                 extracted_comments: list[str] | None = None, references: list[str] | None = None,
                 flags: list[str] | None = None, previous_msgctxt: str | None = None,
                 previous_msgid: str | None = None, previous_msgid_plural: str | None = None,
                 obsolete: bool = False, lineno: int = 0, msgstr_lineno: int = 0,
                 raw: str | None = None, _read_as: tuple | None = None):
        self.msgid = msgid
        self.msgstr = [""] if msgstr is None else msgstr
        self.msgctxt = msgctxt
        self.msgid_plural = msgid_plural
        self.translator_comments = [] if translator_comments is None else translator_comments
        self.extracted_comments = [] if extracted_comments is None else extracted_comments
        self.references = [] if references is None else references
        self.flags = [] if flags is None else flags
        self.previous_msgctxt = previous_msgctxt
        self.previous_msgid = previous_msgid
        self.previous_msgid_plural = previous_msgid_plural
        self.obsolete = obsolete
        self.lineno = lineno                # the line of msgid, where msgfmt reports most errors
        self.msgstr_lineno = msgstr_lineno  # the line of (the first) msgstr
        self.raw = raw
        self._read_as = _read_as

    def __repr__(self) -> str:
        return (f"Message(msgid={self.msgid!r}, msgstr={self.msgstr!r}, msgctxt={self.msgctxt!r}, "
                f"flags={self.flags!r}, obsolete={self.obsolete!r}, lineno={self.lineno!r})")

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @fuzzy.setter
    def fuzzy(self, value: bool) -> None:
        if value and not self.fuzzy:
            self.flags.insert(0, "fuzzy")
        elif not value:
            self.flags = [f for f in self.flags if f != "fuzzy"]
            self.previous_msgctxt = self.previous_msgid = self.previous_msgid_plural = None

    @property
    def translated(self) -> bool:
        return all(self.msgstr) and bool(self.msgstr)

    @property
    def status(self) -> str:
        """``reviewed`` (a person's translation), ``draft`` (fuzzy) or ``missing``."""
        if not self.translated:
            return "missing"
        return "draft" if self.fuzzy else "reviewed"

    def content(self) -> tuple:
        return (self.msgid, tuple(self.msgstr), self.msgctxt, self.msgid_plural,
                tuple(self.translator_comments), tuple(self.extracted_comments), tuple(self.references),
                tuple(self.flags), self.previous_msgctxt, self.previous_msgid, self.previous_msgid_plural,
                self.obsolete)

    @property
    def changed(self) -> bool:
        """Whether the entry differs from what its file said (an entry not read from a file has)."""
        return self._read_as != self.content()

    @property
    def msgstr_as_read(self) -> tuple[str, ...] | None:
        """The translation its file had, or None for an entry not read from a file."""
        return None if self._read_as is None else self._read_as[1]

    def detach(self) -> Message:
        """Forget the text the entry was read from, so it is written anew in the layout of the file it joins."""
        self.raw = None
        self._read_as = None
        return self


class Catalog:
    """The entries of a file in file order, with what lies around them kept as read."""

    def __init__(self, messages: list[Message] | None = None, newline: str = "\n", tail: str = "",
                 path: Path | None = None, domains: list[tuple[str, int]] | None = None,
                 fallback_encoding: str = "utf-8"):
        self.messages = [] if messages is None else messages
        self.newline = newline
        self.tail = tail                    # text after the last entry, kept as read
        self.path = path
        self.domains = [] if domains is None else domains     # `domain` lines read: (name, line)
        self.fallback_encoding = fallback_encoding            # when the header names no charset Python knows

    def __repr__(self) -> str:
        return f"Catalog(path={self.path!r}, messages={len(self.messages)})"

    @property
    def header(self) -> Message | None:
        for m in self.messages:
            if m.msgid == "" and m.msgctxt is None and not m.obsolete:
                return m
        return None

    def entries(self) -> list[Message]:
        """Live messages in file order, without the header and obsolete entries."""
        header = self.header
        return [m for m in self.messages if not m.obsolete and m is not header]

    def obsolete(self) -> list[Message]:
        return [m for m in self.messages if m.obsolete]

    def find(self, msgid: str, msgctxt: str | None = None) -> Message | None:
        for m in self.messages:
            if not m.obsolete and m.msgid == msgid and m.msgctxt == msgctxt:
                return m
        return None

    def index(self) -> dict[tuple[str | None, str], Message]:
        """Live messages by (msgctxt, msgid); the first of duplicates wins, as in msgfmt."""
        found: dict[tuple[str | None, str], Message] = {}
        for m in self.entries():
            found.setdefault(m.key, m)
        return found

    # -- header ----------------------------------------------------------------
    @property
    def charset(self) -> str | None:
        """The charset the header names (None when it names none)."""
        found = re.search(r"charset=([^\s;]+)", self.header_fields().get("Content-Type", ""))
        return found.group(1) if found else None

    @property
    def encoding(self) -> str:
        """The codec the file is read and written in: its header's charset (GNU writes a catalog
        in its own charset), else what it was read as (UTF-8, or Latin-1 byte for byte)."""
        return codec(self.charset) or self.fallback_encoding

    def header_fields(self) -> dict[str, str]:
        header = self.header
        fields: dict[str, str] = {}
        if header is not None:
            for line in header.msgstr[0].split("\n"):
                name, sep, value = line.partition(":")
                if sep:
                    fields[name.strip()] = value.strip()
        return fields

    def set_header_field(self, name: str, value: str) -> None:
        """Change one header field in place, keeping the others and their order."""
        header = self.header
        if header is None:
            header = Message("", [""])
            self.messages.insert(0, header)
        lines = header.msgstr[0].split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for i, line in enumerate(lines):
            if line.partition(":")[0].strip() == name:
                lines[i] = f"{name}: {value}"
                break
        else:
            lines.append(f"{name}: {value}")
        header.msgstr = ["\n".join(lines) + "\n"] + header.msgstr[1:]


# -- reading ---------------------------------------------------------------------
#
# One reader for every catalog GNU gettext 0.21 reads (po-lex.c and po-gram-gen.y).
# It walks the file once, entry by entry.  An entry in the layout msgcat writes
# (comments, then keyword lines and "..." continuation lines, a blank line after)
# is taken by one regular expression; anything else -- leading blanks, several
# strings on a line, `msgstr""`, a comment after a string, `domain` lines, odd
# line ends -- is read for that entry alone by a tokenizer that follows GNU's
# grammar.  Both produce the same messages; every entry keeps the exact text it
# was read from, so a load and save is byte for byte.

def read_po(path: Path, display: str | None = None) -> Catalog:
    """A catalog from a file, every entry keeping the text it was read from."""
    return read_po_bytes(path, display)[1]


def read_po_bytes(path: Path, display: str | None = None) -> tuple[bytes, Catalog]:
    """The file's bytes and the catalog they hold (the bytes are the version a later save checks)."""
    shown = display or str(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise CatalogError("catalog not found; run `storyloc update` first", shown) from None
    except OSError as e:
        raise CatalogError(f"cannot read: {e.strerror}", shown) from None
    catalog = decode_po(data, shown)
    catalog.path = path
    return data, catalog


def read_catalog(path: Path, display: str | None = None) -> Catalog:
    """:func:`read_po`, then :func:`validate` and :func:`refuse_controls`: how the stages
    open a translator's catalog."""
    shown = display or str(path)
    catalog = read_po(path, shown)
    validate(catalog, shown)
    if codec(catalog.charset) is None and catalog.charset is not None:
        raise CatalogError(f"unknown charset {catalog.charset!r} in the header; storyloc reads UTF-8 and "
                           f"the charsets GNU gettext knows", shown, catalog.header.msgstr_lineno)
    if catalog.encoding != "utf-8" and codec(catalog.charset) is None:
        raise CatalogError("not UTF-8, and the header names no charset (add "
                           "'Content-Type: text/plain; charset=UTF-8')", shown, catalog.header.msgstr_lineno)
    refuse_controls(catalog, shown)
    return catalog


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
    plural_messages = [m for m in kept if m.msgid_plural is not None]
    text = header.msgstr[0]
    header_line = header.msgstr_lineno or header.lineno
    has_plural, has_nplurals = text.find("plural="), text.find("nplurals=")
    if has_plural < 0 or has_nplurals < 0:
        if plural_messages:
            raise CatalogError("message catalog has plural form translations, but the header lacks "
                               "\"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\"", shown,
                               plural_messages[0].msgstr_lineno)
    else:
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


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def refuse_controls(catalog: Catalog, shown: str) -> None:
    """Refuse C0 and C1 control characters (other than tab and newline) in a translation.

    msgfmt accepts them, but no translation needs one, and they reach a page as invisible
    text that changes what it shows (a carriage return, an escape, U+0085).  So storyloc
    refuses them when a stage reads a catalog, naming the line."""
    for m in catalog.messages:
        for value in m.msgstr:
            found = CONTROL.search(value)
            if found is not None:
                raise CatalogError(f"control character U+{ord(found.group()):04X} in a translation "
                                   f"(only tab and newline are allowed; remove it)", shown, m.msgstr_lineno or m.lineno)


CHARSET = re.compile(rb'"Content-Type:[^"\n]*?charset=([^\s"\\;]+)', re.I)
# GNU's portable charset names (po-charset.c) that Python spells differently or lacks.
_CODECS = {"UTF-8": "utf-8", "UTF8": "utf-8", "CHARSET": "utf-8", "ASCII": "ascii",
           "ANSI_X3.4-1968": "ascii", "US-ASCII": "ascii", "GEORGIAN-PS": None, "EUC-TW": None,
           "VISCII": None}


def codec(charset: str | None) -> str | None:
    """The Python codec for a header's charset (UTF-8 for the template placeholder ``CHARSET``);
    None when there is none or Python does not know it."""
    if charset is None:
        return None
    name = charset.upper()
    if name in _CODECS:
        return _CODECS[name]
    import codecs
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def decode_po(data: bytes, shown: str = "<bytes>") -> Catalog:
    """Parse a catalog's bytes in the charset its header names.

    Like GNU, a file whose header names no charset it knows is read byte for byte: as UTF-8
    when it is UTF-8, else as Latin-1 (so that it is written back unchanged);
    :func:`read_catalog` refuses such a file for storyloc's own stages."""
    found = CHARSET.search(data, 0, 1 << 16)
    charset = found.group(1).decode("ascii", "replace") if found else None
    encoding = codec(charset)
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as e:
        if encoding is None:
            encoding, text = "latin-1", data.decode("latin-1")
        else:
            line = data.count(b"\n", 0, e.start) + 1
            raise CatalogError(f"invalid multibyte sequence: these bytes are not {charset}, which the "
                               f"header names", shown, line) from None
    catalog = parse_po(text, shown)
    catalog.fallback_encoding = encoding or "utf-8"
    return catalog


def parse_po(text: str, shown: str = "<string>") -> Catalog:
    """Parse PO text; a syntax error is a :class:`CatalogError` with msgfmt's line number."""
    if text.startswith("\ufeff"):
        raise CatalogError("starts with a byte-order mark; save it as UTF-8 without BOM", shown, 1)
    if "\0" in text:
        raise CatalogError("contains a NUL character (GNU gettext cuts the string there)", shown,
                           text.count("\n", 0, text.index("\0")) + 1)
    return _Reader(text, shown).read()


# A regular entry as msgcat writes it: comments (not #~ or #|), previous msgctxt/msgid/msgid_plural,
# msgctxt?, msgid, and msgstr or msgid_plural with msgstr[N], each keyword at the start of a line with
# one space before its first string, other strings on lines of their own, then a blank line or the end.
STRING = r'"[^\n]*"'        # a line's strings: :func:`_quoted` checks that it holds just one


def _regular(p: str, pp: str) -> re.Pattern:
    q = rf'{STRING}(?:\n{p}{STRING})*'
    qp = rf'{STRING}(?:\n{pp}{STRING})*'
    return re.compile(
        rf'(\n*)((?:#(?:[^~|\n][^\n]*)?\n)*)'
        rf'(?:(?:{pp}msgctxt ({qp})\n)?{pp}msgid ({qp})\n(?:{pp}msgid_plural ({qp})\n)?)?'
        rf'(?:{p}msgctxt ({q})\n)?{p}msgid ({q})\n'
        rf'(?:{p}msgstr ({q})|{p}msgid_plural ({q})((?:\n{p}msgstr\[\d+\] {q})+))'
        rf'(?:\n|\Z)(?=\n*(?:#|msgid |msgctxt |domain |\Z))')


REGULAR = _regular("", r"#\| ")
REGULAR_OBSOLETE = _regular("#~ ", r"#~\| ")
PLURAL_FORM = re.compile(rf'^(?:#~ )?msgstr\[(\d+)\] ({STRING}(?:\n(?:#~ )?{STRING})*)', re.M)

# GNU's tokens (po-lex.c).  Blanks are space, tab, CR, FF and VT; a backslash-newline
# has been removed before (GNU drops it anywhere, even inside a string or a comment).
TOKEN = re.compile(r'''
    (?P<nl>\n)
  | (?P<blank>[ \t\r\f\v]+)
  | \#(?P<mark>~\|?|\|)
  | \#(?P<comment>[^\n]*)
  | "(?P<string>(?:[^"\\\n]|\\[^\n])*)(?P<closed>"?)
  | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<number>[0-9]+)
  | (?P<bracket>[\[\]])
  | (?P<junk>.)''', re.X | re.S)
KEYWORDS = {"domain", "msgid", "msgid_plural", "msgstr", "msgctxt"}
PREVIOUS_KEYWORDS = {"msgid", "msgid_plural", "msgctxt"}


class _Token:
    """One of GNU's tokens; ``line`` is where msgfmt would report it."""

    __slots__ = ("kind", "value", "start", "end", "line", "obsolete")

    def __init__(self, kind, value, start, end, line, obsolete):
        self.kind, self.value, self.start, self.end, self.line, self.obsolete = \
            kind, value, start, end, line, obsolete


class _Reader:
    """One pass over a file's text, entry by entry: :meth:`regular` for the common layout,
    :meth:`irregular` (GNU's grammar over :meth:`tokens`) for anything else."""

    def __init__(self, text: str, shown: str):
        self.source = text
        self.shown = shown
        first_end = text.find("\n")
        self.newline = "\r\n" if first_end > 0 and text[first_end - 1] == "\r" else "\n"
        self.domains: list[tuple[str, int]] = []
        self.last_end = 0               # end of the last string token the grammar took
        # What GNU's lexer sees: no backslash-newline; a CR before LF is a blank, so drop it.
        self.cuts: list[int] = []       # positions in self.text where removed characters were
        self.removed: list[int] = []    # how many characters were removed up to each cut (cumulative)
        self.joins: list[int] = []      # positions in self.text where a backslash-newline was removed
        if "\r" in text or "\\\n" in text:
            parts, last, total = [], 0, 0
            for cut in re.finditer(r"\\\n|\r(?=\n)", text):
                parts.append(text[last:cut.start()])
                at = cut.start() - total
                total += cut.end() - cut.start()
                self.cuts.append(at)
                self.removed.append(total)
                if cut.group() != "\r":
                    self.joins.append(at)
                last = cut.end()
            parts.append(text[last:])
            self.text = "".join(parts)
        else:
            self.text = text
        self.line = 1           # line number (in the file) of position self.line_at
        self.line_at = 0

    # -- positions -------------------------------------------------------------
    def original(self, pos: int) -> int:
        """Where position ``pos`` of the text the lexer sees is in the file."""
        if not self.cuts:
            return pos
        i = bisect.bisect_left(self.cuts, pos)
        return pos + (self.removed[i - 1] if i else 0)

    def line_of(self, pos: int) -> int:
        """The file's line number at ``pos`` (counted on from the position asked before)."""
        at = self.line_at
        if pos > at:
            self.line += self.text.count("\n", at, pos)
            if self.joins:
                self.line += bisect.bisect_right(self.joins, pos) - bisect.bisect_right(self.joins, at)
        elif pos < at:
            self.line -= self.text.count("\n", pos, at)
            if self.joins:
                self.line -= bisect.bisect_right(self.joins, at) - bisect.bisect_right(self.joins, pos)
        self.line_at = pos
        return self.line

    def raw(self, start: int, end: int) -> str:
        return self.source[self.original(start): self.original(end)]

    def text_of(self, bodies: list[str], line: int) -> str:
        try:
            return join_strings(bodies)
        except UnicodeDecodeError:
            raise self.error("invalid multibyte sequence in the bytes of octal or hex escapes", line) from None

    def error(self, message: str, line: int) -> CatalogError:
        return CatalogError(message, self.shown, line)

    # -- the whole file ------------------------------------------------------------
    def read(self) -> Catalog:
        import gc
        collecting = gc.isenabled()
        gc.disable()        # a catalog is thousands of small objects and no cycles: skip ~10 % of GC passes
        try:
            return self._read()
        finally:
            if collecting:
                gc.enable()

    def _read(self) -> Catalog:
        catalog = Catalog(newline=self.newline)
        text = self.text
        append = catalog.messages.append
        pos, end = 0, len(text)
        regular, obsolete_entry = REGULAR.match, REGULAR_OBSOLETE.match
        while pos < end:
            match = regular(text, pos) or obsolete_entry(text, pos)
            if match is not None:
                message = self.regular(match)
            else:
                message = self.irregular(pos)
                if message is None:         # only blanks and comments are left
                    break
            append(message)
            pos = message._end
        catalog.tail = self.raw(pos, end) if pos < end else ""
        catalog.domains = self.domains
        return catalog

    # -- the common layout: one regular expression per entry -----------------------
    def regular(self, match: re.Match) -> Message:
        """An entry in msgcat's layout, straight from the groups of its match (the hot path)."""
        lead, comments, prev_ctx, prev_id, prev_plural, ctx, msgid, msgstr, plural, forms = match.groups()
        obsolete = match.re is REGULAR_OBSOLETE
        joint = '"\n#~ "' if obsolete else '"\n"'
        try:
            m = Message(_quoted(msgid, joint), None, None if ctx is None else _quoted(ctx, joint),
                        obsolete=obsolete)
            if prev_id is not None:
                joint_prev = '"\n#~| "' if obsolete else '"\n#| "'
                m.previous_msgid = _quoted(prev_id, joint_prev)
                if prev_ctx is not None:
                    m.previous_msgctxt = _quoted(prev_ctx, joint_prev)
                if prev_plural is not None:
                    m.previous_msgid_plural = _quoted(prev_plural, joint_prev)
            if plural is None:
                m.msgstr = [_quoted(msgstr, joint)]
            else:
                m.msgid_plural = _quoted(plural, joint)
                found = PLURAL_FORM.findall(forms)
                if [int(n) for n, _ in found] != list(range(len(found))):
                    raise _Irregular
                m.msgstr = [_quoted(value, joint) for _, value in found]
        except _Irregular:
            return self.irregular(match.start())
        # Line numbers: msgid's line, then msgstr's, counted through what comes before each.
        line = self.line_of(match.start()) + len(lead)
        if comments:
            for comment in comments.split("\n")[:-1]:
                _comment(m, comment)
            line += comments.count("\n")
        if prev_id is not None:
            line += prev_id.count("\n") + 1
            if prev_ctx is not None:
                line += prev_ctx.count("\n") + 1
            if prev_plural is not None:
                line += prev_plural.count("\n") + 1
        if ctx is not None:
            line += ctx.count("\n") + 1
        m.lineno = line
        line += msgid.count("\n") + 1
        m.msgstr_lineno = line if plural is None else line + plural.count("\n") + 1
        m._end = end = match.end()
        m.raw = self.text[match.start():end] if not self.cuts else self.raw(match.start(), end)
        m._read_as = m.content()
        return m

    # -- everything else: GNU's grammar, token by token -----------------------------
    def tokens(self, pos: int):
        """GNU's tokens from ``pos`` on (blanks skipped), then an end token."""
        text = self.text
        scan = TOKEN.match
        obsolete = previous = False
        while True:
            t = scan(text, pos)
            if t is None:
                yield _Token("end", None, pos, pos, self.line_of(pos), False)
                return
            kind = t.lastgroup
            start, pos = t.start(), t.end()
            if kind == "nl":
                obsolete = previous = False
            elif kind == "blank":
                pass
            elif kind == "mark":
                if t.group("mark")[0] == "~":
                    obsolete = True
                previous = previous or t.group("mark")[-1] == "|"
            elif kind == "comment":
                yield _Token("comment", t.group("comment"), start, pos, self.line_of(start), obsolete)
                obsolete = False
            elif kind == "string" or kind == "closed":
                line = self.line_of(pos)
                if not t.group("closed"):
                    raise self.error("end-of-file within string" if pos == len(text)
                                     else "end-of-line within string: the closing '\"' is missing", line)
                value = t.group("string")          # unescaped by join_strings, with its neighbours
                if "\\" in value:
                    valid = VALID_ESCAPES.match(value).end()
                    if valid < len(value):
                        raise self.error(f"invalid control sequence {value[valid:valid + 2]}", line)
                    if b"\x04" in unescape_bytes(value):
                        raise self.error("context separator <EOT> within string", line)
                elif "\x04" in value:
                    raise self.error("context separator <EOT> within string", line)
                yield _Token("prev_string" if previous else "string", value, start, pos, line, obsolete)
            elif kind == "name":
                word = t.group("name")
                line = self.line_of(start)
                if word not in (PREVIOUS_KEYWORDS if previous else KEYWORDS):
                    raise self.error(f'keyword "{word}" unknown', line)
                yield _Token("prev_" + word if previous else word, None, start, pos, line, obsolete)
            elif kind == "number":
                yield _Token("number", int(t.group("number")), start, pos, self.line_of(start), obsolete)
            elif kind == "bracket":
                yield _Token(t.group("bracket"), None, start, pos, self.line_of(start), obsolete)
            else:
                raise self.error("syntax error", self.line_of(start))

    def irregular(self, start: int) -> Message | None:
        """The entry at ``start`` (with the comments before it), read as GNU's grammar reads it;
        None when only blanks and comments are left."""
        tokens = self.tokens(start)
        t = next(tokens)
        comments: list[_Token] = []
        while t.kind in ("comment", "domain"):
            if t.kind == "domain":
                name = next(tokens)
                if name.kind != "string":
                    raise self.error("syntax error", name.line)
                self.domains.append((name.value, t.line))
                t = next(tokens)
                continue
            comments.append(t)
            t = next(tokens)
        if t.kind == "end":
            return None
        m = Message(msgid="", msgstr=[], obsolete=t.obsolete)
        for c in comments:
            _comment(m, "#" + c.value.rstrip("\r"))

        def strings(kind: str, first: _Token, t: _Token | None = None) -> tuple[str, _Token]:
            """A keyword's strings (one or more, from ``t`` when already read); returns their text and
            the token after them."""
            parts = []
            t = next(tokens) if t is None else t
            while t.kind == kind:
                consistent(t)
                parts.append(t.value)
                self.last_end = t.end
                t = next(tokens)
            if not parts:
                raise self.error("syntax error", t.line)
            return self.text_of(parts, first.line), t

        def consistent(t: _Token) -> None:
            if t.obsolete != m.obsolete:
                raise self.error("inconsistent use of #~", t.line)

        if t.kind.startswith("prev_"):
            if t.kind == "prev_msgctxt":
                m.previous_msgctxt, t = strings("prev_string", t)
                if t.kind != "prev_msgid":
                    raise self.error("syntax error", t.line)
                consistent(t)
            if t.kind != "prev_msgid":
                raise self.error("syntax error", t.line)
            m.previous_msgid, t = strings("prev_string", t)
            if t.kind == "prev_msgid_plural":
                consistent(t)
                m.previous_msgid_plural, t = strings("prev_string", t)
        if t.kind == "msgctxt":
            consistent(t)
            m.msgctxt, t = strings("string", t)
        if t.kind != "msgid":
            raise self.error("syntax error", t.line)
        consistent(t)
        m.lineno = t.line
        m.msgid, t = strings("string", t)
        if t.kind == "msgid_plural":
            consistent(t)
            m.msgid_plural, t = strings("string", t)
            if t.kind != "msgstr":
                raise self.error("missing 'msgstr[]' section", m.lineno)
            m.msgstr_lineno = t.line
            while t.kind == "msgstr":
                consistent(t)
                keyword = t
                t = next(tokens)
                if t.kind != "[":
                    raise self.error("syntax error", t.line)
                t = next(tokens)
                if t.kind != "number":
                    raise self.error("syntax error", t.line)
                index = t.value
                t = next(tokens)
                if t.kind != "]":
                    raise self.error("syntax error", t.line)
                if index != len(m.msgstr):
                    raise self.error("first plural form has nonzero index" if not m.msgstr
                                     else "plural form has wrong index", keyword.line)
                value, t = strings("string", t)
                m.msgstr.append(value)
        elif t.kind == "msgstr":
            consistent(t)
            m.msgstr_lineno = t.line
            after = next(tokens)
            if after.kind == "[":
                raise self.error("missing 'msgid_plural' section", m.lineno)
            value, t = strings("string", after, after)
            m.msgstr = [value]
        else:
            raise self.error("missing 'msgstr' section", m.lineno)
        # The entry ends with its line, unless another token follows on that line.
        last = self.last_end
        rest = _LINE_REST.match(self.text, last)
        m._end = rest.end() if rest.group(1) else last
        m.raw = self.raw(start, m._end)
        m._read_as = m.content()
        return m


_LINE_REST = re.compile(r"[ \t\r\f\v]*(\n?)")


class _Irregular(Exception):
    """An entry the regular expression matched but cannot take (two strings on one line, an escape
    GNU refuses): the tokenizer reads it and names the error."""


def _quoted(lines: str, joint: str = '"\n"') -> str:
    """The text of a field's string lines (each ``"..."``, continuation lines after a prefix:
    ``joint`` is what separates two of them, e.g. ``"\\n#~ "``).  Most strings hold no escape,
    or only ``\\n``, ``\\"`` and ``\\t``: for them, a few str methods."""
    value = lines[1:-1]
    if "\n" in value:
        value = value.replace(joint, "")
    if "\\" not in value:
        if '"' in value or "\x04" in value:   # two strings on a line or a stray quote; EOT
            raise _Irregular
        return value
    # No escaped backslash: every quote must be escaped, and no line may end in one (\").
    if ("\\\\" not in value and "\x04" not in value and value.count('"') == value.count('\\"')
            and '\\"\n' not in lines and not lines.endswith('\\"')):
        simple = value.replace("\\n", "\n").replace('\\"', '"').replace("\\t", "\t")
        if "\\" not in simple:
            return simple
    return _escaped(lines[1:-1].split(joint))


def _escaped(parts: list[str]) -> str:
    """Join string bodies that hold other escapes; a body that is not one C string (``"a" "b"``
    on one line, a stray quote) or an escape GNU refuses sends the entry to the tokenizer."""
    for body in parts:
        if STRING_BODY.fullmatch(body) is None:
            raise _Irregular
    try:
        value = join_strings(parts)
    except ValueError:
        raise _Irregular from None
    if "\x04" in value:
        raise _Irregular
    return value


def join_strings(bodies: list[str]) -> str:
    """The text of a field written as several C strings: each is unescaped on its own (an escape
    never spans two), and octal or hex escapes are bytes joined before decoding, as GNU does."""
    if len(bodies) == 1:
        return unescape(bodies[0])
    if any(has_byte_escape(body) for body in bodies):
        return b"".join(unescape_bytes(body) for body in bodies).decode("utf-8")
    return "".join(unescape(body) for body in bodies)


VALID_ESCAPES = re.compile(r'(?:[^\\]+|\\[ntbrfva\\"0-7]|\\x[0-9A-Fa-f])*')
STRING_BODY = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*')


def _comment(m: Message, line: str) -> None:
    marker = line[:2]
    rest = line[2:]
    if marker == "#.":
        m.extracted_comments.append(rest[1:] if rest.startswith(" ") else rest)
    elif marker == "#:":
        m.references.extend(rest.split())
    elif marker == "#,":
        m.flags.extend(f.strip() for f in rest.split(",") if f.strip())
    else:
        text = line[1:]
        m.translator_comments.append(text[1:] if text.startswith(" ") else text)


# -- writing ---------------------------------------------------------------------

def render_message(m: Message) -> list[str]:
    """One entry in GNU gettext's layout, as lines without line ends."""
    from .wrap import comment_lines, field_lines
    out = [f"# {c}" if c else "#" for c in m.translator_comments]
    out += [f"#. {c}" if c else "#." for c in m.extracted_comments]
    if m.references:
        out += comment_lines("#:", m.references)
    if m.flags:
        out.append("#, " + ", ".join(m.flags))
    previous_prefix = "#~| " if m.obsolete else "#| "
    for name in ("msgctxt", "msgid", "msgid_plural"):
        value = getattr(m, "previous_" + name)
        if value is not None:
            out += field_lines(name, value, previous_prefix, flags=m.flags)
    prefix = "#~ " if m.obsolete else ""
    if m.msgctxt is not None:
        out += field_lines("msgctxt", m.msgctxt, prefix, flags=m.flags)
    out += field_lines("msgid", m.msgid, prefix, flags=m.flags)
    if m.msgid_plural is not None:
        out += field_lines("msgid_plural", m.msgid_plural, prefix, flags=m.flags)
        for i, value in enumerate(m.msgstr):
            out += field_lines(f"msgstr[{i}]", value, prefix, flags=m.flags)
    else:
        out += field_lines("msgstr", m.msgstr[0] if m.msgstr else "", prefix, flags=m.flags)
    return out


def format_po(catalog: Catalog) -> str:
    """The catalog as text: untouched entries exactly as read, changed ones in GNU layout."""
    nl = catalog.newline
    parts: list[str] = []
    for i, m in enumerate(catalog.messages):
        if m.raw is not None and m._read_as == m.content():
            parts.append(m.raw)
            continue
        lead = ""
        if m.raw is not None:
            lead = m.raw[: len(m.raw) - len(m.raw.lstrip("\r\n"))]
        elif i > 0:
            lead = nl
        parts.append(lead + nl.join(render_message(m)) + nl)
    parts.append(catalog.tail)
    return "".join(parts)


def encode_po(catalog: Catalog, shown: str = "<catalog>") -> bytes:
    """:func:`format_po` in the catalog's charset (the one its header names), as GNU writes it."""
    text = format_po(catalog)
    try:
        return text.encode(catalog.encoding)
    except UnicodeEncodeError as e:
        line = text.count("\n", 0, e.start) + 1
        raise CatalogError(f"{text[e.start]!r} cannot be written in the catalog's charset "
                           f"{catalog.charset}; change the header to charset=UTF-8", shown, line) from None


def save_po(catalog: Catalog, path: Path) -> bool:
    """Write atomically, and only if the bytes changed; returns whether they did."""
    from ..files import write_if_changed
    changed = write_if_changed(path, encode_po(catalog, str(path)))
    catalog.path = path
    return changed


# -- compiling -------------------------------------------------------------------

def _reproducible(header: str) -> str:
    """The header without its first ``POT-Creation-Date:`` line, which msgfmt drops (write-mo.c)."""
    lines = header.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("POT-Creation-Date:"):
            return "\n".join(lines[:i] + lines[i + 1:])
    return header


# A C format directive whose conversion is an <inttypes.h> macro ("%<PRIu64>"), or (in a
# translation) has the I flag: the "system-dependent" strings msgfmt writes apart (format-c-parse.h).
_C_DIRECTIVE = re.compile(rb"%(?:%|(?:[0-9]+\$)?([-+ #0'I]*)(?:[0-9]+|\*(?:[0-9]+\$)?)?"
                          rb"(?:\.(?:[0-9]+|\*(?:[0-9]+\$)?)?)?(<PRI[A-Za-z0-9_]+>)?)")
SEGMENTS_END = 0xFFFFFFFF


def _sysdep(text: bytes, translated: bool) -> list[tuple[int, int]]:
    """Positions of the system-dependent parts of a c-format string: ``<PRIx64>`` macros, and
    the ``I`` flag in a translation."""
    found = []
    for d in _C_DIRECTIVE.finditer(text):
        flags, macro = d.group(1), d.group(2)
        if translated and flags and b"I" in flags:
            start = d.start(1)
            found += [(start + i, start + i + 1) for i, c in enumerate(flags) if c == ord("I")]
        if macro is not None:
            found.append(d.span(2))
    return found


def _hash(key: bytes) -> int:
    """GNU's hash_string (PJW), the low 32 bits (all that reach the table)."""
    value = 0
    for byte in key:
        value = (value << 4) + byte
        if value > 0x0FFFFFFF:
            value = (value ^ ((value & 0xF0000000) >> 24)) & 0x0FFFFFFF
    return value


def _hashes(keys: list[bytes]) -> list[int]:
    """:func:`_hash` of every key, 3× faster: keys of similar length are the 64-bit lanes of
    one big integer, stepped a byte at a time together, so the loop over keys runs in C."""
    result = [0] * len(keys)
    order = sorted(range(len(keys)), key=lambda i: len(keys[i]), reverse=True)
    start = 0
    while start < len(order) and keys[order[start]]:
        width = len(keys[order[start]])
        end = start
        while end < len(order) and 2 * len(keys[order[end]]) > width:
            end += 1
        bucket = order[start:end]
        start = end
        if len(bucket) < 8:                       # a few long keys: one at a time is cheaper
            for i in bucket:
                result[i] = _hash(keys[i])
            continue
        n = len(bucket)
        blob = b"".join([keys[i].ljust(width, b"\0") for i in bucket])
        lengths = [len(keys[i]) for i in bucket]
        high = int.from_bytes(b"\0\0\0\xf0\0\0\0\0" * n, "little")
        low28 = int.from_bytes(b"\xff\xff\xff\x0f\0\0\0\0" * n, "little")
        state, active = 0, n
        for step in range(width):
            while lengths[active - 1] <= step:
                active -= 1
            lanes = bytearray(8 * active)
            lanes[0::8] = blob[step::width][:active]
            bits = 64 * active
            live = state & ((1 << bits) - 1)
            live = (live << 4) + int.from_bytes(lanes, "little")
            live = (live ^ ((live & high) >> 24)) & low28
            state = ((state >> bits) << bits) | live
        values = array("Q", state.to_bytes(8 * n, "little"))
        if sys.byteorder != "little":
            values.byteswap()
        for lane, i in enumerate(bucket):
            result[i] = values[lane]
    return result


def _next_prime(seed: int) -> int:
    """mem-hash-map.c's next_prime: the smallest odd "prime" >= seed, by its own test."""
    seed |= 1
    while True:
        divisor, square = 3, 9
        while square < seed and seed % divisor:
            divisor += 1
            square += 4 * divisor
            divisor += 1
        if seed % divisor:
            return seed
        seed += 2


def compile_mo(catalog: Catalog) -> bytes:
    """GNU ``.mo`` bytes, as msgfmt 0.21 writes them: the header (even a fuzzy one, without
    POT-Creation-Date) and every message with a first translation that is not fuzzy, sorted,
    in the catalog's own charset.  c-format strings with ``<inttypes.h>`` macros go in the
    system-dependent tables of a revision-1 file, with msgfmt's hash table (byte-identical to
    msgfmt's output); other files have no hash table (byte-identical to ``msgfmt --no-hash``)."""
    encoding = catalog.encoding
    static: list[tuple[bytes, bytes, bytes]] = []          # (msgctxt+msgid, msgid_plural, msgstr)
    sysdep: list[tuple[bytes, bytes, bytes, list, list]] = []
    header = catalog.header
    for m in catalog.messages:
        msgstr = m.msgstr
        if not msgstr or not msgstr[0] or m.obsolete or ("fuzzy" in m.flags and m is not header):
            continue
        if m.msgid == "" and m.msgctxt is None and m is not header:
            continue
        key = m.msgid if m.msgctxt is None else f"{m.msgctxt}\x04{m.msgid}"
        value = msgstr[0] if len(msgstr) == 1 else "\x00".join(msgstr)
        if m is header:
            value = _reproducible(value)
        entry = (key.encode(encoding), b"" if m.msgid_plural is None else m.msgid_plural.encode(encoding) + b"\0",
                 value.encode(encoding) + b"\0")
        if ("c-format" in m.flags or "possible-c-format" in m.flags) and (b"%" in entry[0] or b"%" in entry[2]):
            skip = 0 if m.msgctxt is None else len(m.msgctxt.encode(encoding)) + 1
            in_id = [(a + skip, b + skip) for a, b in _sysdep(entry[0][skip:], False)] if b"<" in entry[0] else []
            in_str = _sysdep(entry[2], True) if b"<" in entry[2] or b"I" in entry[2] else []
            if in_id or in_str:
                sysdep.append((*entry, in_id, in_str))
                continue
        static.append(entry)
    static.sort()
    count = len(static)
    revision1 = bool(sysdep)
    # glibc needs the hash table only to find system-dependent strings; elsewhere it is left
    # out, as ``msgfmt --no-hash`` does (hashing every msgid in Python costs more than the rest).
    hash_size = max(_next_prime(((count + len(sysdep)) * 4) // 3), 3) if revision1 else 0
    segments: list[bytes] = []                  # names of system-dependent segments: "PRIu64", "I"
    layouts = []                                # per sysdep string: (pieces, [(size, segment index)])
    for which in (0, 1):
        for key, plural, value, in_id, in_str in sysdep:
            text, spans = (key + b"\0", in_id) if which == 0 else (value, in_str)
            pairs, pieces, last = [], [], 0
            for start, end in spans:
                name = text[start:end]
                if len(name) >= 2 and name[:1] == b"<" and name[-1:] == b">":
                    name = name[1:-1]
                if name not in segments:
                    segments.append(name)
                pieces.append(text[last:start])
                pairs.append((start - last, segments.index(name)))
                last = end
            tail = text[last:] + (plural if which == 0 else b"")
            pieces.append(tail)
            pairs.append((len(tail), SEGMENTS_END))
            layouts.append((pieces, pairs))
    words = 12 if revision1 else 7
    offset = words * 4
    orig_at = offset
    offset += count * 8
    trans_at = offset
    offset += count * 8
    hash_at = offset
    offset += hash_size * 4
    table = array("I")
    if revision1:
        segments_at = offset
        offset += len(segments) * 8
        orig_sysdep_at = offset
        offset += len(sysdep) * 4
        trans_sysdep_at = offset
        offset += len(sysdep) * 4
        structs_at = offset
        offset += sum(4 + 8 * len(pairs) for _, pairs in layouts)
        major = 1 if b"I" in segments else 0    # older gettext() crashes on the I segment
        table.extend([0x950412DE, (major << 16) + 1, count, orig_at, trans_at, hash_size, hash_at,
                      len(segments), segments_at, len(sysdep), orig_sysdep_at, trans_sysdep_at])
    else:
        table.extend([0x950412DE, 0, count, orig_at, trans_at, hash_size, hash_at])
    data = offset                               # the strings start here
    for key, plural, _ in static:
        size = len(key) + 1 + len(plural)
        table.extend((size - 1, data))
        data += size
    for _, _, value in static:
        table.extend((len(value) - 1, data))
        data += len(value)
    slots = array("I", bytes(4 * hash_size))
    for index, value in enumerate(_hashes([key for key, _, _ in static]) if hash_size else ()):
        slot = value % hash_size
        if slots[slot]:
            step = 1 + value % (hash_size - 2)
            while slots[slot]:
                slot = slot - (hash_size - step) if slot >= hash_size - step else slot + step
        slots[slot] = index + 1
    table.extend(slots)
    if revision1:
        for name in segments:
            table.extend((len(name) + 1, data))
            data += len(name) + 1
        at = structs_at
        for _, pairs in layouts:
            table.append(at)
            at += 4 + 8 * len(pairs)
        for pieces, pairs in layouts:
            table.append(data)
            for size, segment in pairs:
                table.extend((size, segment))
            data += sum(len(piece) for piece in pieces)
    if sys.byteorder != "little":
        table.byteswap()
    blob = [table.tobytes()]
    blob += [key + b"\0" + plural for key, plural, _ in static]
    blob += [value for _, _, value in static]
    if revision1:
        blob += [name + b"\0" for name in segments]
        blob += [b"".join(pieces) for pieces, _ in layouts]
    return b"".join(blob)


# -- translator comments ---------------------------------------------------------------
# (added by the life-cycle work: review sign-offs, ignores and merge notes all go through here)

def write_translator_comments(message: Message, comments: list[str], keep=None) -> None:
    """The one writer of an entry's translator comments (``# …`` lines, which every PO editor and
    every merge keeps): the comments ``keep`` accepts (all when None), then ``comments`` not there yet.
    A comment is one line: line breaks and other control characters become spaces, so no text can
    start a new PO line."""
    def one_line(text: str) -> str:
        return "".join(" " if (c < " " and c != "\t") or "\x7f" <= c <= "\x9f" or c in "\u2028\u2029" else c
                       for c in text).rstrip()
    kept = [c for c in message.translator_comments if keep is None or keep(c)]
    for comment in comments:
        line = one_line(comment)
        if line not in kept:
            kept.append(line)
    message.translator_comments = kept
