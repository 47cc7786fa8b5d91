"""A story's source, ``source/<story>/article.md``: YAML front matter and Markdown blocks.

One walker serves both directions: :func:`parse_story` records the segments a
translator sees, and :func:`render_markdown` writes the same structure back with
each segment's text replaced, so a localized ``article.md`` has the shape of
the original.

The body holds paragraphs and figure blocks::

    ::: figure city-center
    caption: The center of Bakhmut, Donetsk Oblast
    credit: Oleksandr Babenko for Gwara Media
    :::

Inline links ``[text](url)`` become ``[text][1]`` in the text a translator
sees; the targets stay in the story, so a translation cannot change them.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import yaml

from .errors import SourceError

META_FIELDS = ("title", "dek", "byline", "publisher", "photographer", "date", "lang",
               "canonical_url", "figures")
TRANSLATABLE_META = ("title", "dek", "byline")
TEXT_META = TRANSLATABLE_META + ("publisher", "photographer", "lang", "canonical_url")  # text or empty
FIGURE_FIELDS = ("caption", "credit")
FIGURE_OPEN = re.compile(r"^:::\s*figure\s+(\S+)\s*$")
FIGURE_CLOSE = re.compile(r"^:::\s*$")
FIELD_LINE = re.compile(r"^([a-z_]+):\s*(.*)$")
INLINE_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
LINK_REF = re.compile(r"\[([^\]\n]+)\]\[(\d+)\]")
BUNDLE_FILES = {"index.html", "article.md", "article.json", "manifest.json"}
ISO_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
WORD = re.compile(r"\w+(?:[’'ʼ-]\w+)*")


@dataclass(frozen=True)
class Segment:
    """One translatable unit: the text a translator sees and where it came from."""

    kind: str                      # title, dek, byline, paragraph, caption, credit
    text: str                      # whitespace-normalized; links as [text][n]
    line: int                      # line in article.md
    context: str | None = None     # msgctxt
    figure: str | None = None
    links: tuple[str, ...] = ()    # targets of [text][1], [text][2], ...

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.text)

    @property
    def words(self) -> int:
        return count_words(self.text)


@dataclass(frozen=True)
class Figure:
    id: str
    image: str                     # path relative to the story folder
    caption: Segment
    credit: Segment | None
    line: int


@dataclass
class Story:
    slug: str
    path: Path
    meta: dict                     # non-translatable front matter (publisher, date, ...)
    title: Segment
    dek: Segment | None
    byline: Segment | None
    blocks: list[Segment | Figure] = field(default_factory=list)
    field_lines: dict[str, int] = field(default_factory=dict)   # front matter field → its line

    def segments(self) -> Iterator[Segment]:
        """Every segment in reading order: title, dek, byline, then the body."""
        for seg in (self.title, self.dek, self.byline):
            if seg is not None:
                yield seg
        for block in self.blocks:
            if isinstance(block, Figure):
                yield block.caption
                if block.credit is not None:
                    yield block.credit
            else:
                yield block

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]


def count_words(text: str) -> int:
    return len(WORD.findall(LINK_REF.sub(r"\1", text)))


def _normalize(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def _with_link_refs(text: str) -> tuple[str, tuple[str, ...]]:
    """Turn inline links into numbered references; return the text and the targets."""
    targets: list[str] = []

    def number(match: re.Match) -> str:
        targets.append(match.group(2))
        return f"[{match.group(1)}][{len(targets)}]"

    return INLINE_LINK.sub(number, text), tuple(targets)


def resolve_links(text: str, links: tuple[str, ...]) -> str:
    """Put the story's link targets back into ``[text][n]``; unknown numbers stay literal."""
    def target(match: re.Match) -> str:
        n = int(match.group(2))
        if 1 <= n <= len(links):
            return f"[{match.group(1)}]({links[n - 1]})"
        return match.group(0)

    return LINK_REF.sub(target, text)


def _segment(kind: str, lines: list[str], line: int, context: str | None = None,
             figure: str | None = None) -> Segment:
    text, links = _with_link_refs(_normalize(lines))
    return Segment(kind, text, line, context, figure, links)


def context_for(kind: str, figure: str | None = None) -> str | None:
    """msgctxt per kind: captions are tied to their figure; credits are shared so one translation serves all."""
    if kind == "caption":
        return f"figure:{figure}"
    if kind in ("title", "dek", "byline", "credit"):
        return kind
    return None


