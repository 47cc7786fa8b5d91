"""Write PO string fields and comments exactly as GNU gettext 0.21 does.

Translators resave our catalogs with Poedit or ``msgcat``; if our layout
differs from GNU's by a single line break they see a noisy diff.  So this
module mirrors ``write-po.c`` (``wrap()`` and the comment printers, default
page width 79) and the libunistring 1.0 line breaker it calls
(``u8_possible_linebreaks`` + ``u8_width_linebreaks``).

What is exact and what is approximate:

* The break algorithm (UAX #14 as libunistring 1.0 implements it: a pair
  table of direct/indirect breaks plus the rules for spaces, combining
  marks, ZWJ, regional indicators and Hebrew+hyphen) and the greedy fill
  are reproduced exactly, as are GNU's rules around it: no break inside an
  escape sequence or just before a final \\n, a new line after each \\n,
  ``keyword ""`` first when the value would wrap, python-format directives
  kept whole, no filling for no-wrap entries.
* Line-break *classes* come from ``unicodedata`` categories plus an
  explicit table (``_EXPLICIT_SPEC``) for the characters where the category
  rule is wrong.  Compared with libunistring on every code point, they
  agree for 99% of assigned characters, and for all of them in U+0000-07BF
  (Latin, Greek, Cyrillic, Hebrew, Arabic...), U+2000-2BFF (punctuation,
  symbols), U+3000-9FFF (CJK, kana), U+AC00-D7FF (Hangul) and U+FE10-FFEF
  (fullwidth forms).  The rest is approximate: emoji and pictographs above
  U+1F000, historic punctuation in U+2E00-2E7F, and some punctuation of
  minor and historic scripts.
* Display width follows libunistring's uc_width: East Asian Wide/Fullwidth
  = 2; combining, format and control characters = 0; otherwise 1.
* Only the python-format and no-wrap flags are interpreted; GNU also keeps
  directives of other formats (c-format "%%", ...) whole, which matters
  only where such a directive contains a break opportunity.
"""

from __future__ import annotations

import functools
import re
from itertools import accumulate, compress, count
from operator import add
from collections.abc import Collection, Sequence

from .escape import escape

__all__ = ["PAGE_WIDTH", "field_lines", "comment_lines"]

PAGE_WIDTH = 79

# ---------------------------------------------------------------------------
# Line-break classes (UAX #14, resolved the way libunistring 1.0 does for a
# UTF-8 locale: AI, SA, XX -> AL; CB -> ID; CJ -> NS).  OPW is an opening
# punctuation of East Asian width, which libunistring separates from OP to
# implement rule LB30.  BK also covers LF, CR and NL.

_TABLE_CLASSES = "WJ GL B2 BA BB HY ID CL CP EX IN NS OP OPW QU IS NU PO PR SY AL H2 H3 JL JV JT RI HL EB EM".split()
(WJ, GL, B2, BA, BB, HY, ID, CL, CP, EX, IN, NS, OP, OPW, QU, IS, NU, PO, PR,
 SY, AL, H2, H3, JL, JV, JT, RI, HL, EB, EM) = range(len(_TABLE_CLASSES))
BK, SP, ZW, CM, ZWJ, HL_BA = range(len(_TABLE_CLASSES), len(_TABLE_CLASSES) + 6)
_CLASS_IDS = {name: i for i, name in enumerate(_TABLE_CLASSES + ["BK", "SP", "ZW", "CM", "ZWJ"])}

