"""The ``storyloc`` command: a thin loop over the library, one command per stage.

Every known failure (:class:`StorylocError`) becomes one line,
``Error: <file>:<line>: <what>``, and a non-zero exit; anything else is a bug
and keeps its traceback.
"""
from __future__ import annotations

import os
import sys
from functools import update_wrapper
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .errors import StorylocError

if TYPE_CHECKING:
    from .project import Project
    from .draft import DraftEvent

# Each command imports the library modules it uses inside its function, so that a command
# pays only for what it uses and `storyloc --help` starts in a few hundredths of a second.


def _fail(error: StorylocError):
    exc = click.ClickException(str(error))
    exc.exit_code = error.exit_code
    raise exc


def _shown(filename) -> str | None:
    """A path as short as it can be said from the current folder."""
    if filename is None:
        return None
    relative = os.path.relpath(filename)
    return filename if relative.startswith("..") else relative


def with_project(command):
    """Load the project for the command and turn storyloc's errors into one-line messages."""
    @click.pass_context
    def wrapper(ctx, *args, **kwargs):
        from .project import Project
        try:
            project = Project.load(ctx.obj["root"])
            return ctx.invoke(command, project, *args, **kwargs)
        except StorylocError as error:
            _fail(error)
        except OSError as error:  # permission denied, disk full: the machine's problem, not a bug
            _fail(StorylocError(error.strerror or str(error), _shown(error.filename)))
    return update_wrapper(wrapper, command)


@click.group()
@click.version_option(__version__, prog_name="storyloc")
@click.option("--project", "root", type=click.Path(file_okay=False, path_type=Path), default=".",
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


@main.command()
@click.argument("stories", nargs=-1)
@with_project
def extract(project, stories):
    """Write each story's template, locales/<story>.pot.

    The template is left alone when only its date would change.
    Example: storyloc extract bakhmut-under-fire
    """
    from .extract import extract as extract_stories
    for result in extract_stories(project, stories or None):
        state = "written" if result.written else "unchanged"
        click.echo(f"{project.rel(result.path)}: {result.messages} messages, {state}")
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)


@main.command()
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@with_project
def update(project, langs):
    """Create or merge locales/<lang>/LC_MESSAGES/<story>.po from the template.

    Changed English goes fuzzy with the old English kept as #| msgid;
    nothing translated is ever dropped. Example: storyloc update --lang uk
    """
    from .update import update as update_catalogs
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
    from .build import build as build_stories
    from .status import write_overview
    results = build_stories(project)
    write_overview(project)
    for result in results:
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        for lang in result.languages:
            c = lang.counts
            changed = f"{len(lang.written)} files written" if lang.written else "unchanged"
            click.echo(f"{project.rel(project.bundle(result.story, lang.lang))}: {lang.state}, "
                       f"{c['reviewed']}/{c['segments']} reviewed, {changed}")
            _print_reasons(c.get("reasons") or [])


def _print_reasons(reasons: list[dict]) -> None:
    """Why a language is a draft, one gate a line, under its line."""
    from .build.gates import Reason
    for reason in reasons:
        click.echo(f"  not published: {Reason(reason['gate'], reason['message'], reason['entries']).format()}")


@main.command()
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@with_project
def status(project, langs, fmt):
    """Show each language's progress: reviewed, draft and missing segments and words.

    Example: storyloc status --format json
    """
    import json
    from .status import format_reasons, format_stale, format_table, stale, status as status_rows
    rows = status_rows(project, langs or None)
    old = [s for s in stale(project) if not langs or s.lang in langs]
    if fmt == "json":
        by_key = {(s.story, s.lang): s.as_json() for s in old}
        click.echo(json.dumps([{**row.as_json(), "stale": by_key.get((row.story, row.lang))} for row in rows],
                              ensure_ascii=False, indent=2))
    else:
        click.echo(format_table(rows))
        if any(row.reasons for row in rows):
            click.echo(format_reasons(rows))
        if old:
            click.echo(format_stale(old))


