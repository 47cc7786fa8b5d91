"""The one reader: a catalog from a file, bytes or text, exactly as GNU gettext 0.21 reads it.

It walks the file once, entry by entry (po-lex.c and po-gram-gen.y).  An entry in the layout
msgcat writes (comments, then keyword lines and "..." continuation lines, a blank line after)
is taken by one regular expression; anything else -- leading blanks, several strings on a
line, ``msgstr""``, a comment after a string, ``domain`` lines, odd line ends -- is read for
that entry alone by a tokenizer that follows GNU's grammar.  Both produce the same messages;
every entry keeps the exact text it was read from, so a load and save is byte for byte.  The
reader checks every entry and keeps its fields at once, but makes the messages (comments, line
numbers, text as read) only when they are first asked for: a compile never needs them.

Three entry points, one job each:

* :func:`read_po`: a file, as GNU reads it (lossless; not validated);
* :func:`read_catalog`: a file as the stages open a translator's catalog: :func:`read_po`,
  then what ``msgfmt --check`` refuses and storyloc's own refusals (:mod:`storyloc.po.validation`);
* :func:`parse_po`: bytes (decoded in the charset their header names) or text already in
  memory, with the name errors give.
"""
from __future__ import annotations

import bisect
import os
import re

from .message import Catalog, Message, codec, remember_as_read, without_gc
from .escape import has_byte_escape, unescape, unescape_bytes
TYPE_CHECKING = False

if TYPE_CHECKING:
    from os import PathLike

    from ..errors import CatalogError