# Pair table: row = class of the last non-space character before the
# position, column = class of the character after it.  D = break allowed,
# I = break allowed only if spaces intervene, P = no break.  (It encodes
# UAX #14 rules LB11-LB31 and matches libunistring's lbrktables.c.)
_PAIRS = {
    #      WJ GL B2 BA BB HY ID CL CP EX IN NS OP OPW QU IS NU PO PR SY AL H2 H3 JL JV JT RI HL EB EM
    "WJ": "PIIIIIIPPPIIIIIPIIIPIIIIIIIIII",
    "GL": "PIIIIIIPPPIIIIIPIIIPIIIIIIIIII",
    "B2": "PIPIDIDPPPIIDDIPDDDPDDDDDDDDDD",
    "BA": "PDDIDIDPPPIIDDIPDDDPDDDDDDDDDD",
    "BB": "PIIIIIIPPPIIIIIPIIIPIIIIIIIIII",
    "HY": "PDDIDIDPPPIIDDIPIDDPDDDDDDDDDD",
    "ID": "PIDIDIDPPPIIDDIPDIDPDDDDDDDDDD",
    "CL": "PIDIDIDPPPIPDDIPDIIPDDDDDDDDDD",
    "CP": "PIDIDIDPPPIIDDIPIIIPIDDDDDDIDD",
    "EX": "PIDIDIDPPPIIDDIPDDDPDDDDDDDDDD",
    "IN": "PIDIDIDPPPIIDDIPDDDPDDDDDDDDDD",
    "NS": "PIDIDIDPPPIIDDIPDDDPDDDDDDDDDD",
    "OP": "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",
    "OPW": "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",
    "QU": "PIIIIIIPPPIIPPIPIIIPIIIIIIIIII",
    "IS": "PIDIDIDPPPIIDDIPIDDPDDDDDDDDDD",
    "NU": "PIDIDIDPPPIIIDIPIIIPIDDDDDDIDD",
    "PO": "PIDIDIDPPPIIIIIPIDDPIDDDDDDIDD",
    "PR": "PIDIDIIPPPIIIIIPIDDPIIIIIIDIII",
    "SY": "PIDIDIDPPPIIDDIPIDDPDDDDDDDIDD",
    "AL": "PIDIDIDPPPIIIDIPIIIPIDDDDDDIDD",
    "H2": "PIDIDIDPPPIIDDIPDIDPDDDDIIDDDD",
    "H3": "PIDIDIDPPPIIDDIPDIDPDDDDDIDDDD",
    "JL": "PIDIDIDPPPIIDDIPDIDPDIIIIDDDDD",
    "JV": "PIDIDIDPPPIIDDIPDIDPDDDDIIDDDD",
    "JT": "PIDIDIDPPPIIDDIPDIDPDDDDDIDDDD",
    "RI": "PIDIDIDPPPIIDDIPDDDPDDDDDDIDDD",
    "HL": "PIDIDIDPPPIIIDIPIIIPIDDDDDDIDD",
    "EB": "PIDIDIDPPPIIDDIPDIDPDDDDDDDDDI",
    "EM": "PIDIDIDPPPIIDDIPDIDPDDDDDDDDDD",
}
_PAIR = [_PAIRS[name] for name in _TABLE_CLASSES]