@main.command()
@click.option("--force", is_flag=True, help="Redo every story, changed or not.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Stories redone at once, each in a process of its own.  [default: the machine's cores]")
@with_project
def locales(project, force, jobs):
    """Run every stage for every story, redoing only stories whose inputs changed.

    This is what `make locales` runs: extract → update → draft → build.
    Stories are independent: -j N redoes N at once. Example: storyloc locales -j 4
    """
    from .pipeline import cores, locales as run_locales, standard_stages
    from .status import write_overview
    with _StoryProgress(len(project.stories)) as progress:
        runs = run_locales(project, standard_stages, force=force, on_story=progress, jobs=jobs or cores())
    done = [r for r in runs if not r.skipped]
    if done or not (project.build_dir / "index.html").exists():
        write_overview(project)
    for run in done:
        for result in run.stages["draft"].results:
            if result.drafted:
                engines = ", ".join(f"{n} by {name}" for name, n in sorted(result.by_engine.items()))
                click.echo(f"{result.shown}: drafted {result.drafted} ({engines})")
            for reason, count in result.reasons().items():
                click.echo(f"{result.shown}: {count} left undrafted: {reason}")
        for result in run.stages["build"]:
            for warning in result.warnings:
                click.echo(f"warning: {warning}", err=True)
    click.echo(f"{len(done)} of {len(runs)} stories brought up to date, {len(runs) - len(done)} unchanged")


class _StoryProgress:
    """A bar over the stories on a terminal; a plain line per story brought up to date otherwise (CI logs)."""

    def __init__(self, total: int):
        self.total, self.count = total, 0
        self.bar = click.progressbar(length=total, label="stories", file=sys.stderr) if sys.stderr.isatty() else None

    def __enter__(self):
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def __call__(self, run) -> None:
        self.count += 1
        if self.bar is not None:
            self.bar.update(1)
        elif not run.skipped or self.total <= 20:
            state = "unchanged" if run.skipped else "updated"
            click.echo(f"[{self.count}/{self.total}] {run.story}: {state}", err=True)


