"""The one PO layer: read, write and compile gettext catalogs without losing a byte.

Babel and polib both rewrite what they did not change (re-wrapped lines,
dropped previous msgids, octal escapes, duplicate entries). Here every entry
keeps the exact text it was read from; only an entry whose content changed is
written anew, in GNU gettext's layout (see :mod:`storyloc.wrap`). So a load
and save of any valid catalog is byte-identical, CRLF files included.

No other module imports babel's or polib's catalog types.
"""
from __future__ import annotations

import re
import struct
import sys
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CatalogError
from .files import write_if_changed
from .wrap import comment_lines, field_lines, unescape

KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*)$")
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
SIMPLE_STRING = re.compile(r'"([^"\\]*)"\s*')    # one literal without escapes: most lines


@dataclass(eq=False)
class Message:
    msgid: str
    msgstr: list[str] = field(default_factory=lambda: [""])
    msgctxt: str | None = None
    msgid_plural: str | None = None
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    lineno: int = 0
    # The exact text this entry was read from (with the blank lines before it),
    # and its content then: written back untouched while the content is the same.
    raw: str | None = field(default=None, repr=False)
    _read_as: tuple | None = field(default=None, repr=False)

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


@dataclass(eq=False)
class Catalog:
    messages: list[Message] = field(default_factory=list)
    newline: str = "\n"
    tail: str = ""                  # text after the last entry, kept as read
    path: Path | None = None

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

def read_po(path: Path, display: str | None = None) -> Catalog:
    """A catalog from a file, every entry keeping the text it was read from."""
    return read_po_bytes(path, display)[1]


def read_po_bytes(path: Path, display: str | None = None) -> tuple[bytes, Catalog]:
    """The file's bytes and the catalog they hold (the bytes are the version a later save checks)."""
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("catalog not found; run `storyloc update` first", shown) from None
    catalog = decode_po(data, shown)
    catalog.path = path
    return data, catalog


def decode_po(data: bytes, shown: str = "<bytes>") -> Catalog:
    """Parse a catalog's bytes (for callers that keep them, e.g. to know the file's version)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise CatalogError("not UTF-8 (storyloc reads and writes UTF-8 catalogs)", shown, line) from None
    return parse_po(text, shown)


def read_catalog(path: Path, display: str | None = None) -> Catalog:
    """:func:`read_po`, then :func:`validate`: how the stages open a translator's catalog."""
    catalog = read_po(path, display)
    validate(catalog, display or str(path))
    return catalog


def validate(catalog: Catalog, shown: str) -> None:
    """Refuse what GNU msgfmt refuses, naming the line: duplicate messages, a broken
    ``Plural-Forms`` header, plural entries with the wrong number of forms."""
    seen: dict[tuple[str | None, str], int] = {}
    for m in catalog.messages:
        if m.msgid == "" and m.msgctxt is None:
            continue
        first = seen.setdefault(m.key, m.lineno)
        if first != m.lineno:
            raise CatalogError(f"duplicate message, first defined at line {first} (msgfmt refuses this; "
                               f"keep one of them)", shown, m.lineno)
    header = catalog.header
    forms = catalog.header_fields().get("Plural-Forms")
    nplurals = None
    if forms is not None:
        match = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*", forms)
        import gettext  # only here: its import costs more than a small catalog's parse
        try:
            if match is None or int(match.group(1)) < 1:
                raise ValueError("expected 'nplurals=N; plural=EXPRESSION;'")
            gettext.c2py(match.group(2))
        except ValueError as e:
            raise CatalogError(f"invalid Plural-Forms header: {e}", shown, header.lineno) from None
        nplurals = int(match.group(1))
    for m in catalog.entries():
        if m.msgid_plural is not None and nplurals is not None and len(m.msgstr) != nplurals:
            raise CatalogError(f"plural message has {len(m.msgstr)} forms but Plural-Forms says "
                               f"nplurals={nplurals}", shown, m.lineno)


