"""Readers of text the checks share: words, URLs, links, Markdown's inline tokens, stems.

Every pattern here and in the check modules reads untrusted text (a translation), so each runs in
linear time: no two quantifiers may share characters, and a failed match may not rescan what a
later start scans again (an e-mail starts only where a run of its characters starts; a link's
target stops at the next bracket). tests/check/test_text.py feeds them megabytes of the shapes that
would backtrack.
"""
from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})
# What starts one of CommonMark's inline rules (a line break, an escape, code, emphasis, an autolink,
# an entity; a link or image needs "](" or, as a reference, "][") or what markdown-it rewrites (\r,
# NUL): a text without any of them is one text token, as markdown-it parses it (test_shortcuts.py
# compares the two). A lone "[" or "!" is prose: no reference is defined in an inline parse.
_INLINE_MARKS = re.compile(r"[\n\r\0\\`*_<&]")

WORD = re.compile(r"\w++(?:[’'ʼ-]\w++)*+")
URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"“”«»]+[^\s<>()\[\]\"“”«».,;:!?'’]|"
                 r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
INLINE_URL_LINK = re.compile(r"\]\(\s*+<?([^()<>\[\]\s]++)>?[^()\[\]]*+\)|<((?:https?|mailto):[^<>\s]++)>")
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*+(?:\s[^<>]*+)?/?>")
# story.LINK_REF's shape, with the text between brackets unable to hold "[": the same links, without
# rescanning a run of "[[[[" from every bracket (quadratic). story.py should take this form too.
LINK_REF = re.compile(r"\[([^\[\]\n]++)\]\[(\d++)\]")


def base_lang(lang: str) -> str:
    """The language without its region or variant: ``pt_BR`` → ``pt``, ``sr@latin`` → ``sr``."""
    return lang.split("_")[0].split("@")[0]


def inline(text: str) -> list:
    """markdown-it's inline tokens for ``text`` (link references read as their text); read only."""
    return list(_inline(text))


@lru_cache(maxsize=1024)
def _inline(text: str) -> tuple:
    # Several checks read the same two texts: parse each once; most prose has nothing to parse. The
    # languages of a story follow each other: 1,024 texts keep a story of 500 entries' English parsed.
    if text and _INLINE_MARKS.search(text) is None and "](" not in text and "][" not in text:
        return (Token("text", "", 0, content=text),)
    tokens = _markdown.parseInline(LINK_REF.sub(r"\1", text))
    return tuple(tokens[0].children or []) if tokens else ()


def urls(text: str) -> list[str]:
    """URLs and e-mail addresses written out in ``text`` (an address without the dots before it)."""
    if "@" not in text and "://" not in text and "www." not in text:
        return []                     # what each of URL's branches must hold; the regex tries every word
    return [m.group(0) if m.group(0)[:1].isalnum() else m.group(0).lstrip(".+-") for m in URL.finditer(text)]


@lru_cache(maxsize=1024)
def literal_text(text: str) -> str:
    """The characters Markdown shows as text (markers of balanced emphasis and code removed)."""
    return "".join(t.content for t in _inline(text) if t.type in ("text", "text_special"))


@lru_cache(maxsize=1024)
def plain(text: str) -> str:
    """The text a reader sees, code included (markers of balanced emphasis removed); several checks
    read it, of the same two texts."""
    return "".join(t.content for t in _inline(text) if t.type in ("text", "text_special", "code_inline"))


def quote(text: str, limit: int = 40) -> str:
    """``text`` for a message, cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def stem_match(wanted: str, candidate: str) -> bool:
    """Same word up to an inflected ending: Бахмут ~ Бахмуті, область ~ області, Babenko ~ Babenka."""
    a, b = wanted.casefold(), candidate.casefold()
    if a == b:
        return True
    if len(a) <= 3:
        return False
    keep = max(3, len(a) - 2) if len(a) > 4 else len(a) - 1
    return b.startswith(a[:keep]) and len(b) <= len(a) + 4


def phrase_in(phrase: str, text: str) -> bool:
    """Every word of ``phrase`` is in ``text``, each allowed its inflected ending."""
    wanted = WORD.findall(phrase)
    have = WORD.findall(text)
    return bool(wanted) and all(any(stem_match(w, h) for h in have) for w in wanted)