# -- publish, prune, serve, pull: dist/, the package index publishers pull from ----------------


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
    from .publish import publish as publish_stories
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
    from .publish import prune as prune_dist
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
    from .serve import make_server
    server = make_server(project, port)
    try:
        if not (project.dist_dir / "index.json").exists():
            click.echo(f"warning: {project.rel(project.dist_dir)}/index.json does not exist yet; "
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
@click.option("--dest", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
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
    from .pull import pull as pull_bundle
    with contextlib.ExitStack() as bars:
        shown = {}

        def progress(name, done, total):
            # click draws a bar on a terminal and prints the label once otherwise.
            if "bar" not in shown:
                shown["bar"] = bars.enter_context(click.progressbar(
                    length=total, label=f"Downloading {name} ({_size(total)})",
                    file=sys.stderr))
                shown["done"] = 0
            shown["bar"].update(done - shown["done"])
            shown["done"] = done

        try:
            result = pull_bundle(feed, story, lang, dest, version=version, draft=draft, progress=progress,
                                 timeout=timeout, allow_stale=allow_stale)
        except StorylocError as error:
            bars.close()
            _fail(error)
        except OSError as error:      # a full disk or a folder it may not write: named, in one line
            bars.close()
            _fail(StorylocError(error.strerror or str(error), _shown(error.filename)))
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
        click.echo(f"warning: stale: the source of {result.story} changed{since} and this translation does "
                   f"not have the change yet; show a \"being updated\" notice or the source language", err=True)


# -- check and review: quality checks and the review page -------------------------------


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option("--story", "stories", multiple=True, help="Only this story (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--list", "list_checks", is_flag=True, help="List the checks (id, severity, title) and exit.")
@click.pass_context
def check_command(ctx, paths, langs, stories, fmt, list_checks):
    """Check translations: markup, links, numbers, names, glossary, engine marks…

    One line per problem, like a compiler:

    \b
      locales/uk/LC_MESSAGES/<story>.po:123: [error] links: link target changed (…)

    Exits 1 when an error-level check fails on a reviewed entry (failures in
    drafts are warnings). Silence one check on one entry with a translator
    comment in the .po: `# storyloc: ignore <check-id>`.
    Example: storyloc check --lang uk

    \b
    With PATHs, checks those catalog files as `msgfmt --check` does, no project
    needed (syntax, header, plural forms, format strings, control characters):
      storyloc check po/*.po
    """
    if paths and not list_checks:
        _check_paths(paths, fmt)
        return
    ctx.invoke(_check_project, langs=langs, stories=stories, fmt=fmt, list_checks=list_checks)


def _check_paths(paths, fmt):
    """`storyloc check PATH…`: each file's findings as `file:line: severity: message`; exit 1 on errors."""
    import json
    from .check import ERROR, FileFinding, check_file, tally
    findings = []
    for path in paths:
        shown = _shown(str(path))
        try:
            findings.extend(check_file(path, shown))
        except OSError as error:          # missing, a folder, unreadable: that file's error, then the next
            findings.append(FileFinding(shown, None, ERROR, error.strerror or str(error)))
    errors = tally(findings)["errors"]
    if fmt == "json":
        click.echo(json.dumps([vars(f) for f in findings], ensure_ascii=False, indent=2))
    else:
        for finding in findings:
            click.echo(finding.format())
        files = f"{len(paths)} file" + ("" if len(paths) == 1 else "s")
        click.echo(f"{files} checked: {errors} error(s), {len(findings) - errors} warning(s)", err=True)
    if errors:
        raise click.exceptions.Exit(1)


@with_project
def _check_project(project, langs, stories, fmt, list_checks):
    import json
    from .check import check as check_catalogs, describe as describe_checks
    if list_checks:
        rows = describe_checks()
        if fmt == "json":
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for row in rows:
                only = f" [{', '.join(row['langs'])}]" if row["langs"] else ""
                click.echo(f"{row['id']:<16} {row['severity']:<8} {row['title']}{only}")
        return
    report = check_catalogs(project, langs or None, project.select_stories(stories))
    if fmt == "json":
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for finding in report.findings:
            click.echo(finding.format())
        for story, lang in report.checked:
            click.echo(f"{project.rel(project.catalog(story, lang))}: {report.summary(story, lang)}", err=True)
    if report.errors:
        raise click.exceptions.Exit(1)


@main.command("review")
@click.argument("lang")
@click.option("--story", help="The story to open (default: the first); the page can switch.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 opens the page to your network (token required).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port (0 picks a free one).")
@click.option("--token", envvar="STORYLOC_REVIEW_TOKEN",
              help="The secret the page's link carries (default: a new random one). [env: STORYLOC_REVIEW_TOKEN]")
@click.option("--user", envvar="STORYLOC_USER",
              help="Your name, recorded as `reviewed by=`. [env: STORYLOC_USER; default: login name]")
@click.option("--role", type=click.Choice(["translator", "editor"]), default="translator", show_default=True,
              help="Your role on the page this command prints (editors can approve).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in your browser.")
@with_project
def review_command(project, lang, story, host, port, token, user, role, open_browser):
    """Review one language in the browser: the English, the translation, checks, photos.

    Edits, reviews and approvals are written to the .po at once. A save to an
    entry changed meanwhile (Poedit, another reviewer) is never overwritten:
    the page shows both texts. Named reviewers sign in with the token
    `storyloc reviewer add` gave them. Stop with Ctrl+C.
    Example: storyloc review uk --story bakhmut-under-fire
    """
    import webbrowser
    from .review import make_server as make_review_server, read_reviewers
    server = make_review_server(project, lang, story, host, port, token, user, role=role)
    click.echo(f"Review page for {lang}: {server.url}")
    named = read_reviewers(project)
    if named:
        click.echo(f"{len(named)} named reviewer{'s' if len(named) != 1 else ''} can open "
                   f"{server.base_url}?token=<their token>")
    if not server.loopback:
        click.echo("warning: listening beyond this machine: anyone with the link above can edit; "
                   "share it only over a trusted network or behind HTTPS", err=True)
    click.echo("Stop with Ctrl+C.")
    if open_browser and server.loopback:
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()


@main.group()
def reviewer():
    """Named reviewers: each gets a token of their own and a role.

    The name recorded in the .po comes from the token, never from the page.
    Tokens are stored hashed in .storyloc/reviewers.json.
    Example: storyloc reviewer add "Olena Kovalenko" --role editor
    """


@reviewer.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["translator", "editor"]), default="translator", show_default=True,
              help="A translator marks entries reviewed; an editor also approves them.")
@with_project
def reviewer_add(project, name, role):
    """Issue a token for NAME (replacing any earlier one); it is shown once.

    Example: storyloc reviewer add "Olena Kovalenko" --role editor
    """
    from .review import add_reviewer
    who, token = add_reviewer(project, name, role)
    click.echo(f"{who.name.replace('_', ' ')} ({who.role}): token {token}")
    click.echo(f"Give it to them privately; they open the review page's address with ?token={token}")


@reviewer.command("list")
@with_project
def reviewer_list(project):
    """List named reviewers and their roles (tokens are never shown again).

    Example: storyloc reviewer list
    """
    from .review import read_reviewers
    rows = read_reviewers(project)
    for row in rows:
        click.echo(f"{str(row.get('name')).replace('_', ' ')}\t{row.get('role')}")
    if not rows:
        click.echo("no named reviewers; add one with `storyloc reviewer add NAME`")


@reviewer.command("remove")
@click.argument("name")
@with_project
def reviewer_remove(project, name):
    """Withdraw NAME's token at once (a running review page refuses it from its next request).

    Example: storyloc reviewer remove "Olena Kovalenko"
    """
    from .review import remove_reviewer
    from .errors import ReviewError
    if not remove_reviewer(project, name):
        raise ReviewError(f"no reviewer named {name!r}")
    click.echo(f"removed {name}")


