"""Raw HTML in a story's source: an embed whose host the project allows is carried as it is, an HTML
comment is nothing, and any other HTML block is read as the Markdown it stands for, its text kept and
its tags left out with a warning (never shown as literal tags, never sent to an engine).

That reading is the importer's (``storyloc import``'s html5lib and markdownify), so an HTML block's
paragraphs, lists, tables and headings become the story's own blocks and messages.

Inline tags the story format has a Markdown form for are carried as that form: ``<em>``/``<i>`` as
``*emphasis*``, ``<strong>``/``<b>`` as ``**strong**``, ``<a href>`` as a link (its target kept in the
story like any link's), ``<code>`` as a code span, ``<br>`` as a hard line break and ``<img src alt>``
as an inline image. markdown-it gives each tag as an ``html_inline`` token of its own; they become
the tokens Markdown's own markup gives, so the segment's text, its numbered links and everything after
(drafting, checks, the build) are those of Markdown. Any other tag (``<span>``, ``<sup>``, ``<u>``…)
is left out, its text kept, with a warning. A translation is never read this way: it is parsed with
raw HTML off, so what a translator writes as a tag stays text."""
from __future__ import annotations

import urllib.parse
from dataclasses import replace
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .figures import FIGURE_ID
from .inline import parse_translation
from .model import Block, Segment, iter_blocks
from .walker import Node, tree

EMBED_TAGS = ("iframe", "embed", "video", "audio")
PAIRED = {"em": ("em", "*"), "i": ("em", "*"), "strong": ("strong", "**"), "b": ("strong", "**"),
          "a": ("link", ""), "code": ("code", "`")}
CODE_TEXT = ("text", "text_special", "softbreak")


class RawHtml:
    """The part of the story reader that meets raw HTML blocks (a mixin of
    :class:`~storyloc.story.reader.Reader`: it uses its ``warn``, ``embed_hosts``, ``text``,
    ``lines``, ``env`` and the block walker)."""

    def html_blocks(self, node: Node, within: str, notes: list, where: str) -> list[Block]:
        """The story's blocks for a raw HTML block: an allowed embed as it is, a comment as nothing,
        anything else as the Markdown it stands for (its text kept, its tags left out, named)."""
        html, line, last = node.content, node.map[0] + 1, node.map[1]
        stripped = html.strip()
        if stripped.startswith("<!--") and stripped.endswith("-->"):
            return []
        embed = Embed.read(stripped)
        if embed is not None and embed.words:
            self.warn(f"raw HTML {stripped.splitlines()[0][:40]!r} holds an embed and {len(embed.words)} "
                      f"word(s) of text, which are left out: put the embed in an HTML block of its own", line)
        if embed is not None:
            host = urllib.parse.urlsplit(embed.src).hostname or ""
            if embed.src.startswith("https://") and any(host == h or host.endswith("." + h)
                                                        for h in self.embed_hosts):
                return [Block("embed", line, text=embed.src, info=embed.title)]
            self.warn(f"embed from {host or embed.src!r} is left out: its host is not in "
                      f"[tool.storyloc] embed_hosts", line)
            return []
        shown = stripped.splitlines()[0][:40]
        markdown, warnings = html_markdown(html, line, self.shown, FIGURE_ID.findall(self.text))
        if not markdown.strip():
            self.warn(f"raw HTML {shown!r} is left out: it has no text; write Markdown", line)
            return []
        self.warn(f"raw HTML {shown!r} is read as Markdown, its text kept and its tags left out; "
                  f"write Markdown", line)
        self.warnings += warnings
        return self.markdown_blocks(markdown, line, last, within, notes, where)

    def markdown_blocks(self, markdown: str, line: int, last: int, within: str, notes: list,
                        where: str) -> list[Block]:
        """The blocks of ``markdown`` (made from the HTML block on lines ``line`` to ``last``), read with
        raw HTML off (nothing is HTML twice) and walked as the story's own; their lines are counted
        from ``line``, and none is later than ``last`` (the Markdown may be longer than the HTML)."""
        from .reader import source_parser

        tokens = source_parser(html=False).parse(markdown, self.env)
        for t in tokens:
            if t.map:
                t.map = [t.map[0] + line - 1, t.map[1] + line - 1]
        lines = self.lines
        self.lines = [""] * (line - 1) + markdown.split("\n")   # what the walker reads by a block's lines
        try:
            blocks = self.blocks(tree(tokens), within, notes, where)
        finally:
            self.lines = lines
        return _no_later_than(blocks, last)

    def inline_html(self, tokens: list[Token], line: int) -> list[Token]:
        """``tokens`` with each inline HTML tag the story format can carry made its Markdown token, and
        every other one left out (named in a warning; an HTML comment silently)."""
        reading = _InlineHtml(self.md, lambda what: self.warn(
            f"raw HTML {what[:40]!r} is left out; write Markdown", line))
        return reading.convert(tokens)


