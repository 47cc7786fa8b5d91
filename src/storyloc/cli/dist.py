"""`dist/`, the package index publishers pull from: publish, prune, serve, pull."""
from __future__ import annotations

import sys

import click

from . import FOLDER, fail, main, with_project
from ..errors import StorylocError


def _size(n: int) -> str:
    return f"{n} B" if n < 1000 else f"{n / 1000:.1f} kB" if n < 1_000_000 else f"{n / 1_000_000:.1f} MB"


@main.command()
@click.argument("stories", nargs=-1)
@with_project
def publish(project, stories):
    """Pack build/ into dist/: a .tar.gz per story, language and version, listed in dist/index.json.

    The version is a digest of the content, so publishing an unchanged build
    changes nothing. Drafts are listed apart from published versions; old
    versions stay until `storyloc prune`. Example: storyloc build && storyloc publish
    """
    from ..publish import publish as publish_stories
    result = publish_stories(project, stories or None)
    for a in result.archives:
        click.echo(f"{project.rel(a.path)}: {a.lang} {a.state}, {_size(a.size)}, {a.status}")
    for h in result.held:
        click.echo(f"warning: {h.story}/{h.lang}: not packed, not even as a draft: {h.errors} error-level "
                   f"finding(s); see storyloc check --story {h.story} --lang {h.lang}", err=True)
    click.echo(f"{project.rel(result.feed)}: {'written' if result.written else 'unchanged'}")


@main.command()
@click.option("--keep", type=click.IntRange(min=1), default=1, show_default=True,
              help="Newest versions to keep per language (published and drafts each).")
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
@with_project
def prune(project, keep, dry_run):
    """Remove old versions from dist/ and its feed.

    The newest published version of every language always stays.
    Example: storyloc prune --keep 2 --dry-run
    """
    from ..publish import prune as prune_dist
    result = prune_dist(project, keep, dry_run)
    verb = "would remove" if dry_run else "removed"
    for item in result.removed:
        click.echo(f"{verb} {project.rel(item.path)} ({item.story}/{item.lang} {item.state} {item.version})")
    for path in result.strays:
        click.echo(f"{verb} {project.rel(path)} (no version lists it)")
    if not result.removed and not result.strays:
        click.echo(f"{project.rel(result.feed)}: nothing to prune")


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@with_project
def serve(project, port):
    """Serve dist/ (the feed) and build/ (previews) on 127.0.0.1 until Ctrl-C.

    \b
    Example: storyloc serve, then in another shell:
      storyloc pull http://127.0.0.1:8000/dist/index.json --story bakhmut-under-fire --lang uk --dest site
    """
    from ..serve import make_server
    server = make_server(project, port)
    try:
        if not project.feed().exists():
            click.echo(f"warning: {project.rel(project.feed())} does not exist yet; "
                       f"run `storyloc publish`", err=True)
        click.echo(f"Serving {project.rel(project.dist_dir)}/ at {server.url}dist/ "
                   f"(feed: {server.url}dist/index.json)")
        click.echo(f"and {project.rel(project.build_dir)}/ at {server.url}build/; Ctrl-C stops")
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()


@main.command()
@click.argument("feed")
@click.option("--story", required=True, help="Story name, e.g. bakhmut-under-fire.")
@click.option("--lang", required=True, help="Language code, e.g. uk.")
@click.option("--dest", type=FOLDER, default=".", show_default=True,
              help="Install into DEST/<story>/<lang>/ and record it in DEST/storyloc.lock.json.")
@click.option("--version", "version", metavar="VERSION", help="This version instead of the newest.")
@click.option("--draft", is_flag=True, help="Pull from the drafts (never pulled without this flag).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Seconds to wait for the server before giving up.")
@click.option("--allow-stale", is_flag=True,
              help="Install a translation the feed marks stale (its source changed since it was made).")
def pull(feed, story, lang, dest, version, draft, timeout, allow_stale):
    """Install a story in one language from a feed: a URL, or a path to dist/.

    Takes the newest published version; checks size and sha256 before
    unpacking and every file after; replaces the previous install only once
    all is well. Needs no project.

    \b
    Example:
      storyloc pull https://example.org/dist/index.json --story bakhmut-under-fire --lang uk --dest site
    """
    import contextlib
    from ..pull import pull as pull_bundle
    with contextlib.ExitStack() as bars:
        drawn = {}

        def progress(name, done, total):
            # click draws a bar on a terminal and prints the label once otherwise.
            if "bar" not in drawn:
                drawn["bar"] = bars.enter_context(click.progressbar(
                    length=total, label=f"Downloading {name} ({_size(total)})",
                    file=sys.stderr))
                drawn["done"] = 0
            drawn["bar"].update(done - drawn["done"])
            drawn["done"] = done

        try:
            result = pull_bundle(feed, story, lang, dest, version=version, draft=draft, progress=progress,
                                 timeout=timeout, allow_stale=allow_stale)
        except (StorylocError, OSError) as error:     # a full disk or a folder it may not write: named too
            bars.close()
            fail(error)
    c = result.completeness
    where = click.format_filename(str(result.path))
    if result.unchanged:
        click.echo(f"{result.story}/{result.lang} {result.version} ({result.state}) is already installed "
                   f"in {where}; nothing downloaded")
    else:
        review = f", last review {result.last_review[:10]}" if result.last_review else ""
        replaced = f"; replaced {result.previous}" if result.previous else ""
        click.echo(f"Installed {result.story}/{result.lang} {result.version} into {where}: {result.state}, "
                   f"{c.get('reviewed')}/{c.get('segments')} segments reviewed{review}; {result.files} files, "
                   f"{_size(result.size)} (downloaded {_size(result.downloaded)}, sha256 verified{replaced})")
        if result.state != "published":
            click.echo(f"warning: a draft: {c.get('segments', 0) - c.get('reviewed', 0)} of "
                       f"{c.get('segments')} segments are not reviewed and show in English", err=True)
        if c.get("missing_images"):
            click.echo(f"warning: {len(c['missing_images'])} images are missing from the bundle; "
                       f"the page shows placeholders", err=True)
    if result.stale:
        since = f" on {result.stale_since[:10]}" if result.stale_since else ""
        then = ("its page shows a \"being updated\" notice" if result.notice
                else "show a \"being updated\" notice or the source language")
        click.echo(f"warning: stale: the source of {result.story} changed{since} and this translation does "
                   f"not have the change yet; {then}", err=True)
