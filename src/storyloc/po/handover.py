"""A catalog one stage saved, handed to a later stage of the same run as the reader would make it
from the file, so the file is not read again.

``update`` saves each language's catalog and ``build`` opens it a moment later; reading back
what was just written was a tenth of a long story's first run (profiled). :func:`save` writes
as :func:`~storyloc.po.write.save_po` does and keeps the catalog with what a read of the file
would give each entry: the text it was read from, its lines, its content as read. :func:`take`
gives it back while the file is still the one written (same size, modification time and inode),
once; anything else reads the file. Only the layout the reader takes in one expression is
handed over, and only what the writer writes the way the reader reads it: a file where an
entry's ``msgid`` or ``msgstr "`` is not at the start of its line, with a backslash-newline, a NUL,
a ``domain`` line or an entry not ending its line, a charset named twice or unknown, or an entry
whose comments, references or flags the writer splits, is read again.
"""
from __future__ import annotations

import os
import re

from .message import Catalog, Message, codec, remember_as_read
from .write import encode_text, entry_texts, forget_layouts

TYPE_CHECKING = False

if TYPE_CHECKING:
    from pathlib import Path

# Where the reader puts an entry's line numbers: its msgid line, and its (first) msgstr line; an
# obsolete entry's, and a live one's.
MSGID_LINE = {True: re.compile(r'^#~ msgid "', re.M), False: re.compile(r'^msgid "', re.M)}
MSGSTR_LINE = {True: re.compile(r'^#~ msgstr(?:\[0\])? "', re.M), False: re.compile(r'^msgstr(?:\[0\])? "', re.M)}
KEPT = 64                 # catalogs kept at most (update keeps one story's, which build takes)

_saved: dict[str, tuple[tuple[int, int, int], Catalog]] = {}


def save(catalog: Catalog, path: Path, shown: str | None = None) -> bool:
    """:func:`~storyloc.po.write.save_po`, keeping the catalog for :func:`take`; returns whether
    the file changed. The catalog's :attr:`~storyloc.po.message.Catalog.bytes_as_read` are then
    the file's bytes (what a later save compares the file with)."""
    from ..files import write_if_changed
    parts = entry_texts(catalog)
    text = "".join(parts)
    data = encode_text(catalog, text, shown or str(path))
    changed = write_if_changed(path, data)
    catalog.path = path
    catalog.bytes_as_read = data
    if _as_read(catalog, parts, text):
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
    """Drop every kept catalog, and the layouts and line shapes of entries kept for the story's
    other catalogs (the next story shares none of them)."""
    _saved.clear()
    _shapes.clear()
    forget_layouts()


def _signature(path: Path) -> tuple[int, int, int]:
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns, status.st_ino


def _as_read(catalog: Catalog, parts: list[str], text: str) -> bool:
    """Give each message what the reader would: its text, its msgid and msgstr lines, its content as
    read. False (and the catalog left as it was) where the file is not in the one-expression layout."""
    messages = catalog.messages
    if (catalog.domains or "\\\n" in text or "\0" in text or len(parts) != len(messages) + 1
            or not all(part.endswith("\n") for part in parts[:-1]) or not _charset_read_back(catalog)
            or not all(part is m.raw or _writes_back(m) for m, part in zip(messages, parts))):
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
    catalog.fallback_encoding = catalog.encoding
    return True


def _charset_read_back(catalog: Catalog) -> bool:
    """Whether a read finds the charset the writer used: one the codecs know, named once."""
    header = catalog.header
    return (codec(catalog.charset) is not None and header is not None
            and header.msgstr[0].count("Content-Type:") == 1)


def _writes_back(m: Message) -> bool:
    """Whether the writer's lines for ``m`` read back as ``m``: not for a comment holding a line
    break, an empty reference or flag, a reference with a space or a leading "./", or a flag with
    a comma or a space (the writer splits or trims those, see wrap.comment_lines)."""
    return not (any("\n" in c for c in m.translator_comments) or any("\n" in c for c in m.extracted_comments)
                or any(not r or " " in r or r.startswith("./") for r in m.references)
                or any(not f or "," in f or " " in f for f in m.flags))


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
