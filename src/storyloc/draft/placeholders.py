"""Shield what an engine must not translate, and put it back afterwards.

Before a segment goes to a machine engine, glossary terms, numbers, URLs,
e-mail addresses, handles and inline markup (Markdown ``*em*``, ``**strong**``,
`` `code` ``, HTML tags and the link references ``[text][1]``) are replaced by
numbered placeholders ``{1}``, ``{2}``…; Apertium and the online engines pass
those through untouched. Afterwards each placeholder is replaced by its target
form (a glossary term's translation, anything else as it was). A placeholder
that comes back missing, doubled, invented or with its pair out of order is a
:class:`MaskError`: the draft is not accepted.

Markup that wraps words (``*…*``, ``[…][1]``) is masked as an opening and a
closing placeholder, so the words inside are still translated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import MaskError

PLACEHOLDER = re.compile(r"\{\s*(\d+)\s*\}")

# Atoms: shielded whole. Order matters: the first pattern to claim a span wins.
ATOMS = [
    ("url", re.compile(r"\b(?:https?://|www\.)[^\s<>\]\[()]+[^\s<>\]\[().,;:!?'\"’”»]")),
    ("email", re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+\b")),   # starts once per run: linear
    ("code", re.compile(r"`[^`\n]+`")),
    ("footnote", re.compile(r"\[\^[^\]\s]+\]")),      # a footnote marker [^1] stays where it is
    ("escape", re.compile(r"\\[!-/:-@\[-`{-~]")),       # a backslash-escaped \* or \[ is text, kept whole
    ("tag", re.compile(r"</?[A-Za-z][^<>\n]*>")),
    ("handle", re.compile(r"(?<![\w@#])[@#][A-Za-z_]\w*")),
    ("placeholder", PLACEHOLDER),          # a literal {1} in the source is shielded too
    ("number", re.compile(r"(?<![\w.,])\d+(?:[.,:]\d+)*%?(?![\w])")),
]
# An English date storyloc can write the target language's way: 1 April 2022, April 1, 2022, April 2022.
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")
_M = "|".join(_MONTH_NAMES)
DATE = re.compile(rf"\b(?:(\d{{1,2}}) ({_M})(?:,? (\d{{4}}))?|({_M}) (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?"
                  rf"|({_M}),? (\d{{4}}))\b")
# An English number storyloc can write the target language's way: 70,000 / 3.5 / 40%.
ENGLISH_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%?)")
# Pairs: the delimiters are shielded, the words between them are translated.
LINK_REF = re.compile(r"\[(?=[^\[\]\n]+\]\[\d+\])([^\[\]\n]+)(\]\[\d+\])")   # no "[" inside: linear
SENTENCE_START = re.compile(r"(?:^|[.!?]\s++)[\"“«¿¡(]*+\s*+$")
EMPHASIS = re.compile(r"(?<![\w*\\])(\*\*|\*|__)(?=\S)(.+?)(?<=\S)\1(?![\w*])")


@dataclass
class Masked:
    """A segment as an engine sees it, and what each placeholder stands for."""

    source: str
    text: str
    originals: dict[int, str] = field(default_factory=dict)     # n -> source form
    targets: dict[int, str] = field(default_factory=dict)       # n -> target form
    kinds: dict[int, str] = field(default_factory=dict)         # n -> term, number, url, open, close…
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (open, close)

    @property
    def terms(self) -> list[str]:
        """Glossary target forms put into this segment."""
        return [self.targets[n] for n in sorted(self.kinds) if self.kinds[n] == "term"]

    def only_placeholders(self) -> bool:
        """Nothing left for an engine to translate: the glossary alone can draft this."""
        rest = PLACEHOLDER.sub("", self.text)
        return bool(self.kinds) and not re.search(r"\w", rest)

    def describe(self, n: int) -> str:
        return f"{{{n}}} ({self.kinds.get(n, '?')} “{self.originals.get(n, '?')}”)"


def localize_number(token: str, lang: str | None) -> str:
    """An English number as ``lang`` writes it (CLDR, through Babel): 70,000 → 70.000 (es),
    70 000 with the no-break space CLDR gives (uk, fr), 3.5 → 3,5, 40% → 40 %. Numbers
    written without grouping (years, 2022) stay as they are, and so does anything that is
    not plainly one number (10:30, 1.2.3)."""
    found = ENGLISH_NUMBER.fullmatch(token)
    if lang is None or found is None or (len(found.group(1)) >= 4 and "," not in found.group(1)
                                         and not found.group(2) and not found.group(3)):
        return token
    from decimal import Decimal

    from babel.numbers import format_decimal, format_percent
    whole, fraction, percent = found.groups()
    value = Decimal(whole.replace(",", "") + (fraction or ""))
    decimals = "0" * (len(fraction) - 1 if fraction else 0)
    pattern = "#,##0" + (f".{decimals}" if decimals else "")
    try:
        if percent:
            return format_percent(value / 100, locale=lang, decimal_quantization=False)
        if "," not in whole and not fraction:
            return token                                   # 350: nothing to group, nothing to change
        return format_decimal(value, format=pattern, locale=lang)
    except Exception:                                      # a locale Babel cannot format in
        return token


def localize_date(match: re.Match, lang: str | None) -> str:
    """An English date as CLDR writes it in ``lang`` (Babel): April 2022 → abril de 2022 (es),
    1 April 2022 → 1. April 2022 (de). Not for languages whose nouns inflect: a month put in
    whole would be in the wrong case there (у квітні, not квітень), so it stays for the engine."""
    from ..glossary import INFLECTING
    if lang is None or lang.split("_")[0] in INFLECTING:
        return match.group(0)
    import datetime

    from babel.dates import format_date, format_skeleton
    g = match.groups()
    day, month, year = (g[0], g[1], g[2]) if g[1] else (g[4], g[3], g[5]) if g[3] else (None, g[6], g[7])
    try:
        when = datetime.date(int(year or 2000), _MONTH_NAMES.index(month) + 1, int(day or 1))
        if day and year:
            return format_date(when, "long", locale=lang)
        return format_skeleton("MMMMd" if day else "yMMMM", when, locale=lang)
    except (ValueError, TypeError, LookupError):             # 31 February, a locale Babel lacks
        return match.group(0)


class _Claims:
    """The spans of one text taken so far; a span once taken cannot be taken again, so the order of
    the claims decides (a name inside a URL is the URL's)."""

    def __init__(self, text: str, lang: str | None):
        self.text = text
        self.lang = lang
        self.taken = [False] * len(text)
        self.spans: list[tuple[int, int, str, str, str]] = []   # start, end, kind, original, target
        self.pairs: list[tuple[tuple[int, int, str], tuple[int, int, str]]] = []

    def claim(self, start: int, end: int) -> bool:
        if start >= end or any(self.taken[start:end]):
            return False
        for i in range(start, end):
            self.taken[i] = True
        return True

    def span(self, start: int, end: int, kind: str, original: str, target: str) -> None:
        if self.claim(start, end):
            self.spans.append((start, end, kind, original, target))

    def claim_pairs(self, pattern: re.Pattern) -> None:
        text, taken = self.text, self.taken
        for m in pattern.finditer(text):
            if pattern is LINK_REF:
                open_span, close_span = (m.start(), m.start() + 1), (m.start(2), m.end(2))
            else:
                width = len(m.group(1))
                open_span, close_span = (m.start(), m.start() + width), (m.end() - width, m.end())
            if any(taken[open_span[0]:open_span[1]]) or any(taken[close_span[0]:close_span[1]]):
                continue
            self.claim(*open_span)
            self.claim(*close_span)
            self.pairs.append(((*open_span, text[slice(*open_span)]), (*close_span, text[slice(*close_span)])))

    def claim_atoms(self, atoms) -> None:
        for kind, pattern in atoms:
            for m in pattern.finditer(self.text):
                target = localize_number(m.group(0), self.lang) if kind == "number" else m.group(0)
                self.span(m.start(), m.end(), kind, m.group(0), target)

    def masked(self) -> Masked:
        """The text with each claimed span replaced by its placeholder, in order."""
        text = self.text
        spans = list(self.spans)
        for (o_start, o_end, o_text), (c_start, c_end, c_text) in self.pairs:
            spans.append((o_start, o_end, "open", o_text, o_text))
            spans.append((c_start, c_end, "close", c_text, c_text))
        spans.sort()
        result = Masked(source=text, text="")
        out: list[str] = []
        position = 0
        number_of: dict[int, int] = {}
        for n, (start, end, kind, original, target) in enumerate(spans, 1):
            out.append(text[position:start])
            out.append(f"{{{n}}}")
            position = end
            result.originals[n] = original
            result.targets[n] = target
            result.kinds[n] = kind
            number_of[start] = n
        out.append(text[position:])
        result.text = "".join(out)
        for (o_start, *_), (c_start, *_) in self.pairs:
            result.pairs.append((number_of[o_start], number_of[c_start]))
        return result


def mask(text: str, terms: list[tuple[str, str]] | None = None, lang: str | None = None,
         numbers: bool = True, markup: bool = True) -> Masked:
    """Replace protected spans of ``text`` by placeholders.

    ``terms`` are glossary (source, target) pairs; longer terms win over the
    shorter ones they contain, and a term matches only as whole words. With
    ``lang``, numbers come back written that language's way. A language model
    gets ``numbers=False, markup=False``: it reads numbers (their grammar depends
    on them) and keeps Markdown itself, and verification holds it to both.
    """
    claims = _Claims(text, lang)
    early = ("url", "email", "code", "footnote", "escape", "tag")
    claims.claim_atoms([a for a in ATOMS if a[0] in early])      # before terms: a name inside a URL is the URL
    if markup:
        claims.claim_pairs(LINK_REF)            # before numbers: the 1 in ][1] is markup
    else:
        for m in LINK_REF.finditer(text):       # kept as written, but its [1] is no number
            claims.claim(m.start(2), m.end(2))
    for source, target in sorted(terms or [], key=lambda t: -len(t[0])):
        for m in re.finditer(rf"(?<!\w){re.escape(source)}(?!\w)", text):
            claims.span(m.start(), m.end(), "term", source, target)
    if numbers and lang is not None:            # dates before numbers: "1 April 2022" is one date
        for m in DATE.finditer(text):
            target = localize_date(m, lang)
            if target != m.group(0):
                claims.span(m.start(), m.end(), "date", m.group(0), target)
    late = [a for a in ATOMS if a[0] not in early and (numbers or a[0] != "number")]   # handles, {n}, numbers
    claims.claim_atoms(late)
    if markup:
        claims.claim_pairs(EMPHASIS)
    return claims.masked()


def unmask(masked: Masked, translated: str) -> str:
    """The engine's output with every placeholder replaced by its target form.

    Raises :class:`MaskError` naming the first placeholder that came back
    broken: missing, more than once, unknown, or a pair in the wrong order.
    """
    found = [(m.start(), m.end(), int(m.group(1))) for m in PLACEHOLDER.finditer(translated)]
    seen: dict[int, int] = {}
    for start, _, n in found:
        if n not in masked.targets:
            raise MaskError(f"the engine invented placeholder {{{n}}}")
        if n in seen:
            raise MaskError(f"placeholder {masked.describe(n)} came back twice")
        seen[n] = start
    for n in masked.targets:
        if n not in seen and not (masked.kinds[n] in ("term", "footnote", "url", "email")
                                  and _written_out(masked, n, translated)):
            raise MaskError(f"placeholder {masked.describe(n)} is missing from the engine's output")
    for opening, closing in masked.pairs:
        if seen[opening] > seen[closing]:
            raise MaskError(f"markup {masked.describe(opening)}…{masked.describe(closing)} came back "
                            f"out of order")
    # Words inside markup hug their delimiters: "{1} el informe {2}" -> "[el informe][1]".
    for opening, closing in masked.pairs:
        translated = re.sub(rf"(\{{\s*{opening}\s*\}})\s+", r"\1", translated)
        translated = re.sub(rf"\s+(\{{\s*{closing}\s*\}})", r"\1", translated)
    def target(m: re.Match) -> str:
        value = masked.targets[int(m.group(1))]
        # "provincia de Donetsk" opening a sentence is "Provincia de Donetsk"
        if masked.kinds[int(m.group(1))] == "term" and SENTENCE_START.search(translated[:m.start()]):
            value = value[:1].upper() + value[1:]
        return value

    return tidy(PLACEHOLDER.sub(target, translated))


def _written_out(masked: Masked, n: int, translated: str) -> bool:
    """The engine wrote what placeholder ``n`` stands for instead of the placeholder (a model that
    keeps "Gwara Media" as told): as good, as long as it is there as often as the English has it."""
    target = masked.targets[n]
    wanted = sum(1 for k, t in masked.targets.items() if t == target and masked.kinds[k] == masked.kinds[n])
    return translated.count(target) >= wanted


def tidy(text: str) -> str:
    """Collapse the runs of spaces engines leave behind; keep the text otherwise as given."""
    return re.sub(r"[ \t]{2,}", " ", text).strip()
