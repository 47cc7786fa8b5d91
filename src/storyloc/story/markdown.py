"""A story written back as ``article.md``: the same tree, each segment's text given by a callback.

Every segment's text (the source's or a translation's) is read as inline Markdown with raw HTML
off and written back from its tokens, so a translation can only ever be text in its block: a
leading ``#``, a ``|`` in a cell, ``<script>`` or a line break cannot make structure. Link and
image targets come from the story, never from the text.
"""
from __future__ import annotations

import html
import re
from typing import Callable

import yaml

from .model import Block, Figure, Segment, Story
from .inline import clean, escape_text, parse_translation, plain, serialize

TextOf = Callable[[Segment], str]
_LINE_START = re.compile(r"^(?:#{1,6}(?=\s|$)|[-+=>|~]|:::)")
# What must be escaped after a line's start rather than at it: the "." or ")" of an ordered list
# item ("1986\. That year", as a backslash before a digit is no escape), and the ":" that would make
# a footnote reference the start of a footnote's definition.
_MARK_AFTER = re.compile(r"\d{1,9}(?=[.)])|\[\^[^\]\s]+\](?=:)")


def _destination(url: str) -> str:
    if re.search(r"[\s()<>]", url) or not url:
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _title(title: str | None) -> str:
    if not title:
        return ""
    return ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def inline_markdown(seg: Segment, text: str, text_of: TextOf, footnotes: frozenset[str]) -> str:
    """``text`` (a translation of ``seg``) as safe inline Markdown with the story's own targets."""
    tokens = parse_translation(text, seg.links, seg.images, footnotes)
    return tokens_markdown(seg, tokens, lambda title: plain(parse_translation(text_of(title), (), frozenset(),
                                                                                     frozenset())))


def tokens_markdown(seg: Segment, tokens: list, title_text: Callable[[Segment], str]) -> str:
    """Safe inline tokens of ``seg`` (see :func:`parse_translation`) as inline Markdown."""
    def title(n: int) -> str:
        segment = seg.titles[n - 1] if n <= len(seg.titles) else None
        return _title(title_text(segment) if segment is not None else None)

    return serialize(tokens, lambda n, inner: f"[{inner}]({_destination(seg.links[n - 1])}{title(n)})",
                     lambda n, alt: f"![{alt}]({_destination(seg.links[n - 1])}{title(n)})", dollars=True)


def _block_safe(text: str) -> str:
    """Each line of a text escaped where Markdown would read it as the start of a block."""
    lines = []
    for line in text.split("\n"):
        line = line.lstrip(" \t")
        if _LINE_START.match(line):
            line = "\\" + line
        elif after := _MARK_AFTER.match(line):
            line = line[:after.end()] + "\\" + line[after.end():]
        lines.append(line)
    return "\n".join(lines)


