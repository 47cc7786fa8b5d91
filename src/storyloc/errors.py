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


class PublishError(StorylocError):
    """``build/`` or ``dist/`` is missing, stale, or does not match its manifest."""


class ReviewError(StorylocError):
    """The review server cannot start, or a request cannot be served."""


class Conflict(StorylocError):
    """The entry changed since the page loaded it: the save is refused, with both texts."""

    def __init__(self, message: str, path=None, line=None, yours: str | None = None, theirs: str | None = None,
                 version: str | None = None):
        super().__init__(message, path, line)
        self.yours, self.theirs, self.version = yours, theirs, version


class Forbidden(StorylocError):
    """The reviewer's role does not allow the action (a translator cannot approve)."""


class TooLarge(StorylocError):
    """A save larger than :data:`MAX_BODY`."""


class EngineFailure(Exception):
    """One segment (or the whole engine, if ``fatal``) could not be translated."""

    def __init__(self, reason: str, retryable: bool = False, fatal: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.fatal = fatal


class MaskError(ValueError):
    """An engine broke a placeholder; its output cannot be trusted as a draft."""


class TmError(StorylocError):
    """A TMX file cannot be read; names the file and line."""


class GlossaryError(StorylocError):
    """A glossary file cannot be read; names the file and line."""


class MergeError(StorylocError):
    """A catalog cannot be merged (it does not parse), or git cannot be configured."""


class PullError(StorylocError):
    """The feed, the network or an archive failed a check; nothing was installed."""


class ServeError(StorylocError):
    """The server cannot start (the port is taken, most often)."""


def yaml_problem(error: Exception, first: int) -> tuple[str, int | None]:
    """A PyYAML error as one line and the file line it names (``first``: the file's line of the
    YAML's first line): where the parser noticed the problem, and the line the construct it was
    reading starts on when that is another (an unclosed bracket or quote is noticed lines later)."""
    mark, start = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    if context and start is not None and mark is not None and start.line != mark.line:
        problem += f" ({context} that starts on line {first + start.line})"
    return problem, None if mark is None else first + mark.line
