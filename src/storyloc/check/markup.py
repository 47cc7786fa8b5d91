"""Checks of Markdown: inline markup, links, footnotes, table cells, and block-level Markdown.

A translation may reword the English, never its structure: the same emphasis, code, links and
footnote markers, and no line that would start a heading, list or table the English lacks.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from ..story.inline import FOOTNOTE_REF
from .entry import Entry
from .leftovers import ENGINE_MARK
from .registry import ERROR, WARNING, register
from .text import INLINE_URL_LINK, LINK_REF, inline, literal_text, quote, urls


def _markers(text: str) -> Counter:
    kinds = Counter()
    for t in inline(text):
        if t.type in ("em_open", "strong_open", "code_inline", "link_open", "image", "hardbreak"):
            kinds[t.type] += 1
    return kinds


MARKER_NAMES = {"em_open": "*emphasis*", "strong_open": "**strong**", "code_inline": "`code`",
                "link_open": "inline link", "image": "image", "hardbreak": "hard line break"}


@register("markup", ERROR)
def markup(e: Entry) -> Iterator[str]:
    """Inline Markdown is balanced and the same as in the English."""
    want, have = _markers(e.source), _markers(e.target)
    if want or have:                          # else plain text on both sides: no markers, no code
        for kind in MARKER_NAMES:
            if kind == "link_open":
                continue                      # the links check speaks for links
            if want[kind] != have[kind]:
                yield f"{MARKER_NAMES[kind]} ×{want[kind]} in the English, ×{have[kind]} here"
        codes = Counter(t.content for t in inline(e.source) if t.type == "code_inline")
        for code, n in codes.items():
            got = sum(1 for t in inline(e.target) if t.type == "code_inline" and t.content == code)
            if got < n and want["code_inline"] == have["code_inline"]:
                yield f"code `{code}` must stay as it is"
    src_lit, tgt_lit = literal_text(e.source), literal_text(e.target)
    engine = len(ENGINE_MARK.findall(tgt_lit)) if "*" in tgt_lit else 0    # no * here: stars <= 0 anyway
    stars = tgt_lit.count("*") - src_lit.count("*") - engine
    if stars > 0:
        yield "unbalanced * (an emphasis marker without its pair)"
    for char, what in (("`", "unbalanced ` (a code marker without its pair)"),):
        if tgt_lit.count(char) > src_lit.count(char):
            yield what
    for open_, close in (("[", "]"), ("(", ")")):
        opened = tgt_lit.count(open_) - tgt_lit.count(close)
        if opened != src_lit.count(open_) - src_lit.count(close):
            yield f"unbalanced {open_} {close}"


def _may_link(text: str) -> bool:
    """What a link reference, an inline link or autolink, or a written-out URL must hold."""
    return "][" in text or "](" in text or "<" in text or "://" in text or "www." in text or "@" in text


@register("links", ERROR)
def links(e: Entry) -> Iterator[str]:
    """Link references and URLs are the same as in the English."""
    if not _may_link(e.source) and not _may_link(e.target):
        return
    want = Counter(m.group(2) for m in LINK_REF.finditer(e.source))
    have = Counter(m.group(2) for m in LINK_REF.finditer(e.target))
    for n in sorted(want, key=int):
        if have[n] < want[n]:
            target = e.links[int(n) - 1] if 0 < int(n) <= len(e.links) else None
            label = f" → {target}" if target else ""
            yield f"link [...][{n}]{label} is missing; keep [your words][{n}]"
    for n in sorted(have, key=int):
        if have[n] > want[n]:
            if want[n]:
                yield f"link [...][{n}] appears {have[n]}× here, {want[n]}× in the English"
            else:
                yield f"link [...][{n}] has no target in the English (it has {len(want)} link(s))"
    # Targets of inline links (``[text](url)``, ``<url>``) pair with the English's inline links; URLs
    # written out in the text pair with the English's written-out URLs.
    source_inline = Counter(m.group(1) or m.group(2) for m in INLINE_URL_LINK.finditer(e.source))
    source_urls = Counter(urls(INLINE_URL_LINK.sub(" ", e.source)))
    allowed = set(e.links) | set(source_inline) | set(source_urls)
    for match in INLINE_URL_LINK.finditer(e.target):
        url = match.group(1) or match.group(2)
        if source_inline[url] > 0:
            source_inline[url] -= 1
        elif url in e.links:
            n = e.links.index(url) + 1
            yield f"link target written out ({quote(url, 60)}); write [your words][{n}] instead"
        elif url not in allowed:
            yield f"link target changed ({quote(url, 60)} is not in the English)"
    for url, n in source_inline.items():
        if n > 0:
            yield f"inline link to {quote(url, 60)} is missing"
    target_urls = Counter(urls(INLINE_URL_LINK.sub(" ", e.target)))
    for url, n in source_urls.items():
        if target_urls[url] < n:
            yield f"URL changed or missing ({quote(url, 60)})"
    for url in target_urls:
        if url not in allowed:
            yield f"URL not in the English ({quote(url, 60)})"


@register("footnotes", ERROR)
def footnotes(e: Entry) -> Iterator[str]:
    """Footnote markers [^label] are the same as in the English, each once."""
    if "[^" not in e.source and "[^" not in e.target:
        return
    want = Counter(FOOTNOTE_REF.findall(e.source))
    have = Counter(FOOTNOTE_REF.findall(e.target))
    for label in dict.fromkeys([*want, *have]):          # the English's markers first, then the others
        if label not in want:
            yield f"footnote marker [^{label}] is not in the English"
        elif have[label] != want[label]:
            yield f"footnote marker [^{label}] ×{want[label]} in the English, ×{have[label]} here"


@register("table-cell", WARNING)
def table_cell(e: Entry) -> Iterator[str]:
    """A table cell's translation stays in its cell (no '|' column marks)."""
    if e.kind == "cell" and "|" in e.target and "|" not in e.source:
        yield "'|' in a cell shows as text: a translation cannot add or move columns"


