"""Write PO string fields and comments exactly as GNU gettext 0.21 does.

Translators resave our catalogs with Poedit or ``msgcat``; if our layout
differs from GNU's by a single line break they see a noisy diff.  So this
module mirrors ``write-po.c`` (``wrap()`` and the comment printers, default
page width 79) and the libunistring 1.0 line breaker it calls
(``u8_possible_linebreaks`` + ``u8_width_linebreaks``).

What is exact and what is approximate:

* The break algorithm (UAX #14 as libunistring implements it: pair table
  with direct/indirect breaks, spaces, combining marks, ZWJ, regional
  indicators, Hebrew+hyphen) and the greedy fill are reproduced exactly.
* Line-break *classes* come from ``unicodedata`` categories plus an explicit
  table (``_EXPLICIT``) that is exact for ASCII, Latin-1, General
  Punctuation, currency and letterlike symbols, CJK punctuation, kana and
  fullwidth forms.  Elsewhere the category rule is an approximation that
  may differ from Unicode's LineBreak.txt: some emoji in U+2600-U+27BF,
  historic punctuation in U+2E00-U+2E7F, dandas and other punctuation of
  Indic and South-East Asian scripts.  Checked against libunistring, about
  99.5% of all assigned code points get the class libunistring uses.
* Display width: East Asian Wide/Fullwidth = 2, combining marks, format and
  control characters = 0, everything else 1 (as libunistring's uc_width).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["PAGE_WIDTH", "escape", "unescape", "field_lines", "comment_lines"]

PAGE_WIDTH = 79

# ---------------------------------------------------------------------------
# Escaping

_ESCAPE_TABLE = str.maketrans({
    "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v",
})
_SIMPLE_UNESCAPES = {
    "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f",
    "v": "\v", "\\": "\\", '"': '"',
}
_UNESCAPE_RE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))", re.S)


def escape(text: str) -> str:
    """C-style escaping as write-po.c does it; non-ASCII text is kept as is."""
    return text.translate(_ESCAPE_TABLE)


def unescape(text: str) -> str:
    """Inverse of :func:`escape`, also reading ``\\ooo`` and ``\\xhh``.

    Like GNU's po-lex.c, octal and hex escapes denote single bytes (a long
    hex run is truncated to its low byte), and the resulting byte string is
    decoded as UTF-8.  Unknown escapes raise ValueError (GNU: "invalid
    control sequence").
    """
    if "\\" not in text:
        return text
    out = bytearray()
    pos = 0
    for m in _UNESCAPE_RE.finditer(text):
        out += text[pos:m.start()].encode("utf-8")
        octal, hexa, other = m.groups()
        if octal is not None:
            out.append(int(octal, 8) & 0xFF)
        elif hexa is not None:
            out.append(int(hexa, 16) & 0xFF)
        elif other in _SIMPLE_UNESCAPES:
            out += _SIMPLE_UNESCAPES[other].encode("ascii")
        else:
            raise ValueError(f"invalid control sequence \\{other} in {text!r}")
        pos = m.end()
    out += text[pos:].encode("utf-8")
    return out.decode("utf-8")


# ---------------------------------------------------------------------------
# Line-break classes (UAX #14, resolved the way libunistring 1.0 does for a
# UTF-8 locale: AI, SA, XX -> AL; CB -> ID; CJ -> NS).  OPW is an opening
# punctuation of East Asian width, which libunistring separates from OP to
# implement rule LB30.  BK also covers LF, CR and NL.

_TABLE_CLASSES = "WJ GL B2 BA BB HY ID CL CP EX IN NS OP OPW QU IS NU PO PR SY AL H2 H3 JL JV JT RI HL EB EM".split()
(WJ, GL, B2, BA, BB, HY, ID, CL, CP, EX, IN, NS, OP, OPW, QU, IS, NU, PO, PR,
 SY, AL, H2, H3, JL, JV, JT, RI, HL, EB, EM) = range(len(_TABLE_CLASSES))
BK, SP, ZW, CM, ZWJ, HL_BA = range(len(_TABLE_CLASSES), len(_TABLE_CLASSES) + 6)
_CLASS_IDS = dict(zip(_TABLE_CLASSES + ["BK", "SP", "ZW", "CM", "ZWJ"], range(100)))

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

# Characters whose class the category rule in _classify() gets wrong.
_EXPLICIT_SPEC = {
    "BK": "\n\v\f\r\x85\u2028\u2029",
    "SP": " ",
    "ZW": "\u200b",
    "ZWJ": "\u200d",
    "WJ": "\u2060\ufeff",
    "GL": "\xa0\u034f\u035c-\u0362\u2007\u2011\u202f",
    "BA": "\t|\xad\u2027\u2056\u2058-\u205b\u205d\u205e",
    "B2": "\u2014\u2e3a\u2e3b",
    "BB": "\xb4\u02c8\u02cc\u02df",
    "HY": "-",
    "CL": "}\u3001\u3002\ufe11\ufe12\ufe50\ufe52\uff0c\uff0e\uff61\uff64",
    "CP": ")]",
    "EX": "!?\u05c6\u2762\u2763\ufe15\ufe16\ufe56\ufe57\uff01\uff1f",
    "IN": "\u2024-\u2026\u22ef\ufe19",
    "NS": "\u203c\u203d\u2047-\u2049\u3005\u301c\u303b\u303c\u309b-\u309e"
          "\u30a0\u30fb-\u30fe\ufe54\ufe55\uff1a\uff1b\uff65\uff67-\uff70"
          "\uff9e\uff9f"
          "\u3041\u3043\u3045\u3047\u3049\u3063\u3083\u3085\u3087\u308e"
          "\u3095\u3096\u30a1\u30a3\u30a5\u30a7\u30a9\u30c3\u30e3\u30e5"
          "\u30e7\u30ee\u30f5\u30f6",
    "OP": "([{\xa1\xbf\u2e18",
    "QU": "\"'\u275b-\u2760",
    "IS": ",.:;\u037e\u0589\u2044\ufe10\ufe13\ufe14",
    "PO": "%\xa2\xb0\u2030-\u2037\u20a7\u20b6\u20bb\u20be\u20c0\u2103\u2109"
          "\ufe6a\uff05",
    "PR": "$+\\\xb1\u2116\u2212\u2213",
    "SY": "/",
    "ID": "\ufffc\u3030\u303f\ufe31\ufe32\ufe58\ufe63\uff0d\uff66\uff71-\uff9d"
          "\uffa0-\uffdc",
    "AL": "\u2015\u2061-\u2064\u2e1a",
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


_EXPLICIT = _expand(_EXPLICIT_SPEC)

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


def _char_width(ch: str) -> int:
    """Columns a character occupies (libunistring uc_width, UTF-8 locale)."""
    cp = ord(ch)
    if 0x20 <= cp < 0x7F:
        return 1
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me", "Cf", "Cc") or 0x1160 <= cp <= 0x11FF or 0xD7B0 <= cp <= 0xD7FF:
        return 0
    if cat == "Cn":
        return 2 if any(lo <= cp <= hi for lo, hi in _CJK_UNASSIGNED) else 1
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


_CLASS_CACHE: dict[str, int] = {}
_WIDTH_CACHE: dict[str, int] = {}


def _props(ch: str) -> tuple[int, int]:
    cls = _CLASS_CACHE.get(ch)
    if cls is None:
        cls = _CLASS_CACHE[ch] = _classify(ch)
        _WIDTH_CACHE[ch] = _char_width(ch)
    return cls, _WIDTH_CACHE[ch]


def _text_width(text: str) -> int:
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(_props(ch)[1] for ch in text)


# ---------------------------------------------------------------------------
# Line breaking

_NO, _CAN, _MUST = 0, 1, 2


def _break_opportunities(text: str) -> list[int]:
    """Per character: may a line start here?  (u8_possible_linebreaks)"""
    result = [_NO] * len(text)
    prev = last = BK  # previous character; last non-space character
    seen_space = False
    ri_count = 0
    for i, ch in enumerate(text):
        cls = _props(ch)[0]
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
    return result


def _wrap_points(text: str, no_break: list[int], width: int, column: int) -> list[int]:
    """Indices where GNU starts a new line (u8_width_linebreaks, greedy).

    ``no_break`` lists positions where a break is overridden as forbidden;
    ``column`` is the start column relative to the continuation indent.
    """
    breaks = _break_opportunities(text)
    for i in no_break:
        breaks[i] = _NO
    cuts: list[int] = []
    last_cut = -1  # start of the current unbreakable piece, if breakable
    piece = 0
    for i, ch in enumerate(text):
        kind = breaks[i]
        if kind != _NO:
            if last_cut >= 0 and column + piece > width:
                cuts.append(last_cut)
                column = 0
            if kind == _MUST:
                last_cut, column, piece = -1, 0, 0
            else:
                last_cut = i
                column += piece
                piece = 0
        if kind != _MUST:
            piece += _props(ch)[1]
    if last_cut >= 0 and column + piece > width:
        cuts.append(last_cut)
    return cuts


def _escape_portion(portion: str) -> tuple[str, list[int]]:
    """Escape one \\n-terminated portion; list positions that must not break.

    GNU never breaks inside an escape sequence, nor just before a final \\n.
    """
    esc = escape(portion)
    no_break = []
    if "\\" in esc:
        i = esc.find("\\")
        while i >= 0:
            no_break.append(i + 1)
            i = esc.find("\\", i + 2)
        if portion.endswith("\n"):
            no_break.append(len(esc) - 2)
    return esc, no_break


def field_lines(keyword: str, value: str, prefix: str = "") -> list[str]:
    """Lines (without newlines) for ``keyword "value"`` as msgcat writes them.

    ``prefix`` is "" for normal entries, "#~ " for obsolete ones, "#| " for
    previous msgctxt/msgid, "#~| " for previous fields of obsolete entries.
    """
    # GNU reserves one column for the closing quote and measures from the
    # column after the opening quote of a continuation line.
    width = PAGE_WIDTH - 1 - (len(prefix) + 1)
    first_column = len(keyword) + 1
    nl = value.find("\n")
    if nl < 0 or nl == len(value) - 1:
        esc = escape(value)
        if first_column + _text_width(esc) <= width:
            return [f'{prefix}{keyword} "{esc}"']
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    lines: list[str] = []
    first = True
    for n, portion in enumerate(portions):
        esc, no_break = _escape_portion(portion)
        column = first_column if first else 0
        cuts = _wrap_points(esc, no_break, width, column)
        if first and esc and (n + 1 < len(portions) or column > width or cuts):
            # Would wrap: GNU starts with an empty string instead.
            lines.append(f'{prefix}{keyword} ""')
            first = False
            cuts = _wrap_points(esc, no_break, width, 0)
        bounds = [0, *cuts, len(esc)]
        for k in range(len(bounds) - 1):
            head = f"{prefix}{keyword} " if first and k == 0 else prefix
            lines.append(f'{head}"{esc[bounds[k]:bounds[k + 1]]}"')
        first = False
    return lines


# ---------------------------------------------------------------------------
# Comments

def comment_lines(marker: str, items: list[str]) -> list[str]:
    """Comment lines for an entry, as write-po.c prints them.

    ``#:`` references are filled greedily, never split, up to PAGE_WIDTH
    columns; a leading "./" is dropped as GNU does.  References must not
    contain spaces (msgcat would split them) and should be unique (msgcat
    drops duplicates).  ``#,`` flags go on one line, comma separated; note
    that msgcat itself puts "fuzzy" first and drops flags it does not know.
    ``#`` and ``#.`` comments get one line per item (with "# " / "#. "
    unless the item is empty); a translator comment containing newlines is
    split into several ``#`` lines.
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
        return ["#, " + ", ".join(items)]
    if marker == "#":
        items = [part for item in items for part in item.split("\n")]
    return [f"{marker} {item}" if item else marker for item in items]
