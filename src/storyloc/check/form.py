"""Checks of form: whitespace, line breaks, end punctuation, length, the apostrophe, and copies
of the English."""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress, filterfalse
from typing import Iterator

from .entry import APOSTROPHE_IN_WORD, Entry
from .registry import ERROR, WARNING, register
from .text import LINK_REF, WORD, base_lang, plain


_DOUBLE_SPACE = re.compile(r"\S {2,}\S")


@register("whitespace", WARNING)
def whitespace(e: Entry) -> Iterator[str]:
    """Leading and trailing spaces as in the English, and no double spaces."""
    s, t = e.source, e.target
    lead = lambda x: x[: len(x) - len(x.lstrip())]
    trail = lambda x: x[len(x.rstrip()):]
    if lead(t) != lead(s):
        yield "leading whitespace differs from the English"
    if trail(t) != trail(s):
        yield "trailing whitespace differs from the English"
    if "  " in t and _DOUBLE_SPACE.search(t) and not _DOUBLE_SPACE.search(s):
        yield "double space"
    if "\t" in t and "\t" not in s:
        yield "tab character"


@register("line-break", ERROR)
def line_break(e: Entry) -> Iterator[str]:
    """No line breaks where the English has none (they break captions in article.md)."""
    if "\n" in e.target.strip("\n") and "\n" not in e.source:
        yield "line break inside the translation; write it on one line"
    elif e.target.endswith("\n") != e.source.endswith("\n"):
        yield "the translation must end with a line break exactly when the English does"


END_MARKS = {".": ".", "。": ".", "।": ".", "!": "!", "！": "!", "¡": "!", "?": "?", "？": "?", "؟": "?",
             ";": ";", "؛": ";", "：": ":", ":": ":", "…": "…"}
_TRAILING_CLOSERS = "\"'”’»›)]*_`\u00a0 "


def _end_mark(text: str, lang: str) -> str:
    text = LINK_REF.sub(r"\1", text).rstrip(_TRAILING_CLOSERS)
    if text.endswith("..."):
        return "…"
    if text.endswith(";") and base_lang(lang) == "el":
        return "?"
    return END_MARKS.get(text[-1:], "") if text else ""


@register("end-punctuation", WARNING)
def end_punctuation(e: Entry) -> Iterator[str]:
    """The translation ends the way the English does (full stop, question mark, none…)."""
    want, have = _end_mark(e.source, "en"), _end_mark(e.target, e.lang)
    if want == "" and have == "." and re.search(r"\d\.$", e.target.rstrip(_TRAILING_CLOSERS)):
        return                                # an ordinal or date dot: "am 25.12."
    if want != have:
        name = {".": "a full stop", "!": "an exclamation mark", "?": "a question mark", ":": "a colon",
                ";": "a semicolon", "…": "an ellipsis", "": "no end punctuation"}
        yield f"the English ends with {name[want]}, the translation with {name[have]}"


# Characters of a translation per character of English, typical of each language.
LENGTH_NORMS = {"uk": 1.1, "ru": 1.1, "be": 1.1, "pl": 1.1, "cs": 1.05, "de": 1.2, "fr": 1.2, "es": 1.2,
                "it": 1.15, "pt": 1.2, "nl": 1.15, "ar": 0.95, "he": 0.9, "fa": 1.0, "tr": 1.05, "zh": 0.35,
                "ja": 0.45, "ko": 0.5, "ka": 1.2, "fi": 1.1}
LENGTH_MIN_SOURCE = 20          # shorter segments vary too much to judge


@register("length", WARNING)
def length(e: Entry) -> Iterator[str]:
    """The translation's length is near the language's usual ratio to English."""
    source, target = plain(e.source).strip(), plain(e.target).strip()
    if len(source) < LENGTH_MIN_SOURCE or not target:
        return
    norm = LENGTH_NORMS.get(base_lang(e.lang), 1.1)
    ratio = len(target) / len(source)
    if ratio < norm * 0.5:
        yield f"much shorter than the English ({ratio:.2f}× its length; usual here ≈{norm:.2f}×): something left out?"
    elif ratio > norm * 2.0:
        yield f"much longer than the English ({ratio:.2f}× its length; usual here ≈{norm:.2f}×)"


@register("apostrophe", WARNING, langs=("uk", "be"))
def apostrophe(e: Entry) -> Iterator[str]:
    """One apostrophe throughout the catalog (ʼ U+02BC, unless the catalog mostly writes another)."""
    wanted = e.apostrophe
    for match in APOSTROPHE_IN_WORD.finditer(e.target):
        if match.group(1) != wanted:
            around = e.target[max(0, match.start() - 12): match.end() + 12]
            yield (f"apostrophe {match.group(1)} (U+{ord(match.group(1)):04X}) in “{around.strip()}”; "
                   f"this catalog writes {wanted} (U+{ord(wanted):04X})")


@lru_cache(maxsize=1024)
def _folded_words(text: str) -> frozenset[str]:
    """The distinct words of ``text`` but numbers, casefolded: an English's, read once for all its languages."""
    return frozenset(filterfalse(str.isdigit, map(str.casefold, set(WORD.findall(text)))))


@register("untranslated", WARNING)
def untranslated(e: Entry) -> Iterator[str]:
    """The translation is not a copy of the English."""
    s, t = plain(e.source), plain(e.target)
    kept = {w.casefold() for term in e.terms if term.keep for w in WORD.findall(term.source)}
    kept |= {w.casefold() for name in e.names for w in WORD.findall(name)}
    source_words = _folded_words(s) - kept
    if not source_words:
        return
    if s.casefold().split() == t.casefold().split():     # the same, but for case and spacing
        yield "same as the English"
        return
    target_words = WORD.findall(t)
    if len(target_words) < 4:
        return
    longer = compress(target_words, map((2).__lt__, map(len, target_words)))      # of three letters or more
    copied = sum(map(source_words.__contains__, map(str.casefold, longer)))
    if copied / len(target_words) > 0.6:
        yield f"mostly English ({copied} of {len(target_words)} words copied)"