# Characters whose class the category rule in _classify() gets wrong:
# ASCII, Latin-1, general punctuation, symbols, CJK punctuation and kana,
# fullwidth forms, and the punctuation of Arabic, Indic, Tibetan,
# Myanmar, Ethiopic, Khmer and Mongolian.  "a-b" denotes a range.
_EXPLICIT_SPEC = {
    "BK": "\n\v\f\r\x85\u2028\u2029",
    "SP": " ",
    "ZW": "\u200b",
    "ZWJ": "\u200d",
    "WJ": "\u2060\ufeff",
    "CM": "\u3035",
    "GL": "\xa0\u034f\u035c-\u0362\u0f08\u0f0c\u0f12\u0fd9\u0fda\u180e\u2007"
          "\u2011\u202f",
    "BA": "\t|\xad\u0964\u0965\u0e5a\u0e5b\u0f0b\u0f34\u0f7f\u0f85\u0fbe\u0fbf"
          "\u0fd2\u104a\u104b\u1361\u17d4\u17d5\u17d8\u17da\u1804\u1805\u2027"
          "\u2056\u2058-\u205b\u205d\u205e",
    "B2": "\u2014\u2e3a\u2e3b",
    "BB": "\xb4\u02c8\u02cc\u02df\u0f01-\u0f04\u0f06\u0f07\u0f09\u0f0a\u0fd0"
          "\u0fd1\u0fd3\u1806\u1ffd",
    "HY": "-",
    "CL": "}\u3001\u3002\ufe11\ufe12\ufe50\ufe52\uff0c\uff0e\uff61\uff64",
    "CP": ")]",
    "EX": "!?\u05c6\u061b\u061d-\u061f\u06d4\u0f0d-\u0f11\u0f14\u1802\u1803"
          "\u1808\u1809\u2762\u2763\ufe15\ufe16\ufe56\ufe57\uff01\uff1f",
    "IN": "\u2024-\u2026\u22ef\ufe19",
    "NS": "\u31f0-\u31ff\u17d6\u203c\u203d\u2047-\u2049\u3005\u301c\u303b\u303c\u309b-\u309e"
          "\u30a0\u30fb-\u30fe\ufe54\ufe55\uff1a\uff1b\uff65\uff67-\uff70"
          "\uff9e\uff9f"
          "\u3041\u3043\u3045\u3047\u3049\u3063\u3083\u3085\u3087\u308e"
          "\u3095\u3096\u30a1\u30a3\u30a5\u30a7\u30a9\u30c3\u30e3\u30e5"
          "\u30e7\u30ee\u30f5\u30f6",
    "OP": "([{\xa1\xbf\u2e18",
    "OPW": "\uff62",
    "QU": "\"'\u275b-\u2760",
    "IS": ",.:;\u037e\u0589\u060c\u060d\u2044\ufe10\ufe13\ufe14",
    "NU": "\u066b\u066c",
    "PO": "%\xa2\xb0\u0609-\u060b\u066a\u09f2\u09f3\u09f9\u2030-\u2037\u20a7"
          "\u20b6\u20bb\u20be\u20c0\u2103\u2109\ufdfc\ufe6a\uff05\uffe0",
    "PR": "$+\\\xb1\u2116\u2212\u2213",
    "SY": "/",
    "ID": "\ufffc\u3030\u303f\ufe31\ufe32\ufe58\ufe63\uff0d\uff66\uff71-\uff9d"
          "\uffa0-\uffdc"
          # narrow emoji
          "\u23f1\u23f2\u2600-\u2603\u2618\u261a-\u261c\u261e\u261f\u2639-\u263b"
          "\u2668\u26bf-\u26c3\u26c6-\u26c8\u26cd\u26cf-\u26d1\u26d3\u26d8"
          "\u26d9\u26dc\u26df-\u26e1\u26f1\u26f4\u26f7\u26f8\u26fe-\u2704"
          "\u2708\u2709\u2764",
    "AL": "\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u2015\u2061-\u2064"
          "\u2e1a"
          # wide symbols that are not ideographic
          "\u23e9-\u23ec\u25fd\u25fe\u2648-\u2653\u2693\u26a1\u26aa\u26ab"
          "\u26ce\u2705\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797"
          "\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55",
    "EB": "\u261d\u26f9\u270a-\u270d",
    "EM": "\U0001f3fb-\U0001f3ff",
}


def _expand(spec: dict[str, str]) -> dict[str, int]:
    """Turn {"CLASS": "ab\\u2000-\\u2005"} into {char: class id}."""
    table: dict[str, int] = {}
    for name, chars in spec.items():
        cls = _CLASS_IDS[name]
        i = 0
        while i < len(chars):
            if i + 2 < len(chars) and chars[i + 1] == "-" and chars[i] != "-":
                for cp in range(ord(chars[i]), ord(chars[i + 2]) + 1):
                    table[chr(cp)] = cls
                i += 3
            else:
                table[chars[i]] = cls
                i += 1
    return table


_EXPLICIT: dict[str, int] = {}  # filled on first use: reading a catalog never needs it

# Scripts whose breaking needs a dictionary (class SA); libunistring treats
# them as AL, including their combining vowels.
_SA_RANGES = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF),
              (0x1950, 0x19DF), (0x1A20, 0x1AAF), (0xA9E0, 0xA9FF),
              (0xAA60, 0xAADF))
