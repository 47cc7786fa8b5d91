"""The story's model: a tree of :class:`Block` whose leaves carry :class:`Segment` (one message for a
translator each), figures, footnotes and corrections, and the one walk over them in reading order
(:meth:`Story.segments`) that extraction and every renderer share."""
from __future__ import annotations

import hashlib
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .inline import count_words

BUNDLE_FILES = {"index.html", "article.md", "article.json", "manifest.json"}


@dataclass(frozen=True)
class Segment:
    """One translatable unit: the text a translator sees and where it came from."""

    kind: str                      # title dek byline heading paragraph item quote pullquote cell footnote
                                   # caption credit alt correction link-title
    text: str                      # line-wrapping normalized; links as [text][n]
    line: int                      # line in article.md
    context: str | None = None     # msgctxt
    figure: str | None = None
    links: tuple[str, ...] = ()    # targets of [text][1], [text][2], ... (images: their src)
    images: frozenset[int] = frozenset()            # which of those numbers are images
    titles: tuple["Segment | None", ...] = ()       # each link's title, a segment of its own
    footnotes: tuple[str, ...] = ()                 # labels of the [^label] references, in order
    note: str = ""                 # what and where, for the translator (#.)
    # made once, as the segment is made: every language's pages and progress read the same English
    words: int = field(init=False, compare=False, repr=False)
    # its message's msgctxt and msgid: what catalogs, checks and pages look it up by
    key: tuple[str | None, str] = field(init=False, compare=False, repr=False)
    # a stable id for the segment's message (a hash of its msgctxt and msgid)
    id: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", count_words(self.text))
        object.__setattr__(self, "key", (self.context, self.text))
        object.__setattr__(self, "id", hashlib.sha1(f"{self.context or ''}\x04{self.text}".encode()).hexdigest()[:12])


@dataclass(frozen=True)
class Figure:
    id: str
    images: tuple[str, ...]        # local paths relative to the story folder, or http(s) URLs
    caption: Segment | None
    credit: Segment | None
    line: int
    alt: Segment | None = None

    @property
    def image(self) -> str:
        return self.images[0]

    def segments(self) -> Iterator[Segment]:
        for seg in (self.alt, self.caption, self.credit):
            if seg is not None:
                yield seg


@dataclass
class Block:
    """A node of the body: leaf blocks carry a segment, containers carry children."""

    kind: str                      # heading paragraph list item quote pullquote table row cell
                                   # figure embed code rule
    line: int
    segment: Segment | None = None
    children: list["Block"] = field(default_factory=list)
    level: int | None = None       # heading level
    ordered: bool = False          # list
    start: int | None = None       # ordered list
    tight: bool = True             # list
    header: bool = False           # row of a table's head
    align: str | None = None       # cell: left, center, right
    text: str | None = None        # code: its text; embed: its address
    info: str | None = None        # code: its language; embed: its title; heading: its id
    figure: Figure | None = None

    def as_json(self, view: Callable[[Segment], dict]) -> dict:
        out: dict = {"kind": self.kind, "line": self.line}
        for name in ("level", "start", "align", "text", "info"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.kind == "list":
            out.update(ordered=self.ordered, tight=self.tight)
        if self.kind == "row":
            out["header"] = self.header
        if self.segment is not None:
            out["segment"] = view(self.segment)
        if self.figure is not None:
            out.update(figure_json(self.figure, view))
        if self.children:
            out["children"] = [c.as_json(view) for c in self.children]
        return out


def figure_json(figure: Figure, view: Callable[[Segment], dict]) -> dict:
    return {"id": figure.id, "images": list(figure.images),
            **{name: view(seg) if seg is not None else None
               for name, seg in (("alt", figure.alt), ("caption", figure.caption), ("credit", figure.credit))}}


@dataclass(frozen=True)
class Footnote:
    label: str
    number: int                    # as shown, in order of first reference
    line: int
    children: list[Block]


@dataclass(frozen=True)
class Correction:
    date: str
    note: Segment
    line: int


@dataclass
class Story:
    slug: str
    path: Path
    meta: dict                     # non-translatable front matter (publisher, date, ...)
    title: Segment
    dek: Segment | None
    byline: Segment | None
    blocks: list[Block] = field(default_factory=list)
    field_lines: dict[str, int] = field(default_factory=dict)   # front matter field → its line
    footnotes: list[Footnote] = field(default_factory=list)
    lead: Figure | None = None
    corrections: list[Correction] = field(default_factory=list)
    keep: tuple[str, ...] = ()     # names and brands kept as they are in every language
    warnings: list[str] = field(default_factory=list)          # "file:line: what"

    @property
    def lang(self) -> str | None:
        """The story's own source language (front matter ``lang``), if it names one."""
        return self.meta.get("lang") or None

    def segments(self) -> Iterator[Segment]:
        """Every segment in reading order: title, dek, byline, lead image, body, footnotes, corrections."""
        for seg in (self.title, self.dek, self.byline):
            if seg is not None:
                yield from _with_titles(seg)
        if self.lead is not None:
            yield from self.lead.segments()
        for block in iter_blocks(self.blocks):
            yield from _block_segments(block)
        for note in self.footnotes:
            for block in iter_blocks(note.children):
                yield from _block_segments(block)
        for correction in self.corrections:
            yield correction.note

    @property
    def figures(self) -> list[Figure]:
        """Every figure, the lead image first."""
        found = [self.lead] if self.lead is not None else []
        for block in iter_blocks(self.blocks):
            if block.figure is not None:
                found.append(block.figure)
        return found

    def local_images(self) -> list[tuple[str, Figure | Segment]]:
        """Each image file in the story folder (not a URL), with the first figure (or the segment of an
        inline ``![alt](file)``) showing it; both have the ``line`` to name in a warning."""
        seen: dict[str, Figure | Segment] = {}
        for figure in self.figures:
            for image in figure.images:
                if not is_url(image):
                    seen.setdefault(image, figure)
        for seg in self.segments():
            for n in sorted(seg.images):
                image = seg.links[n - 1]
                if not is_url(image) and _local_path(image):
                    seen.setdefault(image, seg)
        return list(seen.items())

    def footnote_number(self, label: str) -> int | None:
        return next((n.number for n in self.footnotes if n.label == label), None)


def _block_segments(block: Block) -> Iterator[Segment]:
    if block.segment is not None:
        yield from _with_titles(block.segment)
    if block.figure is not None:
        yield from block.figure.segments()


def _with_titles(seg: Segment) -> Iterator[Segment]:
    yield seg
    for title in seg.titles:
        if title is not None:
            yield title


def iter_blocks(blocks: list[Block]) -> Iterator[Block]:
    """Depth first, in reading order."""
    for block in blocks:
        yield block
        yield from iter_blocks(block.children)


def _local_path(image: str) -> bool:
    """An inline image's target that is a plain path inside the story folder (else it is not copied)."""
    path = Path(urllib.parse.unquote(image))
    return (bool(image) and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^/", image) and ".." not in path.parts
            and not (len(path.parts) == 1 and (image in BUNDLE_FILES or image.endswith(".mo"))))


def is_url(image: str) -> bool:
    return image.startswith(("http://", "https://"))


def context_for(kind: str, figure: str | None = None) -> str | None:
    """msgctxt per kind: captions and alt texts are tied to their figure; credits are shared so one
    translation serves all; body text has none, so the same sentence is translated once."""
    if kind == "caption":
        return f"figure:{figure}"
    if kind == "alt":
        return f"alt:{figure}"
    if kind in ("title", "dek", "byline", "credit", "link-title"):
        return kind
    return None

