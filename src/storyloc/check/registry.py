"""The registry: every check by id, with its severity and title, and the one runner of them.

A check is registered by :func:`register`; :func:`run_checks` runs the registered checks that
apply to an entry, in the order :mod:`storyloc.check` lists them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from ..po import Message, provenance
from .text import base_lang

if TYPE_CHECKING:
    from .entry import Entry

ERROR = "error"
WARNING = "warning"
IGNORE_FLAG = "storyloc-ignore-"
IGNORE_KIND = "ignore"
# Checks a translator cannot silence: what they catch is an attack on the page, not a judgement call.
UNSILENCED = frozenset({"too-long", "control-chars", "html"})
# The check that runs first and alone on a translation far longer than its English.
GATE = "too-long"


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    title: str
    run: Callable[["Entry"], Iterable[str]]
    langs: tuple[str, ...] | None = None    # None: every language


CHECKS: dict[str, Check] = {}


def register(check_id: str, severity: str, langs: tuple[str, ...] | None = None):
    """Add a check to the registry; its docstring's first line is its title."""
    def add(fn: Callable[["Entry"], Iterable[str]]):
        title = (fn.__doc__ or check_id).strip().splitlines()[0]
        CHECKS[check_id] = Check(check_id, severity, title, fn, langs)
        return fn
    return add


def order(ids: Iterable[str]) -> None:
    """Put the registry in this order (the order checks run, are reported and listed in); checks
    not named keep their place after these."""
    ids = [i for i in ids if i in CHECKS]
    ordered = {i: CHECKS[i] for i in ids} | {i: c for i, c in CHECKS.items() if i not in ids}
    CHECKS.clear()
    CHECKS.update(ordered)


def silenced(message: Message) -> set[str]:
    """Check ids the translator silenced on this entry (``# storyloc: ignore <id> …`` or a flag)."""
    ids = {f[len(IGNORE_FLAG):] for f in message.flags if f.startswith(IGNORE_FLAG)}
    for comment in message.translator_comments:
        record = provenance.parse(comment)
        if record is None or record.kind != IGNORE_KIND:
            continue
        words = comment[len(provenance.PREFIX):].split()[1:]
        for word in words:
            word = word.strip(",;")
            if word not in CHECKS:
                break                      # the rest is the reason
            ids.add(word)
    return ids


def run_checks(entry: "Entry", only: Iterable[str] | None = None) -> list[tuple[Check, str]]:
    """Every failure of every check that applies to this entry, as (check, message); ``only``: these
    check ids alone (the drafts' verification runs a few).

    A translation far longer than its English fails ``too-long`` and nothing else runs on it: no
    person wrote those megabytes, and the checks' cost is then bounded by the English's length.
    """
    gate = list(CHECKS[GATE].run(entry))
    if gate:
        return [(CHECKS[GATE], gate[0])] if only is None or GATE in only else []
    found = []
    for check in CHECKS.values():
        if only is not None and check.id not in only:
            continue
        if check.langs is not None and base_lang(entry.lang) not in check.langs:
            continue
        for message in check.run(entry):
            found.append((check, message))
    return found


def describe() -> list[dict]:
    """The registry as a table: id, severity, title, languages."""
    return [{"id": c.id, "severity": c.severity, "title": c.title, "langs": list(c.langs or [])}
            for c in CHECKS.values()]