_BLOCK_KINDS = (
    ("heading", re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")),
    ("block quote", re.compile(r" {0,3}>")),
    ("list item", re.compile(r" {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")),
    ("code fence", re.compile(r" {0,3}(?:```|~~~)")),
    ("container", re.compile(r" {0,3}:::")),
    ("table row", re.compile(r" {0,3}\|")),
    ("link definition", re.compile(r" {0,3}\[[^\[\]\n]{1,999}\]:")),
    ("indented code", re.compile(r"(?: {4}|\t)\S")),
)


# The kinds as one pattern, tried in the table's order (the first that matches names the kind).
_BLOCK_START = re.compile("|".join(f"({pattern.pattern})" for _, pattern in _BLOCK_KINDS))


def _blocks(text: str) -> Counter:
    """Kinds of block-level Markdown a line of ``text`` would start."""
    kinds = Counter()
    for n, line in enumerate(text.split("\n")):
        bare = line.replace(" ", "").replace("\t", "")
        if len(bare) >= 3 and bare[0] in "-*_=" and len(set(bare)) == 1:
            kinds["thematic break or underline"] += 1
            continue
        match = _BLOCK_START.match(line)
        if match:
            kind = _BLOCK_KINDS[match.lastindex - 1][0]
            if kind != "indented code" or n > 0:
                kinds[kind] += 1
    return kinds


@register("blocks", ERROR)
def blocks(e: Entry) -> Iterator[str]:
    """The translation starts no block-level Markdown (heading, list, quote, table…) the English lacks."""
    have = _blocks(e.target)
    if not have:
        return
    want = _blocks(e.source)
    for kind, n in have.items():
        if want[kind] < n:
            yield f"a line starts a {kind} the English does not have; {_escape_hint(kind, e.target)} or reword"


_NUMBERED = re.compile(r"[ \t]*(\d{1,9})([.)])")


def _escape_hint(kind: str, text: str) -> str:
    """How to keep such a line text: a backslash before its mark, which for a numbered item is the
    "." or ")" after the number (a backslash before a digit is no escape, and shows)."""
    if kind == "list item":
        for line in text.split("\n"):
            numbered = _NUMBERED.match(line)
            if numbered and _BLOCK_START.match(line):
                return f"escape the '{numbered[2]}' after the number ({numbered[1]}\\{numbered[2]})"
    return "escape the first character"