def parse_story(path: Path, slug: str | None = None, display_path: str | None = None) -> Story:
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
    return parse_story_text(text, path, slug or path.parent.name, shown)


def parse_story_text(text: str, path: Path, slug: str, shown: str) -> Story:
    lines = text.splitlines()
    meta, meta_lines, body_start = _front_matter(lines, shown)
    story = Story(slug=slug, path=path, meta={}, title=None, dek=None,  # type: ignore[arg-type]
                  byline=None)
    for key, value in meta.items():
        if key not in META_FIELDS:
            raise SourceError(f"unknown front matter field {key!r} (known: {', '.join(META_FIELDS)})",
                              shown, meta_lines.get(key))
    if not meta.get("title"):
        raise SourceError("front matter has no title", shown, 1)
    for key in TEXT_META:
        if meta.get(key) is not None and not isinstance(meta[key], str):
            raise SourceError(f"{key} must be text", shown, meta_lines.get(key))
    for key in TRANSLATABLE_META:
        if meta.get(key):
            setattr(story, key, _segment(key, [meta[key]], meta_lines.get(key, 1), context_for(key)))
    story.meta = {k: v for k, v in meta.items() if k not in TRANSLATABLE_META and k != "figures"}
    story.meta["date"] = _parse_date(meta.get("date"), shown, meta_lines.get("date"))
    story.field_lines = {k: v for k, v in meta_lines.items() if "." not in k}
    images = _figure_images(meta.get("figures"), shown, meta_lines)
    story.blocks = _body(lines, body_start, images, shown)
    seen = {f.id for f in story.figures}
    for fig_id, (image, line) in images.items():
        if fig_id not in seen:
            raise SourceError(f"figure {fig_id!r} is listed in front matter but has no '::: figure' block",
                              shown, line)
    return story


def _front_matter(lines: list[str], shown: str) -> tuple[dict, dict[str, int], int]:
    if not lines or lines[0].strip() != "---":
        raise SourceError("story must start with '---' front matter", shown, 1)
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            break
    else:
        raise SourceError("front matter opened here is never closed with '---'", shown, 1)
    block = "\n".join(lines[1:end])
    try:
        meta = yaml.load(block, Loader=_FrontMatterLoader) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise SourceError(f"front matter is not valid YAML: {problem}", shown, line) from None
    if not isinstance(meta, dict):
        raise SourceError("front matter must be a mapping of fields", shown, 2)
    positions: dict[str, int] = {}
    for number in range(1, end):
        match = re.match(r"^[\"']?([A-Za-z_][\w-]*)[\"']?\s*:", lines[number])
        if match:
            positions.setdefault(match.group(1), number + 1)
        match = re.match(r"^\s+[\"']?([A-Za-z0-9_][\w-]*)[\"']?\s*:", lines[number])
        if match:
            positions.setdefault("figures." + match.group(1), number + 1)
    return meta, positions, end + 1


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


def _figure_images(figures, shown: str, positions: dict[str, int]) -> dict[str, tuple[str, int | None]]:
    if figures in (None, {}):
        return {}
    if not isinstance(figures, dict):
        raise SourceError("figures must map each figure id to {image: path}", shown, positions.get("figures"))
    images = {}
    for fig_id, spec in figures.items():
        line = positions.get(f"figures.{fig_id}", positions.get("figures"))
        if not isinstance(spec, dict) or not isinstance(spec.get("image"), str):
            raise SourceError(f"figure {fig_id!r} needs an image path: {{image: images/...}}", shown, line)
        image = spec["image"]
        if Path(image).is_absolute() or ".." in Path(image).parts:
            raise SourceError(f"figure {fig_id!r}: image must be a path inside the story folder", shown, line)
        if len(Path(image).parts) == 1 and (image in BUNDLE_FILES or image.endswith(".mo")):
            raise SourceError(f"figure {fig_id!r}: an image may not be named {image!r}, like one of the "
                              f"bundle's own files; keep images in a folder (e.g. images/)", shown, line)
        images[str(fig_id)] = (image, line)
    return images


