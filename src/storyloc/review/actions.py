"""What a reviewer's action does to one catalog entry: save, review, approve, needs work, ignore.

:func:`apply_action` changes the :class:`~storyloc.po.Message` in memory only (the session writes
the file); :func:`clean_text` is what a translation typed into the page may hold, and
:func:`entry_version` is what a save of an entry is based on.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata

from ..check import CHECKS, IGNORE_KIND
from ..errors import ReviewError
from ..po import Message, provenance, write_translator_comments
from .reviewers import Reviewer

ACTIONS = ("save", "review", "approve", "unapprove", "ignore")
SIGNED = ("edited", "reviewed", "approved")     # the provenance records a person leaves on an entry


def clean_text(msgstr: str, msgid: str, shown: str, line: int, lang: str | None = None) -> str:
    """The text as the entry needs it: newlines only where the English has them (and at its ends);
    NUL and other control characters refused, with where they are, and (given ``lang``) the bidi
    controls the ``control-chars`` check refuses, so a save never keeps what the check calls an error."""
    msgstr = msgstr.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in msgid:
        msgstr = " ".join(part.strip() for part in msgstr.split("\n") if part.strip()) if "\n" in msgstr else msgstr
    for i, c in enumerate(msgstr):
        if c in "\t\n":
            continue
        if unicodedata.category(c) == "Cc":
            name = "NUL" if c == "\x00" else f"U+{ord(c):04X}"
            raise ReviewError(f"the translation holds a control character ({name}) at character {i + 1}; "
                              f"remove it and save again", shown, line)
    if lang is not None:
        from ..check.hostile import control_problems
        for problem in control_problems(msgid, msgstr, lang):
            raise ReviewError(f"the translation holds a {problem}; save again without it", shown, line)
    if msgid.endswith("\n") != msgstr.endswith("\n"):    # msgfmt --check requires both or neither
        msgstr = msgstr + "\n" if msgid.endswith("\n") else msgstr.rstrip("\n")
    if msgid.startswith("\n") != msgstr.startswith("\n"):
        msgstr = "\n" + msgstr if msgid.startswith("\n") else msgstr.lstrip("\n")
    return msgstr


def entry_version(m: Message) -> str:
    """What a save of one entry is based on: its text, flags and sign-offs (another entry's change is no conflict)."""
    body = json.dumps([m.msgstr, m.flags, m.translator_comments], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def _ignore(m: Message, check: str | None, who: Reviewer, today: str) -> None:
    """Silence ``check`` on this entry (once: a second ignore of the same check adds nothing)."""
    if check not in CHECKS:
        raise ReviewError(f"unknown check {check!r}")
    if not any((r := provenance.parse(c)) is not None and r.kind == IGNORE_KIND
               and c.split()[2:3] == [check] for c in m.translator_comments):
        write_translator_comments(m, [f"{provenance.PREFIX} {IGNORE_KIND} {check} by={who.name} date={today}"])


def apply_action(m: Message, action: str, msgstr: str | None, who: Reviewer, check: str | None,
                 today: str) -> None:
    """Apply ``action`` (one of :data:`ACTIONS`) by ``who`` on ``today`` to ``m``, in memory.

    ``save`` keeps the state (a reviewed text edited stays reviewed, by ``who``, its approval gone;
    new text in an empty entry starts as a draft), ``review`` clears the fuzzy flag, ``approve``
    also records the digest of the text approved, ``unapprove`` makes it a draft again, ``ignore``
    silences ``check``. An entry emptied is just empty: no flag, no sign-off.
    """
    if action == "ignore":
        return _ignore(m, check, who, today)
    stamp = {"by": who.name, "role": who.role, "date": today}
    if msgstr is not None:
        m.msgstr = [msgstr]
    if not m.translated:
        m.fuzzy = False
        provenance.replace(m, [], SIGNED)
        return
    changed = m.msgstr_as_read is not None and m.msgstr[0] != m.msgstr_as_read[0]
    reviewed = provenance.Record("reviewed", dict(stamp))
    if action == "review":
        m.fuzzy = False
        keep = [] if changed else [r for r in provenance.records(m) if r.kind == "approved"][-1:]
        provenance.replace(m, [reviewed, *keep], SIGNED)
    elif action == "approve":
        was = None if m.fuzzy else provenance.latest(m, "reviewed")
        m.fuzzy = False
        approval = provenance.Record("approved", {**stamp, "text": provenance.text_digest("\x00".join(m.msgstr))})
        provenance.replace(m, [was if was is not None and not changed else reviewed, approval], SIGNED)
    elif action == "unapprove":
        m.fuzzy = True
        provenance.replace(m, [provenance.Record("edited", dict(stamp))], SIGNED)
    elif changed:
        if m.fuzzy or m.msgstr_as_read[0] == "":
            m.fuzzy = True                  # a draft stays a draft; new text starts as one
            provenance.replace(m, [provenance.Record("edited", dict(stamp))], ("edited",))
        else:                               # a reviewed text edited: reviewed by this person, approval gone
            provenance.replace(m, [reviewed], SIGNED)
