"""What storyloc asks of CLDR (through Babel): plural rules, script direction, names, dates."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.plurals import get_plural


@lru_cache(maxsize=None)
def locale(code: str) -> Locale:
    return Locale.parse(code)


def plural_forms(code: str) -> str:
    """The ``Plural-Forms`` header value, from CLDR's rules as Babel ships them."""
    return get_plural(code).plural_forms


def direction(code: str) -> str:
    """``rtl`` for Arabic, Hebrew, Persian…; ``ltr`` otherwise."""
    return "rtl" if locale(code).character_order == "right-to-left" else "ltr"


# gettext's script modifiers as BCP 47 script subtags (sr@latin is sr-Latn).
MODIFIER_SCRIPTS = {"latin": "Latn", "cyrillic": "Cyrl", "arabic": "Arab", "devanagari": "Deva"}


def html_lang(code: str) -> str:
    """BCP 47 form for HTML: ``pt_BR`` → ``pt-BR``, ``sr_RS@latin`` → ``sr-Latn-RS``."""
    base, _, modifier = code.partition("@")
    parts = base.split("_")
    script = MODIFIER_SCRIPTS.get(modifier)
    if script and not any(len(p) == 4 for p in parts[1:]):
        parts.insert(1, script)
    return "-".join(parts)


def native_name(code: str) -> str:
    """The language's own name, capitalized as a link label: ``Українська``."""
    name = locale(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def language_name(code: str, in_language: str) -> str:
    return locale(code).get_display_name(in_language) or code


def format_story_date(iso: str | None, code: str) -> str | None:
    """A day in the locale's long form, or a bare month (``2023-02``) as month and year."""
    if not iso:
        return None
    if len(iso) == 7:
        day = dt.date(int(iso[:4]), int(iso[5:7]), 1)
        return format_skeleton("yMMMM", day, locale=code)
    return format_date(dt.date.fromisoformat(iso), "long", locale=code)