_CJK_UNASSIGNED = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFD))

_CATEGORY_CLASS = {
    "Mn": CM, "Me": CM, "Mc": CM, "Cc": CM, "Cf": CM, "Zl": BK, "Zp": BK,
    "Zs": BA, "Pe": CL, "Pi": QU, "Pf": QU, "Pd": BA, "Sc": PR,
}


def _classify(ch: str) -> int:
    """Line-break class of one character (see module docstring)."""
    if not _EXPLICIT:
        _EXPLICIT.update(_expand(_EXPLICIT_SPEC))
    cls = _EXPLICIT.get(ch)
    if cls is not None:
        return cls
    cp = ord(ch)
    if 0xAC00 <= cp <= 0xD7A3:  # Hangul syllables: LV or LVT
        return H2 if (cp - 0xAC00) % 28 == 0 else H3
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97F:
        return JL
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return JV
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return JT
    if 0x1F1E6 <= cp <= 0x1F1FF:
        return RI
    import unicodedata  # here, not at the top: reading a catalog never breaks lines
    cat = unicodedata.category(ch)
    if cat == "Cn":
        return ID if any(lo <= cp <= hi for lo, hi in _CJK_UNASSIGNED) else AL
    if any(lo <= cp <= hi for lo, hi in _SA_RANGES) and cat[0] in "LM":
        return AL
    wide = unicodedata.east_asian_width(ch) in "WF"
    if cat == "Ps":
        return OPW if wide else OP
    cls = _CATEGORY_CLASS.get(cat)
    if cls is not None:
        return cls
    if wide:
        return ID
    if cat == "Nd":
        return NU
    if cat == "Lo" and (0x05D0 <= cp <= 0x05F2 or 0xFB1D <= cp <= 0xFB4F):
        return HL
    return AL


_WIDE_UNASSIGNED = ((0x2E80, 0xA4CF), (0xF900, 0xFAFF), (0xFE10, 0xFE6F),
                    (0xFF00, 0xFF60), (0x1F200, 0x1F2FF), (0x20000, 0x3FFFF))
# Marks that Unicode calls non-spacing but libunistring gives width 1.
_SPACING_MN = frozenset("\u0cbf\u0cc6\U00011a07\U00011a08\U00011c3f")


def _char_width(ch: str) -> int:
    """Columns a character occupies (libunistring uc_width, UTF-8 locale)."""
    cp = ord(ch)
    if 0x20 <= cp < 0x7F:
        return 1
    import unicodedata
    cat = unicodedata.category(ch)
    if cat == "Cn":
        return 2 if any(lo <= cp <= hi for lo, hi in _WIDE_UNASSIGNED) else 1
    if cat in ("Mn", "Me", "Cf", "Cc") or 0x1160 <= cp <= 0x11FF or 0xD7B0 <= cp <= 0xD7FF:
        return 1 if ch in _SPACING_MN else 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


_CLASS: dict[str, int] = {}   # char -> break class, for the characters met so far
_WIDTH: dict[str, int] = {}   # char -> columns


_NARROW: set[str] = set()     # the characters met so far that take one column


def _learn(text: str) -> None:
    """Put ``text``'s characters in :data:`_CLASS` and :data:`_WIDTH` (each worked out once)."""
    for ch in set(text).difference(_WIDTH):
        _CLASS[ch], _WIDTH[ch] = _classify(ch), _char_width(ch)
        if _WIDTH[ch] == 1:
            _NARROW.add(ch)


def _text_width(text: str) -> int:
    if (text.isascii() and text.isprintable()) or _PLAIN_CHARS.issuperset(text):
        return len(text)
    _learn(text)
    return sum(map(_WIDTH.__getitem__, text))


_ESCAPABLE = re.compile(r'[\\"\n\t\r\a\b\f\v]')


