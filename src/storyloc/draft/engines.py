"""Machine engines behind one small interface, by name: Apertium, deep-translator's providers, a language model.

An engine turns a list of (masked) segments into a list of raw answers, each
a string or an :class:`~storyloc.errors.EngineFailure`; :mod:`storyloc.draft.chain`
does the masking, caching, verification and bookkeeping around it. The
adapters live beside this module: :mod:`.apertium` (offline, a process),
:mod:`.online` (deep-translator's providers), :mod:`.llm` (Chat Completions).
"""
from __future__ import annotations

import re
from typing import Callable

from ..errors import EngineFailure
from ..project import ONLINE_ENGINES, DraftSettings

OnResult = Callable[[int, "str | EngineFailure"], None]


class Engine:
    """What every engine offers the draft stage."""

    name = "engine"
    online = False
    cacheable = False        # remembered in the draft cache (online engines: every request costs)

    def unavailable(self, source: str, target: str) -> str | None:
        """Why this engine cannot serve the pair right now, or None."""
        return None

    def identity(self, source: str, target: str) -> tuple[str, str]:
        """(engine, pair) as the cache keys them: another endpoint is another engine."""
        return self.name, f"{source}-{target}"

    def fields(self, source: str, target: str) -> dict[str, str]:
        """Extra provenance fields for a draft, e.g. Apertium's pair."""
        return {}

    def translate(self, texts: list[str], source: str, target: str,
                  on_result: OnResult | None = None) -> list[str | EngineFailure]:
        raise NotImplementedError

    def postprocess(self, raw: str) -> tuple[str, list[str]]:
        """The answer as draft text, and review notes taken out of it."""
        return raw, []

    def close(self) -> None:
        pass


def network_reason(error: Exception) -> str:
    """'Connection refused', 'Name or service not known'… instead of urllib3's paragraph."""
    text = str(error)
    match = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if match:
        return match.group(1).strip()
    for phrase in ("Name or service not known", "Temporary failure in name resolution", "Connection refused",
                   "Network is unreachable", "No route to host"):
        if phrase in text:
            return phrase
    return type(error).__name__


def make_engine(name: str, settings: DraftSettings, env: dict | None = None) -> Engine:
    """The engine registered under ``name`` (tm and glossary are the draft stage's own)."""
    if name == "apertium":
        from .apertium import Apertium
        return Apertium(settings)
    if name == "llm":
        from .llm import LLM
        return LLM(settings, env)
    if name in ONLINE_ENGINES:
        from .online import Online         # deep-translator is imported only when needed
        return Online(name, settings, env)
    raise KeyError(name)