def _no_later_than(blocks: list[Block], last: int) -> list[Block]:
    """``blocks`` with every line after ``last`` (theirs, their segments', their figures') made ``last``."""
    def seg(segment: Segment | None) -> Segment | None:
        if segment is None or segment.line <= last:
            return segment
        return replace(segment, line=last, titles=tuple(seg(t) for t in segment.titles))

    for block in iter_blocks(blocks):
        block.line = min(block.line, last)
        block.segment = seg(block.segment)
        if block.figure is not None:
            f = block.figure
            block.figure = replace(f, line=min(f.line, last), alt=seg(f.alt), caption=seg(f.caption),
                                   credit=seg(f.credit))
    return blocks


def html_markdown(html: str, line: int, shown: str, figure_ids: list[str]) -> tuple[str, list[str]]:
    """An HTML block (on ``line`` of the story ``shown``) as story Markdown, by the importer's own
    reader and writer (html5lib and markdownify): paragraphs, lists, tables, headings, code and
    figures keep their form (a new figure's id is none of ``figure_ids``); what the story format has
    no form for is named as the importer names it, at its line in the story."""
    from ..importer.html_export import parse_html
    from ..importer.state import State, tidy
    from ..importer.writer import Converter

    state = State(shown, None)
    state.line_offset = line - 1
    state.figure_ids.update(figure_ids)
    state.relative_warned = True          # a story's own relative links are its own: no --base-url
    soup = parse_html(html, state)
    return tidy(Converter(state).convert_soup(soup.body or soup)), state.warnings


