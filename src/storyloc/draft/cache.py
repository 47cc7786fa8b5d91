"""A persistent memory of machine translations, so no text is sent to an engine twice.

One sqlite file (``$STORYLOC_CACHE_DIR`` or ``$XDG_CACHE_HOME/storyloc``,
or ``cache_dir`` in ``[tool.storyloc.draft]``) maps (engine, language pair,
text as the engine saw it) to what the engine answered. Each answer is
committed as it arrives: a run killed half-way has paid for nothing it must
pay for again.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from ..clock import now
from ..errors import StorylocError

SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    engine TEXT NOT NULL,
    pair TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT (datetime('now')),   -- written from storyloc.clock (the one clock)
    PRIMARY KEY (engine, pair, source)
)
"""


class DraftCache:
    def __init__(self, path: Path):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=10)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(SCHEMA)
            self._db.commit()
        except (OSError, sqlite3.Error) as e:
            raise StorylocError(f"cannot use the draft cache ({e}); remove the file or set "
                                "STORYLOC_CACHE_DIR to another folder", path) from None

    def get_many(self, engine: str, pair: str, texts: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(texts))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT source, target FROM translations WHERE engine = ? AND pair = ? AND source IN ({marks})",
                (engine, pair, *chunk))
            found.update(rows)
        return found

    def put(self, engine: str, pair: str, source: str, target: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO translations (engine, pair, source, target, created) "
                         "VALUES (?, ?, ?, ?, ?)",
                         (engine, pair, source, target, now().strftime("%Y-%m-%d %H:%M:%S")))
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "DraftCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
