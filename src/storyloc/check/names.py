"""Checks of names and terms: names in credits and bylines kept, glossary terms as the glossary says.

Names are read from the English by :func:`storyloc.glossary.names_in`, the one reader of names in a
credit line; a name written in Cyrillic is read back through :func:`romanize`.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Iterator

from ..glossary import names_in
from .entry import Entry
from .registry import ERROR, WARNING, register
from .text import WORD, phrase_in, stem_match


UK_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "ʼ": "", "'": "", "’": "",
    # Russian, Belarusian, Bulgarian, Serbian letters, so the same table serves them
    "ы": "y", "э": "e", "ё": "e", "ъ": "", "ў": "u", "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c",
    "џ": "dz",
}
UK_LATIN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def romanize(word: str) -> str:
    """A Cyrillic word in Latin letters (Ukraine's official 2010 system): Олександр → Oleksandr."""
    out = []
    for i, ch in enumerate(word):
        low = ch.lower()
        table = UK_LATIN_INITIAL if i == 0 and low in UK_LATIN_INITIAL else UK_LATIN
        latin = table.get(low, ch)
        out.append(latin.capitalize() if ch.isupper() else latin)
    return "".join(out)


# Latin spellings of one sound, as names cross languages: Polish Jan Kowalski is Ян Ковальський
# (read back "Yan Kovalskyi"), Spanish López is Лопес. Both sides are compared in these terms.
_SAME_SOUND = ((re.compile(r"sch|sz"), "sh"), (re.compile(r"cz"), "ch"), (re.compile(r"ck|q|c(?!h)"), "k"),
               (re.compile(r"ph"), "f"), (re.compile(r"th"), "t"), (re.compile(r"kh"), "h"),
               (re.compile(r"x"), "ks"), (re.compile(r"w"), "v"), (re.compile(r"[jy]"), "i"),
               (re.compile(r"z(?!h)"), "s"), (re.compile(r"(.)\1+"), r"\1"), (re.compile(r"^ie"), "e"))


def _sounds(word: str) -> str:
    """A Latin word in the spelling :data:`_SAME_SOUND` compares names in: Jan, Yan → ian; Anna → ana;
    Yeva (Єва) → eva."""
    word = unicodedata.normalize("NFKD", word.casefold())
    word = "".join(c for c in word if not unicodedata.combining(c))        # López → lopez
    for pattern, sound in _SAME_SOUND:
        word = pattern.sub(sound, word)
    return word


def _name_in(name: str, target: str) -> bool:
    """Every word of ``name`` is in ``target``: as written, inflected, or in Cyrillic read back to Latin
    and spelled another language's way (Kowalski, Ковальський)."""
    have = [_sounds(romanize(w) if re.search(r"[\u0400-\u04ff]", w) else w) for w in WORD.findall(target)]
    for word in map(_sounds, WORD.findall(name)):
        if not any(_same_name(word, h) for h in have):
            return False
    return True


def _same_name(word: str, have: str) -> bool:
    """One word of a name, spelled alike (:func:`_sounds`): inflected, or close. A short one (Jan → ian,
    Anna → ana) only with its last letter changed or an ending added (Яна, Анни, Анною), as a letter
    more elsewhere makes another name (Ivan); up to four letters, the stem must match."""
    if stem_match(word, have):
        return True
    if len(word) <= 3:
        return len(word) > 1 and have[:len(word) - 1] == word[:-1] and len(word) - 1 <= len(have) <= len(word) + 2
    return len(word) > 4 and difflib.SequenceMatcher(None, word, have).ratio() >= 0.8


def latin_or_cyrillic(text: str) -> bool:
    """Every letter of ``text`` is Latin or Cyrillic: the letters names can be read back from."""
    letters = [c for c in text if c.isalpha()]
    return all(("LATIN" in unicodedata.name(c, "") or "CYRILLIC" in unicodedata.name(c, "")
                or c == "ʼ") for c in letters)


@register("names", ERROR)
def names(e: Entry) -> Iterator[str]:
    """Names in credits and bylines are kept (or written in the language's letters)."""
    if e.kind not in ("credit", "byline"):
        return
    if not latin_or_cyrillic(e.target):
        return                                # a script we cannot read back: the glossary decides
    for name in names_in(e.source, e.names):
        glossed = [t for t in e.terms if t.source.casefold() == name.casefold()]
        if glossed and phrase_in(glossed[0].target, e.target):
            continue
        if not _name_in(name, e.target):
            yield f"name {name!r} is not in the translation"


@register("glossary", WARNING)
def glossary(e: Entry) -> Iterator[str]:
    """Glossary terms are translated as the glossary says."""
    named = set(names_in(e.source, e.names)) if e.kind in ("credit", "byline") else set()
    for term in e.terms:
        if term.source in named:
            continue                          # the names check speaks for names in credits
        if term.keep:
            if term.source not in e.target:
                yield f"{term.source!r} should stay as it is"
        elif term.target and not any(phrase_in(option.strip(), e.target)
                                     for option in re.split(r"[|;/]", term.target) if option.strip()):
            yield f"{term.source!r} should be {term.target!r}" + (f" ({term.note})" if term.note else "")