def _string(literal: str, shown: str, number: int) -> str:
    """One or more adjacent C string literals (``"a" "b"`` is legal PO) as their text."""
    simple = SIMPLE_STRING.fullmatch(literal)
    if simple is not None:  # the common case: one literal without escapes
        return simple.group(1)
    literal = literal.strip()
    parts, pos = [], 0
    while pos < len(literal):
        match = STRING.match(literal, pos)
        if match is None:
            raise CatalogError(f"expected a quoted string, got {literal[pos:]!r}", shown, number)
        parts.append(match.group(1))
        pos = match.end()
        if pos < len(literal) and literal[pos] not in " \t":
            raise CatalogError(f"unescaped '\"' inside the string {literal!r}", shown, number)
        while pos < len(literal) and literal[pos] in " \t":
            pos += 1
    try:
        return "".join(unescape(part) for part in parts)
    except ValueError as e:
        raise CatalogError(f"bad escape in string: {e}", shown, number) from None


class _Entry:
    """What has been read of the entry under way."""

    def __init__(self, start: int):
        self.msg = Message(msgid="", msgstr=[])
        self.start = start          # index of the first line (blank lines before it included)
        self.first = None           # line number of the first non-blank line
        self.seen: set[str] = set()
        self.last: tuple[str, int | None] | None = None  # (field, plural index) for continuation lines
        self.previous = False
        self.has_msgstr = False


# A regular entry, as msgcat, msgmerge and storyloc write them: comments (not #~ or #|),
# then msgctxt?, msgid, and msgstr or msgid_plural with msgstr[N], each string on lines of its own.
_QUOTED = r'"[^\n]*"(?:\n"[^\n]*")*'
REGULAR_ENTRY = re.compile(
    rf"((?:#(?:[^~|\n][^\n]*)?\n)*)((?:#\| [^\n]*\n)*)(?:msgctxt ({_QUOTED})\n)?msgid ({_QUOTED})\n"
    rf"(?:msgstr ({_QUOTED})|msgid_plural ({_QUOTED})((?:\nmsgstr\[\d+\] {_QUOTED})+))\n?")
PREVIOUS = re.compile(rf"(?:msgctxt ({_QUOTED})\n)?msgid ({_QUOTED})\n(?:msgid_plural ({_QUOTED})\n)?")
UNESCAPED_QUOTE = re.compile(r'(?<!\\)(?:\\\\)*"')
BLOCK = re.compile(r"(\n*)((?:[^\n]+(?:\n|$))+)")
PLURAL_FORM = re.compile(rf"msgstr\[(\d+)\] ({_QUOTED})")


class _Irregular(Exception):
    """A file the fast reader does not take whole: the line-by-line reader decides."""


def _quoted(lines: str) -> str:
    parts = []
    for line in lines.split("\n"):
        body = line[1:-1]
        if '"' in body and UNESCAPED_QUOTE.search(body):   # two literals on one line, or a stray quote
            raise _Irregular
        parts.append(body)
    value = "".join(parts)
    if "\\" in value:
        try:
            return unescape(value)
        except ValueError:
            raise _Irregular from None
    return value


