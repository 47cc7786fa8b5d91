"""What a draft run reports: per catalog, what each engine drafted and cost, what was left and why."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import EngineError
from ..po.provenance import Record


@dataclass
class Draft:
    """A draft an engine made and verification accepted: its text, the engine, its provenance."""

    text: str
    engine: str
    records: list[Record]


@dataclass
class Undrafted:
    msgid: str
    line: int
    reasons: list[str]
    transient: bool = False         # an engine failed (network, server): the next run may succeed

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons) or "no engine in the chain"


@dataclass
class EngineStats:
    """What one engine cost in one catalog: requests sent (retries included), tokens, cache hits, time."""

    requests: int = 0
    cache_hits: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    seconds: float = 0.0


@dataclass
class DraftResult:
    """What happened to one catalog."""

    story: str
    lang: str
    path: Path
    shown: str
    chain: tuple[str, ...] = ()
    segments: int = 0                                   # entries that wanted a draft
    by_engine: Counter = field(default_factory=Counter)
    undrafted: list[Undrafted] = field(default_factory=list)
    written: bool = False
    stats: dict = field(default_factory=dict)           # engine -> EngineStats
    rejected: Counter = field(default_factory=Counter)  # "engine: reason" -> drafts verification refused

    def stat(self, engine: str) -> EngineStats:
        return self.stats.setdefault(engine, EngineStats())

    @property
    def drafted(self) -> int:
        return sum(self.by_engine.values())

    @property
    def complete(self) -> bool:
        """Nothing left that a later run could draft without a change of configuration."""
        return not any(u.transient for u in self.undrafted)

    def reasons(self) -> Counter:
        return Counter(u.reason for u in self.undrafted)

    def error(self, undrafted: Undrafted) -> EngineError:
        """The engine failure as storyloc's error: catalog, line, engine and segment named."""
        excerpt = undrafted.msgid if len(undrafted.msgid) <= 40 else undrafted.msgid[:39] + "…"
        return EngineError(f"{undrafted.reason} (segment “{excerpt}”)", self.shown, undrafted.line)


@dataclass
class DraftEvent:
    """What the progress callback hears: a catalog starts, advances after each saved batch, finishes."""

    kind: str               # start | advance | finish
    story: str
    lang: str
    done: int
    total: int
    drafted: int


Progress = Callable[[DraftEvent], None]


@dataclass
class StoryDraft:
    """One story drafted in every language: the stage `storyloc locales` runs between update and build."""

    story: str
    results: list[DraftResult]

    @property
    def complete(self) -> bool:
        """False when an engine failed: the pipeline then tries again on its next run."""
        return all(r.complete for r in self.results)

    @property
    def files_written(self) -> int:
        return sum(r.written for r in self.results)


def strict_error(results: list[DraftResult]) -> EngineError | None:
    """For ``--strict``: the first segment left undrafted, as an error naming how many there are."""
    left = [(r, u) for r in results for u in r.undrafted]
    if not left:
        return None
    result, first = left[0]
    error = result.error(first)
    error.message = f"{len(left)} segment(s) left undrafted; first: {error.message}"
    return error
