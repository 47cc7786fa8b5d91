"""The ``storyloc`` command: a thin loop over the library, one command per stage.

Every known failure (:class:`StorylocError`) becomes one line,
``Error: <file>:<line>: <what>``, and a non-zero exit; anything else is a bug
and keeps its traceback. The commands live beside this module, grouped by what
they work on: :mod:`.stages` (import, extract, update, build, status, locales),
:mod:`.dist` (publish, prune, serve, pull), :mod:`.review` (check, review,
reviewer), :mod:`.drafting` (draft, tm, glossary) and :mod:`.git` (merge-driver,
init-git); each parses its options, calls one library function and prints.
"""
from __future__ import annotations

from functools import update_wrapper

import click

from .. import __version__
from ..errors import StorylocError
from ..files import shown

# Each command imports the library modules it uses inside its function, so that a command
# pays only for what it uses and `storyloc --help` starts in a few hundredths of a second.


class _Path(click.Path):
    """A path argument as a :class:`pathlib.Path`; pathlib is imported when a command gets one, so
    ``storyloc --help`` does not pay for it."""

    def convert(self, value, param, ctx):
        from pathlib import Path
        return Path(super().convert(value, param, ctx))


# One instance of each kind, shared by every option that takes one (each instance costs click a lookup
# of its own translations at start-up).
FILE, FOLDER, ANY_PATH = _Path(dir_okay=False), _Path(file_okay=False), _Path()


def fail(error: StorylocError | OSError):
    """End the command with ``Error: file:line: message`` and the error's exit code. An OS error
    (permission denied, a full disk: the machine's problem, not a bug) names its file."""
    if isinstance(error, OSError):
        error = StorylocError(error.strerror or str(error), shown(error.filename))
    exc = click.ClickException(str(error))
    exc.exit_code = error.exit_code
    raise exc


def with_project(command):
    """Load the project for the command and turn storyloc's errors into one-line messages."""
    @click.pass_context
    def wrapper(ctx, *args, **kwargs):
        from ..project import Project
        try:
            project = Project.load(ctx.obj["root"])
            return ctx.invoke(command, project, *args, **kwargs)
        except (StorylocError, OSError) as error:
            fail(error)
    return update_wrapper(wrapper, command)


@click.group()
@click.version_option(__version__, prog_name="storyloc")
@click.option("--project", "root", type=FOLDER, default=".",
              show_default=True, help="Project folder (the one with pyproject.toml).")
@click.pass_context
def main(ctx, root):
    """Localize newsroom stories: extract → update → draft → build → publish.

    \b
    Everything that changed, in one go (what `make locales` does):
      storyloc locales
    Each stage is also a command of its own, below.
    """
    ctx.obj = {"root": root}


from . import dist, drafting, git, review, stages  # noqa: E402  (each adds its commands to `main`)
