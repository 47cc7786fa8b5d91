"""The model of a catalog: :class:`Message` (one entry) and :class:`Catalog` (a file's entries).

Both are plain classes.  A message read from a file keeps the exact text it was read from
(``raw``) and its content then, so the writer can tell whether it changed and write an
unchanged entry back byte for byte; nothing outside this module reads how that is kept
(:attr:`Message.changed`, :attr:`Message.msgstr_as_read`, :meth:`Message.detach`, and for the
reader and the writer :func:`remember_as_read` and :func:`texts_as_read`, which take a whole
catalog's messages at once: a call per message would cost a few percent of a load and save).
"""
from __future__ import annotations

import re
TYPE_CHECKING = False

if TYPE_CHECKING:
    from pathlib import Path


class Message:
    """One entry.  ``raw`` is the exact text it was read from (with the blank lines before it)
    and ``_read_as`` its content then: it is written back untouched while the content is the same.
    (A plain class, not a dataclass: importing dataclasses costs more than reading a small catalog.)"""

    __slots__ = ("msgid", "msgstr", "msgctxt", "msgid_plural", "translator_comments", "extracted_comments",
                 "references", "flags", "previous_msgctxt", "previous_msgid", "previous_msgid_plural",
                 "obsolete", "lineno", "msgstr_lineno", "raw", "_read_as")

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
    """The entries of a file in file order, with what lies around them kept as read.  A catalog
    just read makes its :attr:`messages` on first use; :meth:`fields` does not need them.  (Making
    them takes no lock: a catalog is one thread's, as in the review server, which reads the file
    for each request.)"""

    def __init__(self, messages: list[Message] | None = None, newline: str = "\n", tail: str = "",
                 path: Path | None = None, domains: list[tuple[str, int]] | None = None,
                 fallback_encoding: str = "utf-8", bytes_as_read: bytes | None = None):
        self._messages = [] if messages is None else messages
        # The reader, until the messages are first asked for: it keeps each entry's fields and
        # makes the messages from them then (compile_mo needs only the fields, see :meth:`fields`).
        self.unread = None
        self.newline = newline
        self.tail = tail                    # text after the last entry, kept as read
        self.path = path
        self.domains = [] if domains is None else domains     # `domain` lines read: (name, line)
        self.fallback_encoding = fallback_encoding            # when the header names no charset Python knows
        # The bytes it was parsed from (None when made in memory): what a later save compares with
        # the file, to see whether someone else saved it meanwhile.
        self.bytes_as_read = bytes_as_read

    def __repr__(self) -> str:
        return f"Catalog(path={self.path!r}, messages={len(self.messages)})"

    @property
    def messages(self) -> list[Message]:
        if self.unread is not None:
            self._messages, self.unread = self.unread.messages(), None
        return self._messages

    @messages.setter
    def messages(self, messages: list[Message]) -> None:
        self._messages, self.unread = messages, None

    def fields(self) -> list[tuple]:
        """Each entry's ``(msgctxt, msgid, msgid_plural, msgstr, obsolete, flags)``, in file order:
        all :func:`~storyloc.po.mo.compile_mo` needs.  A catalog just read gives them without
        making its messages (making them was a sixth of an 11,000-message compile)."""
        if self.unread is not None:
            return self.unread.fields
        return [(m.msgctxt, m.msgid, m.msgid_plural, m.msgstr, m.obsolete, m.flags) for m in self._messages]

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
        if self.unread is not None:         # (compile_mo asks for the encoding before any message)
            text = next((msgstr[0] for ctx, msgid, _, msgstr, obsolete, _ in self.unread.fields
                         if msgid == "" and ctx is None and not obsolete), None)
        else:
            header = self.header
            text = None if header is None else header.msgstr[0]
        fields: dict[str, str] = {}
        if text is not None:
            for line in text.split("\n"):
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


def write_translator_comments(message: Message, comments: list[str], keep=None) -> None:
    """Set an entry's translator comments (the ``# …`` lines every PO editor and every merge keeps):
    the ones ``keep`` accepts (all when None), then those of ``comments`` not there yet.  Review
    sign-offs, ignores, provenance records and merge notes all go through here.

    Each added comment is made one line (line breaks and other control characters become
    spaces): the writer would write a comment with a line break as two ``#`` lines, as GNU
    does, which read back as two comments, and the next call would add it again.  The lines
    themselves are written by :func:`storyloc.po.wrap.comment_lines`, the one comment writer."""
    kept = [c for c in message.translator_comments if keep is None or keep(c)]
    for comment in comments:
        line = _one_line(comment)
        if line not in kept:
            kept.append(line)
    message.translator_comments = kept


def _one_line(text: str) -> str:
    return "".join(" " if (c < " " and c != "\t") or "\x7f" <= c <= "\x9f" or c in "\u2028\u2029" else c
                   for c in text).rstrip()


def remember_as_read(messages: list[Message]) -> None:
    """Take each message's content now as what its file said (the reader calls this once it has
    read them all and set each one's ``raw``)."""
    for m in messages:
        m._read_as = m.content()


def texts_as_read(messages: list[Message]) -> list[str | None]:
    """For each message, the text it was read from while it is still what its file said (so that
    text can be written back as it was), else None."""
    return [m.raw if m._read_as is not None and m._read_as == m.content() else None for m in messages]


def without_gc(work, *args):
    """``work(*args)`` with the cyclic garbage collector paused.  A catalog is thousands of small
    objects and no cycles, so the collector's passes over them are wasted (about a tenth of a
    read, a few hundredths of a compile).  What it made then joins the oldest generation at
    once (``gc.freeze`` then ``gc.unfreeze``: two list splices, unless the program froze objects
    of its own), so the first collection after it does not walk the whole catalog either (a
    tenth of an 11,000-message compile)."""
    import gc
    collecting = gc.isenabled()
    gc.disable()
    try:
        return work(*args)
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if collecting:
            gc.enable()