def _escape(text: str) -> str:
    """:func:`escape`, skipped when there is nothing to escape (str.translate is slow on non-ASCII text)."""
    return escape(text) if _ESCAPABLE.search(text) else text


# ---------------------------------------------------------------------------
# Line breaking

_NO, _CAN, _MUST = 0, 1, 2


# Letters, digits and quotes: no break between any two of them (tests/po/test_wrap.py checks the
# pair table), so inside a run of them nothing needs deciding; :func:`_break_opportunities` steps
# over the run in one go (profiled: a character at a time was most of wrapping a translation).
_LETTERS = (AL, NU, QU)
_RUN = re.compile(b"[%s]{2,}" % bytes(_LETTERS))


def _break_opportunities(classes: list[int]) -> list[int]:
    """Per character: may a line start here?  (u8_possible_linebreaks)"""
    return _scan(classes, BK, False)[0]


def _scan(classes: list[int], last: int, seen_space: bool) -> tuple[list[int], int]:
    """:func:`_break_opportunities` from a state (``last``: the class of the last non-space
    character before, ``seen_space``: whether spaces came after it), and the ``last`` after."""
    n = len(classes)
    result = [_NO] * n
    runs = {m.start(): m.end() for m in _RUN.finditer(bytes(classes))}
    prev = BK         # previous character (a space before the first is the same: neither is HL or ZWJ)
    ri_count = 0
    i = 0
    while i < n:
        cls = classes[i]
        if cls == BK:
            result[i] = _MUST
            prev = last = BK
            seen_space = False
        else:
            if cls == SP:
                seen_space = True
            elif cls == ZW:
                last = ZW
                seen_space = False
            elif cls == CM or cls == ZWJ:
                # A mark attaches to what precedes it, unless that is a
                # line start, space or ZW; then it acts as a letter (LB9/10).
                if last == BK:
                    last, seen_space = AL, False
                elif last == ZW or seen_space:
                    result[i] = _CAN
                    last, seen_space = AL, False
            else:
                if last == BK or prev == ZWJ or prev == HL_BA:
                    pass
                elif last == ZW:
                    result[i] = _CAN
                elif last == RI and cls == RI:
                    if seen_space or ri_count % 2 == 0:
                        result[i] = _CAN
                else:
                    rule = _PAIR[last][cls]
                    if rule == "D" or (rule == "I" and seen_space):
                        result[i] = _CAN
                last = cls
                seen_space = False
            prev = HL_BA if prev == HL and (cls == HY or cls == BA) else cls
        ri_count = ri_count + 1 if cls == RI else 0
        end = runs.get(i)
        if end is None:
            i += 1
        else:                     # the rest of a run of letters: no breaks, and its last letter is the state
            prev = last = classes[end - 1]
            i = end
    return result, last


def _breaks_and_widths(text: str) -> tuple[list[int], list[int]]:
    """The whole text a character at a time: what the two shortcuts below are tested against."""
    _learn(text)
    return _break_opportunities(list(map(_CLASS.__getitem__, text))), list(map(_WIDTH.__getitem__, text))


# Plain prose takes a shortcut: words of letters, digits and quotes (any script's, one column wide:
# classes AL, NU and QU), each maybe ending in ASCII sentence punctuation, between spaces. A line
# may start only at a word after a space, once the text has begun: what the full algorithm gives
# for such text (tests/po/test_wrap.py compares the two). Profiled: most paragraphs, English or not.
_PLAIN = re.compile(r" *(?:[^ ,.;:!?]+[,.;:!?]*(?: +[^ ,.;:!?]+[,.;:!?]*)*)? *\Z")
_PLAIN_CHARS = set(" ,.;:!?'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")   # grows


