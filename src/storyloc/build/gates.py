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
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..check import failing
from ..po import provenance
from ..po import Catalog
from ..project import Project
from ..story import Story

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
