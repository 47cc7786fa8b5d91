"""The ``storyloc`` command: a thin loop over the library, one command per stage.

Every known failure (:class:`StorylocError`) becomes one line,
``Error: <file>:<line>: <what>``, and a non-zero exit; anything else is a bug
and keeps its traceback.
"""
from __future__ import annotations

import json
from functools import update_wrapper
from pathlib import Path

import click

from . import __version__
from .build import build as build_stories
from .config import Project
from .errors import StorylocError
from .extract import extract as extract_stories
from .status import status as status_rows
from .update import update as update_catalogs


def _fail(error: StorylocError):
    exc = click.ClickException(str(error))
    exc.exit_code = error.exit_code
    raise exc


def with_project(command):
    """Load the project for the command and turn storyloc's errors into one-line messages."""
    @click.pass_context
    def wrapper(ctx, *args, **kwargs):
        try:
            project = Project.load(ctx.obj["root"])
            return ctx.invoke(command, project, *args, **kwargs)
        except StorylocError as error:
            _fail(error)
    return update_wrapper(wrapper, command)


@click.group()
@click.version_option(__version__, prog_name="storyloc")
@click.option("--project", "root", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="Project folder (the one with pyproject.toml).")
@click.pass_context
def main(ctx, root):
    """Localize newsroom stories: extract → update → build.

    \b
    Typical run (what `make locales` does):
      storyloc extract && storyloc update && storyloc build
    """
    ctx.obj = {"root": root}


@main.command()
@click.argument("stories", nargs=-1)
@with_project
def extract(project, stories):
    """Write each story's template, locales/<story>.pot.

    The template is left alone when only its date would change.
    Example: storyloc extract bakhmut-under-fire
    """
    for result in extract_stories(project, stories or None):
        state = "written" if result.written else "unchanged"
        click.echo(f"{project.rel(result.path)}: {result.messages} messages, {state}")


@main.command()
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@with_project
def update(project, langs):
    """Create or merge locales/<lang>/LC_MESSAGES/<story>.po from the template.

    Changed English goes fuzzy with the old English kept as #| msgid;
    nothing translated is ever dropped. Example: storyloc update --lang uk
    """
    for r in update_catalogs(project, langs or None):
        state = "created" if r.created else ("written" if r.written else "unchanged")
        click.echo(f"{project.rel(r.path)}: {state} ({r.new} new, {r.fuzzy} fuzzy, {r.obsolete} obsolete)")


@main.command()
@with_project
def build(project):
    """Build build/<story>/<lang>/ bundles and build/<story>/manifest.json.

    Only reviewed translations are shown; the rest falls back to English
    under a visible draft banner. Example: storyloc build
    """
    for result in build_stories(project):
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        for lang in result.languages:
            c = lang.counts
            changed = f"{len(lang.written)} files written" if lang.written else "unchanged"
            click.echo(f"{project.rel(project.bundle(result.story, lang.lang))}: {lang.state}, "
                       f"{c['reviewed']}/{c['segments']} reviewed, {changed}")


@main.command()
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@with_project
def status(project, langs, fmt):
    """Show each language's progress: reviewed, draft and missing segments and words.

    Example: storyloc status --format json
    """
    rows = status_rows(project, langs or None)
    if fmt == "json":
        click.echo(json.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=2))
        return
    header = f"{'story':<24} {'lang':<6} {'reviewed':>8} {'draft':>6} {'missing':>8} {'words':>11} {'done':>6}  state"
    click.echo(header)
    for row in rows:
        c = row.counts
        words = f"{c['words_reviewed']}/{c['words']}"
        click.echo(f"{row.story:<24} {row.lang:<6} {c['reviewed']:>8} {c['draft']:>6} {c['missing']:>8} "
                   f"{words:>11} {c['percent_reviewed']:>5.1f}%  {row.state}")