class _Writer:
    def __init__(self, story: Story, text_of: TextOf | None, markdown_of: Callable[[Segment], str] | None = None):
        self.story = story
        self.text_of = text_of
        self.labels = frozenset(n.label for n in story.footnotes)
        self.markdown_of = markdown_of or (lambda seg: inline_markdown(seg, self.text_of(seg), self.text_of,
                                                                       self.labels))

    def text(self, seg: Segment, one_line: bool = False) -> str:
        out = self.markdown_of(seg)
        if one_line:
            out = out.replace("\\\n", " ")
        return out

    def blocks(self, blocks: list[Block], tight: bool = False) -> list[str]:
        out: list[str] = []
        previous: Block | None = None
        for block in blocks:
            lines = self.block(block)
            if lines is None:
                continue
            if previous is not None:
                if previous.kind == "list" and block.kind == "list" and previous.ordered == block.ordered:
                    out += ["", "<!-- -->"]       # two lists in a row stay two lists
                if not tight or previous.kind not in ("paragraph",) or block.kind != "list":
                    out.append("")
            out += lines
            previous = block
        return out

    def block(self, block: Block) -> list[str] | None:
        kind = block.kind
        if kind == "paragraph":
            return _block_safe(self.text(block.segment)).split("\n")
        if kind == "heading":
            text = _block_safe(self.text(block.segment, one_line=True))
            if text.endswith(("#", "}")):       # a closing sequence, or attributes ({#id}) in Pandoc's reading
                text = text[:-1] + "\\" + text[-1]
            return [f"{'#' * block.level} {text}" + (f" {{#{block.info}}}" if block.info else "")]
        if kind == "list":
            out: list[str] = []
            for n, item in enumerate(block.children, block.start or 1):
                marker = f"{n}. " if block.ordered else "- "
                lines = self.blocks(item.children, tight=block.tight) or [""]
                if out and not block.tight:
                    out.append("")
                out.append((marker + lines[0]).rstrip())
                out += [(" " * len(marker) + line) if line else "" for line in lines[1:]]
            return out
        if kind in ("quote",):
            return [f"> {line}".rstrip() for line in self.blocks(block.children)]
        if kind == "pullquote":
            return ["::: pullquote", *self.blocks(block.children), ":::"]
        if kind == "table":
            return self.table(block)
        if kind == "figure":
            return self.figure(block.figure)
        if kind == "code":
            fence = "```"
            while fence in (block.text or ""):
                fence += "`"
            return [fence + (block.info or ""), *(block.text or "").rstrip("\n").split("\n"), fence]
        if kind == "embed":
            title = f' title="{html.escape(block.info)}"' if block.info else ""
            return [f'<iframe src="{html.escape(block.text)}"{title} loading="lazy" allowfullscreen></iframe>']
        if kind == "rule":
            return ["---"]
        return None

    def table(self, block: Block) -> list[str]:
        out = []
        for row in block.children:
            cells = [self.text(c.segment, one_line=True).replace("|", "\\|") if c.segment is not None else ""
                     for c in row.children]
            out.append("| " + " | ".join(cells) + " |")
            if row.header:
                marks = {"left": ":--", "right": "--:", "center": ":-:", None: "---"}
                out.append("| " + " | ".join(marks.get(c.align, "---") for c in row.children) + " |")
        return out

    def figure(self, figure: Figure) -> list[str]:
        out = [f"::: figure {figure.id}", *(f"image: {image}" for image in figure.images)]
        for name, seg in (("alt", figure.alt), ("caption", figure.caption), ("credit", figure.credit)):
            if seg is not None:
                out.append(f"{name}: {self.text(seg, one_line=True)}")
        out.append(":::")
        return out

    def figure_meta(self, figure: Figure) -> dict:
        out: dict = {"image": figure.image}
        for name, seg in (("alt", figure.alt), ("caption", figure.caption), ("credit", figure.credit)):
            if seg is not None:
                out[name] = self.text(seg, one_line=True)
        return out

    def footnotes(self) -> list[str]:
        out: list[str] = []
        for note in self.story.footnotes:
            lines = self.blocks(note.children) or [""]
            out += ["", f"[^{note.label}]: {lines[0]}".rstrip(),
                    *(("    " + line) if line else "" for line in lines[1:])]
        return out


def markdown_body(story: Story, markdown_of: Callable[[Segment], str]) -> list[str]:
    """The lines of ``article.md`` after its front matter: the blocks and the footnotes, each
    segment's text given by ``markdown_of`` (see :func:`render_markdown`)."""
    writer = _Writer(story, None, markdown_of)        # given markdown_of, the writer never asks text_of
    return [*writer.blocks(story.blocks), *writer.footnotes()]


def render_markdown(story: Story, text_of: TextOf, lang: str,
                    markdown_of: Callable[[Segment], str] | None = None, body: list[str] | None = None) -> str:
    """The story as ``article.md`` again, each segment's text given by ``text_of`` (or, already made
    safe, by ``markdown_of``: see :func:`inline_markdown`); ``body``, when given, is
    :func:`markdown_body`'s for the same texts (made once for languages that show the same)."""
    writer = _Writer(story, text_of, markdown_of)
    meta: dict = {}
    for key in ("title", "dek", "byline"):
        seg = getattr(story, key)
        if seg is not None:
            meta[key] = writer.text(seg, one_line=True)
    for key in ("publisher", "photographer", "date", "canonical_url"):
        if story.meta.get(key) not in (None, ""):
            meta[key] = clean(str(story.meta[key]))
    meta["lang"] = lang
    if story.keep:
        meta["keep"] = list(story.keep)
    if story.lead is not None:
        meta["lead"] = writer.figure_meta(story.lead)
    if story.corrections:
        meta["corrections"] = [{"date": c.date, "note": writer.text(c.note, one_line=True)}
                               for c in story.corrections]
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000).rstrip("\n")
    if body is None:
        body = [*writer.blocks(story.blocks), *writer.footnotes()]
    out = ["---", front, "---", "", *body]
    return "\n".join(out).rstrip("\n") + "\n"


__all__ = ["render_markdown", "inline_markdown", "escape_text"]
