"""Where each story stands in each language: reviewed, drafted, empty; check errors; publish state.

:func:`status` gives one row per story and language (the CLI prints them as a
table or JSON); :func:`write_overview` writes ``build/status.svg``, a progress
chart, and ``build/index.html``, the overview page that links every bundle.
Both are reproducible: nothing here reads the clock.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from .build import Reason, assess
from .po import Catalog, read_catalog
from .project import Project
from .errors import StorylocError
from .files import write_if_changed
from .languages import direction, html_lang, native_name
from .story import parse_story


@dataclass
class LanguageStatus:
    story: str
    lang: str
    state: str
    counts: dict
    errors: int = 0
    warnings: int = 0
    ignored: int = 0
    catalog: str | None = None          # the .po, as users see its path
    checks: dict = field(default_factory=dict)   # check id → failures (not ignored)
    reasons: list = field(default_factory=list)  # why it is not published: gate, message, entries

    def as_json(self) -> dict:
        return {"story": self.story, "lang": self.lang, "state": self.state, **self.counts,
                "errors": self.errors, "warnings": self.warnings, "ignored": self.ignored,
                "catalog": self.catalog, "checks": self.checks, "reasons": self.reasons}


def status(project: Project, langs: tuple[str, ...] | None = None,
           stories: tuple[str, ...] | None = None) -> list[LanguageStatus]:
    """Where each story stands in each language, computed from the catalogs as they are now."""
    rows = []
    for slug in project.select_stories(stories):
        source = project.article(slug)
        story = parse_story(source, slug, project.rel(source))
        for lang in project.story_targets(story, langs):
            path = project.catalog(slug, lang)
            catalog = read_catalog(path, project.rel(path)) if path.exists() else Catalog()  # all still to do
            _, progress, state = assess(project, story, lang, catalog)
            rows.append(_row(project, slug, lang, state, progress))
    return rows


def _row(project: Project, slug: str, lang: str, state: str, progress: dict) -> LanguageStatus:
    progress = dict(progress)
    summary = {key: progress.pop(key, default) for key, default in
               (("errors", 0), ("warnings", 0), ("ignored", 0), ("checks", {}), ("reasons", []))}
    return LanguageStatus(slug, lang, state, progress, summary["errors"], summary["warnings"],
                          summary["ignored"], project.rel(project.catalog(slug, lang)), summary["checks"],
                          summary["reasons"])


@dataclass
class StaleTranslation:
    """A published translation made from an older source: what must be updated (``dist/index.json``)."""

    story: str
    lang: str
    version: str
    since: str | None           # when the source changed after it (ISO 8601), if known
    published: str | None       # when this translation was published

    def as_json(self) -> dict:
        return {"story": self.story, "lang": self.lang, "version": self.version, "since": self.since,
                "published": self.published}


def stale(project: Project, stories: tuple[str, ...] | None = None,
          langs: tuple[str, ...] | None = None) -> list[StaleTranslation]:
    """The newest published version of each translation the feed marks stale, oldest change first
    (only ``stories`` and ``langs`` when given)."""
    from .feed import check_feed, is_stale
    path = project.feed()
    try:
        feed = check_feed(json.loads(path.read_text(encoding="utf-8")), project.rel(path))
    except FileNotFoundError:
        return []
    except (ValueError, UnicodeDecodeError) as e:
        raise StorylocError(f"not valid JSON ({e})", project.rel(path)) from None
    found = []
    for slug, story in sorted(feed["stories"].items()):
        if stories and slug not in stories:
            continue
        for lang, listing in sorted(story["published"].items()):
            if langs and lang not in langs:
                continue
            newest = max(listing["versions"], key=lambda e: e["sequence"], default=None)
            if newest is not None and is_stale(newest):
                found.append(StaleTranslation(slug, lang, newest["version"], newest.get("stale_since"),
                                              newest.get("created")))
    return sorted(found, key=lambda s: (s.since or "", s.published or "", s.story, s.lang))


def format_reasons(rows: list[LanguageStatus]) -> str:
    """Why each draft is not published, one gate per line (what ``build`` and ``status`` print)."""
    return "\n".join(f"{row.story} {row.lang}: not published: {_reason_line(reason)}"
                     for row in rows for reason in row.reasons)


def format_stale(rows: list[StaleTranslation]) -> str:
    """The lines ``storyloc status`` ends with: what publishers get that is older than its source."""
    lines = [f"{len(rows)} published translation{'s' if len(rows) != 1 else ''} older than the source "
             f"(publishers are told they are stale; update, review and publish them), oldest first:"]
    for row in rows:
        since = f"source changed {row.since[:10]}" if row.since else "source changed"
        lines.append(f"  {row.story} {row.lang} {row.version}: {since}, published {(row.published or '?')[:10]}")
    return "\n".join(lines)


def built_status(project: Project) -> list[LanguageStatus]:
    """The same rows, read from each story's fresh ``manifest.json`` (the build computed them);
    a story without one is computed from its catalogs."""
    rows = []
    for slug in project.stories:
        try:
            manifest = json.loads(project.manifest(slug).read_text(encoding="utf-8"))
            languages = manifest["languages"]
            rows += [_row(project, slug, lang, languages[lang]["state"],
                          {k: v for k, v in languages[lang].items()
                           if k not in ("state", "dir", "files", "missing_images")})
                     for lang in project.story_targets(slug)]
        except (FileNotFoundError, ValueError, KeyError):
            rows += status(project, stories=(slug,))
    return rows


def totals(rows: list[LanguageStatus]) -> list[LanguageStatus]:
    """One row per language over all stories (``story`` is ``*``): what the table ends with."""
    by_lang: dict[str, LanguageStatus] = {}
    for row in rows:
        total = by_lang.setdefault(row.lang, LanguageStatus("*", row.lang, "published", {}))
        for key, value in row.counts.items():
            if key != "percent_reviewed":
                total.counts[key] = total.counts.get(key, 0) + value
        total.errors += row.errors
        total.warnings += row.warnings
        total.ignored += row.ignored
        if row.state != "published":
            total.state = "draft"
    for total in by_lang.values():
        c = total.counts
        c["percent_reviewed"] = round(100.0 * c["reviewed"] / c["segments"], 1) if c.get("segments") else 100.0
    return list(by_lang.values())


def format_table(rows: list[LanguageStatus]) -> str:
    """The terminal table: segments and words reviewed / draft / empty, checks, publish state."""
    head = (f"{'story':<24} {'lang':<6} {'reviewed':>8} {'draft':>6} {'empty':>6} "
            f"{'words rev/draft/empty':>22} {'done':>6} {'errors':>6} {'warnings':>8}  state")
    lines = [head]
    several = len({row.story for row in rows}) > 1
    for row in rows + (totals(rows) if several else []):
        c = row.counts
        words = f"{c['words_reviewed']}/{c.get('words_draft', 0)}/{c.get('words_missing', 0)}"
        story = "all stories" if row.story == "*" else row.story
        lines.append(f"{story:<24} {row.lang:<6} {c['reviewed']:>8} {c['draft']:>6} {c['missing']:>6} "
                     f"{words:>22} {c['percent_reviewed']:>5.1f}% {row.errors:>6} {row.warnings:>8}  {row.state}")
    return "\n".join(lines)


# -- the chart and the overview page: Jinja2 templates (templates/status.svg, overview.html) -----

COLORS = {"reviewed": "#2e7d32", "draft": "#e0a800", "missing": "#d5d5d5"}
LABELS = {"reviewed": "reviewed", "draft": "draft", "missing": "empty"}
PARTS = ("reviewed", "draft", "missing")


@lru_cache(maxsize=None)
def _templates() -> Environment:
    """The chart's and the overview's templates; every value is escaped, in the SVG too."""
    return Environment(loader=PackageLoader("storyloc", "templates"), autoescape=select_autoescape(("html", "svg")),
                       keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


def _by_story(rows: list[LanguageStatus]) -> dict[str, list[LanguageStatus]]:
    stories: dict[str, list[LanguageStatus]] = {}
    for row in rows:
        stories.setdefault(row.story, []).append(row)
    return stories


def _chart_row(row: LanguageStatus, y: int, left: int, bar_w: int) -> dict:
    """One language's bar: its reviewed, draft and empty parts side by side, and its note."""
    c = row.counts
    total = c["segments"] or 1
    bars, x = [], left
    for part in PARTS:
        w = round(bar_w * c[part] / total, 2)
        if w > 0:
            bars.append({"x": x, "width": w, "color": COLORS[part], "count": c[part], "label": LABELS[part]})
        x = round(x + w, 2)
    note = f"{c['percent_reviewed']:.0f}% reviewed · {row.state}"
    if row.errors:
        note += f" · {row.errors} error{'s' if row.errors != 1 else ''}"
    return {"lang": row.lang, "name": native_name(row.lang), "state": row.state, "y": y, "bars": bars,
            "note": note, "errors": row.errors}


