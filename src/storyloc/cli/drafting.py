"""Machine drafts and what feeds them: draft, tm, glossary."""
from __future__ import annotations

import sys

import click

from . import FILE, fail, main, with_project

TYPE_CHECKING = False      # typing's, without importing it at start-up
if TYPE_CHECKING:
    from ..draft import DraftEvent
    from ..project import Project


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
    from ..draft import draft as draft_catalogs, strict_error
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
        fail(error)


@main.group()
def tm():
    """Translation memory: import and export TMX 1.4.

    Every reviewed translation under locales/ is in the memory already;
    imported TMX files are kept in tm/ and used by every draft run.
    """


@tm.command("import")
@click.argument("tmx_file", type=FILE)
@click.option("--name", help="Keep it as tm/<name>.tmx (default: the file's own name).")
@with_project
def tm_import_command(project, tmx_file, name):
    """Check a TMX file and add it to the translation memory.

    Example: storyloc tm import ~/exports/newsroom-uk.tmx
    """
    from ..draft.tm import tm_import
    result = tm_import(project, tmx_file, name)
    langs = ", ".join(f"{lang} {n}" for lang, n in sorted(result.languages.items())) or "no configured language"
    click.echo(f"{project.rel(result.path)}: {result.units} translation units ({langs})")


@tm.command("export")
@click.argument("tmx_file", type=FILE)
@click.option("--lang", "langs", multiple=True, help="Only this language (repeatable).")
@with_project
def tm_export_command(project, tmx_file, langs):
    """Write every reviewed translation (catalogs and imported TMX) as one TMX 1.4 file.

    Example: storyloc tm export memory.tmx --lang uk
    """
    from ..draft.tm import tm_export
    result = tm_export(project, tmx_file, langs or None)
    langs_text = ", ".join(f"{lang} {n}" for lang, n in sorted(result.languages.items())) or "nothing reviewed yet"
    click.echo(f"{click.format_filename(str(result.path))}: {result.units} translation units ({langs_text})")