def _parse_regular(text: str) -> Catalog:
    """Whole entries by one regular expression each: 2–3× faster on real catalogs.

    Only for files made of regular entries separated by blank lines; anything
    else raises :class:`_Irregular`, and :func:`parse_po` reads it line by line,
    which gives the same messages and the same raw text for regular files.
    """
    catalog = Catalog()
    line = 1
    end = 0
    for block in BLOCK.finditer(text):
        lead, body = block.group(1), block.group(2)
        entry = REGULAR_ENTRY.fullmatch(body)
        if entry is None:
            raise _Irregular
        comments, previous, ctx, msgid, msgstr, plural, forms = entry.groups()
        m = Message(msgid=_quoted(msgid), msgctxt=None if ctx is None else _quoted(ctx))
        for comment in comments.split("\n")[:-1]:
            _comment(m, comment)
        if previous:
            fields = PREVIOUS.fullmatch(previous.replace("#| ", ""))
            if fields is None or previous.count("#| ") != previous.count("\n"):
                raise _Irregular
            m.previous_msgctxt, m.previous_msgid, m.previous_msgid_plural = (
                None if value is None else _quoted(value) for value in fields.groups())
        if plural is None:
            m.msgstr = [_quoted(msgstr)]
        else:
            m.msgid_plural = _quoted(plural)
            found = PLURAL_FORM.findall(forms)
            if [int(n) for n, _ in found] != list(range(len(found))):
                raise _Irregular
            m.msgstr = [_quoted(value) for _, value in found]
        line += lead.count("\n")
        m.lineno = (line + comments.count("\n") + previous.count("\n")
                    + (0 if ctx is None else ctx.count("\n") + 1))
        line += body.count("\n")
        m.raw = lead + body
        m._read_as = m.content()
        catalog.messages.append(m)
        end = block.end()
    catalog.tail = text[end:]
    if catalog.tail.strip():
        raise _Irregular
    return catalog


def parse_po(text: str, shown: str = "<string>") -> Catalog:
    """Parse PO text; a syntax error is a :class:`CatalogError` with the line number."""
    if text.startswith("\ufeff"):
        raise CatalogError("starts with a byte-order mark; save it as UTF-8 without BOM", shown, 1)
    if "\r" not in text:
        try:
            return _parse_regular(text)
        except _Irregular:
            pass
    return _parse_lines(text, shown)


