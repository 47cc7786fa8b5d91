"""C string escapes in PO files, both ways, as GNU gettext 0.21 reads and writes them.

``\\n``, ``\\t``, ``\\"``, ``\\\\`` and the other one-letter escapes are characters; octal and hex
escapes are bytes, joined across a field's strings before decoding (po-lex.c).  The reader
needs only this module; :mod:`storyloc.po.wrap`, which lays out the lines, needs :func:`escape`.
"""
from __future__ import annotations

import functools
import re

__all__ = ["escape", "unescape", "has_byte_escape", "unescape_bytes"]


_ESCAPE_TABLE = str.maketrans({
    "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v",
})
_SIMPLE_UNESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f",
    "v": "\v", "\\": "\\", '"': '"',
}
_BYTE_ESCAPE_RE = re.compile(r"\\[0-7x]")


@functools.cache
def _pattern(which: str) -> re.Pattern:
    """The patterns only rare strings need, compiled on first use."""
    if which == "any":
        return re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))", re.S)
    return re.compile(r"\\(.?)", re.S)


def _simple_unescape(match: re.Match) -> str:
    try:
        return _SIMPLE_UNESCAPES[match.group(1)]
    except KeyError:
        raise ValueError(f"invalid control sequence \\{match.group(1)}") from None


def escape(text: str) -> str:
    """C-style escaping as write-po.c does it; non-ASCII text is kept as is."""
    return text.translate(_ESCAPE_TABLE)


def unescape(text: str) -> str:
    """Inverse of :func:`escape`, also reading ``\\ooo`` and ``\\xhh``.

    Like GNU's po-lex.c, octal and hex escapes denote single bytes (a long
    hex run is truncated to its low byte), and the resulting byte string is
    decoded as UTF-8.  Unknown escapes raise ValueError (GNU: "invalid
    control sequence").
    """
    if "\\" not in text:
        return text
    if "\\\\" not in text:  # each backslash starts a one-character escape: most often \n, \" or \t
        simple = text.replace("\\n", "\n").replace('\\"', '"').replace("\\t", "\t")
        if "\\" not in simple:
            return simple
    if _BYTE_ESCAPE_RE.search(text) is None:  # the usual \n, \" and \\: no bytes to assemble
        parts = text.split("\\\\")              # escaped backslashes first, as a C reader meets them
        for i, part in enumerate(parts):
            if "\\" in part:
                part = part.replace("\\n", "\n").replace('\\"', '"').replace("\\t", "\t")
                if "\\" in part:
                    part = _pattern("simple").sub(_simple_unescape, part)
                parts[i] = part
        return "\\".join(parts)
    return unescape_bytes(text).decode("utf-8")


def has_byte_escape(text: str) -> bool:
    """Whether ``text`` may hold an octal or hex escape (a byte, not a character)."""
    return _BYTE_ESCAPE_RE.search(text) is not None


def unescape_bytes(text: str) -> bytes:
    """:func:`unescape` before decoding: GNU joins a field's strings as bytes, so a UTF-8
    character may be written as escapes split over two strings (``"\\303" "\\251"``)."""
    out = bytearray()
    pos = 0
    for m in _pattern("any").finditer(text):
        out += text[pos:m.start()].encode("utf-8")
        octal, hexa, other = m.groups()
        if octal is not None:
            out.append(int(octal, 8) & 0xFF)
        elif hexa is not None:
            out.append(int(hexa, 16) & 0xFF)
        elif other in _SIMPLE_UNESCAPES:
            out += _SIMPLE_UNESCAPES[other].encode("ascii")
        else:
            raise ValueError(f"invalid control sequence \\{other} in {text!r}")
        pos = m.end()
    out += text[pos:].encode("utf-8")
    return bytes(out)