def read_po(path: str | PathLike, display: str | None = None) -> Catalog:
    """A catalog from a file, every entry keeping the text it was read from; errors name
    ``display`` (default: the path).  The catalog's :attr:`~Catalog.bytes_as_read` are the
    file's bytes, which a later save compares with the file to notice someone else's save."""
    shown = display or str(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise _error("file not found", shown) from None
    except OSError as e:
        raise _error(f"cannot read: {e.strerror}", shown) from None
    catalog = parse_po(data, shown)
    catalog.path = path
    return catalog


def read_catalog(path: str | PathLike, display: str | None = None) -> Catalog:
    """:func:`read_po`, then :func:`~storyloc.po.validation.validate` (what ``msgfmt --check``
    refuses) and :func:`~storyloc.po.validation.refuse` (storyloc's own refusals): how the stages
    open a translator's catalog."""
    from .validation import refuse, validate
    shown = display or str(path)
    if not os.path.exists(path):        # a stage's catalog: the stage that makes it is named
        raise _error("catalog not found; run `storyloc update` first", shown)
    catalog = read_po(path, shown)
    validate(catalog, shown)
    refuse(catalog, shown)
    return catalog


def _error(message: str, shown: str, line: int | None = None) -> CatalogError:
    """The :class:`~storyloc.errors.CatalogError` to raise, its module imported then rather than
    with the reader: a read that succeeds never needs it, and it is about a fifth of the
    instructions the PO layer's own modules take to import."""
    from ..errors import CatalogError
    return CatalogError(message, shown, line)


CHARSET = re.compile(rb'"Content-Type:[^"\n]*?charset=([^\s"\\;]+)', re.I)


def parse_po(data: bytes | str, shown: str = "<catalog>") -> Catalog:
    """A catalog from bytes or text in memory; a syntax error is a :class:`CatalogError` naming
    ``shown`` and msgfmt's line.

    Bytes are decoded in the charset their header names.  Like GNU, bytes whose header names
    no charset Python knows are read byte for byte: as UTF-8 when they are UTF-8, else as
    Latin-1 (so that they are written back unchanged); :func:`read_catalog` refuses such a
    file for storyloc's own stages."""
    if isinstance(data, str):
        return _parse_text(data, shown)
    found = CHARSET.search(data, 0, 1 << 16)
    charset = found.group(1).decode("ascii", "replace") if found else None
    catalog = _parse_bytes(data, charset, shown)
    if catalog.charset != charset:      # found in another entry's text: GNU reads the header's alone
        catalog = _parse_bytes(data, catalog.charset, shown)
    return catalog


def _parse_bytes(data: bytes, charset: str | None, shown: str) -> Catalog:
    """:func:`parse_po` of bytes in ``charset`` (the header's, found by a search of the bytes)."""
    encoding = codec(charset)
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as e:
        if encoding is None:
            encoding, text = "latin-1", data.decode("latin-1")
        else:
            line = data.count(b"\n", 0, e.start) + 1
            hint = ""
            if encoding not in ("utf-8", "utf-8-sig"):
                try:
                    data.decode("utf-8")
                    hint = "; the file's bytes read as UTF-8: if it is UTF-8, say charset=UTF-8 in the header"
                except UnicodeDecodeError:
                    pass
            raise _error(f"invalid multibyte sequence: these bytes are not {charset}, which the "
                         f"header names{hint}", shown, line) from None
    # In these codecs a character below 128 is its byte: the bytes are searched for NUL (memchr)
    # rather than the text (a search for U+0000 in 2-byte text stops at every ASCII character).
    catalog = _parse_text(text, shown, encoding in _ASCII_IS_BYTES and b"\0" not in data)
    catalog.fallback_encoding = encoding or "utf-8"
    catalog.bytes_as_read = data
    return catalog


_ASCII_IS_BYTES = {None, "utf-8", "ascii", "iso8859-1", "latin-1"}


def _parse_text(text: str, shown: str, without_nul: bool = False) -> Catalog:
    if text.startswith("\ufeff"):
        raise _error("starts with a byte-order mark; save it as UTF-8 without BOM", shown, 1)
    if not without_nul and "\0" in text:
        raise _error("contains a NUL character (GNU gettext cuts the string there)", shown,
                     text.count("\n", 0, text.index("\0")) + 1)
    return _Reader(text, shown).read()


# A regular entry as msgcat writes it: comments (not #~ or #|), previous msgctxt/msgid/msgid_plural,
# msgctxt?, msgid, and msgstr or msgid_plural with msgstr[N], each keyword at the start of a line with
# one space before its first string, other strings on lines of their own, then a blank line or the end.
# An entry ends before a comment, a keyword or the end, not before a "#~" or "#|" string: GNU
# reads that as one more of the last field's strings (and refuses it, see the tokenizer).
# The repeats of whole lines are possessive (*+), as GNU's grammar is: every string after a keyword
# is the keyword's, every comment line before an entry the entry's.  Giving an obsolete string
# back could end an entry where GNU does not (before "#~ \"c\"" followed by a line of blanks, which
# then read as a syntax error); and not keeping the points to give lines back at makes the
# match a tenth faster.
STRING = r'"[^\n]*"'        # a line's strings: :func:`_quoted` checks that it holds just one


def _regular(p: str, pp: str) -> re.Pattern:
    q = rf'{STRING}(?:\n{p}{STRING})*+'
    qp = rf'{STRING}(?:\n{pp}{STRING})*+'
    return re.compile(
        rf'(\n*+)((?:#(?:[^~|\n][^\n]*)?\n)*+)'
        rf'(?:(?:{pp}msgctxt ({qp})\n)?{pp}msgid ({qp})\n(?:{pp}msgid_plural ({qp})\n)?)?'
        rf'(?:{p}msgctxt ({q})\n)?{p}msgid ({q})\n'
        rf'(?:{p}msgstr ({q})|{p}msgid_plural ({q})((?:\n{p}msgstr\[\d+\] {q})++))'
        rf'(?:\n|\Z)(?=\n*(?:#(?!(?:~\|?|\|) *")|msgid |msgctxt |domain |\Z))')


REGULAR = _regular("", r"#\| ")
PLURAL_FORM = re.compile(rf'^(?:#~ )?msgstr\[(\d+)\] ({STRING}(?:\n(?:#~ )?{STRING})*)', re.M)

# The patterns the common layout does not need, compiled on first use: compiling them all
# costs about as much as reading a 300-message catalog.  GNU's tokens (po-lex.c): blanks are
# space, tab, CR, FF and VT; a backslash-newline has been removed before (GNU drops it
# anywhere, even inside a string or a comment).
_LAZY = {
    "REGULAR_OBSOLETE": lambda: _regular("#~ ", r"#~\| "),
    "TOKEN": lambda: re.compile(r'''
    (?P<nl>\n)
  | (?P<blank>[ \t\r\f\v]+)
  | \#(?P<mark>~\|?|\|)
  | \#(?P<comment>[^\n]*)
  | "(?P<string>(?:[^"\\\n]|\\[^\n])*)(?P<closed>"?)
  | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<number>[0-9]+)
  | (?P<bracket>[\[\]])
  | (?P<junk>.)''', re.X | re.S),
    "VALID_ESCAPES": lambda: re.compile(r'(?:[^\\]+|\\[ntbrfva\\"0-7]|\\x[0-9A-Fa-f])*'),
    "LINE_REST": lambda: re.compile(r"[ \t\r\f\v]*(\n?)"),
}


def _pattern(name: str) -> re.Pattern:
    """One of :data:`_LAZY`'s patterns, compiled the first time it is asked for."""
    found = globals().get(name)
    if found is None:
        found = globals()[name] = _LAZY[name]()
    return found


def __getattr__(name: str):
    if name in _LAZY:
        return _pattern(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        if message == "syntax error" and line:
            text = self.source.split("\n", line)[line - 1] if line <= self.source.count("\n") + 1 else ""
            if text.startswith(("<<<<<<< ", "=======", ">>>>>>> ", "||||||| ")):
                message += (" (a merge conflict's marker: keep one side and delete the markers; "
                            "`storyloc init-git` sets up git's merge driver for catalogs)")
        return _error(message, self.shown, line)

    # -- the whole file ------------------------------------------------------------
    def read(self) -> Catalog:
        return without_gc(self._read)

    def _read(self) -> Catalog:
        """Every entry's fields, checked as GNU checks them; the messages are made from them when
        first asked for (:meth:`messages`), so a compile, which needs only the fields, never makes them."""
        catalog = Catalog(newline=self.newline)
        text = self.text
        self.fields: list[tuple] = []       # (msgctxt, msgid, msgid_plural, msgstr, obsolete, flags)
        self.sources: list = []             # each entry's match (with its previous fields), or its Message
        pos, end = 0, len(text)
        self.live = REGULAR
        regular = REGULAR.match
        # Most catalogs have no obsolete entry: then a failed match is not tried again as one.
        # An obsolete entry the expression can take starts a line (one with a token before it
        # on its line goes to the tokenizer).
        obsolete = _starts_a_line("#~", text)
        obsolete_entry = _pattern("REGULAR_OBSOLETE").match if obsolete else _no_match
        while pos < end:
            match = regular(text, pos) or obsolete_entry(text, pos)
            taken = self.regular(match) if match is not None else None
            if taken is None:
                entry = self.irregular(pos)
                if entry is None:           # only blanks and comments are left
                    break
                m, taken = entry
                self.fields.append((m.msgctxt, m.msgid, m.msgid_plural, m.msgstr, m.obsolete, m.flags))
                self.sources.append(m)
            pos = taken
        catalog.tail = self.raw(pos, end) if pos < end else ""
        catalog.domains = self.domains
        catalog.unread = self
        return catalog

    def messages(self) -> list[Message]:
        """The catalog's messages, made from the fields read, with their comments, lines and text."""
        return without_gc(self._messages)

    def _messages(self) -> list[Message]:
        messages = []
        append = messages.append
        text, cuts, joins = self.text, self.cuts, self.joins
        Match = re.Match
        for (ctx, msgid, plural, msgstr, obsolete, flags), source in zip(self.fields, self.sources):
            if type(source) is Match:
                match = source
                m = Message(msgid, msgstr, ctx, plural, None, None, None, flags, None, None, None, obsolete)
            elif type(source) is tuple:     # with previous fields (#| lines)
                match, (before_ctx, before_id, before_plural) = source
                m = Message(msgid, msgstr, ctx, plural, None, None, None, flags,
                            before_ctx, before_id, before_plural, obsolete)
            else:                           # read by the tokenizer, whole
                append(source)
                continue
            # The groups of its match: the lines of its comments and strings, as read.
            lead, comments, prev_ctx, prev_id, prev_plural, ctx_lines, id_lines, str_lines, plural_lines, _ = \
                match.groups()
            if comments:
                _comments(m, comments)
            start, end = match.span()
            m.raw = text[start:end] if not cuts else self.raw(start, end)
            if joins:               # a backslash-newline may be inside the entry: the file's lines, counted
                m.lineno = self.line_of(match.start(7))
                m.msgstr_lineno = self.line_of(match.start(8) if plural_lines is None else match.start(10) + 1)
                append(m)
                continue
            # Line numbers: msgid's line, then msgstr's, counted through what comes before each.
            line = (self.line if start == self.line_at else self.line_of(start)) + len(lead)
            if comments:
                line += comments.count("\n")
            if prev_id is not None:
                line += prev_id.count("\n") + 1
                if prev_ctx is not None:
                    line += prev_ctx.count("\n") + 1
                if prev_plural is not None:
                    line += prev_plural.count("\n") + 1
            if ctx_lines is not None:
                line += ctx_lines.count("\n") + 1
            m.lineno = line
            line += id_lines.count("\n") + 1 if "\n" in id_lines else 1     # (str.count costs more than `in`)
            m.msgstr_lineno = line if plural_lines is None else line + plural_lines.count("\n") + 1
            if plural_lines is None:    # the next entry's line, without counting the text again
                self.line = line + (str_lines.count("\n") if "\n" in str_lines else 0) + (text[end - 1] == "\n")
                self.line_at = end
            append(m)
        remember_as_read(messages)
        return messages

    # -- the common layout: one regular expression per entry -----------------------
    def regular(self, match: re.Match) -> int | None:
        """An entry in msgcat's layout: its fields, straight from the groups of its match, and where
        it ends; None when the tokenizer must read it.  The hot path: each field's text is computed once."""
        lead, comments, prev_ctx, prev_id, prev_plural, ctx, msgid, msgstr, plural, forms = match.groups()
        obsolete = match.re is not self.live
        joint = '"\n#~ "' if obsolete else '"\n"'
        source = match
        try:
            if prev_id is not None:
                joint_prev = '"\n#~| "' if obsolete else '"\n#| "'
                source = (match, (None if prev_ctx is None else _quoted(prev_ctx, joint_prev), _quoted(prev_id, joint_prev),
                                  None if prev_plural is None else _quoted(prev_plural, joint_prev)))
            if plural is None:
                translations = [_quoted(msgstr, joint)]
            else:
                found = PLURAL_FORM.findall(forms)
                if [int(n) for n, _ in found] != list(range(len(found))):
                    return None
                translations = [_quoted(value, joint) for _, value in found]
            self.fields.append((None if ctx is None else _quoted(ctx, joint), _quoted(msgid, joint),
                                None if plural is None else _quoted(plural, joint), translations, obsolete,
                                _flags(comments) if "#," in comments else []))
        except _Irregular:
            return None
        self.sources.append(source)
        return match.end()

    # -- everything else: GNU's grammar, token by token -----------------------------
    def tokens(self, pos: int):
        """GNU's tokens from ``pos`` on (blanks skipped), then an end token."""
        text = self.text
        scan = _pattern("TOKEN").match
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
                    valid = _pattern("VALID_ESCAPES").match(value).end()
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

    def irregular(self, start: int) -> tuple[Message, int] | None:
        """The entry at ``start`` (with the comments and ``domain`` lines before it), read as GNU's
        grammar reads it, and where it ends; None when only blanks and comments are left."""
        tokens = self.tokens(start)
        t = next(tokens)
        comments: list[_Token] = []
        while t.kind in ("comment", "domain"):
            if t.kind == "domain":
                name = next(tokens)
                if name.kind != "string":
                    raise self.error("syntax error", name.line)
                self.domains.append((name.value, t.line))
            else:
                comments.append(t)
            t = next(tokens)
        if t.kind == "end":
            return None
        m = _Grammar(self, tokens, t.obsolete).entry(t)
        _comment_lines(m, ["#" + c.value.rstrip("\r") for c in comments])
        # The entry ends with its line, unless another token follows on that line.
        last = self.last_end
        rest = _pattern("LINE_REST").match(self.text, last)
        end = rest.end() if rest.group(1) else last
        m.raw = self.raw(start, end)
        return m, end


class _Grammar:
    """GNU's grammar (po-gram-gen.y) for one entry, over the reader's tokens."""

    def __init__(self, reader: _Reader, tokens, obsolete: bool):
        self.reader = reader
        self.tokens = tokens
        self.obsolete = obsolete

    def entry(self, t: _Token) -> Message:
        """The message whose first keyword is ``t``: previous fields, fields, translations."""
        m = Message(msgid="", msgstr=[], obsolete=self.obsolete)
        if t.kind.startswith("prev_"):
            m.previous_msgctxt, m.previous_msgid, m.previous_msgid_plural, _, t = self.fields(t, "prev_")
        m.msgctxt, m.msgid, m.msgid_plural, m.lineno, t = self.fields(t, "")
        if m.msgid_plural is not None:
            if t.kind != "msgstr":
                raise self.reader.error("missing 'msgstr[]' section", m.lineno)
            m.msgstr_lineno = t.line
            m.msgstr = self.plural_forms(t)
        elif t.kind == "msgstr":
            self.consistent(t)
            m.msgstr_lineno = t.line
            after = next(self.tokens)
            if after.kind == "[":
                raise self.reader.error("missing 'msgid_plural' section", m.lineno)
            value, t = self.strings("string", after, after)
            m.msgstr = [value]
        else:
            raise self.reader.error("missing 'msgstr' section", m.lineno)
        return m

    def fields(self, t: _Token, prefix: str) -> tuple[str | None, str, str | None, int, _Token]:
        """``[msgctxt] msgid [msgid_plural]`` (``prefix`` "prev_" for the ``#|`` ones): their texts,
        the line of msgid, and the token after them."""
        string = prefix + "string"
        context = plural = None
        if t.kind == prefix + "msgctxt":
            self.consistent(t)
            context, t = self.strings(string, t)
        if t.kind != prefix + "msgid":
            raise self.reader.error("syntax error", t.line)
        self.consistent(t)
        line = t.line
        msgid, t = self.strings(string, t)
        if t.kind == prefix + "msgid_plural":
            self.consistent(t)
            plural, t = self.strings(string, t)
        return context, msgid, plural, line, t

    def plural_forms(self, t: _Token) -> list[str]:
        """``msgstr[0] … msgstr[n]`` from ``t`` on, their indexes in order."""
        forms: list[str] = []
        while t.kind == "msgstr":
            self.consistent(t)
            keyword = t
            self.expect("[")
            index = self.expect("number").value
            close = self.expect("]")
            if index != len(forms):
                raise self.reader.error("first plural form has nonzero index" if not forms
                                        else "plural form has wrong index", keyword.line)
            value, t = self.strings("string", close)
            forms.append(value)
        return forms

    def expect(self, kind: str) -> _Token:
        t = next(self.tokens)
        if t.kind != kind:
            raise self.reader.error("syntax error", t.line)
        return t

    def strings(self, kind: str, first: _Token, t: _Token | None = None) -> tuple[str, _Token]:
        """A keyword's strings (one or more, from ``t`` when already read); returns their text and
        the token after them."""
        parts = []
        t = next(self.tokens) if t is None else t
        while t.kind == kind:
            self.consistent(t)
            parts.append(t.value)
            self.reader.last_end = t.end
            t = next(self.tokens)
        if not parts:
            raise self.reader.error("syntax error", t.line)
        return self.reader.text_of(parts, first.line), t

    def consistent(self, t: _Token) -> None:
        if t.obsolete != self.obsolete:
            raise self.reader.error("inconsistent use of #~", t.line)




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
    if ("\\\\" not in value and "\x04" not in value and ('"' not in value or value.count('"') == value.count('\\"'))
            and '\\"\n' not in lines and lines[-2] != "\\"):
        simple = value.replace("\\n", "\n")       # each replace only while backslashes are left
        if "\\" in simple:
            simple = simple.replace('\\"', '"')
            if "\\" in simple:
                simple = simple.replace("\\t", "\t")
        if "\\" not in simple:
            return simple
    return _escaped(lines[1:-1], joint)


def _escaped(inner: str, joint: str) -> str:
    """The text of string bodies (``joint`` between two) that hold other escapes.  Each must be
    one C string -- no bare quote (``"a" "b"`` on one line), no backslash before its closing
    quote -- which one match checks for all of them; that failing, or an escape GNU refuses,
    sends the entry to the tokenizer.  Without octal or hex escapes no escape spans two bodies,
    so they are unescaped as one text; with them, body by body (``"\\x4" "1"`` is two bytes)."""
    if _bodies(joint).fullmatch(inner) is None:
        raise _Irregular
    try:
        value = join_strings(inner.split(joint)) if has_byte_escape(inner) else unescape(inner.replace(joint, ""))
    except ValueError:
        raise _Irregular from None
    if "\x04" in value:
        raise _Irregular
    return value


_BODIES: dict[str, re.Pattern] = {}


def _bodies(joint: str) -> re.Pattern:
    """C string bodies with ``joint`` between two, compiled for each joint on first use."""
    found = _BODIES.get(joint)
    if found is None:
        body = r'[^"\\\n]*+(?:\\[^\n][^"\\\n]*+)*+'
        found = _BODIES[joint] = re.compile(rf'{body}(?:{re.escape(joint)}{body})*+')
    return found


def join_strings(bodies: list[str]) -> str:
    """The text of a field written as several C strings: each is unescaped on its own (an escape
    never spans two), and octal or hex escapes are bytes joined before decoding, as GNU does."""
    if len(bodies) == 1:
        return unescape(bodies[0])
    if any(has_byte_escape(body) for body in bodies):
        return b"".join(unescape_bytes(body) for body in bodies).decode("utf-8")
    return "".join(unescape(body) for body in bodies)




def _comments(m: Message, block: str) -> None:
    """The comment lines before an entry (each ending in a line end), into its lists; its flags
    (``#,`` lines) were read with its fields (:func:`_flags`)."""
    _comment_lines(m, block.split("\n")[:-1], flags=False)


def _flags(block: str) -> list[str]:
    """The flags of an entry's comment lines (each ending in a line end), as GNU reads them: those
    of its last ``#,`` line, each such line replacing the flags before it (po_parse_comment_special
    starts afresh); :func:`~storyloc.po.validation.refuse` names an entry with several."""
    at = block.rfind("\n#,") + 1
    if at == 0 and not block.startswith("#,"):
        return []
    return _flag_list(block[at + 2:block.index("\n", at)])


def _flag_list(rest: str) -> list[str]:
    return [f for f in map(str.strip, rest.split(",")) if f]


def _comment_lines(m: Message, lines: list[str], flags: bool = True) -> None:
    """Comment lines (without line ends) into the entry's lists, a line at a time; a ``#,`` line
    replaces the flags when ``flags`` (as GNU: the last one's count, see :func:`_flags`)."""
    references, extracted, translator = m.references, m.extracted_comments, m.translator_comments
    for line in lines:
        marker = line[:2]
        if marker == "#:":
            references += line[2:].split()
        elif marker == "#.":
            extracted.append(line[3:] if line[2:3] == " " else line[2:])
        elif marker == "#,":
            if flags:
                m.flags = _flag_list(line[2:])
        else:
            translator.append(line[2:] if line[1:2] == " " else line[1:])


def _starts_a_line(mark: str, text: str) -> bool:
    """Whether a line of ``text`` starts with ``mark`` (two characters, the second rare).  The
    second is looked for alone (memchr), then what is before it: ``"\\n#~" in text`` compares at
    every line end, ten times as long in a large catalog."""
    at = text.find(mark[1], 1)
    while at >= 0:
        if text[at - 1] == mark[0] and (at == 1 or text[at - 2] == "\n"):
            return True
        at = text.find(mark[1], at + 1)
    return False


def _no_match(text: str, pos: int) -> None:
    return None
