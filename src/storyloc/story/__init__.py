"""A story's source, ``source/<story>/article.md``: YAML front matter and a CommonMark body.

The body is parsed by markdown-it-py's block parser with mdit-py-plugins (front matter,
footnotes, ``:::`` containers) and GFM tables, into a tree of :class:`Block`. Every leaf
block's text is a :class:`Segment`: one message for a translator. One walker,
:meth:`Story.segments`, gives the segments in reading order; extraction records them, and the
renderers (:func:`render_markdown` here, the page in ``build``) walk the same tree, asking a
callback for each segment's text.

Figures and pull quotes are containers::

    ::: figure city-center
    image: images/city-center.jpg
    alt: A street of broken buildings
    caption: The center of Bakhmut, Donetsk Oblast
    credit: Oleksandr Babenko for Gwara Media
    :::

Links ``[text](url)``, ``[text][ref]`` and ``<url>`` become ``[text][1]`` in the text a
translator sees; the targets stay in the story, so a translation cannot change them.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import urllib.parse
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterator

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import SourceError
from .inline import FOOTNOTE_REF, LINK_REF, count_words, number_links, ref_text

__all__ = ["Block", "Figure", "Footnote", "Correction", "Segment", "Story", "parse_story",
           "parse_story_text", "load_story", "render_markdown", "count_words", "LINK_REF", "context_for"]

META_FIELDS = ("title", "dek", "byline", "publisher", "photographer", "date", "lang",
               "canonical_url", "keep", "lead", "corrections", "figures")
TRANSLATABLE_META = ("title", "dek", "byline")
TEXT_META = TRANSLATABLE_META + ("publisher", "photographer", "lang", "canonical_url")  # text or empty
FIGURE_FIELDS = ("image", "alt", "caption", "credit")
FIGURE_OPEN = re.compile(r"^\s*:::\s*figure\b")
CLOSE = re.compile(r"^\s*:{3,}\s*$")
FIELD_LINE = re.compile(r"^([a-z_]+):\s?(.*)$")
BUNDLE_FILES = {"index.html", "article.md", "article.json", "manifest.json"}
ISO_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
EMBED_TAGS = ("iframe", "embed", "video", "audio")


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

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.text)

    @property
    def id(self) -> str:
        """A stable id for the segment's message (its msgctxt and msgid)."""
        return hashlib.sha1(f"{self.context or ''}\x04{self.text}".encode()).hexdigest()[:12]

    @property
    def words(self) -> int:
        return count_words(self.text)


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
    info: str | None = None        # code: its language; embed: its title
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


@lru_cache(maxsize=None)
def source_parser() -> MarkdownIt:
    """CommonMark with raw HTML recognised (so it can be carried or left out, never shown as text),
    GFM tables, footnotes, front matter and the ``figure`` / ``pullquote`` containers."""
    md = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")
    md.use(front_matter_plugin).use(footnote_plugin, inline=False)
    md.disable("footnote_tail")           # definitions stay where they are written: we number them
    md.disable("text_join")               # an escaped \[ stays a token of its own: not a footnote marker
    for name in ("figure", "pullquote"):
        md.use(container_plugin, name, validate=_container_validator(name))
    return md


def _container_validator(name: str):
    def validate(params: str, *args) -> bool:
        return params.strip().split(" ", 1)[0] == name
    return validate


# -- reading -------------------------------------------------------------------------------------

def parse_story(path: Path, slug: str | None = None, display_path: str | None = None,
                embed_hosts: tuple[str, ...] = ()) -> Story:
    """Read ``article.md``; any problem is a :class:`SourceError` naming the file and line."""
    shown = display_path or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("story not found", shown) from None
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark, as some editors write, is no content
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SourceError(f"not UTF-8 text ({e.reason}); save the story as UTF-8", shown, line) from None
    return parse_story_text(text, path, slug or path.parent.name, shown, embed_hosts)


def load_story(project, slug: str) -> Story:
    """The configured story ``slug`` of ``project``, read with the project's settings (embed hosts)."""
    source = project.article(slug)
    return parse_story(source, slug, project.rel(source), project.embed_hosts)