def _plain_starts(text: str) -> list[int] | None:
    """Where a line may start in plain prose, or None for text that needs the full algorithm."""
    if not _PLAIN_CHARS.issuperset(text):
        if text.isascii():
            return None
        _learn(text)
        _PLAIN_CHARS.update(ch for ch in set(text).difference(_PLAIN_CHARS)
                            if _CLASS[ch] in (AL, NU, QU) and _WIDTH[ch] == 1)
        if not _PLAIN_CHARS.issuperset(text):
            return None
    if not _PLAIN.match(text):
        return None
    # Every word between spaces begins a line but the first: each word's offset, in C.
    parts = text.split(" ")
    return list(compress(map(add, accumulate(map(len, parts), initial=0), count()), parts))[1:]


# What a word between spaces allows: nothing of the text before a space reaches past it but the
# class of the last non-space character (a space was seen, and neither a space nor a line start is
# HL or ZWJ), and that decides only whether a line may start at the word's first character; what
# the word allows inside and the state it leaves are its own. So a text's break opportunities are
# its words', each worked out once. Profiled: a translation with brackets or dashes, a character at
# a time, was most of laying out a merged catalog's fuzzy entries.
_WORDS: dict[str, tuple[int, tuple[int, ...], tuple[int, ...], int]] = {}
_WORDS_MAX = 1 << 16


def _word(word: str) -> tuple[int, tuple[int, ...], tuple[int, ...], int]:
    """A word's first class, where a line may start inside it and where one must, and the state after."""
    classes = list(map(_CLASS.__getitem__, word))
    breaks, after = _scan(classes, AL, True)
    starts = tuple(i for i in range(1, len(breaks)) if breaks[i])
    found = (classes[0], starts, tuple(i for i in starts if breaks[i] == _MUST), after)
    if len(_WORDS) >= _WORDS_MAX:
        _WORDS.clear()
    _WORDS[word] = found
    return found


@functools.cache
def _after_space() -> list[list[int]]:
    """Whether a line may (or must) start at a word's first character, by the class of the last
    non-space character before the spaces and the character's class: the full algorithm's answer."""
    firsts = [c for c in range(HL_BA) if c != SP]
    lasts = [*range(len(_TABLE_CLASSES)), BK, ZW]           # what the last non-space character can leave
    table = [[_NO] * HL_BA for _ in range(HL_BA)]
    for last in lasts:
        for first in firsts:
            table[last][first] = _scan([first], last, True)[0][0]
    return table


def _starts_by_word(text: str) -> tuple[list[int], Collection[int]]:
    """Where a line may start in ``text`` and where one must: the full algorithm, a word at a time."""
    _learn(text)
    words, table = _WORDS, _after_space()
    starts: list[int] = []
    must: list[int] = []
    at, last = 0, BK
    for word in text.split(" "):
        if word:
            first, inner, forced, after = words.get(word) or _word(word)
            kind = table[last][first]
            if kind:
                starts.append(at)
                if kind == _MUST:
                    must.append(at)
            if inner:
                starts += [at + i for i in inner]
                if forced:
                    must += [at + i for i in forced]
            last = after
        at += len(word) + 1
    return starts, set(must) if must else ()


def _line_starts(text: str, no_break: list[int]) -> tuple[list[int], Collection[int], Sequence[int]]:
    """Where a line may start, where one must (after a line separator), and the columns before
    each character (one more than the text's length): what :func:`_wrap_points` needs."""
    starts = _plain_starts(text)
    if starts is not None:
        must: Collection[int] = ()
        at: Sequence[int] = range(len(text) + 1)
    else:
        starts, must = _starts_by_word(text)
        at = range(len(text) + 1) if _NARROW.issuperset(text) else list(accumulate(map(_WIDTH.__getitem__, text), initial=0))
    if no_break:
        never = set(no_break)
        starts = [i for i in starts if i not in never]
    return starts, must, at


