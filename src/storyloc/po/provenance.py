"""Who or what wrote a translation, kept in translator comments (``# storyloc: ...``).

Translator comments survive ``update`` merges and show in Poedit, Weblate and
Lokalize, so provenance travels with the entry. One line per kind::

    # storyloc: draft engine=apertium pair=eng-spa date=2026-11-25
    # storyloc: note unknown words: Soledar, Kyrylenko
    # storyloc: approved by=Olena date=2026-11-26

Values are single words or ``key=value`` pairs; a ``note`` line is free text.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from . import Message, write_translator_comments

PREFIX = "storyloc:"
# A note Apertium drafts carry: some transfer rules lose a blank when they reorder ("the full-scale
# invasion of" -> "lainvasiónde"); the words its own analyser of the target language does not know.
GLUED_NOTE = "words Apertium ran together, put the spaces back"


@dataclass
class Record:
    kind: str                       # draft | approved | note
    fields: dict[str, str] = field(default_factory=dict)
    text: str = ""                  # for notes

    def format(self) -> str:
        if self.kind == "note":
            return f"{PREFIX} note {self.text}"
        pairs = " ".join(f"{k}={v}" for k, v in self.fields.items())
        return f"{PREFIX} {self.kind} {pairs}".rstrip()


def parse(comment: str) -> Record | None:
    """One translator comment as a record, or None when it is a person's own remark."""
    if not comment.startswith(PREFIX):
        return None
    kind, _, rest = comment[len(PREFIX):].strip().partition(" ")
    if kind == "note":
        return Record("note", text=rest.strip())
    fields = {}
    for word in rest.split():
        key, sep, value = word.partition("=")
        if sep:
            fields[key] = value
    return Record(kind, fields)


def records(message: Message) -> list[Record]:
    """The entry's provenance, oldest first (the order the comments are in)."""
    return [r for r in (parse(c) for c in message.translator_comments) if r is not None]


def latest(message: Message, kind: str) -> Record | None:
    """The newest record of ``kind``: an entry drafted twice says what wrote its current text."""
    found = [r for r in records(message) if r.kind == kind]
    return found[-1] if found else None


def replace(message: Message, new: list[Record], kinds: tuple[str, ...]) -> None:
    """Drop this entry's records of ``kinds`` and append ``new``; other comments stay as they are."""
    write_translator_comments(message, [r.format() for r in new],
                              keep=lambda c: (r := parse(c)) is None or r.kind not in kinds)


PERSON = ("edited", "reviewed", "approved")
SIGN_OFFS = ("reviewed", "approved")      # a translator cleared it; an editor signed it off


def text_digest(text: str) -> str:
    """A short fingerprint of a draft's text: an edit made anywhere (Poedit too) changes it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def is_machine_draft(message: Message) -> bool:
    """A fuzzy entry whose text is still exactly what storyloc's drafting put there.

    Not when a person acted after the draft (an ``edited`` or ``approved`` record,
    as the review page writes), nor when the text no longer matches the digest the
    draft recorded (an edit in Poedit or a text editor, which writes no record).
    """
    if not message.fuzzy:
        return False
    last = None
    for record in records(message):
        if record.kind == "draft" or record.kind in PERSON:
            last = record
    if last is None or last.kind != "draft":
        return False
    digest = last.fields.get("text")
    return digest is None or digest == text_digest("\x00".join(message.msgstr))


def state(message: Message) -> str:
    """``missing``, ``draft`` (fuzzy), ``reviewed`` (a translator cleared it) or ``approved`` (an editor
    signed off this very text: the approval names a digest of it, so an edit anywhere withdraws it)."""
    status = message.status
    if status != "reviewed":
        return status
    approval = latest(message, "approved")
    if approval is not None and approval.fields.get("text") == text_digest("\x00".join(message.msgstr)):
        return "approved"
    return "reviewed"
