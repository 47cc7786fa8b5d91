"""Catalogs that merge: merge-driver, init-git."""
from __future__ import annotations

import click

from . import FILE, fail, main
from ..errors import StorylocError


@main.command("merge-driver", context_settings={"ignore_unknown_options": True})
@click.argument("base", type=FILE)
@click.argument("ours", type=FILE)
@click.argument("theirs", type=FILE)
@click.argument("name", required=False)
def merge_driver(base, ours, theirs, name):
    """Git merge driver for .po files: merges entry by entry, never conflict markers.

    Git runs it as `storyloc merge-driver %O %A %B %P` (see `storyloc init-git`);
    the result replaces OURS. An entry both branches changed differently
    becomes fuzzy, with the other text in a translator comment.
    Example: storyloc merge-driver base.po ours.po theirs.po locales/uk/LC_MESSAGES/story.po
    """
    from ..po.mergedriver import merge_files
    try:
        result = merge_files(base, ours, theirs, name)
    except StorylocError as error:
        fail(error)
    if result.conflicts:
        click.echo(f"{name or ours}: {len(result.conflicts)} entries changed on both branches are fuzzy now, "
                   f"the other text in a translator comment; review them", err=True)


@main.command("init-git")
@click.pass_context
def init_git_command(ctx):
    """Make git merge catalogs with `storyloc merge-driver` (.gitattributes and git config).

    Example: storyloc init-git
    """
    from ..po.mergedriver import init_git
    try:
        changed = init_git(ctx.obj["root"])
    except StorylocError as error:
        fail(error)
    for line in changed:
        click.echo(line)
    if not changed:
        click.echo("already set up: *.po files merge with storyloc merge-driver")
