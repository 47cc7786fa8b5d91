"""Reading ``article.md``: markdown-it-py's block parser with mdit-py-plugins gives the tokens, and
:class:`Reader` (front matter, the block walker, figures, raw HTML) turns them into a :class:`Story`.
Any problem is a :class:`~storyloc.errors.SourceError` naming the file and line; what the story
cannot carry but need not stop it is a warning."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import SourceError
from .figures import Figures
from .front_matter import (META_FIELDS, META_NOTES, TEXT_META, TRANSLATABLE_META, FrontMatter,
                           parse_date)
from .html import RawHtml, reads_back
from .inline import FOOTNOTE_REF, number_links, ref_text
from .model import Segment, Story, context_for
from .walker import BlockWalker, Node, footnote_labels, tree

NO_IMAGES: frozenset[int] = frozenset()
MATH = ("math_inline", "math_inline_double")


def math_as_code(token: Token) -> Token:
    """Inline math as a code span holding it whole, dollars and all (``$x^2$`` → `` `$x^2$` ``): never
    translated, a unit the translator keeps as it is (the markup check says so if they do not)."""
    if token.type not in MATH:
        return token
    return Token("code_inline", "code", 0, markup="`", content=f"{token.markup}{token.content}{token.markup}")


@lru_cache(maxsize=None)
def source_parser(html: bool = True) -> MarkdownIt:
    """CommonMark with raw HTML recognised (so it can be carried or left out, never shown as text),
    GFM tables, footnotes, front matter, the ``figure`` / ``pullquote`` containers, definition lists
    (carried as paragraphs) and TeX math (``$…$``, ``$$…$$``, ``\\begin{align}``…); ``html=False``
    reads the Markdown an HTML block became (see :meth:`~.html.RawHtml.html_blocks`).

    Math is read by Pandoc's rule for ``$``: no space inside the dollars and no digit right after the
    closing one, so prices (``$5 and $10``) stay text."""
    md = MarkdownIt("commonmark", {"html": html, "linkify": False}).enable("table")
    md.use(front_matter_plugin).use(footnote_plugin, inline=False)
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True).use(amsmath_plugin)
    md.use(deflist_plugin)
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
    if "\0" in text:    # a catalog cannot hold it: msgfmt and every PO reader refuse it
        raise SourceError("a NUL character (U+0000), which no catalog can hold; remove it", shown,
                          text.count("\n", 0, text.index("\0")) + 1)
    return parse_story_text(text, path, slug or path.parent.name, shown, embed_hosts)


def load_story(project, slug: str) -> Story:
    """The configured story ``slug`` of ``project``, read with the project's settings (embed hosts)."""
    source = project.article(slug)
    return parse_story(source, slug, project.rel(source), project.embed_hosts)



def parse_story_text(text: str, path: Path, slug: str, shown: str,
                     embed_hosts: tuple[str, ...] = ()) -> Story:
    """The story in ``text``. The same text read again in one process (``storyloc locales`` reads a
    story in extract, check and build) is parsed once: the result is shared, so treat it as read-only."""
    key = (text, str(path), slug, shown, tuple(embed_hosts))
    story = _PARSED.get(key)
    if story is None:
        story = Reader(text, path, slug, shown, tuple(embed_hosts)).read()
        _PARSED[key] = story
        while len(_PARSED) > 8:
            del _PARSED[next(iter(_PARSED))]
    return story


_PARSED: dict[tuple, Story] = {}



class Reader(FrontMatter, BlockWalker, Figures, RawHtml):
    """One reading of one story's text."""

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
        self.heading_ids: set[str] = set()
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
        meta, positions = self.read_front_matter(front.content, front.map[1] - 1)
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
        story.keep = self.keep_names(meta.get("keep"))
        self.keep = story.keep
        for key in TRANSLATABLE_META:
            if meta.get(key) and meta[key].strip():
                setattr(story, key, self.segment_of_text(key, meta[key], positions.get(key, 1),
                                                         note=META_NOTES[key]))
        story.meta = {k: v for k, v in meta.items()
                      if k not in TRANSLATABLE_META + ("figures", "lead", "corrections", "keep")}
        story.meta["date"] = parse_date(meta.get("date"), self.shown, positions.get("date"))
        story.field_lines = {k: v for k, v in positions.items() if "." not in k}
        self.images = self.figure_images(meta.get("figures"))
        self.seen_figures: dict[str, int] = {}
        story.lead = self.lead_figure(meta.get("lead"))
        notes_nodes: list[Node] = []
        story.blocks = self.blocks(tree(tokens[1:]), "paragraph", notes_nodes)
        story.footnotes = self.footnotes(notes_nodes)
        for fig_id, (image, line) in self.images.items():
            if fig_id not in self.seen_figures:
                raise self.fail(f"figure {fig_id!r} is listed in front matter but has no '::: figure' block",
                                line)
        story.corrections = self.corrections(meta.get("corrections"))
        story.warnings = self.warnings
        return story


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
        source, html = tokens, False
        if any(t.type in MATH for t in tokens):
            tokens = source = [math_as_code(t) for t in tokens]
        for t in tokens:
            if t.type == "text" and "[^" in t.content:          # the search only where one can be
                missing = FOOTNOTE_REF.search(t.content)
                if missing:
                    raise self.fail(f"footnote reference [^{missing.group(1)}] has no definition "
                                    f"'[^{missing.group(1)}]: ...'", line)
            elif t.type == "html_inline":
                html = True
        if html:
            tokens = self.inline_html(tokens, line)
        targets: list[tuple[str, str | None, bool]] = []
        number_links(tokens, targets)
        labels = tuple(footnote_labels(tokens))
        text = ref_text(tokens)
        if tokens is not source and not reads_back(text, tokens, targets, labels):
            self.warn("inline HTML here cannot be written as Markdown (its tags cross Markdown's own or "
                      "touch a word); its tags are left out", line)
            tokens, targets = [t for t in source if t.type != "html_inline"], []
            number_links(tokens, targets)
            text = ref_text(tokens)
        for label in labels:
            if label not in self.footnote_order:
                self.footnote_order.append(label)
        if self.keep:
            note = " ".join([note, *(f"Keep “{name}” as is." for name in self.keep if name in text)]).strip()
        if not targets:                  # most text links nothing: no titles, targets or images to gather
            return Segment(kind, text, line, context, figure, (), NO_IMAGES, (), labels, note)
        titles = tuple(
            Segment("link-title", " ".join(title.split()), line, "link-title",
                    note=f"Title of link [{n}] (shown when pointing at it).") if title else None
            for n, (_, title, _) in enumerate(targets, 1))
        return Segment(kind, text, line, context, figure, tuple(t[0] for t in targets),
                       frozenset(n for n, t in enumerate(targets, 1) if t[2]),
                       titles if any(titles) else (), labels, note)
