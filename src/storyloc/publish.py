"""Stage 5, publish: built bundles become a package index publishers pull, ``dist/``.

For each story and language, ``publish`` packs ``build/<story>/<lang>/`` into
one versioned, reproducible archive and lists it in the feed,
``dist/index.json`` (schema: ``docs/feed-schema.md``)::

    dist/index.json
    dist/published/<story>/<story>-<lang>-<version>.tar.gz
    dist/drafts/<story>/<story>-<lang>-<version>.tar.gz

The version is a digest of the bundle's content, so rebuilding the same
content gives the same version and the same bytes, and any change to the
story or a catalog gives a new one. Published versions and drafts live in
separate sections of the feed (and separate folders), so nobody pulls a draft
by accident. A version, once listed, is never rewritten; old versions stay
until ``prune`` removes them, and ``prune`` never removes the newest published
version of a language.

Archives are ``.tar.gz``: tar+gzip compresses the bundle as one stream, and
``index.html``, ``article.md`` and ``article.json`` repeat the same text, so
the archive is about half the size of a zip of the same files; every field a
reproducible build must pin (member order, mtime, mode, owner, gzip header)
can be pinned; and ``tar -xzf`` opens it on any server a site is deployed to.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import re
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, clock, freshness
from .build import MANIFEST_SCHEMA
from .po import read_po
from .project import Project
from .errors import PublishError
from .feed import (ARCHIVE_FORMAT, BUNDLE_MANIFEST, BUNDLE_SCHEMA, FEED_SCHEMA, SECTIONS,
                   archive_prefix, check_feed, content_version, feed_json, mark_stale, new_feed,
                   safe_name)
from .files import pretty_json, sha256_file, write_if_changed
from .languages import html_lang

# Member mtime when SOURCE_DATE_EPOCH is not set: 1980-01-01, the earliest date every archive tool accepts.
DEFAULT_MTIME = 315532800


# -- results ----------------------------------------------------------------------

@dataclass
class Archive:
    """A version's archive in ``dist/``."""
    story: str
    lang: str
    version: str
    state: str
    path: Path


@dataclass
class Published(Archive):
    size: int
    status: str          # new | unchanged | relisted (an older version's content is the newest again)


@dataclass
class Held:
    """A bundle not packed, not even as a draft: a check found an error in its translation."""
    story: str
    lang: str
    errors: int


@dataclass
class FeedResult:
    """What a command did to ``dist/index.json``: its path, and whether it was written."""
    feed: Path
    written: bool


@dataclass
class PublishResult(FeedResult):
    archives: list[Published] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)


@dataclass
class PruneResult(FeedResult):
    removed: list[Archive] = field(default_factory=list)
    strays: list[Path] = field(default_factory=list)      # archives no version lists (an interrupted publish)


def make_archive(prefix: str, files: dict[str, bytes], mtime: int) -> bytes:
    """A reproducible ``.tar.gz``: sorted members, fixed mtime, mode 0644, owner 0, gzip mtime 0."""
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name in sorted(files):
                data = files[name]
                info = tarfile.TarInfo(f"{prefix}/{name}")
                info.size = len(data)
                info.mtime = mtime
                info.mode = 0o644
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.type = tarfile.REGTYPE
                tar.addfile(info, io.BytesIO(data))
    return raw.getvalue()


# -- publish ------------------------------------------------------------------------

@dataclass
class _Bundle:
    story: str
    lang: str
    state: str
    manifest: dict
    files: dict[str, bytes]
    errors: int = 0          # error-level check findings: such a bundle is not packed at all

    @property
    def version(self) -> str:
        return self.manifest["version"]


def review_date(value: str | None) -> str | None:
    """``PO-Revision-Date`` (``2026-11-25 03:10+0000``) as ISO 8601; None for the template placeholder."""
    if not value:
        return None
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M%z").isoformat()
    except ValueError:
        return None