def progress_svg(rows: list[LanguageStatus]) -> str:
    """A stacked bar per story and language: reviewed, draft and empty segments."""
    width, label_w, bar_w, row_h, gap = 840, 150, 380, 26, 34
    y = 46
    stories = []
    for slug, story_rows in _by_story(rows).items():
        story = {"name": slug, "y": y, "rows": []}
        y += 12
        for row in story_rows:
            story["rows"].append(_chart_row(row, y, label_w, bar_w))
            y += row_h
        stories.append(story)
        y += gap - row_h + 12
    legend = [{"x": 12 + 100 * i, "color": COLORS[part], "label": LABELS[part]} for i, part in enumerate(PARTS)]
    return _templates().get_template("status.svg").render(
        width=width, height=y - 10, legend=legend, stories=stories, bar_height=row_h - 6,
        note_x=label_w + bar_w + 10)


def _reason_line(reason: dict) -> str:
    return Reason(reason["gate"], reason["message"], reason["entries"]).format()


def _overview_story(project: Project, slug: str, rows: list[LanguageStatus], stale_rows: list) -> dict:
    """What the overview shows of one story: its original, each language (a link when its bundle
    is built), what must be updated and why each draft waits."""
    def href(path: Path) -> str:                # a link from the overview page to ``path``
        return path.relative_to(project.overview().parent).as_posix()

    source = project.story_language(slug)
    languages = []
    for row in rows:
        page = project.bundle_file(slug, row.lang, "index.html")
        languages.append({"code": row.lang, "tag": html_lang(row.lang), "dir": direction(row.lang),
                          "name": native_name(row.lang), "counts": row.counts, "errors": row.errors,
                          "warnings": row.warnings, "state": row.state,
                          "href": href(page) if page.exists() else None})
    return {
        "slug": slug,
        "manifest": href(project.manifest(slug)) if project.manifest(slug).exists() else None,
        "source": {"href": href(project.bundle_file(slug, source, "index.html")), "tag": html_lang(source),
                   "name": native_name(source), "code": source},
        "rows": languages,
        "stale": [s for s in stale_rows if s.story == slug],
        "reasons": [(row.lang, _reason_line(r)) for row in rows for r in row.reasons],
    }


def overview_html(project: Project, rows: list[LanguageStatus]) -> str:
    """``build/index.html``: every story × language with its bundle link, progress and checks."""
    try:
        stale_rows = stale(project)
    except StorylocError:                   # a broken feed is publish's to report, not the overview's
        stale_rows = []
    stories = [_overview_story(project, slug, story_rows, stale_rows)
               for slug, story_rows in _by_story(rows).items()]
    share = project.publish.share if project.publish.share is not None else project.publish_threshold
    return _templates().get_template("overview.html").render(
        stories=stories, full=", ".join(project.publish.full), require=project.publish.require, share=share)


def write_overview(project: Project) -> list[str]:
    """Write ``build/status.svg`` and ``build/index.html`` from the manifests; returns the files that changed."""
    rows = built_status(project)
    written = []
    for path, text in ((project.progress_chart(), progress_svg(rows)),
                       (project.overview(), overview_html(project, rows))):
        if write_if_changed(path, text.encode("utf-8")):
            written.append(project.rel(path))
    return written
