"""Checks of numbers: the same values as the English, written the language's way.

``70,000`` may be ``70 000`` or ``70 тисяч`` in Ukrainian but not ``70,000`` (which reads as 70);
a date may be reworded by the language's rules; small numbers may be spelled out.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Iterator

from babel.dates import get_month_names
from babel.numbers import NumberFormatError, format_decimal, get_decimal_symbol, parse_decimal

from ..languages import language_name
from .entry import Entry
from .registry import ERROR, WARNING, register
from .text import WORD, base_lang, plain


_SPACES = " \u00a0\u202f\u2009"
_NUMBER = re.compile(rf"\d+(?:[.,'’\u066b\u066c{_SPACES}]\d+)*")
MULTIPLIERS = {
    "en": {"thousand": 3, "million": 6, "millions": 6, "billion": 9, "billions": 9, "k": 3, "m": 6, "bn": 9},
    "uk": {"тисяча": 3, "тисячі": 3, "тисяч": 3, "тис": 3, "мільйон": 6, "мільйона": 6, "мільйони": 6,
           "мільйонів": 6, "млн": 6, "мільярд": 9, "мільярда": 9, "мільярди": 9, "мільярдів": 9, "млрд": 9},
    "ru": {"тысяча": 3, "тысячи": 3, "тысяч": 3, "тыс": 3, "миллион": 6, "миллиона": 6, "миллионов": 6,
           "млн": 6, "миллиард": 9, "миллиарда": 9, "миллиардов": 9, "млрд": 9},
    "pl": {"tysiąc": 3, "tysiące": 3, "tysięcy": 3, "tys": 3, "milion": 6, "miliony": 6, "milionów": 6,
           "mln": 6, "miliard": 9, "miliardy": 9, "miliardów": 9, "mld": 9},
    "de": {"tausend": 3, "million": 6, "millionen": 6, "mio": 6, "milliarde": 9, "milliarden": 9, "mrd": 9},
    "es": {"mil": 3, "millón": 6, "millones": 6, "mill": 6},
    "fr": {"mille": 3, "million": 6, "millions": 6, "milliard": 9, "milliards": 9, "md": 9},
    "ar": {"ألف": 3, "آلاف": 3, "ألفًا": 3, "مليون": 6, "ملايين": 6, "مليار": 9},
}
_MULTIPLIER_AFTER = re.compile(r"^[\s\u00a0\u202f]*([^\W\d_]+)\.?", re.UNICODE)
SPELLED_OUT_UP_TO = 10          # newsroom style spells small numbers out: "two months", "шість"


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")


def _ascii_digits(text: str) -> str:
    """Arabic-Indic and other digits as 0–9 (one pass of the regex engine, not a Python loop per character)."""
    return _OTHER_DIGIT.sub(lambda m: str(unicodedata.digit(m.group(0))), text)


@lru_cache(maxsize=4096)
def _parse(token: str, lang: str) -> Decimal | None:
    """The token's value as the language reads it, or None when it is no single number (a date).
    Cached: Babel looks the locale up on every call, and the same tokens (years, counts) recur."""
    if _DIGITS.fullmatch(token):
        return Decimal(token)
    if any(s in token for s in _SPACES):
        parts = re.split(f"[{_SPACES}]", token)
        if not (1 <= len(parts[0]) <= 3 and all(re.match(r"\d{3}(?!\d)", p) for p in parts[1:])):
            return None
        token = "".join(parts)
    token = token.replace("\u066c", ",").replace("\u066b", ".")
    try:
        return parse_decimal(token, locale=lang, strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        return None


Numbers = list[tuple[str, list[Decimal]]]     # each number as written, and its value(s)


def _numbers(text: str, lang: str) -> Numbers:
    """Each number in ``text``: the text as written and its value(s) (a date gives its parts)."""
    if "&" not in text and _DIGIT.search(text) is None:
        return []                             # no digit, and no character reference that could be one
    text = _ascii_digits(plain(text))
    scales = MULTIPLIERS.get(base_lang(lang), {})
    out = []
    for match in _NUMBER.finditer(text):
        token = match.group(0).rstrip(_SPACES)
        value = _parse(token, lang)
        if value is None:
            values = [Decimal(run) for run in _DIGITS.findall(token)]
            if " " in token or "\u00a0" in token or "\u202f" in token:
                # "2022 125": two numbers side by side, not one grouped number
                values = [v for part in re.split(f"[{_SPACES}]+", token) if part
                          for v in ([_parse(part, lang)] if _parse(part, lang) is not None
                                    else [Decimal(r) for r in _DIGITS.findall(part)])]
            out.append((token, values))
            continue
        after = _MULTIPLIER_AFTER.match(text[match.end():])
        if after and after.group(1).casefold() in scales:
            value = value.scaleb(scales[after.group(1).casefold()])
            token = text[match.start(): match.end() + after.end()]
        out.append((token, [value]))
    return out


@lru_cache(maxsize=None)
def _month_words(lang: str) -> dict[str, int]:
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            try:
                months = get_month_names(width, context, locale=lang)
            except Exception:                     # an unknown locale has no month names to offer
                continue
            for number, name in months.items():
                names[name.casefold().rstrip(".")] = number
    return names


def _months(text: str, lang: str) -> Counter:
    table = _month_words(lang)
    found = Counter()
    for word in WORD.findall(plain(text)):
        number = table.get(word.casefold())
        if number is not None and (len(word) > 3 or word[:1].isupper()):
            found[Decimal(number)] += 1
    return found


def _norm(value: Decimal) -> Decimal:
    return value.normalize() if value == value.to_integral() else value


@register("numbers", ERROR)
def numbers(e: Entry) -> Iterator[str]:
    """Numbers are the same as in the English (written the language's way; dates may be reworded)."""
    lang = e.lang
    src = _numbers(e.source, "en")
    tgt = _numbers(e.target, lang)
    if not src and not tgt:
        return
    lost, added = _unmatched(e, src, tgt)
    written = {_norm(v): token for token, values in src for v in values}
    for value in lost:
        token, hint = written.get(value, str(value)), _local_form(value, lang)
        misread = next(((t, v) for t, v in added
                        if _parse(t.replace("\u00a0", ",").replace("\u202f", ","), "en") == value), None)
        if misread:
            added.remove(misread)
            yield (f"{token} is written {misread[0]}, which reads as {_local_form(misread[1], lang)} in "
                   f"{language_name(lang, 'en')} (its decimal separator is {_decimal_symbol(lang)!r}); "
                   f"write {hint}")
        elif added and len(added) == len(lost) - lost.index(value):
            changed, _ = added.pop(0)
            yield f"number {token} became {changed}" + (f" (here: {hint})" if hint != token else "")
        else:
            yield f"number {token} is missing" + (f" (here: {hint})" if hint != token else "")
    for token, _ in added:
        yield f"number {token} is not in the English"


def _unmatched(e: Entry, src: Numbers, tgt: Numbers) -> tuple[list[Decimal], list[tuple[str, Decimal]]]:
    """The English's numbers the translation lacks, in the English's order, and the translation's the
    English lacks (as written), in the translation's order: months, times and dates read either way,
    and small numbers that may be spelled out, allowed for."""
    lang = e.lang
    want = Counter(_norm(v) for _, values in src for v in values)
    have = Counter(_norm(v) for _, values in tgt for v in values)
    missing = want - have
    extra = have - want
    if not missing and not extra:
        return [], []                         # the same numbers: nothing to allow for
    # a month written as a word on one side may be a number on the other (1 February ~ 01.02)
    if missing:
        spare_have = _months(e.target, lang)
        for value in list(missing):
            if spare_have[value]:
                take = min(missing[value], spare_have[value])
                missing[value] -= take
    if extra:
        spare_want = _months(e.source, "en")
        for value in list(extra):
            if spare_want[value]:
                extra[value] -= min(extra[value], spare_want[value])
    missing = +missing
    extra = +extra
    # a token read as one decimal may be a time or a date on the other side (10.30 ~ 10:30)
    for tokens, mine, theirs in ((tgt, extra, missing), (src, missing, extra)):
        for token, values in tokens:
            if len(values) != 1 or not mine[_norm(values[0])]:
                continue
            runs = Counter(Decimal(r) for r in _DIGITS.findall(token))
            if sum(runs.values()) > 1 and not runs - theirs:
                mine[_norm(values[0])] -= 1
                theirs.subtract(runs)
        mine += Counter()
        theirs += Counter()
    missing, extra = +missing, +extra
    for value in list(missing):
        if value == value.to_integral() and 0 <= value <= SPELLED_OUT_UP_TO:
            del missing[value]
    for value in list(extra):
        if value == value.to_integral() and 0 <= value <= SPELLED_OUT_UP_TO:
            del extra[value]
    lost: list[Decimal] = []                  # in the order the English has them
    for _, values in src:
        for v in map(_norm, values):
            if missing[v] > 0:
                missing[v] -= 1
                lost.append(v)
    added: list[tuple[str, Decimal]] = []     # in the order the translation has them
    for t, values in tgt:
        for v in map(_norm, values):
            if extra[v] > 0:
                extra[v] -= 1
                added.append((t, v))
    return lost, added


@register("number-format", WARNING)
def number_format(e: Entry) -> Iterator[str]:
    """Decimal numbers are written the language's way (3,5 in Ukrainian, not 3.5)."""
    if _decimal_symbol(e.lang) == ".":
        return
    if "&" not in e.target and ("." not in e.target or _DIGIT.search(e.target) is None):
        return                                # no decimal, nor a character reference that could be one
    found = _ENGLISH_DECIMAL.findall(_ascii_digits(plain(e.target)))
    if not found:
        return
    fractions = {v for _, values in _numbers(e.source, "en") for v in values if v != v.to_integral()}
    for written in found:
        value = Decimal(written)
        if value not in fractions:
            continue                          # a time (10.30) or a date, not a decimal of the English
        yield f"{written} is written the English way; here it is {_local_form(value, e.lang)}"


_ENGLISH_DECIMAL = re.compile(r"(?<![\d.,])\d+\.(?:\d{1,2}|\d{4,})(?![\d.,])")


@lru_cache(maxsize=64)
def _decimal_symbol(lang: str) -> str:
    return get_decimal_symbol(lang)           # Babel parses the locale on every call


def _local_form(value: Decimal, lang: str) -> str:
    if value == value.to_integral() and abs(value) < 10000:
        return str(int(value))                # years and small counts are never grouped
    try:
        return format_decimal(value, locale=lang, group_separator=True).replace("\u00a0", " ").replace("\u202f", " ")
    except Exception:                             # a locale Babel cannot format in
        return str(value)