def human_review_date(catalog) -> str | None:
    """When a person last reviewed this catalog: never the date a machine created or drafted it.

    The newest ``reviewed``/``approved`` record on an entry that is reviewed now, or
    ``PO-Revision-Date`` when a named translator saved the file (a PO editor sets
    both); None while no entry is reviewed.
    """
    from .po import provenance
    reviewed = [m for m in catalog.entries() if m.status == "reviewed"]
    if not reviewed:
        return None
    dates = [r.fields["date"] for m in reviewed for r in provenance.records(m)
             if r.kind in provenance.SIGN_OFFS and re.fullmatch(r"\d{4}-\d{2}-\d{2}", r.fields.get("date", ""))]
    fields = catalog.header_fields()
    translator = fields.get("Last-Translator", "").strip()
    saved = review_date(fields.get("PO-Revision-Date"))
    if saved and translator and translator != "FULL NAME <EMAIL@ADDRESS>":
        dates.append(saved)
    return max(dates, default=None)


def _read_json(path: Path, project: Project, hint: str) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PublishError(f"not found; {hint}", project.rel(path)) from None
    except (ValueError, UnicodeDecodeError) as e:
        raise PublishError(f"not valid JSON ({e}); {hint}", project.rel(path)) from None


def read_bundles(project: Project, slug: str) -> list[_Bundle]:
    """Each language's bundle from ``build/``, checked against its manifest and against its inputs."""
    manifest_path = project.manifest(slug)
    build_manifest = _read_json(manifest_path, project, "run `storyloc build` first")
    if build_manifest.get("schema") != MANIFEST_SCHEMA or not isinstance(build_manifest.get("languages"), dict):
        raise PublishError(f"not a {MANIFEST_SCHEMA} manifest; run `storyloc build`", project.rel(manifest_path))
    changed = freshness.changed_since_build(project, slug)
    if changed == freshness.SHARED:
        raise PublishError(f"storyloc or the project's settings changed since {project.rel(project.manifest(slug).parent)}"
                           f" was built; run `storyloc build` first")
    if changed is not None:
        raise PublishError(f"changed since {project.rel(project.manifest(slug).parent)} was built; "
                           f"run `storyloc build` first", changed)
    bundles = []
    story_lang = project.story_language(slug)
    for lang in (story_lang, *project.story_targets(slug)):
        info = build_manifest["languages"].get(lang)
        if not isinstance(info, dict) or not isinstance(info.get("files"), dict):
            raise PublishError(f"no language {lang!r}; run `storyloc build`", project.rel(manifest_path))
        directory = project.bundle(slug, lang)
        files: dict[str, bytes] = {}
        for name, digest in sorted(info["files"].items()):
            path = directory / name
            if not safe_name(name) or name == BUNDLE_MANIFEST:
                raise PublishError(f"unexpected file name {name!r}", project.rel(manifest_path))
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                raise PublishError("missing; run `storyloc build`", project.rel(path)) from None
            if hashlib.sha256(data).hexdigest() != digest:
                raise PublishError(f"does not match {project.rel(manifest_path)}; run `storyloc build`",
                                   project.rel(path))
            files[name] = data
        last_review = None
        if lang != story_lang:
            catalog_path = project.catalog(slug, lang)
            if not catalog_path.exists():
                raise PublishError("catalog not found; run `storyloc update`", project.rel(catalog_path))
            last_review = human_review_date(read_po(catalog_path, project.rel(catalog_path)))
        state = info.get("state")
        if state not in SECTIONS:
            raise PublishError(f"{lang}: unknown state {state!r}", project.rel(manifest_path))
        count_keys = ("segments", "reviewed", "draft", "missing", "words", "words_reviewed", "percent_reviewed")
        completeness = {key: info.get(key) for key in count_keys}
        completeness["missing_images"] = sorted(info.get("missing_images") or [])
        completeness["complete"] = (info.get("reviewed") == info.get("segments")
                                    and not completeness["missing_images"])
        manifest = {
            "schema": BUNDLE_SCHEMA, "story": slug, "lang": lang, "hreflang": html_lang(lang),
            "dir": info.get("dir", "ltr"), "source_language": story_lang, "state": state,
            "last_review": last_review, "completeness": completeness,
            "files": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                      for name, data in files.items()},
        }
        manifest["version"] = content_version(manifest)
        bundles.append(_Bundle(slug, lang, state, manifest, files, int(info.get("errors") or 0)))
    return bundles