def _wrap_points(starts: list[int], must: Collection[int], at: Sequence[int], width: int, column: int) -> list[int]:
    """Indices where GNU starts a new line (u8_width_linebreaks, greedy).

    ``column`` is the start column relative to the continuation indent. Only the break
    opportunities are visited (a word, not a character, per step): ``at`` gives the columns
    before each character, so a line's width is a difference.
    """
    cuts: list[int] = []
    start = -column            # at[i] - start: the column where character i would start
    last_cut = -1              # the latest opportunity on this line, if it may break
    for i in starts:
        if last_cut >= 0 and at[i] - start > width:
            cuts.append(last_cut)
            start = at[last_cut]
        if i in must:
            last_cut, start = -1, at[i + 1]   # a mandatory break character takes no room
        else:
            last_cut = i
    if last_cut >= 0 and at[-1] - start > width:
        cuts.append(last_cut)
    return cuts


def _count(value: str, i: int, n: int) -> tuple[int, bool]:
    """Skip a width or precision at ``i``: ``*`` (taken from the arguments) or ASCII digits."""
    if i < n and value[i] == "*":
        return i + 1, True
    while i < n and value[i].isdigit() and value[i].isascii():
        i += 1
    return i, False


def _python_format_inner(value: str) -> set[int]:
    """Indices inside python-format directives (all but their leading '%').

    msgcat parses the strings of a ``python-format`` entry like
    format-python.c and never breaks inside a directive such as "% d".
    Parsing stops at the first invalid directive; earlier ones still count.
    """
    inner: set[int] = set()
    named = unnamed = 0
    i, n = 0, len(value)
    while i < n:
        if value[i] != "%":
            i += 1
            continue
        start, i = i, i + 1
        has_name = False
        if i < n and value[i] == "(":
            depth, i = 0, i + 1
            while i < n and not (value[i] == ")" and depth == 0):
                depth += {"(": 1, ")": -1}.get(value[i], 0)
                i += 1
            if i >= n:
                return inner
            has_name, i = True, i + 1
        while i < n and value[i] in "-+ #0":
            i += 1
        i, star = _count(value, i, n)                       # width
        if star and named:
            return inner
        unnamed += star
        if i < n and value[i] == ".":
            i, star = _count(value, i + 1, n)               # precision
            if star and named:
                return inner
            unnamed += star
        if i < n and value[i] in "hlL":
            i += 1
        if i >= n or value[i] not in "%csriduoxXeEfgG":
            return inner
        if has_name:
            if unnamed:
                return inner
            named += 1
        elif value[i] != "%":
            if named:
                return inner
            unnamed += 1
        inner.update(range(start + 1, i + 1))
        i += 1
    return inner


_ESCAPED_CHARS = frozenset("\\\"\n\t\r\a\b\f\v")


def _escape_portion(portion: str, offset: int, inner: set[int]) -> tuple[str, list[int]]:
    """Escape one \\n-terminated portion; list positions that must not break.

    GNU never breaks inside an escape sequence, just before a final \\n, or
    inside a format directive (``inner`` holds value indices, ``offset`` is
    where this portion starts in the value).
    """
    esc = _escape(portion)
    no_break = []
    if "\\" in esc:
        i = esc.find("\\")
        while i >= 0:
            no_break.append(i + 1)
            i = esc.find("\\", i + 2)
        if portion.endswith("\n"):
            no_break.append(len(esc) - 2)
    if inner:
        pos = 0
        for k, ch in enumerate(portion, offset):
            if k in inner:
                no_break.append(pos)
            pos += 2 if ch in _ESCAPED_CHARS else 1
    return esc, no_break


def field_lines(keyword: str, value: str, prefix: str = "", *,
                flags: Collection[str] = ()) -> list[str]:
    """Lines (without newlines) for ``keyword "value"`` as msgcat writes them.

    ``prefix`` is "" for normal entries, "#~ " for obsolete ones, "#| " for
    previous msgctxt/msgid, "#~| " for previous fields of obsolete entries.
    ``flags`` are the entry's ``#,`` flags: GNU does not break inside
    directives of a ``python-format`` entry (this applies to all its
    fields) and does not fill lines of a ``no-wrap`` entry.

    A msgid is wrapped once per process, not once per catalog: the template
    and every language's catalog write the same English (profiled: wrapping
    was a third of a long story's update).
    """
    no_wrap, python_format = "no-wrap" in flags, "python-format" in flags
    if keyword.startswith("msgstr"):
        return list(_field_lines(keyword, value, prefix, no_wrap, python_format))
    return list(_english_lines(keyword, value, prefix, no_wrap, python_format))


