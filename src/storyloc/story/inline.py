"""Inline text both ways: markdown-it's tokens become the text a translator sees, and that text
(the source's or a translation's) becomes safe tokens again for the page and ``article.md``.

The text a translator sees is CommonMark inline markup with links written ``[text][n]``: the
targets stay in the story (:class:`Segment.links`), so nothing a translation writes can point a
link anywhere the source did not, or show an image the source did not have. A translation is
parsed with raw HTML off; links are resolved only to the segment's own numbered targets.
"""
from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

LINK_REF = re.compile(r"\[([^\[\]\n]++)\]\[(\d+)\]")   # possessive, no "[" inside: linear on "[[[["
FOOTNOTE_REF = re.compile(r"\[\^([^\[\]\s]++)\]")   # likewise on "[^[^[^"
SENTINEL = "storyloc-link:"
# C0 and C1 controls (but tab and line feed), and the bidi embeddings, overrides and isolates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t\r]+")
_ASCII_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"


def clean(text: str) -> str:
    """Remove control characters and bidi overrides (nothing invisible reaches an output); the line and
    paragraph separators U+2028/U+2029, which some readers take for line breaks, become spaces."""
    return UNSAFE.sub("", text).replace("\u2028", " ").replace("\u2029", " ")


@lru_cache(maxsize=None)
def translation_parser() -> MarkdownIt:
    """What a segment's text is read with: CommonMark inline, raw HTML off, footnote references on."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    md.use(footnote_plugin, inline=False)
    return md


_SPECIAL = re.compile(r"[*`\[\]<_\\&!]")


def escape_text(text: str) -> str:
    """A text token's characters written so that Markdown reads them back as the same text."""
    if not _SPECIAL.search(text):
        return text
    out = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch in "*`[]<":
            out.append("\\" + ch)
        elif ch == "_":
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < n else " "
            out.append("_" if before.isalnum() and after.isalnum() else "\\_")
        elif ch == "\\":
            after = text[i + 1] if i + 1 < n else "\n"
            out.append("\\\\" if after in _ASCII_PUNCT or after == "\n" else "\\")
        elif ch == "&" and re.match(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});",
                                    text[i:]):
            out.append("\\&")
        elif ch == "!" and i + 1 < n and text[i + 1] == "[":
            out.append("!")   # the bracket is escaped: no image
        else:
            out.append(ch)
    return "".join(out)


def _code(content: str, markup: str) -> str:
    fence = markup or "`"
    while fence in content:
        fence += "`"
    pad = " " if content[:1] == "`" or content[-1:] == "`" or (
        content[:1] == " " and content[-1:] == " " and content.strip()) else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def serialize(tokens: list[Token], link, image, footnote=lambda label: f"[^{label}]", dollars: bool = False) -> str:
    """Inline tokens as Markdown text. ``link(n, text)`` / ``image(n, alt)`` write the n-th link or image
    (``n`` as the caller numbered it: see :func:`number_links`). ``dollars``: a text's ``$`` escaped too,
    for a story's own Markdown, where ``$…$`` is math (a catalog's text has no math: ``$`` is text there)."""
    out: list[str] = []
    stack: list[tuple[int, int]] = []        # (link number, position in out)
    i = 0
    while i < len(tokens):
        t = tokens[i]
        kind = t.type
        if kind in ("text", "text_special"):
            text = t.content
            if "  " in text or "\t" in text or "\r" in text:    # only then is there a run to collapse:
                text = _SPACES.sub(" ", text)                 # the sub costs on every word otherwise
            text = escape_text(text)
            if dollars and "$" in text:
                text = text.replace("$", "\\$")
            if text.startswith(" ") and out and out[-1].endswith(" "):
                text = text[1:]           # the space around something left out (an HTML tag) counts once
            out.append(text)
        elif kind == "softbreak":
            if not (out and out[-1].endswith(" ")):
                out.append(" ")
        elif kind == "hardbreak":
            out.append("\\\n")
        elif kind == "code_inline":
            out.append(_code(t.content, t.markup))
        elif kind in ("em_open", "em_close", "strong_open", "strong_close"):
            out.append(t.markup)
        elif kind == "link_open":
            stack.append((t.meta["n"], len(out)))
        elif kind == "link_close":
            n, start = stack.pop()
            inner = "".join(out[start:])
            del out[start:]
            out.append(link(n, inner))
        elif kind == "image":
            alt = serialize(t.children or [], link, image, footnote, dollars)
            out.append(image(t.meta["n"], alt))
        elif kind == "footnote_ref":
            out.append(footnote(t.meta["label"]))
        # html_inline and anything else: left out (the parser warned)
        i += 1
    text = "".join(out)
    return text.strip(" ")