def front_matter_language(path: Path, shown: str) -> str | None:
    """Just the ``lang`` of a story's front matter (cheap: the body is not parsed, and a file read
    once is not read again while its size and time stay the same)."""
    try:
        stat = path.stat()
    except OSError:
        return None                                  # parsing the story says what is wrong
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _LANGS:
        _LANGS[key] = _front_matter_language(path)
    return _LANGS[key]


_LANGS: dict[tuple, str | None] = {}


def _front_matter_language(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    for line in lines[1:]:
        if line.strip() == "---":
            return None
        if re.match(r"^[\"']?lang[\"']?\s*:", line):          # only that line is YAML-read: a newsroom
            try:                                              # has hundreds of stories
                value = yaml.safe_load(line)
            except yaml.YAMLError:
                return None
            lang = next(iter(value.values())) if isinstance(value, dict) and value else None
            return lang if isinstance(lang, str) and lang.strip() else None
    return None


def parse_story_text(text: str, path: Path, slug: str, shown: str,
                     embed_hosts: tuple[str, ...] = ()) -> Story:
    """The story in ``text``. The same text read again in one process (``storyloc locales`` reads a
    story in extract, check and build) is parsed once: the result is shared, so treat it as read-only."""
    key = (text, str(path), slug, shown, tuple(embed_hosts))
    story = _PARSED.get(key)
    if story is None:
        story = _Reader(text, path, slug, shown, tuple(embed_hosts)).read()
        _PARSED[key] = story
        while len(_PARSED) > 8:
            del _PARSED[next(iter(_PARSED))]
    return story


_PARSED: dict[tuple, Story] = {}


class _Reader:
    def __init__(self, text: str, path: Path, slug: str, shown: str, embed_hosts: tuple[str, ...]):
        self.text, self.path, self.slug, self.shown = text, path, slug, shown
        self.embed_hosts = embed_hosts
        # markdown-it's own line breaks, so its line numbers and ours agree (U+2028 is no line break)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.text = text
        self.lines = text.split("\n")
        self.env: dict = {}
        self.warnings: list[str] = []
        self.counters: dict[str, int] = {}
        self.footnote_order: list[str] = []
        self.md = source_parser()

    def fail(self, message: str, line: int | None) -> SourceError:
        return SourceError(message, self.shown, line)

    def warn(self, message: str, line: int | None) -> None:
        self.warnings.append(f"{self.shown}:{line}: {message}" if line else f"{self.shown}: {message}")

    def count(self, name: str) -> int:
        self.counters[name] = self.counters.get(name, 0) + 1
        return self.counters[name]

    # -- the whole story --
    def read(self) -> Story:
        if not self.lines or self.lines[0].strip() != "---":
            raise self.fail("story must start with '---' front matter", 1)
        tokens = self.md.parse(self.text, self.env)
        if not tokens or tokens[0].type != "front_matter":
            raise self.fail("front matter opened here is never closed with '---'", 1)
        front = tokens[0]
        meta, positions = self._front_matter(front.content, front.map[1] - 1)
        story = Story(slug=self.slug, path=self.path, meta={}, title=None, dek=None,  # type: ignore[arg-type]
                      byline=None)
        self.positions = positions
        for key in meta:
            if key not in META_FIELDS:
                raise self.fail(f"unknown front matter field {key!r} (known: {', '.join(META_FIELDS)})",
                                positions.get(key))
        if not meta.get("title"):
            raise self.fail("front matter has no title", 1)
        for key in TEXT_META:
            if meta.get(key) is not None and not isinstance(meta[key], str):
                raise self.fail(f"{key} must be text", positions.get(key))
        story.keep = self._keep(meta.get("keep"))
        self.keep = story.keep
        for key in TRANSLATABLE_META:
            if meta.get(key) and meta[key].strip():
                setattr(story, key, self.segment_of_text(key, meta[key], positions.get(key, 1),
                                                         note=_META_NOTES[key]))
        story.meta = {k: v for k, v in meta.items()
                      if k not in TRANSLATABLE_META + ("figures", "lead", "corrections", "keep")}
        story.meta["date"] = _parse_date(meta.get("date"), self.shown, positions.get("date"))
        story.field_lines = {k: v for k, v in positions.items() if "." not in k}
        self.images = self._figure_images(meta.get("figures"))
        self.seen_figures: dict[str, int] = {}
        story.lead = self._lead(meta.get("lead"))
        notes_nodes: list[_Node] = []
        story.blocks = self.blocks(_tree(tokens[1:]), "paragraph", notes_nodes)
        story.footnotes = self._footnotes(notes_nodes)
        for fig_id, (image, line) in self.images.items():
            if fig_id not in self.seen_figures:
                raise self.fail(f"figure {fig_id!r} is listed in front matter but has no '::: figure' block",
                                line)
        story.corrections = self._corrections(meta.get("corrections"))
        story.warnings = self.warnings
        return story

    # -- front matter --
    def _front_matter(self, block: str, end: int) -> tuple[dict, dict[str, int]]:
        try:
            meta = yaml.load(block, Loader=_FrontMatterLoader) or {}
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            problem = getattr(e, "problem", None) or str(e).splitlines()[0]
            raise self.fail(f"front matter is not valid YAML: {problem}", line) from None
        if not isinstance(meta, dict):
            raise self.fail("front matter must be a mapping of fields", 2)
        positions: dict[str, int] = {}
        for number in range(1, end):
            match = re.match(r"^[\"']?([A-Za-z_][\w-]*)[\"']?\s*:", self.lines[number])
            if match:
                positions.setdefault(match.group(1), number + 1)
            match = re.match(r"^\s+[\"']?([A-Za-z0-9_][\w-]*)[\"']?\s*:", self.lines[number])
            if match:
                positions.setdefault("figures." + match.group(1), number + 1)
        return meta, positions

    def _keep(self, keep) -> tuple[str, ...]:
        if keep in (None, []):
            return ()
        if not isinstance(keep, list) or not all(isinstance(k, str) and k.strip() for k in keep):
            raise self.fail("keep must be a list of names kept as they are, e.g. [Gwara Media]",
                            self.positions.get("keep"))
        return tuple(k.strip() for k in keep)

    def _figure_images(self, figures) -> dict[str, tuple[str, int | None]]:
        if figures in (None, {}):
            return {}
        if not isinstance(figures, dict):
            raise self.fail("figures must map each figure id to {image: path}", self.positions.get("figures"))
        images = {}
        for fig_id, spec in figures.items():
            line = self.positions.get(f"figures.{fig_id}", self.positions.get("figures"))
            if not isinstance(spec, dict) or not isinstance(spec.get("image"), str):
                raise self.fail(f"figure {fig_id!r} needs an image path: {{image: images/...}}", line)
            images[str(fig_id)] = (self._image(spec["image"], str(fig_id), line), line)
        return images

    def _image(self, image: str, fig_id: str, line: int | None) -> str:
        image = image.strip()
        if is_url(image):
            parsed = urllib.parse.urlsplit(image)
            if not parsed.netloc or re.search(r"[\s\"'<>\\]", image):
                raise self.fail(f"figure {fig_id!r}: not an image address: {image!r}", line)
            return image
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", image) or image.startswith("//"):
            raise self.fail(f"figure {fig_id!r}: an image is a file in the story folder or an http(s) "
                            f"address, got {image!r}", line)
        if not image or Path(image).is_absolute() or ".." in Path(image).parts:
            raise self.fail(f"figure {fig_id!r}: image must be a path inside the story folder", line)
        if len(Path(image).parts) == 1 and (image in BUNDLE_FILES or image.endswith(".mo")):
            raise self.fail(f"figure {fig_id!r}: an image may not be named {image!r}, like one of the "
                            f"bundle's own files; keep images in a folder (e.g. images/)", line)
        return image

    def _lead(self, lead) -> Figure | None:
        if lead is None:
            return None
        line = self.positions.get("lead")
        if not isinstance(lead, dict) or not isinstance(lead.get("image"), str):
            raise self.fail("lead must be {image: path or URL, alt: ..., caption: ..., credit: ...}", line)
        for key, value in lead.items():
            if key not in FIGURE_FIELDS:
                raise self.fail(f"unknown lead field {key!r} (known: {', '.join(FIGURE_FIELDS)})", line)
            if value is not None and not isinstance(value, str):
                raise self.fail(f"lead {key} must be text", line)
        fields = {k: (v, line) for k, v in lead.items() if k != "image" and v}
        return self._figure("lead", (self._image(lead["image"], "lead", line),), fields, line, "lead image")

    def _corrections(self, corrections) -> list[Correction]:
        if corrections in (None, []):
            return []
        line = self.positions.get("corrections")
        if not isinstance(corrections, list):
            raise self.fail("corrections must be a list of {date: YYYY-MM-DD, note: text}", line)
        out = []
        for item in corrections:
            if (not isinstance(item, dict) or set(item) - {"date", "note"} or not isinstance(item.get("note"), str)
                    or not item["note"].strip()):
                raise self.fail("each correction is {date: YYYY-MM-DD, note: what was corrected}", line)
            date = str(item.get("date") or "")
            if not DAY.fullmatch(date):
                raise self.fail(f"correction date must be YYYY-MM-DD, got {date!r}", line)
            _parse_date(date, self.shown, line)
            note = self.segment_of_text("correction", item["note"], line, context=f"correction:{date}",
                                        note=f"Correction of {date}, shown under the story.")
            out.append(Correction(date, note, line or 1))
        return out

    # -- segments --
    def segment_of_text(self, kind: str, text: str, line: int, context: str | None = None,
                        figure: str | None = None, note: str = "") -> Segment:
        blocks = self.md.parseInline(text, self.env)
        tokens = blocks[0].children or [] if blocks else []
        if context is None:
            context = context_for(kind, figure)
        return self.segment(kind, tokens, line, context, figure, note)

    def segment(self, kind: str, tokens: list[Token], line: int, context: str | None = None,
                figure: str | None = None, note: str = "") -> Segment:
        for t in tokens:
            if t.type == "html_inline" and not t.content.startswith("<!--"):
                self.warn(f"raw HTML {t.content[:40]!r} is left out; write Markdown", line)
            if t.type == "text":
                missing = FOOTNOTE_REF.search(t.content)
                if missing:
                    raise self.fail(f"footnote reference [^{missing.group(1)}] has no definition "
                                    f"'[^{missing.group(1)}]: ...'", line)
        targets: list[tuple[str, str | None, bool]] = []
        number_links(tokens, targets)
        labels = tuple(_footnote_labels(tokens))
        for label in labels:
            if label not in self.footnote_order:
                self.footnote_order.append(label)
        titles = tuple(
            Segment("link-title", " ".join(title.split()), line, "link-title",
                    note=f"Title of link [{n}] (shown when pointing at it).") if title else None
            for n, (_, title, _) in enumerate(targets, 1))
        text = ref_text(tokens)
        extra = [f"Keep “{name}” as is." for name in self.keep if name in text]
        return Segment(kind, text, line, context, figure, tuple(t[0] for t in targets),
                       frozenset(n for n, t in enumerate(targets, 1) if t[2]),
                       titles if any(titles) else (), labels, " ".join([note, *extra]).strip())

    # -- body --
    def blocks(self, nodes: list[_Node], within: str, notes: list[_Node],
               where: str = "") -> list[Block]:
        out: list[Block] = []
        for node in nodes:
            block = self.block(node, within, notes, where)
            if block is not None:
                out.append(block)
        return out

    def block(self, node: _Node, within: str, notes: list, where: str) -> Block | None:
        kind = node.type
        line = node.map[0] + 1 if node.map else 0
        if kind == "paragraph":
            tokens = node.children[0].token.children or []
            if not tokens:
                return None
            first = tokens[0].content if tokens[0].type == "text" else ""
            if within == "paragraph" and first.startswith(":::"):
                raise self.fail(f"unexpected {first.strip()!r} (containers are '::: figure <id>' "
                                f"and '::: pullquote', closed by ':::')", line)
            if all(t.type == "html_inline" and t.content.startswith("<!--") or
                   t.type in ("softbreak",) for t in tokens):
                return None
            note = self._note(within, where)
            seg = self.segment(within, tokens, line, note=note)
            if not seg.text.strip():
                return None
            return Block("paragraph", line, seg)
        if kind == "heading":
            level = int(node.tag[1])
            seg = self.segment("heading", node.children[0].token.children or [], line,
                               note=f"Heading, level {level}.")
            return Block("heading", line, seg, level=level) if seg.text.strip() else None
        if kind in ("bullet_list", "ordered_list"):
            number = self.count("list")
            ordered = kind == "ordered_list"
            start = int(node.attrs.get("start", 1)) if ordered else None
            items = []
            for n, item in enumerate(node.children, start or 1):
                label = f"{where}list {number}, item {n}" if not where else f"{where} › list {number}, item {n}"
                items.append(Block("item", item.map[0] + 1 if item.map else line,
                                   children=self.blocks(item.children, "item", notes, label)))
            tight = any(c.type == "paragraph" and c.hidden for item in node.children for c in item.children)
            return Block("list", line, ordered=ordered, start=start, tight=tight, children=items)
        if kind == "blockquote":
            number = self.count("quote")
            inner = "quote" if within in ("paragraph", "quote") else within
            return Block("quote", line, children=self.blocks(node.children, inner, notes,
                                                             f"{where}block quote {number}".strip()))
        if kind == "table":
            return self._table(node, line)
        if kind == "container_figure":
            return self._figure_block(node, line)
        if kind == "container_pullquote":
            self._closed(node, "pull quote")
            if node.info.strip() != "pullquote":
                raise self.fail(f"'::: pullquote' takes nothing after it, got {node.info.strip()!r}", line)
            return Block("pullquote", line, children=self.blocks(node.children, "pullquote", notes, "pull quote"))
        if kind == "footnote_reference":
            if within != "paragraph":
                raise self.fail("a footnote definition belongs at the top level of the story", line)
            notes.append(node)
            return None
        if kind == "html_block":
            return self._html(node.content, line)
        if kind in ("fence", "code_block"):
            return Block("code", line, text=node.content, info=(node.info or "").strip() or None)
        if kind == "hr":
            return Block("rule", line)
        raise self.fail(f"cannot carry a {kind.replace('_', ' ')} block", line)

    def _note(self, within: str, where: str) -> str:
        if within == "paragraph":
            return f"Paragraph {self.count('paragraph')}."
        if within == "item":
            return f"List item ({where})."
        if within == "quote":
            return f"Paragraph of a block quote ({where})."
        if within == "pullquote":
            return "Pull quote, shown large beside the text."
        if within == "footnote":
            return f"Footnote {where}."
        return ""

    def _closed(self, node: _Node, what: str) -> None:
        end = node.map[1]
        if end >= len(self.lines) or not CLOSE.match(self.lines[end]):
            raise self.fail(f"{what} opened here is not closed with ':::'", node.map[0] + 1)

    def _table(self, node: _Node, line: int) -> Block:
        number = self.count("table")
        head_cells = None
        for index in range(node.map[0], node.map[1]):
            if index == node.map[0] + 1:
                continue                                  # the delimiter row
            cells = escapedSplit(self.lines[index].strip())
            if cells and cells[0] == "":
                cells.pop(0)
            if cells and cells[-1] == "":
                cells.pop()
            if head_cells is None:
                head_cells = len(cells)
            elif len(cells) != head_cells:
                raise self.fail(f"table row has {len(cells)} cells, its header {head_cells}: every row "
                                f"needs one cell per column (an empty cell is '| |')", index + 1)
        rows = []
        row_number = 0
        for section in node.children:
            for tr in section.children:
                header = section.type == "thead"
                row_number += 0 if header else 1
                row_line = tr.map[0] + 1 if tr.map else line
                cells = []
                for column, cell in enumerate(tr.children, 1):
                    style = cell.attrs.get("style") or ""
                    align = style.split(":", 1)[1] if ":" in style else None
                    tokens = cell.children[0].token.children or [] if cell.children else []
                    where = (f"Table {number}, header of column {column}." if header
                             else f"Table {number}, row {row_number}, column {column}.")
                    seg = self.segment("cell", tokens, row_line, note=where) if tokens else None
                    if seg is not None and not seg.text.strip():
                        seg = None
                    cells.append(Block("cell", row_line, seg, header=header, align=align))
                rows.append(Block("row", row_line, header=header, children=cells))
        return Block("table", line, children=rows)

    def _figure_block(self, node: _Node, line: int) -> Block:
        params = node.info.strip().split()
        if len(params) != 2:
            raise self.fail("a figure block opens with '::: figure <id>' (one id, no spaces)", line)
        fig_id = params[1]
        if fig_id in self.seen_figures or fig_id == "lead":
            raise self.fail(f"figure {fig_id!r} appears twice", line)
        self.seen_figures[fig_id] = line
        end = node.map[1]
        fields: dict[str, tuple[str, int]] = {}
        images: list[str] = []
        current = None
        for index in range(node.map[0] + 1, min(end, len(self.lines))):
            text = self.lines[index]
            number = index + 1
            if FIGURE_OPEN.match(text):
                raise self.fail(f"figure {fig_id!r} opened on line {line} is not closed with ':::'", number)
            match = FIELD_LINE.match(text)
            if match and not text[0].isspace():
                current = match.group(1)
                if current not in FIGURE_FIELDS:
                    raise self.fail(f"unknown figure field {current!r} (known: {', '.join(FIGURE_FIELDS)})",
                                    number)
                if current == "image":
                    images.append(self._image(match.group(2), fig_id, number))
                    continue
                if current in fields:
                    raise self.fail(f"figure {fig_id!r} has two {current} lines", number)
                fields[current] = (match.group(2), number)
            elif text.strip():
                if current is None or current == "image" or not text[0].isspace():
                    raise self.fail(f"figure {fig_id!r}: expected 'image:', 'alt:', 'caption:' or 'credit:', "
                                    f"got {text.strip()!r}", number)
                value, at = fields[current]
                fields[current] = (value + "\n" + text, at)
        if end >= len(self.lines) or not CLOSE.match(self.lines[end]):
            raise self.fail(f"figure {fig_id!r} is not closed with ':::'", line)
        if fig_id in self.images:
            if images and images != [self.images[fig_id][0]]:
                raise self.fail(f"figure {fig_id!r} has its image both here and in front matter 'figures'",
                                line)
            images = [self.images[fig_id][0]]
        if not images:
            raise self.fail(f"figure {fig_id!r} has no image: add 'image: images/<file>' (or an https:// "
                            f"address) to the block", line)
        return Block("figure", line, figure=self._figure(fig_id, tuple(images), fields, line, "photo"))

    def _figure(self, fig_id: str, images: tuple[str, ...], fields: dict, line: int | None, what: str) -> Figure:
        def seg(kind: str, note: str) -> Segment | None:
            if kind not in fields or not fields[kind][0].strip():
                return None                               # a blank caption is no caption
            value, at = fields[kind]
            return self.segment_of_text(kind, value.strip(), at or 1, figure=fig_id, note=note)

        shown = f"{what} “{fig_id}” ({images[0]}{' and more' if len(images) > 1 else ''})"
        alt = seg("alt", f"Alt text of {shown}: says what the image shows, for people who cannot see it.")
        caption = seg("caption", f"Caption of {shown}.")
        credit = seg("credit", "Photo credit line, shared by every photo that has it.")
        if alt is None:
            self.warn(f"figure {fig_id!r} has no alt text ('alt:'); the page uses its caption or nothing",
                      line)
        return Figure(fig_id, images, caption, credit, line or 1, alt)

    def _html(self, html: str, line: int) -> Block | None:
        stripped = html.strip()
        if stripped.startswith("<!--") and stripped.endswith("-->"):
            return None
        embed = _Embed.read(stripped)
        if embed is not None:
            host = urllib.parse.urlsplit(embed.src).hostname or ""
            if embed.src.startswith("https://") and any(host == h or host.endswith("." + h)
                                                        for h in self.embed_hosts):
                return Block("embed", line, text=embed.src, info=embed.title)
            self.warn(f"embed from {host or embed.src!r} is left out: its host is not in "
                      f"[tool.storyloc] embed_hosts", line)
            return None
        self.warn(f"raw HTML {stripped.splitlines()[0][:40]!r} is left out; write Markdown", line)
        return None

    def _footnotes(self, nodes: list[_Node]) -> list[Footnote]:
        found: dict[str, tuple[int, _Node]] = {}
        for node in nodes:
            label = node.meta["label"]
            line = node.map[0] + 1 if node.map else 1
            if label in found:
                raise self.fail(f"footnote [^{label}] is defined twice (first on line {found[label][0]})", line)
            found[label] = (line, node)
        for label, (line, _) in found.items():
            if label not in self.footnote_order:
                self.warn(f"footnote [^{label}] is never referenced; it is shown last", line)
        order = [*self.footnote_order, *(label for label in found if label not in self.footnote_order)]
        out = []
        for number, label in enumerate(order, 1):
            line, node = found[label]
            out.append(Footnote(label, number, line,
                                self.blocks(node.children, "footnote", [], f"[^{label}]")))
        return out


class _Node:
    """A block of markdown-it's token stream with its children (its opening token's fields); inline
    content stays one leaf whose ``token.children`` are the inline tokens. Lighter than
    ``markdown_it.tree.SyntaxTreeNode``, which also makes a node of every inline token."""

    __slots__ = ("type", "token", "children")

    def __init__(self, token: Token):
        self.token = token
        self.type = token.type[:-5] if token.nesting == 1 else token.type
        self.children: list[_Node] = []

    def __getattr__(self, name):
        return getattr(self.token, name)


def _tree(tokens: list[Token]) -> list[_Node]:
    """Nest the block tokens (``*_open`` … ``*_close``) into nodes."""
    root: list[_Node] = []
    stack: list[list[_Node]] = [root]
    for token in tokens:
        if token.nesting == -1:
            stack.pop()
            continue
        node = _Node(token)
        stack[-1].append(node)
        if token.nesting == 1:
            stack.append(node.children)
    return root


_META_NOTES = {"title": "Headline of the story.",
               "dek": "Standfirst under the headline.",
               "byline": "Byline: write names as media in your language write them."}


def _footnote_labels(tokens: list[Token]) -> Iterator[str]:
    for t in tokens:
        if t.type == "footnote_ref":
            yield t.meta["label"]
        elif t.children:
            yield from _footnote_labels(t.children)


class _Embed(HTMLParser):
    """The one element of an embed block (an ``<iframe>``, maybe inside a wrapper), read with the
    standard library's HTML parser: its address and title."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.src = ""
        self.title = None

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    @classmethod
    def read(cls, html: str) -> "_Embed | None":
        parser = cls()
        parser.feed(html)
        parser.close()
        embeds = [(t, a) for t, a in parser.found if t in EMBED_TAGS and a.get("src")]
        if len(embeds) != 1:
            return None
        tag, attrs = embeds[0]
        parser.src = (attrs.get("src") or "").strip()
        parser.title = attrs.get("title")
        return parser


def _parse_date(value, shown: str, line: int | None) -> str | None:
    """Keep the date as ISO text: a full day (2023-02-01) or just a month (2023-02)."""
    if value in (None, ""):
        return None
    text = str(value)
    if ISO_DATE.fullmatch(text):
        try:
            dt.date.fromisoformat(text if len(text) == 10 else text + "-01")
            return text
        except ValueError as e:
            raise SourceError(f"date {text!r} does not exist ({e})", shown, line) from None
    raise SourceError(f"date must be YYYY-MM-DD or YYYY-MM, got {text!r}", shown, line)


class _FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader, minus what surprises in front matter: dates stay text for us to check,
    and a field given twice is an error rather than the last one silently winning."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"field {key!r} is given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


from .markdown import render_markdown  # noqa: E402  (the writer needs the model above)
