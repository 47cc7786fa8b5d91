"""What the conversion of one file shares: its name, where each element came from (its line), the
warnings, figure ids, addresses made absolute, and the small text helpers every reader uses."""
from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

LINE_ATTR = "data-storyloc-line"
BLOCK_ATTR = "data-storyloc-html"
CREDIT = re.compile(r"(?:^|(?<=[.!?)]\s))((?:Photo|Photograph|Image|Illustration|Graphic|Video|Map|Chart|Credit)s?"
                     r"(?:\s+courtesy)?(?:\s+of|\s+by|:)\s+\S.*)$")
# Class names sites give a pull quote: WordPress's wp-block-pullquote, opensource.guide's pquote, BEM's
# c-pull-quote, pullout…; a whole class name, so a quote's own parts (pquote-credit) are not quotes.
PULLQUOTE = re.compile(r"(?:[\w-]*?(?:-|__))?(?:pull[-_]?quote|pquote|pull[-_]?out(?:[-_]?quote)?)s?", re.I)
INLINE_TAGS = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "font", "i", "ins", "kbd", "mark",
               "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"}


def clean_text(text: str) -> str:
    """Collapse line-wrapping whitespace; NBSP and other non-ASCII spaces are text and stay."""
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(str(text))).strip(" \t\r\n")


class State:
    """What the conversion of one file shares: its name, line offsets, warnings, figure ids."""

    def __init__(self, name: str, base_url: str | None):
        self.name = name
        self.base_url = base_url
        self.warnings: list[str] = []
        self._seen: set = set()
        self.line_offset = 0
        self.figure_ids: set[str] = set()
        self.figure_count = 0
        self.text_blocks = 0
        self.lead_line = 1
        self.lang_hint: str | None = None
        self.lang: str | None = None                 # the article's language, once its fields are read
        self.figure_images: set[str] = set()
        self.relative_warned = False
        self.fields_from = "front matter"          # what the article's fields are called in warnings

    def warn(self, line: int | None, message: str) -> None:
        """Record ``<file>:<line>: message``: always one line, whatever source text the message quotes."""
        message = re.sub(r"\s*[\r\n]\s*", " ", message)
        key = (line, message)
        if key not in self._seen:
            self._seen.add(key)
            self.warnings.append(f"{self.name}:{line or 1}: {message}")

    def url(self, url: str, line: int | None, what: str) -> str:
        """A link or image URL as the story keeps it: absolute when --base-url says where the site was."""
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme or url.startswith("#") or url.startswith("//"):
            return ("https:" + url) if url.startswith("//") else url
        if self.base_url:
            return urljoin(self.base_url.rstrip("/") + "/", url)
        if url.startswith("/"):
            if not self.relative_warned:
                self.relative_warned = True
                self.warn(line, f"{what} {url} is a path on the original site; pass --base-url "
                                f"https://… to make such paths absolute")
        return url

    def new_figure_id(self, src: str) -> str:
        stem = Path(urlsplit(src).path).stem if src else ""
        base = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "figure"
        candidate, n = base, 2
        while candidate in self.figure_ids:
            candidate, n = f"{base}-{n}", n + 1
        self.figure_ids.add(candidate)
        self.figure_count += 1
        return candidate


def is_pullquote(el) -> bool:
    """Whether a class of ``el`` names it a pull quote."""
    return any(PULLQUOTE.fullmatch(c) for c in el.get("class") or [])


def word_count(el) -> int:
    return len(re.findall(r"\w+", el.get_text(" ")))


def line_of(el, state: State) -> int | None:
    """The source line of an element: its Markdown block's, or its own in the HTML."""
    node, inner = el, None
    while node is not None and getattr(node, "attrs", None) is not None:
        if node.get(LINE_ATTR):
            return int(node[LINE_ATTR])
        if node.get(BLOCK_ATTR):
            start = int(node[BLOCK_ATTR])
            if inner is not None and inner.sourceline and node.sourceline:
                return start + inner.sourceline - node.sourceline - 1
            return start
        inner = node if inner is None else inner
        node = node.parent
    return el.sourceline + state.line_offset if getattr(el, "sourceline", None) else None


def excerpt(text: str, limit: int = 60) -> str:
    """Source text quoted in a warning: on one line, and cut after ``limit`` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def tidy(text: str) -> str:
    text = "\n".join(line.rstrip() for line in text.splitlines())
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n"


def bare_credit(text: str) -> str:
    """A credit without its "Photo:"/"Photo courtesy of" label: the page prints its own, in each language."""
    text = text.strip(" \t\r\n")
    bare = re.sub(r"^(?:Photo(?:graph)?s?|Credit)(?:\s+courtesy)?(?:\s+of|\s+by)?\s*:?\s+", "", text, flags=re.I)
    if not bare or bare == text:
        return text
    return bare[:-1] if bare.endswith(".") and not re.search(r"\b[A-Z][a-z]?\.$", bare) else bare
