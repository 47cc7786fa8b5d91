"""Checks against hostile text, which a translator cannot silence: a translation far longer than its
English, control and bidi characters, raw HTML, format specs that fill memory.

:func:`control_problems`, :func:`format_fields` and :func:`format_problems` also serve
``storyloc check PATH`` (:mod:`storyloc.check.catalog_file`).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Iterable, Iterator

from .entry import Entry
from .registry import ERROR, register
from .text import HTML_TAG, quote


TOO_LONG_RATIO = 4              # × the English's length, plus TOO_LONG_SLACK characters
TOO_LONG_SLACK = 200


@register("too-long", ERROR)
def too_long(e: Entry) -> Iterator[str]:
    """The translation is not many times longer than the English (no other check reads it then)."""
    limit = TOO_LONG_RATIO * len(e.source) + TOO_LONG_SLACK
    if len(e.target) > limit:
        yield (f"{len(e.target):,} characters for {len(e.source):,} of English (at most {limit:,}); "
               f"the other checks did not read it")


# C0 and C1 controls but tab and newline; DEL; and the bidi embeddings, overrides and isolates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
BIDI_OVERRIDES = "\u202d\u202e"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


@lru_cache(maxsize=64)
def _direction(lang: str) -> str:
    try:
        from ..languages import direction
        return direction(lang)
    except Exception:                 # a code Babel does not know (a catalog from elsewhere): read it as LTR
        return "ltr"


def control_problems(source: str, target: str, lang: str) -> Iterator[str]:
    """Control and bidi characters in ``target`` that ``source`` does not have (also for `check PATH`)."""
    for match in _CONTROL.finditer(target):
        if match.group(0) in source:
            continue                             # a program's "\a" or "\r", translated as it is
        yield f"control character U+{ord(match.group(0)):04X} at offset {match.start()}"
        break                                    # one is enough to refuse the entry
    if _BIDI.search(target) is None:
        return
    rtl = _direction(lang) == "rtl"
    seen = set()
    for match in _BIDI.finditer(target):
        char = match.group(0)
        if char in seen or char in source or (rtl and char not in BIDI_OVERRIDES):
            continue
        seen.add(char)
        name = unicodedata.name(char, "").title()
        where = "right-to-left" if rtl else "left-to-right"
        yield (f"bidi control U+{ord(char):04X} ({name}) in a {where} language: it can reorder "
               f"what readers see; remove it")


@register("control-chars", ERROR)
def control_chars(e: Entry) -> Iterator[str]:
    """No control characters, and no bidi controls in a left-to-right language (overrides in any)."""
    yield from control_problems(e.source, e.target, e.lang)


_HTML_COMMENT = re.compile(r"<!--|--!?>|<!\[CDATA\[|<![A-Za-z]|<\?")
_CHAR_REF = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")


@register("html", ERROR)
def html(e: Entry) -> Iterator[str]:
    """No raw HTML, HTML comments or character references the English does not have."""
    if "<" not in e.target and "&" not in e.target and "--" not in e.target:
        return                                # what a tag, a comment's end or a reference must hold
    source_tags = Counter(m.group(0).lower() for m in HTML_TAG.finditer(e.source))
    for tag in HTML_TAG.findall(e.target):
        if source_tags[tag.lower()] <= 0:
            yield f"raw HTML {quote(tag)}: the page shows Markdown only; remove it"
        source_tags[tag.lower()] -= 1
    for match in _HTML_COMMENT.finditer(e.target):
        if match.group(0) not in e.source:
            yield f"HTML markup {match.group(0)!r} (a comment, declaration or instruction); remove it"
            break
    refs = Counter(_CHAR_REF.findall(e.source))
    for ref in _CHAR_REF.findall(e.target):
        if refs[ref] <= 0:
            yield f"character reference {ref}: write the character itself"
            break
        refs[ref] -= 1


# Python's replacement fields, with a conversion or a format spec: {count:>99999999} pads to 100 MB.
_BRACE_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]{0,200})\}")
_PERCENT = re.compile(r"%%|%(?:\([^()]{0,100}\))?[-+ #0]*+(?:\*|\d++)?(?:\.(?:\*|\d++))?[hlLqjzt]{0,2}[a-zA-Z%]")


def format_fields(text: str, flags: Iterable[str] = ()) -> Counter:
    """The replacement fields of ``text``: ``{…}`` fields with a conversion or spec (every one when the
    entry is flagged ``python-brace-format``), and ``%`` directives when flagged ``python-format`` or ``c-format``."""
    flags = set(flags)
    percent = bool({"python-format", "c-format"} & flags)
    if "{" not in text and not (percent and "%" in text):
        return Counter()
    every = "python-brace-format" in flags        # else a plain {name} is the placeholders check's
    found = Counter("{" + m.group(1) + "}" for m in _BRACE_FIELD.finditer(text) if m.group(1) is not None
                    and m.group(1).strip() and (every or ":" in m.group(1) or "!" in m.group(1)))
    if percent:
        found.update(m.group(0) for m in _PERCENT.finditer(text) if m.group(0) != "%%")
    return found


def format_problems(source: str, target: str, flags: Iterable[str] = (), sources: Iterable[str] = (),
                    english: str = "the English") -> Iterator[str]:
    """Format fields of ``target`` that no English form has, exactly as written (also for `check PATH`)."""
    allowed = format_fields(source, flags)
    for other in sources:
        allowed |= format_fields(other, flags)
    for field_, n in format_fields(target, flags).items():
        if allowed[field_] < n:
            spec = ":" in field_ or "!" in field_ or any(c.isdigit() for c in field_[1:-1] if field_[0] == "%")
            yield (f"format {quote(field_, 40)} is not in {english}" +
                   (f"; a width, precision or conversion {english} lacks can fill memory" if spec else ""))


@register("format", ERROR)
def format_(e: Entry) -> Iterator[str]:
    """Format fields ({name}, %(name)s) are exactly the English's: no added spec like {n:>99999999}."""
    if "{" not in e.target and "%" not in e.target:
        return                                # a translation without fields adds none
    yield from format_problems(e.source, e.target, e.message.flags)