def load_feed(project: Project) -> dict:
    path = project.feed()
    if not path.exists():
        return new_feed()
    feed = _read_json(path, project, "restore it from a backup (it lists every published version)")
    return check_feed(feed, project.rel(path), PublishError)


def _listings(feed: dict, slug: str, lang: str):
    story = feed["stories"].get(slug, {})
    for section in SECTIONS.values():
        listing = story.get(section, {}).get(lang)
        if listing:
            yield section, listing


def _verify_listed(project: Project, feed: dict) -> None:
    """Every listed archive is still there with its size (its sha256 is checked when it is reused)."""
    for slug, story in sorted(feed["stories"].items()):
        for section in SECTIONS.values():
            for lang, listing in sorted(story[section].items()):
                for entry in listing["versions"]:
                    path = project.archive(entry["archive"]["path"])
                    if not path.is_file():
                        raise PublishError(f"listed in {project.rel(project.feed())} as {slug}/{lang} {entry['version']} "
                                           f"but missing; restore it from a backup", project.rel(path))
                    if path.stat().st_size != entry["archive"]["size"]:
                        _changed(project, path, slug, lang, entry)


def _changed(project: Project, path: Path, slug: str, lang: str, entry: dict):
    raise PublishError(f"changed since it was published as {slug}/{lang} {entry['version']}; "
                       f"restore it from a backup", project.rel(path))


def publish(project: Project, stories: tuple[str, ...] | None = None) -> PublishResult:
    """Pack every built bundle into ``dist/`` and list it in ``dist/index.json``.

    Archives are written first and the feed last (both atomically), so the
    feed never lists a file that is not there yet; a publish that fails half
    way leaves archives no version lists, which the next publish reuses (or
    ``prune`` removes). One story's bundles are in memory at a time.
    """
    project.select_stories(stories)
    feed = load_feed(project)
    feed["generator"] = f"storyloc {__version__}"
    _verify_listed(project, feed)
    epoch = clock.epoch()
    mtime = DEFAULT_MTIME if epoch is None else epoch
    now = clock.iso()
    result = PublishResult(project.feed(), False)
    feed["schema"] = FEED_SCHEMA          # a /1 feed is carried forward: its entries gain what /2 adds
    for slug in stories or project.stories:
        story = feed["stories"].setdefault(slug, {"published": {}, "drafts": {}})
        story["source_language"] = project.story_language(slug)
        bundles = read_bundles(project, slug)
        source = next(b.version for b in bundles if b.lang == story["source_language"])
        for b in bundles:
            if b.errors:          # whatever the build escaped, an attack or a broken number is served to nobody
                result.held.append(Held(slug, b.lang, b.errors))
                continue
            result.archives.append(_publish_bundle(project, feed, story, b, mtime, now, source))
        story["source_version"] = source
        mark_stale(story)
        _set_hreflang(story)
    result.written = write_if_changed(result.feed, feed_json(feed))
    return result


