"""A catalog back to text and bytes: unchanged entries exactly as read, changed ones in GNU's layout.

An entry whose content is what its file said is written back as the text it was read from
(so a load and save is byte for byte); any other entry is laid out as ``msgcat`` lays it out
(:mod:`storyloc.po.wrap`), comments by the one comment writer
(:func:`~storyloc.po.wrap.comment_lines`) whatever their marker.
"""
from __future__ import annotations

from .message import Catalog, Message, texts_as_read
TYPE_CHECKING = False

if TYPE_CHECKING:
    from os import PathLike


def render_message(m: Message) -> list[str]:
    """One entry in GNU gettext's layout, as lines without line ends."""
    from .wrap import comment_lines, field_lines
    out = comment_lines("#", m.translator_comments)
    out += comment_lines("#.", m.extracted_comments)
    out += comment_lines("#:", m.references)
    out += comment_lines("#,", m.flags)
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


# Untranslated entries laid out this process, by content: a story's are the same in its template and
# in every language not translated yet (profiled: laying them out again was a tenth of a long story's
# update). The text is kept whole, so the catalogs share it (a long story's six, handed on to the
# build, held it six times). A translated entry is its language's own: kept, it would only take memory.
_LAID_OUT: dict[tuple, str] = {}
_LAID_OUT_MAX = 1 << 15


def forget_layouts() -> None:
    """Drop the untranslated entries laid out so far (:func:`storyloc.po.handover.forget` calls
    this between stories: another story's entries are not the same texts)."""
    _LAID_OUT.clear()


def _laid_out(m: Message, lead: str, nl: str) -> str:
    """The entry's text in GNU's layout, after ``lead`` (the blank lines before it)."""
    if any(m.msgstr):
        return lead + nl.join(render_message(m)) + nl
    key = (m.content(), lead, nl)
    text = _LAID_OUT.get(key)
    if text is None:
        if len(_LAID_OUT) >= _LAID_OUT_MAX:
            _LAID_OUT.clear()
        text = _LAID_OUT[key] = lead + nl.join(render_message(m)) + nl
    return text


def format_po(catalog: Catalog) -> str:
    """The catalog as text: untouched entries exactly as read, changed ones in GNU layout."""
    return "".join(entry_texts(catalog))


def entry_texts(catalog: Catalog) -> list[str]:
    """:func:`format_po` in pieces: each message's text (with the blank lines before it), then the
    catalog's tail."""
    nl = catalog.newline
    parts = texts_as_read(catalog.messages)
    for i, text in enumerate(parts):
        if text is None:
            m = catalog.messages[i]
            lead = ""
            if m.raw is not None:
                lead = m.raw[: len(m.raw) - len(m.raw.lstrip("\r\n"))]
            elif i > 0:
                lead = nl
            parts[i] = _laid_out(m, lead, nl)
    parts.append(catalog.tail)
    return parts


def encode_po(catalog: Catalog, shown: str = "<catalog>") -> bytes:
    """:func:`format_po` in the catalog's charset (the one its header names), as GNU writes it."""
    return encode_text(catalog, format_po(catalog), shown)


def encode_text(catalog: Catalog, text: str, shown: str = "<catalog>") -> bytes:
    """The catalog's ``text`` in its charset; a character the charset lacks is an error at its line."""
    try:
        return text.encode(catalog.encoding)
    except UnicodeEncodeError as e:
        from ..errors import CatalogError     # (imported only for the error: a save that succeeds never needs it)
        line = text.count("\n", 0, e.start) + 1
        raise CatalogError(f"{text[e.start]!r} cannot be written in the catalog's charset "
                           f"{catalog.charset}; change the header to charset=UTF-8", shown, line) from None


def save_po(catalog: Catalog, path: str | PathLike) -> bool:
    """Write atomically, and only if the bytes changed; returns whether they did.  (``path`` a str
    or a Path: a program naming files by str never imports pathlib.)"""
    from ..files import write_if_changed
    changed = write_if_changed(path, encode_po(catalog, str(path)))
    catalog.path = path
    return changed
