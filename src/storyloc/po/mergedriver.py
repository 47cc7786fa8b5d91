"""A git merge driver for catalogs: two branches' reviews merge entry by entry, never into conflict markers.

Git's line merge sees a ``.po`` as text: two branches that review different
entries both touch the header (``PO-Revision-Date``, ``Last-Translator``) and
conflict there, and storyloc then stops on ``<<<<<<<``. This driver merges
the three catalogs (the common ancestor, ours, theirs) as catalogs:

- an entry changed on one side only takes that side's change (text, flags,
  comments); entries only one side added or removed are added or removed;
- the same entry changed the same way on both sides is kept once, with both
  sides' translator comments;
- the same entry changed differently on both sides keeps our text, becomes
  fuzzy (a person must look again), and records the other side's text in a
  translator comment (``# storyloc: note merge: …``) that every PO editor shows;
- header dates (``PO-Revision-Date``, ``POT-Creation-Date``) take the newest,
  and ``Last-Translator`` goes with the newest revision; other header fields
  merge like entries.

The result is written in place of ours, so ``git merge`` finishes without a
conflict; it passes ``msgfmt --check``. Install it with ``storyloc init-git``,
which adds to ``.gitattributes`` and ``.git/config``::

    # .gitattributes
    *.po merge=storyloc
    # .git/config
    [merge "storyloc"]
        name = storyloc: merge catalogs entry by entry
        driver = storyloc merge-driver %O %A %B %P
"""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import provenance
from . import Catalog, Message, format_po, parse_po, write_translator_comments
from ..errors import MergeError
from ..files import write_atomic

ATTRIBUTES = "*.po merge=storyloc"
DRIVER_NAME = "storyloc: merge catalogs entry by entry"
NEWEST = ("PO-Revision-Date", "POT-Creation-Date")


@dataclass
class MergeResult:
    text: str
    conflicts: list[str] = field(default_factory=list)     # msgids changed differently on both sides
    taken: int = 0                                          # entries taken from the other side


def _key(m: Message) -> tuple:
    return (m.obsolete, m.msgctxt, m.msgid)


def _work(m: Message | None) -> tuple | None:
    """What a merge compares: the translation and its state (comments are merged apart)."""
    if m is None:
        return None
    return (tuple(m.msgstr), tuple(sorted(m.flags)), m.msgid_plural, m.previous_msgctxt, m.previous_msgid,
            m.previous_msgid_plural)


def _header_merge(base: Catalog, ours: Catalog, theirs: Catalog) -> None:
    """Header fields merged into ``ours``: dates take the newest, the rest three-way (ours wins a tie)."""
    b, o, t = base.header_fields(), ours.header_fields(), theirs.header_fields()
    if ours.header is None or theirs.header is None:
        return
    for name in NEWEST:
        if name in t and (name not in o or _date(t[name]) > _date(o[name])):
            ours.set_header_field(name, t[name])
            if name == "PO-Revision-Date" and "Last-Translator" in t:
                ours.set_header_field("Last-Translator", t["Last-Translator"])
    for name, value in t.items():
        if name in NEWEST or name == "Last-Translator":
            continue
        if o.get(name) == b.get(name) and value != o.get(name):
            ours.set_header_field(name, value)


def _date(value: str) -> str:
    """``2026-11-25 03:10+0000`` in a form that sorts (the template's placeholder sorts first)."""
    m = re.match(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})([+-]\d{4})?", value.strip())
    if not m:
        return ""
    import datetime as dt
    moment = dt.datetime.strptime(f"{m.group(1)} {m.group(2)}{m.group(3) or '+0000'}", "%Y-%m-%d %H:%M%z")
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")


def _fresh(m: Message) -> Message:
    """An entry from the other side, to be written in this file's layout."""
    return m.detach()


def _union_comments(into: Message, other: Message) -> None:
    write_translator_comments(into, other.translator_comments)


