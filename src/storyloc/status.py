"""Where each story stands in each language: reviewed, drafted, empty; check errors; publish state.

:func:`status` gives one row per story and language (the CLI prints them as a
table or JSON); :func:`write_overview` writes ``build/status.svg``, a progress
chart, and ``build/index.html``, the overview page that links every bundle.
Both are reproducible: nothing here reads the clock.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

from .build import assess
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


def stale(project: Project, stories: tuple[str, ...] | None = None) -> list[StaleTranslation]:
    """The newest published version of each translation the feed marks stale, oldest change first."""
    from .feed import check_feed, is_stale
    path = project.dist_dir / "index.json"
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
            newest = max(listing["versions"], key=lambda e: e["sequence"], default=None)
            if newest is not None and is_stale(newest):
                found.append(StaleTranslation(slug, lang, newest["version"], newest.get("stale_since"),
                                              newest.get("created")))
    return sorted(found, key=lambda s: (s.since or "", s.published or "", s.story, s.lang))


def _reason_line(reason: dict) -> str:
    from .build.gates import Reason
    return Reason(reason["gate"], reason["message"], reason["entries"]).format()


def format_reasons(rows: list[LanguageStatus]) -> str:
    """Why each draft is not published, one gate per line (what ``build`` and ``status`` print)."""
    from .build.gates import Reason
    lines = []
    for row in rows:
        for reason in row.reasons:
            lines.append(f"{row.story} {row.lang}: not published: "
                         f"{Reason(reason['gate'], reason['message'], reason['entries']).format()}")
    return "\n".join(lines)


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


# -- the chart and the overview page -------------------------------------------------

COLORS = {"reviewed": "#2e7d32", "draft": "#e0a800", "missing": "#d5d5d5"}
LABELS = {"reviewed": "reviewed", "draft": "draft", "missing": "empty"}


def _xml(text) -> str:
    return escape(str(text), quote=True)


def progress_svg(rows: list[LanguageStatus]) -> str:
    """A stacked bar per story and language: reviewed, draft and empty segments."""
    width, label_w, bar_w, row_h, gap = 840, 150, 380, 26, 34
    y = 46
    body: list[str] = []
    stories: dict[str, list[LanguageStatus]] = {}
    for row in rows:
        stories.setdefault(row.story, []).append(row)
    for slug, story_rows in stories.items():
        body.append(f'<text x="12" y="{y}" class="story">{_xml(slug)}</text>')
        y += 12
        for row in story_rows:
            c = row.counts
            total = c["segments"] or 1
            x = label_w
            body.append(f'<g class="row" data-lang="{_xml(row.lang)}" data-state="{_xml(row.state)}">')
            body.append(f'<text x="12" y="{y + 17}" class="lang">{_xml(row.lang)} · '
                        f'{_xml(native_name(row.lang))}</text>')
            for part in ("reviewed", "draft", "missing"):
                w = round(bar_w * c[part] / total, 2)
                if w > 0:
                    body.append(f'<rect x="{x}" y="{y + 3}" width="{w}" height="{row_h - 6}" '
                                f'fill="{COLORS[part]}"><title>{_xml(row.lang)}: {c[part]} '
                                f'{LABELS[part]}</title></rect>')
                x = round(x + w, 2)
            note = f"{c['percent_reviewed']:.0f}% reviewed · {row.state}"
            if row.errors:
                note += f" · {row.errors} error{'s' if row.errors != 1 else ''}"
            body.append(f'<text x="{label_w + bar_w + 10}" y="{y + 17}" class="note'
                        f'{" bad" if row.errors else ""}">{_xml(note)}</text>')
            body.append("</g>")
            y += row_h
        y += gap - row_h + 12
    legend_x = 12
    legend = []
    for part in ("reviewed", "draft", "missing"):
        legend.append(f'<rect x="{legend_x}" y="10" width="12" height="12" fill="{COLORS[part]}"/>'
                      f'<text x="{legend_x + 17}" y="21" class="legend">{LABELS[part]}</text>')
        legend_x += 100
    height = y - 10
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="t">\n'
            f'<title id="t">Translation progress by story and language</title>\n'
            '<style>text{font:13px system-ui,sans-serif;fill:#222}.story{font-weight:600;font-size:14px}'
            '.note{fill:#555}.bad{fill:#b3261e;font-weight:600}.legend{fill:#444}</style>\n'
            f'<rect width="{width}" height="{height}" fill="#fff"/>\n'
            + "\n".join(legend) + "\n" + "\n".join(body) + "\n</svg>\n")


def overview_html(project: Project, rows: list[LanguageStatus]) -> str:
    """``build/index.html``: every story × language with its bundle link, progress and checks."""
    parts = []
    stories: dict[str, list[LanguageStatus]] = {}
    for row in rows:
        stories.setdefault(row.story, []).append(row)
    try:
        stale_rows = stale(project)
    except StorylocError:                   # a broken feed is publish's to report, not the overview's
        stale_rows = []
    for slug, story_rows in stories.items():
        source = project.story_language(slug)
        trs = [f'<tr><td><a href="{_xml(slug)}/{_xml(source)}/index.html" hreflang="{_xml(html_lang(source))}">'
               f'{_xml(native_name(source))}</a> <span class="code">{_xml(source)}</span></td>'
               f'<td colspan="5" class="muted">original</td><td><span class="state source">source</span></td></tr>']
        for row in story_rows:
            c = row.counts
            bundle = f"{slug}/{row.lang}/index.html"
            name = (f'<a href="{_xml(bundle)}" hreflang="{_xml(html_lang(row.lang))}" '
                    f'lang="{_xml(html_lang(row.lang))}" dir="{direction(row.lang)}">{_xml(native_name(row.lang))}</a>'
                    if (project.build_dir / bundle).exists() else _xml(native_name(row.lang)))
            trs.append(
                f'<tr data-lang="{_xml(row.lang)}"><td>{name} <span class="code">{_xml(row.lang)}</span></td>'
                f'<td class="num">{c["reviewed"]}/{c["segments"]}</td><td class="num">{c["draft"]}</td>'
                f'<td class="num">{c["missing"]}</td><td class="num">{c["percent_reviewed"]:.1f}%</td>'
                f'<td class="num{" bad" if row.errors else ""}">{row.errors} / {row.warnings}</td>'
                f'<td><span class="state {_xml(row.state)}">{_xml(row.state)}</span></td></tr>')
        manifest = f"{slug}/manifest.json"
        why = "".join(f'<li><span class="code">{_xml(row.lang)}</span> {_xml(_reason_line(r))}</li>'
                      for row in story_rows for r in row.reasons)
        old = "".join(f'<li><span class="code">{_xml(s.lang)}</span> {_xml(s.version)}: the source changed '
                      f'{_xml((s.since or "")[:10])}; publishers are told it is stale</li>'
                      for s in stale_rows if s.story == slug)
        parts.append(
            f'<section><h2>{_xml(slug)}</h2>'
            + (f'<p class="muted"><a href="{_xml(manifest)}">manifest.json</a></p>'
               if project.manifest(slug).exists() else "")
            + '<table><thead><tr><th>language</th><th>reviewed</th><th>draft</th><th>empty</th>'
              '<th>done</th><th>errors / warnings</th><th>state</th></tr></thead><tbody>'
            + "".join(trs) + "</tbody></table>"
            + (f'<h3>To update (published, older than the source)</h3><ul class="list">{old}</ul>' if old else "")
            + (f'<h3>Why not published</h3><ul class="list">{why}</ul>' if why else "")
            + "</section>")
    share = project.publish.share if project.publish.share is not None else project.publish_threshold
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>storyloc: localized stories</title>
<style>
body{{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1d1d1d;background:#f6f6f4}}
main{{max-width:60rem;margin:0 auto;padding:1.5rem}}
h1{{font-size:1.6rem;margin:.2rem 0 1rem}}
h2{{font-size:1.2rem;margin:1.6rem 0 .4rem}}
img.chart{{max-width:100%;height:auto;background:#fff;border:1px solid #ddd;border-radius:6px}}
table{{border-collapse:collapse;width:100%;background:#fff;border:1px solid #ddd}}
th,td{{padding:.45rem .7rem;border-bottom:1px solid #eee;text-align:start}}
th{{font-size:.8rem;text-transform:uppercase;color:#666;background:#fafafa}}
.num{{text-align:end;font-variant-numeric:tabular-nums}}
.bad{{color:#b3261e;font-weight:600}}
.code{{color:#595959;font-size:.85em}}
.muted{{color:#595959}}
.state{{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.85em}}
.state.published{{background:#e3f1e4;color:#1b5e20}}
.state.draft{{background:#fff3cd;color:#7a5b00}}
.state.source{{background:#eee;color:#444}}
h3{{font-size:1rem;margin:1rem 0 .3rem}}
.list{{margin:.2rem 0;padding-inline-start:1.2rem;overflow-wrap:anywhere}}
</style>
</head>
<body>
<main>
<h1>Localized stories</h1>
<p><img class="chart" src="status.svg" alt="Translation progress by story and language"></p>
<p class="muted">A language is <strong>published</strong> when every {_xml(", ".join(project.publish.full))}
segment is {_xml(project.publish.require)}, {share:g}% of the others are, and no error-level check fails;
otherwise its bundle is a draft preview, and the reasons are listed under its story.</p>
{"".join(parts)}
</main>
</body>
</html>
"""


def write_overview(project: Project) -> list[str]:
    """Write ``build/status.svg`` and ``build/index.html`` from the manifests; returns the files that changed."""
    rows = built_status(project)
    written = []
    for name, text in (("status.svg", progress_svg(rows)), ("index.html", overview_html(project, rows))):
        if write_if_changed(project.build_dir / name, text.encode("utf-8")):
            written.append(project.rel(project.build_dir / name))
    return written
