"""What a check sees: an :class:`Entry` per translated message, with its kind, its segment of the
story, the story's names, the glossary terms of its English, and the catalog's apostrophe."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from ..glossary import Term, load_glossary
from ..po import Catalog, Message
from ..project import Project
from ..story import Segment, Story

# An apostrophe inside a Ukrainian or Belarusian word (the apostrophe check reads it too). The
# apostrophe comes first, and the letter before it is looked behind for: the regex engine then skips
# to the next apostrophe instead of trying every character.
APOSTROPHE_IN_WORD = re.compile(r"(['’‘`ʼ\u2032])(?<=[А-ЩЬЮЯЄІЇҐа-щьюяєіїґ]['’‘`ʼ\u2032])(?=[А-ЩЬЮЯЄІЇҐа-щьюяєіїґ])")


@dataclass
class Entry:
    """One translated message with what its checks need to know."""

    message: Message
    lang: str
    kind: str                       # title, dek, byline, paragraph, caption, credit
    segment: Segment | None = None
    names: tuple[str, ...] = ()     # people and organisations named in the story's front matter
    terms: tuple[Term, ...] = ()    # glossary terms found in the English
    apostrophe: str = "\u02bc"      # the catalog's Ukrainian apostrophe

    @property
    def source(self) -> str:
        return self.message.msgid

    @property
    def target(self) -> str:
        return self.message.msgstr[0] if self.message.msgstr else ""

    @property
    def links(self) -> tuple[str, ...]:
        return self.segment.links if self.segment is not None else ()


def kind_of(message: Message, segment: Segment | None) -> str:
    """What the entry is on the page: its segment's kind, else read from its ``msgctxt``."""
    if segment is not None:
        return segment.kind
    ctxt = message.msgctxt or ""
    if ctxt.startswith("figure:"):
        return "caption"
    if ctxt.startswith("alt:"):
        return "alt"
    if ctxt.startswith("correction:"):
        return "correction"
    return ctxt if ctxt in ("title", "dek", "byline", "credit", "link-title") else "paragraph"


def catalog_apostrophe(catalog: Catalog) -> str:
    """The apostrophe most of this catalog writes inside words (ʼ U+02BC unless another is the majority)."""
    seen = Counter()
    for m in catalog.entries():
        if m.translated:
            seen.update(match.group(1) for match in APOSTROPHE_IN_WORD.finditer(m.msgstr[0]))
    best = seen.most_common(1)
    if best and best[0][1] > seen.get("\u02bc", 0):
        return best[0][0]
    return "\u02bc"


def entries_for(project: Project, slug: str, lang: str, catalog: Catalog,
                story: Story | None = None, terms: Iterable[Term] | None = None) -> list[Entry]:
    """An :class:`Entry` for every translated (reviewed or draft) message of the catalog."""
    glossary = _term_patterns(terms if terms is not None else glossary_terms(project, lang))
    messages = [m for m in catalog.entries() if m.translated and m.msgid_plural is None]
    if not messages:
        return []                             # the story's segments are not worth reading then
    segments: dict[tuple, Segment] = {}
    names: tuple[str, ...] = ()
    if story is not None:
        for seg in story.segments():
            segments.setdefault(seg.key, seg)
        names = tuple(str(story.meta[k]) for k in ("photographer", "publisher") if story.meta.get(k)) \
            + tuple(getattr(story, "keep", ()) or ())
    apostrophe = catalog_apostrophe(catalog)
    out = []
    for m in messages:
        seg = segments.get(m.key)
        out.append(Entry(m, lang, kind_of(m, seg), seg, names, _terms_found(m.msgid, glossary), apostrophe))
    return out


def glossary_terms(project: Project, lang: str) -> list[Term]:
    """The language's glossary terms (``glossary/<lang>.csv``, read by :mod:`storyloc.glossary`).

    A term whose translation is the English itself (``Gwara Media``) is one to keep as is.
    """
    return list(load_glossary(project, lang).terms)


def terms_in(text: str, terms: Iterable[Term]) -> tuple[Term, ...]:
    """Glossary terms that occur in ``text`` (whole words, as written; the longer of overlapping ones)."""
    return _terms_found(text, _term_patterns(terms))


def _term_patterns(terms: Iterable[Term]) -> list[tuple[Term, re.Pattern]]:
    """Each term with the pattern of its whole words, longest first: made once for a catalog's entries."""
    return [(term, re.compile(rf"(?<!\w){re.escape(term.source)}(?!\w)"))
            for term in sorted(terms, key=lambda t: -len(t.source)) if term.source.strip()]


def _terms_found(text: str, patterns: list[tuple[Term, re.Pattern]]) -> tuple[Term, ...]:
    found: list[tuple[int, int, Term]] = []
    for term, pattern in patterns:
        if term.source not in text:
            continue                          # what its pattern needs; most terms are in few entries
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e, _ in found):
                continue
            found.append((match.start(), match.end(), term))
            break
    found.sort(key=lambda item: item[0])
    seen, out = set(), []
    for _, _, term in found:
        if term.source.lower() not in seen:
            seen.add(term.source.lower())
            out.append(term)
    return tuple(out)
