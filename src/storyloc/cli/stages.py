"""The flow's stages, one command each, and `locales`, which runs them all where inputs changed."""
from __future__ import annotations

import sys

import click

from . import FILE, main, with_project


@main.command()
@click.argument("stories", nargs=-1)
@with_project
def extract(project, stories):
    """Write each story's template, locales/<story>.pot.

    The template is left alone when only its date would change.
    Example: storyloc extract bakhmut-under-fire
    """
    from ..extract import extract as extract_stories
    for result in extract_stories(project, stories or None):
        state = "written" if result.written else "unchanged"
        click.echo(f"{project.rel(result.path)}: {result.messages} messages, {state}")
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
    if not stories:
        _name_unlisted(project)


def _name_unlisted(project) -> None:
    """One warning line for each story folder that ``stories`` in pyproject.toml leaves out."""
    for article in project.unlisted_stories():
        click.echo(f"warning: {project.rel(article)}: not in `stories` in [tool.storyloc] of pyproject.toml, "
                   f"so no stage sees it; add {article.parent.name!r} there to localize it", err=True)


@main.command()
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@with_project
def update(project, langs):
    """Create or merge locales/<lang>/LC_MESSAGES/<story>.po from the template.

    Changed English goes fuzzy with the old English kept as #| msgid;
    nothing translated is ever dropped. Example: storyloc update --lang uk
    """
    from ..update import update as update_catalogs
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
    from ..build import build as build_stories
    results = build_stories(project)
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
    from ..build.gates import Reason
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
    from ..status import format_reasons, format_stale, format_table, stale, status as status_rows
    rows = status_rows(project, langs or None)
    old = stale(project, langs=langs or None)
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
    _name_unlisted(project)


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
    from ..pipeline import cores, locales as run_locales, standard_stages
    with _StoryProgress(len(project.stories)) as progress:
        runs = run_locales(project, standard_stages, force=force, on_story=progress, jobs=jobs or cores())
    done = [r for r in runs if not r.skipped]
    changed = [r for r in done if r.files_written]
    for run in done:
        for result in run.stages["draft"].results:
            if result.drafted:
                engines = ", ".join(f"{n} by {name}" for name, n in sorted(result.by_engine.items()))
                click.echo(f"{result.shown}: drafted {result.drafted} ({engines})")
            for reason, count in result.reasons().items():
                click.echo(f"{result.shown}: {count} left undrafted: {reason}")
        for warning in run.stages["build"].warnings:
            click.echo(f"warning: {warning}", err=True)
    click.echo(f"{len(changed)} of {len(runs)} stories brought up to date, {len(runs) - len(changed)} unchanged"
               + (f" ({len(done) - len(changed)} of them redone, no file changed)" if len(done) > len(changed) else ""))
    _name_unlisted(project)


def _story_state(run) -> str:
    return "unchanged" if run.skipped else "updated" if run.files_written else "redone, no file changed"


class _StoryProgress:
    """A bar over the stories on a terminal, with the last one ended and what became of it; a plain
    line per story brought up to date otherwise (CI logs)."""

    def __init__(self, total: int):
        self.total, self.count = total, 0
        self.bar = click.progressbar(length=total, label="stories", file=sys.stderr,
                                     item_show_func=lambda run: None if run is None else f"{run.story}: {_story_state(run)}"
                                     ) if sys.stderr.isatty() else None

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
            self.bar.update(1, run)
        elif not run.skipped or self.total <= 20:
            click.echo(f"[{self.count}/{self.total}] {run.story}: {_story_state(run)}", err=True)


# -- import: articles from a CMS or a static site -------------------------------------------


@main.command("import")
@click.argument("file", type=FILE)
@click.option("--story", "slug", required=True, help="Story name: writes source/<story>/article.md; from a "
                                                     "WordPress export, the post or page with that slug.")
@click.option("--base-url", help="The site the article was published on, e.g. https://18f.gsa.gov/: "
                                 "links and images given as site paths (/img/x.jpg) become absolute.")
@click.option("--force", is_flag=True, help="Replace an existing article.md.")
@with_project
def import_command(project, file, slug, base_url, force):
    """Turn a CMS's HTML export, a WordPress export (WXR) or Hugo/Jekyll/Eleventy Markdown into a story.

    Headings, lists, quotes, tables, footnotes, figures (alt text, caption,
    credit) and embeds are carried; everything else is named as a warning
    with its file and line. A file that is not an article is refused.
    A WordPress export (Tools → Export) gives the post or page whose slug is
    the story's name, or its only one.

    \b
    Examples:
      storyloc import export/post-1234.html --story council-vote --base-url https://example.org/
      storyloc import export/wordpress.xml --story council-vote
    """
    from ..importer import import_article
    result = import_article(file, slug, project, force=force, base_url=base_url)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    figures = f", {result.figures} figure{'s' * (result.figures != 1)}" if result.figures else ""
    click.echo(f"{project.rel(result.path)}: written from {result.kind} ({result.title!r}{figures}, "
               f"{len(result.warnings)} warning{'s' * (len(result.warnings) != 1)})")
    if not result.configured:
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
    from ..glossary import suggest
    for lang, rows in suggest(project, stories or None, langs or None).items():
        click.echo(f"# {project.rel(project.glossary(lang))}: {len(rows)} name(s) it lacks")
        if rows:
            import csv
            import io
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            for term in rows:
                writer.writerow([term.source, term.target, term.note])
            click.echo(out.getvalue(), nl=False)