def number_links(tokens: list[Token], seen: list[tuple[str, str | None, bool]]) -> None:
    """Number every link and image in reading order (``meta["n"]``), recording (href, title, image)."""
    for t in tokens:
        if t.type in ("link_open", "image"):
            seen.append((t.attrGet("src") if t.type == "image" else t.attrGet("href") or "",
                         t.attrGet("title"), t.type == "image"))
            t.meta = {**(t.meta or {}), "n": len(seen)}
            if t.type == "image" and t.children:
                number_links(t.children, seen)


def ref_text(tokens: list[Token]) -> str:
    """The text a translator sees: links and images as ``[text][n]`` / ``![alt][n]``."""
    return serialize(tokens, lambda n, text: f"[{text}][{n}]", lambda n, alt: f"![{alt}][{n}]")


def parse_translation(text: str, links: tuple[str, ...], images: frozenset[int],
                      footnotes: frozenset[str]) -> list[Token]:
    """A translation's text as inline tokens, made safe: raw HTML is text, every link and image
    points at the segment's own n-th target (its kind, link or image, is the source's), anything
    else a translation links to is left as its words, and an unknown ``[^label]`` stays text."""
    md = translation_parser()
    env = {"references": {str(n): {"href": f"{SENTINEL}{n}", "title": ""} for n in range(1, len(links) + 1)},
           "footnotes": {"refs": {f":{label}": -1 for label in footnotes}, "list": {}}}
    if not env["footnotes"]["refs"]:
        del env["footnotes"]
    blocks = md.parseInline(clean(text), env)
    tokens = blocks[0].children or [] if blocks else []
    return _safe(tokens, links, images)


def _target(href: str | None, count: int) -> int | None:
    if href and href.startswith(SENTINEL) and href[len(SENTINEL):].isdigit():
        n = int(href[len(SENTINEL):])
        if 1 <= n <= count:
            return n
    return None


def _safe(tokens: list[Token], links: tuple[str, ...], images: frozenset[int]) -> list[Token]:
    out: list[Token] = []
    opened: list[bool | Token] = []          # per open link: kept, dropped, or the image it became
    for t in tokens:
        if t.type == "link_open":
            n = _target(t.attrGet("href"), len(links))
            if n is None:
                opened.append(False)
                continue
            if n in images:                  # the source's image, written as a link: still its image
                image = Token("image", "img", 0)
                image.attrs = {"src": links[n - 1], "alt": ""}
                image.meta = {"n": n, "alt_from": len(out)}
                image.children = []
                out.append(image)
                opened.append(image)
                continue
            t.meta = {"n": n}
            opened.append(True)
        elif t.type == "link_close":
            state = opened.pop() if opened else False
            if isinstance(state, Token):     # the words inside become the image's alt
                start = state.meta.pop("alt_from") + 1
                state.children = out[start:]
                del out[start:]
                continue
            if not state:
                continue
        elif t.type == "image":
            n = _target(t.attrGet("src"), len(links))
            children = _safe(t.children or [], links, images)
            if n is None or n not in images:   # not the source's image: its words only
                if n is not None:
                    link = Token("link_open", "a", 1)
                    link.meta = {"n": n}
                    out.extend([link, *children, Token("link_close", "a", -1)])
                else:
                    out.extend(children)
                continue
            t.meta = {"n": n}
            t.children = children
        elif t.type == "text":
            t.content = clean(t.content)
        elif t.type == "html_inline":
            continue
        out.append(t)
    return out


def plain(tokens: list[Token]) -> str:
    """The words of inline tokens, markup removed (for alt attributes, titles, descriptions)."""
    parts = []
    for t in tokens:
        if t.type in ("text", "text_special", "code_inline"):
            parts.append(t.content)
        elif t.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif t.type == "image":
            parts.append(plain(t.children or []))
    return clean("".join(parts))


def count_words(text: str) -> int:
    return len(WORD.findall(LINK_REF.sub(r"\1", text)))


WORD = re.compile(r"\w+(?:[’'ʼ-]\w+)*")
