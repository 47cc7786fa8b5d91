"""Raw HTML in a story's source: an embed whose host the project allows is carried as it is, an HTML
comment is nothing, and anything else is left out with a warning (never shown as literal tags,
never sent to an engine)."""
from __future__ import annotations

import urllib.parse
from html.parser import HTMLParser

from .model import Block

EMBED_TAGS = ("iframe", "embed", "video", "audio")


class RawHtml:
    """The part of the story reader that meets raw HTML blocks (a mixin of
    :class:`~storyloc.story.reader.Reader`: it uses its ``warn`` and ``embed_hosts``)."""

    def html_block(self, html: str, line: int) -> Block | None:
        stripped = html.strip()
        if stripped.startswith("<!--") and stripped.endswith("-->"):
            return None
        embed = Embed.read(stripped)
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


class Embed(HTMLParser):
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
