"""Checks for what a machine or a template left behind: engine marks, words run together,
placeholder and masking tokens."""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from ..po import provenance
from ..po.provenance import GLUED_NOTE
from .entry import Entry
from .registry import ERROR, register
from .text import literal_text


ENGINE_MARK = re.compile(r"(?<![\w*#@])([*#@])(?=\w)(\w[\w'’ʼ-]*)")


@register("engine-marks", ERROR)
def engine_marks(e: Entry) -> Iterator[str]:
    """No machine-translation leftovers: Apertium's *unknown, #ungenerated, @untranslated; words run together."""
    target = literal_text(e.target)
    marked = "*" in target or "#" in target or "@" in target
    source = literal_text(e.source) if marked else ""
    for match in ENGINE_MARK.finditer(target) if marked else ():
        if match.group(0) in source:
            continue                          # a hashtag or handle of the English
        what = {"*": "unknown word", "#": "word the engine could not inflect",
                "@": "word the engine could not translate"}[match.group(1)]
        yield f"engine mark {match.group(0)} ({what})"
    # Words the engine ran together ("lainvasiónde"), as its draft note names them, until a person fixes them.
    for record in provenance.records(e.message):
        if record.kind == "note" and record.text.startswith(GLUED_NOTE + ": "):
            for word in record.text[len(GLUED_NOTE) + 2:].split(", "):
                if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", e.target):
                    yield f"{word}: words the engine ran together; put the spaces back"


# Linear like every pattern of the checks (see text.py): a bracketed token's inside cannot hold its
# own opening bracket.
PLACEHOLDERS = re.compile(
    r"⟦[^⟦⟧]*+⟧|⟪[^⟪⟫]*+⟫|\{\{[^{}]*+\}\}|\{\s*+\d++\s*+\}|\{[A-Za-z_]\w*+\}|%\(\w++\)[sd]|%\d*+\$?[sdif]|"
    r"__[A-Z][A-Z0-9]*+(?:_[A-Z0-9]++)*+__|@@\w++@@|<x\b[^<>]*+>|</?g\b[^<>]*+>|\[\[[^\[\]]*+\]\]|"
    r"[\ue000-\uf8ff\ufffc\ufffd]|\b(?:TK|TKTK|TODO|FIXME|XXX)\b")


# What a branch of PLACEHOLDERS must hold (one of the characters, or one of the marks).
_PLACEHOLDER_CHARS = re.compile(r"[⟦⟪{%<\ue000-\uf8ff\ufffc\ufffd]")


def _may_hold_placeholder(text: str) -> bool:
    """A quick test that skips most prose: PLACEHOLDERS tries each of its branches at every character."""
    return (_PLACEHOLDER_CHARS.search(text) is not None or "[[" in text or "__" in text or "@@" in text
            or "TK" in text or "TODO" in text or "FIXME" in text or "XXX" in text)


@register("placeholders", ERROR)
def placeholders(e: Entry) -> Iterator[str]:
    """No placeholder or masking tokens left behind, and the English's own are kept."""
    if not _may_hold_placeholder(e.source) and not _may_hold_placeholder(e.target):
        return

    def found(text: str) -> Counter:
        return Counter(re.sub(r"\s+", "", t) if t.startswith("{") else t for t in PLACEHOLDERS.findall(text))

    want, have = found(e.source), found(e.target)
    for token in have - want:
        shown = token if token.isprintable() and len(token.strip()) else f"U+{ord(token[0]):04X}"
        yield f"placeholder {shown} left in the text"
    for token in want - have:
        yield f"placeholder {token} of the English is missing"
