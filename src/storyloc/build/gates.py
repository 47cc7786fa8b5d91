"""Whether a language is published, and if not, why: the gates of ``[tool.storyloc.publish]``.

A page is published only when

- every segment of the kinds a reader sees first (``full``: by default the
  title, dek, captions, credits, alt text and headings) is reviewed — an
  English headline on a Ukrainian page is never "published";
- of the other segments, at least ``share`` percent are (``publish_threshold``
  by default);
- no error-level check fails on a reviewed entry.

``require = "approved"`` makes an editor's approval, not a translator's
review, what counts. Each gate that fails is a :class:`Reason` naming the
entries (``file:line``), which the manifest stores and ``build`` and
``status`` print.

:func:`assess` is the one reckoning behind the bundles, the manifest and
``storyloc status``: what a page shows (:func:`choose`), its progress, and its
publish state.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..check import check_catalog, failing, summarize
from ..po import Catalog, provenance
from ..project import Project
from ..story import Segment, Story

SHOWN = 5                   # entries a printed reason names before "and N more"


@dataclass
class Reason:
    gate: str               # full | share | checks
    message: str
    entries: list[dict] = field(default_factory=list)     # {"where": "file:line", "kind", "text", "status"}

    def as_json(self) -> dict:
        return {"gate": self.gate, "message": self.message, "entries": self.entries}

    def format(self) -> str:
        """One line: the gate, what is missing, where (``file:12,40,77 and 3 more``)."""
        files: dict[str, list[str]] = {}
        for e in self.entries[:SHOWN]:
            path, _, line = e["where"].rpartition(":")
            files.setdefault(path, []).append(line)
        where = "; ".join(f"{path}:{','.join(lines)}" for path, lines in files.items())
        more = f" and {len(self.entries) - SHOWN} more" if len(self.entries) > SHOWN else ""
        return f"{self.gate}: {self.message}" + (f": {where}{more}" if where else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def reasons(project: Project, story: Story, lang: str, catalog: Catalog, findings: list) -> list[Reason]:
    """Why ``lang`` is not published (an empty list: it is)."""
    settings = project.publish
    require = settings.require
    done = ("approved",) if require == "approved" else ("reviewed", "approved")
    index = catalog.index()
    po = project.rel(project.catalog(story.slug, lang))
    article = project.rel(project.article(story.slug))
    seen, by_kind, rest, rest_total = set(), {}, [], 0
    for seg in story.segments():
        if seg.key in seen:
            continue
        seen.add(seg.key)
        message = index.get(seg.key)
        status = provenance.state(message) if message is not None else "missing"
        where = f"{po}:{message.lineno}" if message is not None else f"{article}:{seg.line}"
        entry = {"where": where, "kind": seg.kind, "text": seg.text[:60], "status": status}
        if seg.kind in settings.full:
            if status not in done:
                by_kind.setdefault(seg.kind, []).append(entry)
        else:
            rest_total += 1
            if status not in done:
                rest.append(entry)
    found = []
    for kind in settings.full:
        if kind in by_kind:
            entries = by_kind[kind]
            found.append(Reason("full", f"{_plural(len(entries), kind)} not {require} (every {kind} must be)",
                                entries))
    share = settings.share if settings.share is not None else project.publish_threshold
    if rest_total:
        percent = round(100.0 * (rest_total - len(rest)) / rest_total, 1)
        if percent < share:
            found.append(Reason("share", f"{percent:g}% of the other segments {require}, {share:g}% required",
                                rest))
    errors = failing(findings)
    if errors:
        found.append(Reason("checks", f"{_plural(len(errors), 'error-level check')} failing on reviewed entries",
                            [{"where": f"{f.path}:{f.line}", "kind": f.check, "text": f.message[:60],
                              "status": f.status} for f in errors]))
    return found


@dataclass
class Shown:
    """A segment as a page shows it: the text chosen, and whether it fell back to English."""

    segment: Segment
    text: str
    status: str           # reviewed | draft | missing (the source language is always reviewed)
    fallback: bool

    def as_json(self, markdown: str) -> dict:
        return {"id": self.segment.id, "kind": self.segment.kind, "context": self.segment.context,
                "line": self.segment.line, "source": self.segment.text, "text": markdown,
                "status": self.status, "fallback": self.fallback}


def choose(story: Story, catalog: Catalog | None) -> dict[tuple, Shown]:
    """For every segment, the text to show: a reviewed translation, else the English."""
    index = catalog.index() if catalog is not None else {}
    shown = {}
    for seg in story.segments():
        if catalog is None:
            shown[seg.key] = Shown(seg, seg.text, "reviewed", False)
            continue
        message = index.get(seg.key)
        status = message.status if message is not None else "missing"
        if status == "reviewed":
            shown[seg.key] = Shown(seg, message.msgstr[0], status, False)
        else:
            shown[seg.key] = Shown(seg, seg.text, status, True)
    return shown


def counts(shown: dict[tuple, Shown]) -> dict:
    """Progress over distinct messages (a credit used on seven photos counts once)."""
    result = {"segments": len(shown), "reviewed": 0, "draft": 0, "missing": 0,
              "words": 0, "words_reviewed": 0, "words_draft": 0, "words_missing": 0}
    for item in shown.values():
        result[item.status] += 1
        result["words"] += item.segment.words
        result[f"words_{item.status}"] += item.segment.words
    result["percent_reviewed"] = round(100.0 * result["reviewed"] / result["segments"], 1) if shown else 100.0
    return result


def publish_state(project: Project, progress: dict, errors: int = 0) -> str:
    """``published`` when no gate of ``[tool.storyloc.publish]`` fails (``progress["reasons"]``, from
    :func:`assess`), and no error-level check fails (``errors``, else ``progress["errors"]``); a
    ``draft`` before that."""
    if errors or progress.get("errors", 0) or progress.get("reasons"):
        return "draft"
    if "reasons" not in progress and progress["percent_reviewed"] < project.publish_threshold:
        return "draft"
    return "published"


def assess(project: Project, story: Story, lang: str, catalog: Catalog | None) -> tuple[dict, dict, str]:
    """What a page in ``lang`` shows (:func:`choose`), its progress with the checks' summary, and its
    publish state: the one reckoning behind the bundles, the manifest and ``storyloc status``.
    ``catalog`` is None for the source language."""
    shown = choose(story, catalog)
    progress = counts(shown)
    findings = check_catalog(project, story.slug, lang, catalog, story)[0] if catalog is not None else []
    progress.update(summarize(findings))
    # why it is not published: each failing gate with its entries (file:line), kept in the manifest
    progress["reasons"] = ([r.as_json() for r in reasons(project, story, lang, catalog, findings)]
                           if catalog is not None else [])
    return shown, progress, publish_state(project, progress)