def _body(lines: list[str], start: int, images: dict, shown: str) -> list[Segment | Figure]:
    blocks: list[Segment | Figure] = []
    paragraph: list[str] = []
    paragraph_line = 0
    i = start
    seen_figures: set[str] = set()

    def flush():
        if paragraph:
            blocks.append(_segment("paragraph", paragraph, paragraph_line))
            paragraph.clear()

    while i < len(lines):
        line = lines[i]
        number = i + 1
        opened = FIGURE_OPEN.match(line)
        if opened:
            flush()
            fig_id = opened.group(1)
            if fig_id in seen_figures:
                raise SourceError(f"figure {fig_id!r} appears twice", shown, number)
            if fig_id not in images:
                raise SourceError(f"figure {fig_id!r} has no image in front matter 'figures'", shown, number)
            seen_figures.add(fig_id)
            i = _figure(lines, i, fig_id, images[fig_id][0], shown, blocks)
            continue
        if line.startswith(":::"):
            raise SourceError(f"unexpected {line.strip()!r} (figure blocks open with '::: figure <id>')",
                              shown, number)
        if line.strip():
            if not paragraph:
                paragraph_line = number
            paragraph.append(line)
        else:
            flush()
        i += 1
    flush()
    return blocks


def _figure(lines: list[str], i: int, fig_id: str, image: str, shown: str, blocks: list) -> int:
    """Parse one figure block starting at line index ``i``; return the index after its closing ':::'."""
    open_line = i + 1
    fields: dict[str, list[str]] = {}
    field_lines: dict[str, int] = {}
    current = None
    i += 1
    while i < len(lines):
        line = lines[i]
        if FIGURE_CLOSE.match(line):
            break
        if FIGURE_OPEN.match(line):
            raise SourceError(f"figure {fig_id!r} opened on line {open_line} is not closed with ':::'",
                              shown, i + 1)
        match = FIELD_LINE.match(line)
        if match and not line[0].isspace():
            current = match.group(1)
            if current not in FIGURE_FIELDS:
                raise SourceError(f"unknown figure field {current!r} (known: caption, credit)", shown, i + 1)
            if current in fields:
                raise SourceError(f"figure {fig_id!r} has two {current} lines", shown, i + 1)
            fields[current] = [match.group(2)]
            field_lines[current] = i + 1
        elif line.strip():
            if current is None or not line[0].isspace():
                raise SourceError(f"figure {fig_id!r}: expected 'caption:' or 'credit:', got {line.strip()!r}",
                                  shown, i + 1)
            fields[current].append(line)
        i += 1
    else:
        raise SourceError(f"figure {fig_id!r} is not closed with ':::'", shown, open_line)
    if not _normalize(fields.get("caption", [])):
        raise SourceError(f"figure {fig_id!r} has no caption", shown, open_line)
    caption = _segment("caption", fields["caption"], field_lines["caption"], context_for("caption", fig_id), fig_id)
    credit = None
    if _normalize(fields.get("credit", [])):
        credit = _segment("credit", fields["credit"], field_lines["credit"], context_for("credit"), fig_id)
    blocks.append(Figure(fig_id, image, caption, credit, open_line))
    return i + 1


def render_markdown(story: Story, text_of: Callable[[Segment], str], lang: str) -> str:
    """The story as ``article.md`` again, each segment's text given by ``text_of``."""
    def value(seg: Segment) -> str:
        # one line per block, as parsed: a line break in a translation must not end its block
        return resolve_links(" ".join(text_of(seg).splitlines()), seg.links)

    meta: dict = {}
    for key in ("title", "dek", "byline"):
        seg = getattr(story, key)
        if seg is not None:
            meta[key] = value(seg)
    for key in ("publisher", "photographer", "date", "canonical_url"):
        if story.meta.get(key) not in (None, ""):
            meta[key] = story.meta[key]
    meta["lang"] = lang
    if story.figures:
        meta["figures"] = {f.id: {"image": f.image} for f in story.figures}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000).rstrip("\n")
    out = ["---", front, "---", ""]
    for block in story.blocks:
        if isinstance(block, Figure):
            out.append(f"::: figure {block.id}")
            out.append(f"caption: {value(block.caption)}")
            if block.credit is not None:
                out.append(f"credit: {value(block.credit)}")
            out.append(":::")
        else:
            out.append(value(block))
        out.append("")
    return "\n".join(out)
