"""One exception root, so the CLI can turn every known failure into one line.

Each error knows the file and line it is about; ``str(error)`` is the
``<file>:<line>: <what>`` text users see after ``Error:``.
"""
from __future__ import annotations

import os


class StorylocError(Exception):
    """A failure the user can fix; anything else is a bug and keeps its traceback."""

    exit_code = 1

    def __init__(self, message: str, path: str | os.PathLike | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = os.fspath(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message


class ConfigError(StorylocError):
    """``[tool.storyloc]`` is missing, misspelt or holds a wrong value."""

    exit_code = 2


class SourceError(StorylocError):
    """A story under ``source/`` cannot be read."""


class CatalogError(StorylocError):
    """A ``.po`` or ``.pot`` file cannot be parsed or written."""


class EngineError(StorylocError):
    """A translation engine failed; names the engine and the segment."""