class _InlineHtml:
    """One inline sequence's HTML tags, paired: an opening tag becomes a Markdown token when its
    closing tag comes in the same sequence, properly nested; a tag left unpaired is left out."""

    def __init__(self, md: MarkdownIt, warn):
        self.md, self.warn = md, warn
        self.out: list[Token | None] = []
        self.open: list[tuple[str, int, str]] = []      # (tag, its place in out, kind or "" if left out)

    def convert(self, tokens: list[Token]) -> list[Token]:
        for t in tokens:
            if t.type != "html_inline":
                self.out.append(t)
            elif not t.content.startswith("<!--"):
                self.tag(t.content)
        for tag, at, kind in reversed(self.open):        # never closed
            if kind:
                self.out[at] = None
                self.warn(f"<{tag}>")
        out: list[Token] = []
        for t in self.out:
            if t is None or t.type == "softbreak" and out and out[-1].type == "hardbreak":
                continue                                  # `<br>` and the line's end are one break
            if t.type in ("em_close", "strong_close") and out and out[-1].type == "text" \
                    and out[-1].content.endswith(" "):
                out[-1].content = out[-1].content.rstrip(" ")   # `*word *` is no emphasis: the space goes after
                out += [t, Token("text", "", 0, content=" ")]
                continue
            if out and out[-1].type in ("em_open", "strong_open") and t.type == "text" and t.content.startswith(" "):
                opened = out.pop()                        # and `* word*` neither: the space goes before
                out += [Token("text", "", 0, content=" "), opened]
                t.content = t.content.lstrip(" ")
            out.append(t)
        while out and out[-1].type in ("hardbreak", "softbreak"):
            out.pop()                                     # a break ending the text breaks nothing
        return out

    def tag(self, html: str) -> None:
        found = read_tag(html)
        if found is None:
            self.warn(html)
            return
        name, attrs, closing = found
        if name == "br" and not closing:
            self.out.append(Token("hardbreak", "br", 0))
        elif name == "img" and not closing:
            self.image(attrs, html)
        elif name not in PAIRED:
            self.warn(html)
        elif closing:
            self.close(name, html)
        else:
            self.start(name, attrs, html)

    def start(self, name: str, attrs: dict, html: str) -> None:
        kind, markup = PAIRED[name]
        token = Token(f"{kind}_open", name, 1, markup=markup)
        if kind == "link":
            href = self.address(attrs.get("href"))
            if href is None or any(k == "link" for _, _, k in self.open):
                self.warn(html)                           # no address, an unsafe one, or a link in a link
                self.open.append((name, len(self.out), ""))
                return
            token.attrs = {"href": href, **({"title": attrs["title"]} if attrs.get("title") else {})}
        self.open.append((name, len(self.out), kind))
        self.out.append(token)

    def close(self, name: str, html: str) -> None:
        if not self.open or self.open[-1][0] != name:
            self.warn(html)                               # closes nothing open, or crosses another tag
            return
        _, at, kind = self.open.pop()
        if not kind:
            return                                        # its opening tag was left out
        if kind != "code":
            self.out.append(Token(f"{kind}_close", name, -1, markup=self.out[at].markup))
            return
        inner = self.out[at + 1:]
        if all(t is not None and t.type in CODE_TEXT for t in inner):
            code = Token("code_inline", "code", 0, markup="`",
                         content="".join(" " if t.type == "softbreak" else t.content for t in inner))
            del self.out[at:]
            self.out.append(code)
        else:
            self.out[at] = None                           # markup inside code: its text, no code span
            self.warn(f"<{name}>")

    def image(self, attrs: dict, html: str) -> None:
        src = self.address(attrs.get("src"))
        if src is None:
            self.warn(html)
            return
        image = Token("image", "img", 0, attrs={"src": src, "alt": ""},
                      children=[Token("text", "", 0, content=attrs["alt"])] if attrs.get("alt") else [])
        if attrs.get("title"):
            image.attrs["title"] = attrs["title"]
        self.out.append(image)

    def address(self, url: str | None) -> str | None:
        """A link's or image's address as Markdown's own would be: normalized, and refused where
        markdown-it refuses one (``javascript:`` and the like)."""
        if not url or not url.strip():
            return None
        url = self.md.normalizeLink(url.strip())
        return url if self.md.validateLink(url) else None


class _TagReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict, bool]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {k: v or "" for k, v in attrs}, False))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.found.append((tag, {}, True))


def read_tag(html: str) -> tuple[str, dict, bool] | None:
    """One tag as markdown-it gives it (``<a href="…">``, ``</em>``, ``<br/>``): its name, attributes
    (entities decoded) and whether it closes; ``None`` for anything else (a declaration, CDATA…)."""
    reader = _TagReader()
    reader.feed(html)
    reader.close()
    return reader.found[0] if len(reader.found) == 1 else None


class Embed(HTMLParser):
    """The one element of an embed block (an ``<iframe>``, maybe inside a wrapper), read with the
    standard library's HTML parser: its address and title."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.src = ""
        self.title = None
        self.inside = 0                     # depth in an embed element, whose text is its own fallback
        self.words: list[str] = []          # the block's text outside it

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))
        self.inside += tag in EMBED_TAGS

    def handle_endtag(self, tag):
        self.inside -= tag in EMBED_TAGS and self.inside > 0

    def handle_data(self, data):
        if not self.inside:
            self.words += data.split()

    @classmethod
    def read(cls, html: str) -> "Embed | None":
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


MARKUP = ("em_open", "strong_open", "link_open", "image", "code_inline", "hardbreak", "footnote_ref")


def reads_back(text: str, tokens: list[Token], targets: list, labels: tuple[str, ...]) -> bool:
    """Whether ``text``, read as every segment's text is read (raw HTML off), gives the markup of
    ``tokens``: the same emphasis, links, images, code spans, breaks and notes, in the same order."""
    images = frozenset(n for n, t in enumerate(targets, 1) if t[2])
    again = parse_translation(text, tuple(t[0] for t in targets), images, frozenset(labels))
    return _markup(again) == _markup(tokens)


def _markup(tokens: list[Token]) -> list[str]:
    out = []
    for t in tokens:
        if t.type in MARKUP:
            out.append(t.type)
        if t.children:
            out += _markup(t.children)
    return out