def _publish_bundle(project: Project, feed: dict, story: dict, b: _Bundle, mtime: int, now: str,
                    source: str) -> Published:
    """List one bundle; ``source`` is the version of the source-language bundle it was built beside."""
    section = SECTIONS[b.state]
    listing = story[section].setdefault(b.lang, {"latest": None, "versions": []})
    existing = next((e for e in listing["versions"] if e["version"] == b.version), None)
    newest = max((e["sequence"] for _, lst in _listings(feed, b.story, b.lang) for e in lst["versions"]),
                 default=0)
    if existing is not None:
        # A version is immutable: the listed archive is reused, never rewritten.
        path = project.archive(existing["archive"]["path"])
        if sha256_file(path) != existing["archive"]["sha256"]:
            _changed(project, path, b.story, b.lang, existing)
        status = "unchanged"
        if existing["sequence"] != newest:     # an earlier content is current again: it becomes the newest
            existing["sequence"] = newest + 1
            status = "relisted"
        entry = existing
        if b.lang != story["source_language"]:
            entry["source_version"] = source      # the same content, built beside today's source
    else:
        rel = project.archive_rel(b.state, b.story, b.lang, b.version)
        path = project.archive(rel)
        data = make_archive(archive_prefix(b.story, b.lang, b.version),
                            {**b.files, BUNDLE_MANIFEST: pretty_json(b.manifest)}, mtime)
        write_if_changed(path, data)
        status = "new"
        entry = {
            "version": b.version, "sequence": newest + 1, "state": b.state, "created": now,
            "hreflang": b.manifest["hreflang"], "dir": b.manifest["dir"],
            "last_review": b.manifest["last_review"], "completeness": b.manifest["completeness"],
            **({"source_version": source} if b.lang != story["source_language"] else {}),
            "archive": {"path": rel, "format": ARCHIVE_FORMAT, "size": len(data),
                        "sha256": hashlib.sha256(data).hexdigest()},
        }
        listing["versions"].append(entry)
    listing["versions"].sort(key=lambda e: -e["sequence"])
    listing["latest"] = listing["versions"][0]["version"]
    return Published(b.story, b.lang, b.version, b.state, path, entry["archive"]["size"], status)


def _set_hreflang(story: dict) -> None:
    """The alternates a publisher may link: every language with a published version, and x-default."""
    published = story.get("published", {})
    hreflang = {listing["versions"][0]["hreflang"]: lang
                for lang, listing in sorted(published.items()) if listing["versions"]}
    source = story.get("source_language")
    if source in published:
        hreflang["x-default"] = source
    story["hreflang"] = hreflang


# -- prune --------------------------------------------------------------------------

def prune(project: Project, keep: int = 1, dry_run: bool = False) -> PruneResult:
    """Unlist and delete all but the ``keep`` newest versions of each language, per section.

    The newest published version of a language is always kept. The feed is
    written before any file is deleted, so it never lists a missing archive.
    Archives no version lists (left by an interrupted publish) are deleted too.
    """
    if keep < 1:
        raise PublishError(f"--keep must be at least 1, got {keep}")
    feed = load_feed(project)
    result = PruneResult(project.feed(), False)
    listed = {project.archive(e["archive"]["path"]) for story in feed["stories"].values()
              for section in SECTIONS.values() for listing in story[section].values()
              for e in listing["versions"]}
    for slug, story in sorted(feed["stories"].items()):
        for state, section in SECTIONS.items():
            for lang, listing in sorted(story[section].items()):
                versions = sorted(listing["versions"], key=lambda e: -e["sequence"])
                listing["versions"] = versions[:keep]
                for entry in versions[keep:]:
                    result.removed.append(Archive(slug, lang, entry["version"], state,
                                                 project.archive(entry["archive"]["path"])))
                if versions:
                    listing["latest"] = versions[0]["version"]
        _set_hreflang(story)
    for section in SECTIONS.values():
        folder = project.dist_dir / section
        for path in sorted(folder.glob(f"*/*.{ARCHIVE_FORMAT}")) + sorted(folder.glob("*/.*.tmp")):
            if path not in listed:
                result.strays.append(path)
    if dry_run:
        return result
    if result.removed:
        result.written = write_if_changed(result.feed, feed_json(feed))
    for path in [p.path for p in result.removed] + result.strays:
        path.unlink(missing_ok=True)
        try:
            path.parent.rmdir()
        except OSError:
            pass
    return result