def _parse_lines(text: str, shown: str) -> Catalog:
    """The reader for every legal layout (CRLF, obsolete and previous entries, odd spacing)."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    catalog = Catalog(newline=newline)
    entry: _Entry | None = None
    chunk_start = 0

    def finish(end: int) -> None:
        nonlocal entry, chunk_start
        if entry is None:
            return
        m = entry.msg
        if "msgid" not in entry.seen:
            raise CatalogError("entry has no msgid", shown, entry.first)
        if not entry.has_msgstr:
            raise CatalogError("entry has no msgstr", shown, entry.first)
        if m.msgid_plural is None and len(m.msgstr) != 1:
            raise CatalogError("msgstr[N] without msgid_plural", shown, entry.first)
        m.raw = "".join(lines[chunk_start:end])
        m._read_as = m.content()
        catalog.messages.append(m)
        entry = None
        chunk_start = end

    for index, raw in enumerate(lines):
        number = index + 1
        line = raw.rstrip("\r\n")
        if line[:1] == '"' and entry is not None and entry.last is not None:  # continuation: most lines
            value = _string(line, shown, number)
            name, slot = entry.last
            if name == "msgstr":
                entry.msg.msgstr[slot] += value
            else:
                setattr(entry.msg, name, getattr(entry.msg, name) + value)
            continue
        if not line or line.isspace():
            if entry is not None and entry.has_msgstr:
                finish(index)
            continue
        obsolete = False
        previous = False
        body = line
        if line.startswith("#~"):
            obsolete, body = True, line[2:]
            if body.startswith("|"):
                previous, body = True, body[1:]
            body = body.lstrip()
            if not body:
                continue
        elif line.startswith("#|"):
            previous, body = True, line[2:].lstrip()
        elif line.startswith("#"):
            if entry is not None and entry.has_msgstr:
                finish(index)
            if entry is None:
                entry = _Entry(chunk_start)
                entry.first = number
            _comment(entry.msg, line)
            continue

        match = KEYWORD.match(body)
        starts_entry = match and match.group(1) in ("msgctxt", "msgid") and not previous
        if entry is not None and entry.has_msgstr and (starts_entry or previous):
            finish(index)
        if entry is None:
            entry = _Entry(chunk_start)
            entry.first = number
        m = entry.msg
        m.obsolete = m.obsolete or obsolete
        if match:
            keyword, plural_index, literal = match.group(1), match.group(2), match.group(3)
            value = _string(literal, shown, number)
            if previous:
                if keyword not in ("msgctxt", "msgid", "msgid_plural"):
                    raise CatalogError(f"'#| {keyword}' is not a previous field", shown, number)
                setattr(m, "previous_" + keyword, value)
                entry.last = ("previous_" + keyword, None)
                continue
            name = "msgstr" if keyword.startswith("msgstr") else keyword
            if name != "msgstr" and name in entry.seen:
                raise CatalogError(f"duplicate {name} in one entry", shown, number)
            if name == "msgstr":
                if "msgid" not in entry.seen:
                    raise CatalogError("msgstr without msgid", shown, number)
                slot = int(plural_index) if plural_index is not None else 0
                if slot != len(m.msgstr):
                    raise CatalogError(f"{keyword} out of order", shown, number)
                m.msgstr.append(value)
                entry.has_msgstr = True
                entry.last = ("msgstr", slot)
            else:
                if entry.has_msgstr:
                    raise CatalogError(f"{keyword} after msgstr", shown, number)
                setattr(m, name, value)
                entry.last = (name, None)
                if name == "msgid":
                    m.lineno = number
            entry.seen.add(name)
        elif body.startswith('"'):
            if entry.last is None:
                raise CatalogError("string continuation without a keyword before it", shown, number)
            value = _string(body, shown, number)
            name, slot = entry.last
            if name == "msgstr":
                m.msgstr[slot] += value
            else:
                setattr(m, name, getattr(m, name) + value)
        else:
            raise CatalogError(f"unexpected text: {line.strip()[:40]!r}", shown, number)
    if entry is not None:
        if entry.has_msgstr or "msgid" in entry.seen:
            finish(len(lines))
        else:
            catalog.tail = "".join(lines[chunk_start:])
    else:
        catalog.tail = "".join(lines[chunk_start:])
    return catalog


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


def save_po(catalog: Catalog, path: Path) -> bool:
    """Write atomically, and only if the text changed; returns whether it did."""
    changed = write_if_changed(path, format_po(catalog).encode("utf-8"))
    catalog.path = path
    return changed


# -- compiling -------------------------------------------------------------------

def compile_mo(catalog: Catalog) -> bytes:
    """GNU ``.mo`` bytes: the header and every reviewed message, sorted; fuzzy ones left out, as msgfmt does."""
    pairs: list[tuple[bytes, bytes]] = []
    header = catalog.header
    if header is not None and header.msgstr[0]:
        pairs.append((b"", header.msgstr[0].encode("utf-8")))
    for m in catalog.entries():
        if m.fuzzy or not m.translated:
            continue
        key = m.msgid if m.msgctxt is None else f"{m.msgctxt}\x04{m.msgid}"
        if m.msgid_plural is not None:
            key += "\x00" + m.msgid_plural
        pairs.append((key.encode("utf-8"), "\x00".join(m.msgstr).encode("utf-8")))
    pairs.sort(key=lambda pair: pair[0])
    count = len(pairs)
    keys_start = 7 * 4
    values_start = keys_start + count * 8
    data_start = values_start + count * 8
    table = array("I")  # (length, offset) pairs: every key, then every value
    offset = data_start
    for part in (0, 1):
        for pair in pairs:
            size = len(pair[part])
            table.append(size)
            table.append(offset)
            offset += size + 1
    if sys.byteorder != "little":
        table.byteswap()
    head = struct.pack("<7I", 0x950412DE, 0, count, keys_start, values_start, 0, data_start)
    blob = b"\x00".join([k for k, _ in pairs] + [v for _, v in pairs])
    return head + table.tobytes() + blob + (b"\x00" if pairs else b"")


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