def merge_catalogs(base: Catalog, ours: Catalog, theirs: Catalog) -> MergeResult:
    """Merge ``theirs`` into ``ours`` (changed in place) against their common ancestor ``base``."""
    result = MergeResult("")
    header_o, header_t = ours.header, theirs.header
    base_by = {_key(m): m for m in base.messages if m is not base.header}
    ours_by = {_key(m): m for m in ours.messages if m is not header_o}
    theirs_by = {_key(m): m for m in theirs.messages if m is not header_t}
    _header_merge(base, ours, theirs)
    messages: list[Message] = []
    for m in ours.messages:
        if m is header_o:
            messages.append(m)
            continue
        key = _key(m)
        b, t = base_by.get(key), theirs_by.get(key)
        if t is None:
            if b is not None and _work(m) == _work(b):
                continue                        # they removed it and we did not touch it
            messages.append(m)
            continue
        ow, tw, bw = _work(m), _work(t), _work(b)
        if ow == tw:
            _union_comments(m, t)
            messages.append(m)
        elif ow == bw:                          # only they changed it
            taken = _fresh(t)
            # our own remarks and ignores stay; our sign-offs were of the text they replaced
            ours_only = [c for c in m.translator_comments if c not in t.translator_comments
                         and ((r := provenance.parse(c)) is None or r.kind not in provenance.PERSON)]
            write_translator_comments(taken, ours_only)
            messages.append(taken)
            result.taken += 1
        elif tw == bw:                          # only we changed it
            messages.append(m)
        else:                                   # both, differently: ours stays, fuzzy, theirs recorded
            _conflict(m, t)
            messages.append(m)
            result.conflicts.append(m.msgid)
    theirs_keys = [k for k in theirs_by if k not in ours_by]
    for key in theirs_keys:
        t, b = theirs_by[key], base_by.get(key)
        if b is not None and _work(t) == _work(b):
            continue                            # we removed it and they did not touch it
        taken = _fresh(t)
        # a new live entry goes before the obsolete ones, as msgmerge orders them
        if not taken.obsolete:
            at = next((i for i, m in enumerate(messages) if m.obsolete), len(messages))
            messages.insert(at, taken)
        else:
            messages.append(taken)
        result.taken += 1
    ours.messages = messages
    result.text = format_po(ours)
    return result


def _conflict(ours: Message, theirs: Message) -> None:
    other = " | ".join(theirs.msgstr) if theirs.msgstr else ""
    flat = other.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    state = "fuzzy" if theirs.fuzzy else "reviewed" if all(theirs.msgstr) else "empty"
    note = provenance.Record("note", text=f"merge: the other branch has ({state}): {flat}")
    _union_comments(ours, theirs)
    # nobody has reviewed what is there now; the other text goes into a one-line note
    write_translator_comments(ours, [note.format()],
                              keep=lambda c: (r := provenance.parse(c)) is None or r.kind not in provenance.SIGN_OFFS)
    if all(ours.msgstr):
        ours.fuzzy = True


def _read(path: Path, shown: str) -> Catalog:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise MergeError(f"cannot read: {e.strerror or e}", shown) from None
    if not data.strip():
        return Catalog()                        # no common ancestor: git passes an empty file
    return parse_po(data, shown)


def merge_files(base: Path, ours: Path, theirs: Path, name: str | None = None) -> MergeResult:
    """What ``git merge`` calls: merge the three files and write the result over ``ours``."""
    shown = name or str(ours)
    result = merge_catalogs(_read(base, f"{shown} (common ancestor)"), _read(ours, shown),
                            _read(theirs, f"{shown} (other branch)"))
    write_atomic(ours, result.text.encode("utf-8"))
    return result


def init_git(root: Path) -> list[str]:
    """Install the driver in the git repository holding ``root``: ``.gitattributes`` and ``git config``.

    Returns what changed. The driver runs this very storyloc (its interpreter's path), so it
    works from a virtual environment that is not on ``PATH``.
    """
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True,
                             check=True).stdout.strip()
    except FileNotFoundError:
        raise MergeError("git is not installed") from None
    except subprocess.CalledProcessError:
        raise MergeError("not inside a git repository; run `git init` first", root) from None
    changed = []
    attributes = Path(top) / ".gitattributes"
    lines = attributes.read_text(encoding="utf-8").splitlines() if attributes.exists() else []
    if ATTRIBUTES not in lines:
        write_atomic(attributes, ("\n".join([*lines, ATTRIBUTES]) + "\n").encode("utf-8"))
        changed.append(f".gitattributes: {ATTRIBUTES}")
    driver = f"{shlex.quote(sys.executable)} -m storyloc merge-driver %O %A %B %P"
    for key, value in (("merge.storyloc.name", DRIVER_NAME), ("merge.storyloc.driver", driver)):
        current = subprocess.run(["git", "config", "--local", "--get", key], cwd=top, capture_output=True,
                                 text=True).stdout.strip()
        if current != value:
            subprocess.run(["git", "config", "--local", key, value], cwd=top, check=True)
            changed.append(f"git config {key} \"{value}\"")
    return changed
