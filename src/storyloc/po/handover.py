"""A catalog one stage saved, handed to a later stage of the same run as the reader would make it
from the file, so the file is not read again.

``update`` saves each language's catalog and ``build`` opens it a moment later; reading back
what was just written was a tenth of a long story's first run (profiled). :func:`save` writes
as :func:`~storyloc.po.write.save_po` does and keeps the catalog with what a read of the file
would give each entry: the text it was read from, its lines, its content as read. :func:`take`
gives it back while the file is still the one written (same size, modification time and inode),
once; anything else reads the file. Only the layout the reader takes in one expression is
handed over: a file where an entry's ``msgid`` or ``msgstr`` is not at the start of its line, or
with a backslash-newline or a ``domain`` line, is read again.
"""
from __future__ import annotations

import os
import re

from .message import Catalog, remember_as_read
from .write import encode_text, entry_texts

TYPE_CHECKING = False

if TYPE_CHECKING:
    from pathlib import Path

# Where the reader puts an entry's line numbers: its msgid line, and its (first) msgstr line; an
# obsolete entry's, and a live one's.
MSGID_LINE = {True: re.compile(r"^#~ msgid ", re.M), False: re.compile(r"^msgid ", re.M)}
MSGSTR_LINE = {True: re.compile(r"^#~ msgstr(?: |\[0\] )", re.M), False: re.compile(r"^msgstr(?: |\[0\] )", re.M)}
KEPT = 64                 # catalogs kept at most (update keeps one story's, which build takes)

_saved: dict[str, tuple[tuple[int, int, int], Catalog]] = {}


def save(catalog: Catalog, path: Path, shown: str | None = None) -> bool:
    """:func:`~storyloc.po.write.save_po`, keeping the catalog for :func:`take`; returns whether
    the file changed."""
    from ..files import write_if_changed
    parts = entry_texts(catalog)
    text = "".join(parts)
    data = encode_text(catalog, text, shown or str(path))
    changed = write_if_changed(path, data)
    catalog.path = path
    if _as_read(catalog, parts, text, data):
        if len(_saved) >= KEPT:
            _saved.clear()
        _saved[os.fspath(path)] = (_signature(path), catalog)
    return changed


def take(path: Path) -> Catalog | None:
    """The catalog :func:`save` wrote to ``path`` if the file is still what it wrote, else None."""
    found = _saved.pop(os.fspath(path), None)
    if found is None:
        return None
    signature, catalog = found
    try:
        return catalog if _signature(path) == signature else None
    except OSError:
        return None


def forget() -> None:
    """Drop every kept catalog."""
    _saved.clear()


def _signature(path: Path) -> tuple[int, int, int]:
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns, status.st_ino


def _as_read(catalog: Catalog, parts: list[str], text: str, data: bytes) -> bool:
    """Give each message what the reader would: its text, its msgid and msgstr lines, its content as
    read. False (and the catalog left as it was) where the file is not in the one-expression layout."""
    messages = catalog.messages
    if catalog.domains or "\\\n" in text or len(parts) != len(messages) + 1:
        return False
    lines = []
    line = 1
    for m, part in zip(messages, parts):
        shape = _shapes.get((part, m.obsolete)) or _shape(part, m.obsolete, not any(m.msgstr))
        if shape is _IRREGULAR:
            return False
        before_msgid, before_msgstr, count = shape
        lines.append((line + before_msgid, line + before_msgstr))
        line += count
    for m, part, (lineno, msgstr_lineno) in zip(messages, parts, lines):
        m.raw, m.lineno, m.msgstr_lineno = part, lineno, msgstr_lineno
    remember_as_read(messages)
    catalog.bytes_as_read = data
    return True


# An entry's lines before its msgid line and before its msgstr line, and all its lines, by its text:
# the catalogs of a story's untranslated languages share their entries' texts (see write.py).
_shapes: dict[tuple[str, bool], tuple[int, int, int]] = {}
_IRREGULAR = (-1, -1, -1)


def _shape(part: str, obsolete: bool, shared: bool) -> tuple[int, int, int]:
    """(Kept only for an untranslated entry, whose text other catalogs share.)"""
    msgid = MSGID_LINE[obsolete].search(part)
    msgstr = MSGSTR_LINE[obsolete].search(part, msgid.end()) if msgid is not None else None
    if msgstr is None:
        return _IRREGULAR
    before_msgid = part.count("\n", 0, msgid.start())
    found = (before_msgid, before_msgid + part.count("\n", msgid.start(), msgstr.start()), part.count("\n"))
    if shared:
        if len(_shapes) >= 1 << 15:
            _shapes.clear()
        _shapes[(part, obsolete)] = found
    return found


def read_catalog(path: Path, display: str | None = None) -> Catalog:
    """:func:`~storyloc.po.read.read_catalog`, without reading again a file this run just saved
    (the catalog kept is validated the same way)."""
    from .read import read_catalog as read
    from .validation import refuse, validate
    catalog = take(path)
    if catalog is None:
        return read(path, display)
    shown = display or str(path)
    validate(catalog, shown)
    refuse(catalog, shown)
    return catalog
