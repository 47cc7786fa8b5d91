"""Findings and the report: running the checks on a project's catalogs, and counting what failed.

:func:`tally` is the one counter of findings by severity: the report's totals, the closing line
of ``storyloc check``, the manifest's and status's counts (through :func:`summarize`) and the
publish gate's errors all come from it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from ..po import Catalog, read_catalog
from ..project import Project
from ..story import Story, parse_story
from .entry import Entry, entries_for
from .registry import CHECKS, ERROR, UNSILENCED, WARNING, run_checks, silenced


@dataclass
class Finding:
    """One failure of one check on one entry, at the line of the entry's ``msgid``."""

    path: str
    line: int
    story: str
    lang: str
    check: str
    severity: str                   # error | warning: what it counts as here
    message: str
    status: str                     # reviewed | draft
    msgctxt: str | None = None
    msgid: str = ""
    ignored: bool = False

    @property
    def title(self) -> str:
        return CHECKS[self.check].title if self.check in CHECKS else self.check

    def format(self) -> str:
        label = "ignored" if self.ignored else self.severity
        note = ""
        if self.status == "draft" and not self.ignored and self.check in CHECKS \
                and CHECKS[self.check].severity == ERROR:
            note = " (draft: an error once approved)"
        return f"{self.path}:{self.line}: [{label}] {self.check}: {self.message}{note}"

    def as_json(self) -> dict:
        return {"file": self.path, "line": self.line, "story": self.story, "lang": self.lang,
                "check": self.check, "severity": self.severity, "title": self.title,
                "message": self.message, "status": self.status, "ignored": self.ignored,
                "msgctxt": self.msgctxt, "msgid": self.msgid}


@dataclass
class Report:
    """What ``storyloc check`` found in the catalogs it read, and how many entries each had."""

    findings: list[Finding] = field(default_factory=list)
    checked: dict[tuple[str, str], int] = field(default_factory=dict)   # (story, lang) → entries checked

    @property
    def errors(self) -> int:
        return tally(self.findings)["errors"]

    @property
    def warnings(self) -> int:
        return tally(self.findings)["warnings"]

    @property
    def ignored(self) -> int:
        return tally(self.findings)["ignored"]

    def count(self, story: str, lang: str) -> dict:
        """Errors, warnings and ignored failures of one catalog."""
        return tally([f for f in self.findings if f.story == story and f.lang == lang])

    def summary(self, story: str, lang: str) -> str:
        """``3 errors, 1 warning, 0 ignored (20 entries checked)``: the closing line for a catalog."""
        c = self.count(story, lang)
        plural = lambda n, word: f"{n} {word}" + ("" if n == 1 else "s")
        return (f"{plural(c['errors'], 'error')}, {plural(c['warnings'], 'warning')}, {c['ignored']} ignored "
                f"({plural(self.checked.get((story, lang), 0), 'entry')} checked)").replace("entrys", "entries")

    def as_json(self) -> dict:
        return {"summary": {**tally(self.findings), "checked": sum(self.checked.values())},
                "catalogs": [{"story": s, "lang": l, "checked": n, **self.count(s, l)}
                             for (s, l), n in self.checked.items()],
                "findings": [f.as_json() for f in self.findings]}


def findings_for(entry: Entry, path: str, story: str) -> list[Finding]:
    """The entry's failures as findings at ``path``: a draft's count as warnings; silences applied."""
    m = entry.message
    status = m.status
    quiet = silenced(m)
    out = []
    for check, message in run_checks(entry):
        severity = check.severity if status == "reviewed" else WARNING
        out.append(Finding(path, m.lineno, story, entry.lang, check.id, severity, message, status,
                           m.msgctxt, m.msgid, check.id in quiet and check.id not in UNSILENCED))
    return out


def check_catalog(project: Project, slug: str, lang: str, catalog: Catalog | None = None,
                  story: Story | None = None) -> tuple[list[Finding], int]:
    """Findings for one story in one language, and how many entries were checked."""
    path = project.catalog(slug, lang)
    shown = project.rel(path)
    if catalog is None:
        if not path.exists():
            return [], 0
        catalog = read_catalog(path, shown)
    if story is None:
        source = project.article(slug)
        story = parse_story(source, slug, project.rel(source)) if source.exists() else None
    entries = entries_for(project, slug, lang, catalog, story)
    findings = [f for e in entries for f in findings_for(e, shown, slug)]
    return findings, len(entries)


def check(project: Project, langs: Iterable[str] | None = None, stories: Iterable[str] | None = None) -> Report:
    """Run every check on every catalog of the project (or the languages and stories asked for; each
    must be configured, else a :class:`~storyloc.errors.ConfigError`)."""
    report = Report()
    langs = project.select_languages(tuple(langs)) if langs else None
    for slug in project.select_stories(tuple(stories) if stories else None):
        source = project.article(slug)
        story = parse_story(source, slug, project.rel(source))
        for lang in project.story_targets(story, langs):
            findings, checked = check_catalog(project, slug, lang, story=story)
            report.findings.extend(findings)
            report.checked[(slug, lang)] = checked
    return report


def failing(findings: Iterable, severity: str = ERROR) -> list:
    """The findings that count as ``severity`` (``error``: what the publish gate refuses); a silenced
    failure counts as neither. Any finding with ``severity`` and ``ignored`` (a :class:`Finding`, a
    :class:`~storyloc.check.catalog_file.FileFinding`)."""
    return [f for f in findings if not f.ignored and f.severity == severity]


def tally(findings: Iterable) -> dict:
    """The one counter of findings: errors, warnings, and silenced (``ignored``) failures."""
    findings = list(findings)
    return {"errors": len(failing(findings, ERROR)), "warnings": len(failing(findings, WARNING)),
            "ignored": sum(1 for f in findings if f.ignored)}


def summarize(findings: list[Finding]) -> dict:
    """Counts for status and the manifest: :func:`tally`'s, and failures per check."""
    per_check = Counter(f.check for f in findings if not f.ignored)
    return {**tally(findings), "checks": dict(sorted(per_check.items()))}