# -- git: catalogs that merge --------------------------------------------------------


@main.command("merge-driver", context_settings={"ignore_unknown_options": True})
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("name", required=False)
def merge_driver(base, ours, theirs, name):
    """Git merge driver for .po files: merges entry by entry, never conflict markers.

    Git runs it as `storyloc merge-driver %O %A %B %P` (see `storyloc init-git`);
    the result replaces OURS. An entry both branches changed differently
    becomes fuzzy, with the other text in a translator comment.
    Example: storyloc merge-driver base.po ours.po theirs.po locales/uk/LC_MESSAGES/story.po
    """
    from .po.mergedriver import merge_files
    try:
        result = merge_files(base, ours, theirs, name)
    except StorylocError as error:
        _fail(error)
    if result.conflicts:
        click.echo(f"{name or ours}: {len(result.conflicts)} entries changed on both branches are fuzzy now, "
                   f"the other text in a translator comment; review them", err=True)


@main.command("init-git")
@click.pass_context
def init_git_command(ctx):
    """Make git merge catalogs with `storyloc merge-driver` (.gitattributes and git config).

    Example: storyloc init-git
    """
    from .po.mergedriver import init_git
    try:
        changed = init_git(ctx.obj["root"])
    except StorylocError as error:
        _fail(error)
    for line in changed:
        click.echo(line)
    if not changed:
        click.echo("already set up: *.po files merge with storyloc merge-driver")


# -- draft and translation memory ----------------------------------------------------


class _DraftProgress:
    """A bar per catalog on a terminal; plain lines (one per saved batch) when not a TTY, as in CI."""

    def __init__(self, project: Project):
        self.project = project
        self.tty = sys.stdout.isatty()
        self.bar = None
        self.shown = 0

    def __call__(self, event: DraftEvent) -> None:
        label = f"{event.lang} {event.story}"
        if not self.tty:
            if event.kind == "advance":
                saved = " (saved)" if event.drafted else ""
                click.echo(f"{label}: {event.done}/{event.total} segments, {event.drafted} drafted{saved}")
            return
        if event.kind == "start" and event.total:
            self.bar = click.progressbar(length=event.total, label=label, show_pos=True)
            self.bar.__enter__()
            self.shown = 0
        elif event.kind == "advance" and self.bar is not None:
            self.bar.update(event.done - self.shown)
            self.shown = event.done
        elif event.kind == "finish":
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@main.command()
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option("--engine", "engines", multiple=True,
              help="Use these machine engines (repeatable, in order), e.g. --engine llm; the translation "
                   "memory and the glossary still run first.")
@click.option("--strict", is_flag=True, help="Exit non-zero if any segment is left undrafted.")
@click.option("--force", is_flag=True, help="Re-draft entries that are still machine drafts (never a person's).")
@with_project
def draft(project, langs, engines, strict, force):
    """Fill empty entries with machine drafts, fuzzy, with their provenance.

    Translation memory first, then the glossary, then a machine engine:
    Apertium offline; a language model (llm), Google and others online
    once allowed (STORYLOC_ONLINE=1). Every draft is verified before it is
    kept. Reviewed translations are never touched.
    Example: storyloc draft --lang uk --engine llm
    """
    from .draft import draft as draft_catalogs, strict_error
    progress = _DraftProgress(project)
    try:
        results = draft_catalogs(project, langs or None, engines or None, force=force, progress=progress)
    finally:
        progress.close()
    click.echo(f"{'story':<24} {'lang':<6} {'to draft':>8} {'tm':>5} {'glossary':>8}  {'engine':<16} {'left':>5}")
    for r in results:
        machine = ", ".join(f"{n} {name}" for name, n in r.by_engine.items() if name not in ("tm", "glossary"))
        click.echo(f"{r.story:<24} {r.lang:<6} {r.segments:>8} {r.by_engine['tm']:>5} "
                   f"{r.by_engine['glossary']:>8}  {machine or '-':<16} {len(r.undrafted):>5}")
    for r in results:
        for name, cost in r.stats.items():
            if cost.requests or cost.cache_hits:
                tokens = f", tokens {cost.tokens_in} in / {cost.tokens_out} out" if name == "llm" else ""
                click.echo(f"cost: {r.story}/{r.lang}: {name} requests {cost.requests}, cached {cost.cache_hits}"
                           f"{tokens}, {cost.seconds:.2f} s")
            elif name == "apertium":
                click.echo(f"cost: {r.story}/{r.lang}: {name} {cost.seconds:.2f} s (offline)")
        for reason, count in r.rejected.items():
            click.echo(f"not kept: {r.shown}: {count} draft(s) failed verification: {reason}")
        for reason, count in r.reasons().items():
            lines = [u.line for u in r.undrafted if u.reason == reason]
            listed = ", ".join(map(str, lines[:8])) + (", …" if len(lines) > 8 else "")
            click.echo(f"left undrafted: {r.shown}: {count} (lines {listed}): {reason}")
    error = strict_error(results) if strict else None
    if error is not None:
        _fail(error)