def _field_lines(keyword: str, value: str, prefix: str, no_wrap: bool, python_format: bool) -> tuple[str, ...]:
    # GNU reserves one column for the closing quote and measures from the
    # column after the opening quote of a continuation line.
    width = PAGE_WIDTH - 1 - (len(prefix) + 1)
    if no_wrap:
        width = 1 << 30
    first_column = len(keyword) + 1
    nl = value.find("\n")
    if nl < 0 or nl == len(value) - 1:
        esc = _escape(value)
        if first_column + _text_width(esc) <= width:
            return (f'{prefix}{keyword} "{esc}"',)
    inner = _python_format_inner(value) if python_format else set()
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    lines: list[str] = []
    first = True
    offset = 0
    for n, portion in enumerate(portions):
        esc, no_break = _escape_portion(portion, offset, inner)
        offset += len(portion)
        starts, must, at = _line_starts(esc, no_break)
        column = first_column if first else 0
        # A value of one portion gets here only when it does not fit after the keyword: with a place
        # to break (and no forced break) it wraps, and only the wrapped layout need be worked out.
        wraps = first and len(portions) == 1 and bool(starts) and not must
        cuts = [] if wraps else _wrap_points(starts, must, at, width, column)
        if first and esc and (wraps or n + 1 < len(portions) or column > width or cuts):
            # Would wrap: GNU starts with an empty string instead.
            lines.append(f'{prefix}{keyword} ""')
            first = False
            cuts = _wrap_points(starts, must, at, width, 0)
        bounds = [0, *cuts, len(esc)]
        for k in range(len(bounds) - 1):
            head = f"{prefix}{keyword} " if first and k == 0 else prefix
            lines.append(f'{head}"{esc[bounds[k]:bounds[k + 1]]}"')
        first = False
    return tuple(lines)


# msgctxt, msgid and msgid_plural (and their #| forms): the same English in every catalog of a story.
_english_lines = functools.lru_cache(maxsize=1 << 15)(_field_lines)


# ---------------------------------------------------------------------------
# Comments

def comment_lines(marker: str, items: list[str]) -> list[str]:
    """Comment lines for an entry, as write-po.c prints them: the one writer of every comment
    marker (``#``, ``#.``, ``#:``, ``#,``).

    ``#:`` references are filled greedily, never split, up to PAGE_WIDTH
    columns; a leading "./" is dropped as GNU does.  References must not
    contain spaces (msgcat would split them) and should be unique (msgcat
    drops duplicates).  ``#,`` flags go on one line, comma separated; note
    that msgcat itself puts "fuzzy" first and drops flags it does not know.
    ``#`` and ``#.`` comments get one line per item (with "# " / "#. "
    unless the item is empty); an item holding a line break is written as
    one line per line of it, so what is written always reads back, as one
    comment per line, and is what msgcat writes for that (GNU's write-po.c
    splits translator comments too, but leaves "# " on an empty line that
    msgcat then writes "#", and writes a ``#.`` line break as is, which no
    reader takes).  GNU cannot read back a comment that ends in a
    backslash (it joins the next line), so avoid those.
    """
    if not items:
        return []
    if marker == "#:":
        lines, line, column = [], "#:", 2  # GNU counts bytes here
        for ref in items:
            while ref.startswith("./"):
                ref = ref[2:]
            size = len(ref.encode("utf-8")) + 1
            if column > 2 and column + size > PAGE_WIDTH:
                lines.append(line)
                line, column = "#:", 2
            line += " " + ref
            column += size
        lines.append(line)
        return lines
    if marker == "#,":
        return [f"{marker} " + ", ".join(items)]
    lines = []
    for item in items:
        for line in item.split("\n"):
            lines.append(f"{marker} {line}" if line else marker)
    return lines