@main.group()
def tm():
    """Translation memory: import and export TMX 1.4.

    Every reviewed translation under locales/ is in the memory already;
    imported TMX files are kept in tm/ and used by every draft run.
    """


@tm.command("import")
@click.argument("tmx_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", help="Keep it as tm/<name>.tmx (default: the file's own name).")
@with_project
def tm_import_command(project, tmx_file, name):
    """Check a TMX file and add it to the translation memory.

    Example: storyloc tm import ~/exports/newsroom-uk.tmx
    """
    from .draft.tm import tm_import
    result = tm_import(project, tmx_file, name)
    langs = ", ".join(f"{lang} {n}" for lang, n in sorted(result.languages.items())) or "no configured language"
    click.echo(f"{project.rel(result.path)}: {result.units} translation units ({langs})")


@tm.command("export")
@click.argument("tmx_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@with_project
def tm_export_command(project, tmx_file, langs):
    """Write every reviewed translation (catalogs and imported TMX) as one TMX 1.4 file.

    Example: storyloc tm export memory.tmx --lang uk
    """
    from .draft.tm import tm_export
    result = tm_export(project, tmx_file, langs or None)
    langs_text = ", ".join(f"{lang} {n}" for lang, n in sorted(result.languages.items())) or "nothing reviewed yet"
    click.echo(f"{click.format_filename(str(result.path))}: {result.units} translation units ({langs_text})")


# -- import: articles from a CMS or a static site -------------------------------------------


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--story", "slug", required=True, help="Story name: writes source/<story>/article.md.")
@click.option("--base-url", help="The site the article was published on, e.g. https://18f.gsa.gov/: "
                                 "links and images given as site paths (/img/x.jpg) become absolute.")
@click.option("--force", is_flag=True, help="Replace an existing article.md.")
@with_project
def import_command(project, file, slug, base_url, force):
    """Turn a CMS's HTML export or Hugo/Jekyll/Eleventy Markdown into a story.

    Headings, lists, quotes, tables, footnotes, figures (alt text, caption,
    credit) and embeds are carried; everything else is named as a warning
    with its file and line. A file that is not an article is refused.

    \b
    Example:
      storyloc import export/post-1234.html --story council-vote --base-url https://example.org/
    """
    from .importer import import_article
    result = import_article(file, slug, project, force=force, base_url=base_url)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    figures = f", {result.figures} figure{'s' * (result.figures != 1)}" if result.figures else ""
    click.echo(f"{project.rel(result.path)}: written from {result.kind} ({result.title!r}{figures}, "
               f"{len(result.warnings)} warning{'s' * (len(result.warnings) != 1)})")
    from .project import Project
    if slug not in Project.load(project.root).stories:   # read again: `stories` unset finds source/ anew
        click.echo(f"warning: add {slug!r} to `stories` in [tool.storyloc] to extract and build it", err=True)


@main.group("glossary")
def glossary_group():
    """Glossaries: the names and terms every draft must carry (glossary/<lang>.csv)."""


@glossary_group.command("suggest")
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@click.option("--story", "stories", multiple=True, help="Only this story (repeatable).")
@with_project
def glossary_suggest_command(project, langs, stories):
    """Propose glossary entries from the stories' own names, for a translator to fill.

    Names from the front matter (publisher, photographer, keep), the credits and
    bylines, and capitalised multi-word terms, that a language's glossary lacks,
    as CSV rows: brands filled in as kept, the rest with an empty translation.
    Example: storyloc glossary suggest --lang uk
    """
    from .glossary import suggest
    from .story import parse_story
    parsed = [parse_story(project.article(slug), slug, project.rel(project.article(slug)))
              for slug in project.select_stories(stories or None)]
    found = suggest(project, parsed)
    for lang in project.select_languages(langs or None):
        rows = found.get(lang, [])
        click.echo(f"# {project.rel(project.glossary(lang))}: {len(rows)} name(s) it lacks")
        if rows:
            import csv
            import io
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            for term in rows:
                writer.writerow([term.source, term.target, term.note])
            click.echo(out.getvalue(), nl=False)
