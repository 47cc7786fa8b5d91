"""The feed's wire format, shared by ``publish`` (which writes it) and ``pull`` (which reads it).

Everything a publisher's machine needs to trust a feed lives here and in
nothing else of storyloc: names and schema strings, the safe-path rule, the
canonical JSON a bundle's version is the digest of, the shape check, and the
rule that says a published translation is *stale* (made from an older
source than the story's newest). ``pull`` imports this module and no other
part of the library; the schema is ``docs/feed-schema.md`` and, as JSON
Schema, ``docs/schemas/feed.schema.json``.
"""
from __future__ import annotations

import hashlib
import json
import posixpath
import re

from . import __version__
from .errors import StorylocError

FEED_SCHEMA = "storyloc.feed/2"
READABLE_MAJORS = ("1", "2")      # /1 has no source versions: nothing in it is known to be stale
BUNDLE_SCHEMA = "storyloc.bundle/1"
ARCHIVE_FORMAT = "tar.gz"
BUNDLE_MANIFEST = "manifest.json"
SECTIONS = {"published": "published", "draft": "drafts"}   # publish state → feed section and folder
VERSION = re.compile(r"[0-9a-f]{12,64}")      # 12 today; readers accept longer
STORY_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
# A language key of the feed (a gettext locale code): also a folder name on the publisher's side.
LANG_KEY = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?(?:@[a-z]+)?")
_LOCALE_INPUT = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}(?:@[A-Za-z]{1,16})?")


def gettext_form(code: str) -> str:
    """A BCP 47 or CLDR code written in gettext's form, by shape alone (``en-US`` → ``en_US``,
    ``zh-hant-tw`` → ``zh_Hant_TW``, ``sr@latin`` kept): only what was written, no likely script
    added, no variant dropped. Anything else is returned as it is, for the caller to refuse."""
    if not isinstance(code, str) or not _LOCALE_INPUT.fullmatch(code):
        return code
    base, at, modifier = code.partition("@")
    language, *rest = base.replace("-", "_").split("_")
    parts = [language.lower()]
    for part in rest:
        if len(part) == 4 and part.isalpha():
            parts.append(part.title())
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            parts.append(part.upper())
        else:
            return code
    return "_".join(parts) + (at + modifier.lower() if at else "")


ENTRY_ORDER = ("version", "sequence", "state", "created", "last_review", "source_version", "stale",
               "stale_since", "hreflang", "dir", "completeness", "archive")


def archive_name(story: str, lang: str, version: str) -> str:
    return f"{story}-{lang}-{version}.{ARCHIVE_FORMAT}"


def archive_prefix(story: str, lang: str, version: str) -> str:
    """The one folder every member sits in, so ``tar -xzf`` never spills files into the current folder."""
    return f"{story}-{lang}-{version}"


def safe_name(name: object) -> bool:
    """A relative POSIX path with no ``..``, no ``.``, no backslash, no drive, nothing to escape a folder."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return False
    if name.startswith("/") or ":" in name.split("/")[0]:
        return False
    parts = name.split("/")
    return all(part not in ("", ".", "..") for part in parts) and posixpath.normpath(name) == name


def canonical_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def content_version(manifest: dict) -> str:
    """The version: a digest of the bundle manifest (every file's sha256, state, counts, review date)."""
    body = {key: value for key, value in manifest.items() if key != "version"}
    return hashlib.sha256(canonical_json(body)).hexdigest()[:12]


def new_feed() -> dict:
    return {"schema": FEED_SCHEMA, "generator": f"storyloc {__version__}", "stories": {}}


def feed_json(feed: dict) -> bytes:
    """The feed as written: keys in reading order (published before drafts, newest version first)."""
    def ordered(d: dict, order: tuple[str, ...]) -> dict:
        return {**{k: d[k] for k in order if k in d}, **{k: d[k] for k in sorted(d) if k not in order}}

    def listings(langs: dict) -> dict:
        return {lang: ordered({**listing, "versions": [ordered(e, ENTRY_ORDER) for e in listing["versions"]]},
                              ("latest", "versions"))
                for lang, listing in sorted(langs.items())}

    stories = {slug: ordered({**story, "published": listings(story.get("published", {})),
                              "drafts": listings(story.get("drafts", {}))},
                             ("source_language", "source_version", "hreflang", "published", "drafts"))
               for slug, story in sorted(feed["stories"].items())}
    data = ordered({**feed, "stories": stories}, ("schema", "generator", "stories"))
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def check_feed(feed: object, where: str, error: type[StorylocError] = StorylocError) -> dict:
    """The feed's shape, checked before anything trusts it; a major version this storyloc reads.

    A ``storyloc.feed/1`` feed is read as ``/2`` with no source versions known.
    """
    if not isinstance(feed, dict) or not isinstance(feed.get("schema"), str):
        raise error("not a storyloc feed (no \"schema\")", where)
    schema = feed["schema"]
    if not schema.startswith("storyloc.feed/"):
        raise error(f"not a storyloc feed (schema {schema!r})", where)
    if schema.split("/", 1)[1].split(".")[0] not in READABLE_MAJORS:
        raise error(f"feed schema {schema!r} is newer than this storyloc reads ({FEED_SCHEMA}); "
                    f"upgrade storyloc", where)
    stories = feed.get("stories")
    if not isinstance(stories, dict):
        raise error("feed has no \"stories\" object", where)
    for slug, story in stories.items():
        if not isinstance(story, dict) or not STORY_SLUG.fullmatch(slug):
            raise error(f"story {slug!r} is not a story object", where)
        for section in SECTIONS.values():
            langs = story.setdefault(section, {})
            if not isinstance(langs, dict):
                raise error(f"{slug}: \"{section}\" is not an object", where)
            for lang, listing in langs.items():
                if not LANG_KEY.fullmatch(lang):
                    raise error(f"{slug}: not a language code: {lang!r}", where)
                if not isinstance(listing, dict) or not isinstance(listing.get("versions"), list):
                    raise error(f"{slug}/{lang}: \"{section}\" entry has no \"versions\" list", where)
                for entry in listing["versions"]:
                    _check_entry(entry, f"{slug}/{lang}", where, error)
    return feed


def _check_entry(entry: object, name: str, where: str, error: type[StorylocError]) -> None:
    archive = entry.get("archive") if isinstance(entry, dict) else None
    if (not isinstance(entry, dict) or not isinstance(entry.get("version"), str)
            or not isinstance(entry.get("sequence"), int) or not isinstance(archive, dict)):
        raise error(f"{name}: a version entry lacks version, sequence or archive", where)
    if not VERSION.fullmatch(entry["version"]):
        raise error(f"{name}: not a version: {entry['version']!r}", where)
    if not safe_name(archive.get("path")):
        raise error(f"{name} {entry['version']}: unsafe archive path {archive.get('path')!r}", where)
    if not (isinstance(archive.get("sha256"), str) and re.fullmatch(r"[0-9a-f]{64}", archive["sha256"])):
        raise error(f"{name} {entry['version']}: archive sha256 is not 64 hex digits", where)
    if isinstance(archive.get("size"), bool) or not isinstance(archive.get("size"), int) or archive["size"] < 0:
        raise error(f"{name} {entry['version']}: archive size is not a byte count", where)
    if "stale" in entry and not isinstance(entry["stale"], bool):
        raise error(f"{name} {entry['version']}: \"stale\" is not true or false", where)


# -- stale translations ------------------------------------------------------------------

def is_stale(entry: dict) -> bool:
    """Whether the feed marks this version stale: a translation made from an older source than the story's newest."""
    return entry.get("stale") is True


def mark_stale(story: dict) -> None:
    """Set ``stale`` (and ``stale_since``, when the source first changed after it) on every version.

    ``source_version`` of the story is its newest source-language version;
    ``stale_since`` is the ``created`` date of the first source version newer
    than the one a translation was made from (kept once known, as pruning may
    remove that source version from the feed).
    """
    source = story.get("source_language")
    current = story.get("source_version")
    source_versions = sorted((story.get("published", {}).get(source) or {}).get("versions", []),
                             key=lambda e: e["sequence"])
    for section in SECTIONS.values():
        for lang, listing in story.get(section, {}).items():
            if lang == source:
                for entry in listing["versions"]:
                    entry.pop("stale", None)
                    entry.pop("stale_since", None)
                continue
            for entry in listing["versions"]:
                made_from = entry.get("source_version")
                stale = current is not None and made_from != current
                entry["stale"] = stale
                if not stale:
                    entry.pop("stale_since", None)
                elif "stale_since" not in entry:
                    base = next((e["sequence"] for e in source_versions if e["version"] == made_from), None)
                    newer = [e for e in source_versions if base is None or e["sequence"] > base]
                    entry["stale_since"] = newer[0].get("created") if newer else None


def published_languages(feed: dict, story: str) -> list[str]:
    """The languages of ``story`` with a published version in the feed: the alternates a page may name,
    so a language whose new build is a draft stays linked while its published version is served."""
    entry = feed.get("stories", {}).get(story) or {}
    return sorted(lang for lang, listing in (entry.get("published") or {}).items() if listing.get("versions"))


# -- the "being updated" notice -------------------------------------------------------------
# Every translation's index.html carries, in its own language, a notice that a correction of the original
# has not reached it yet, hidden (a page word of storyloc's, templates/page.html). A publisher who keeps
# serving a stale translation (`storyloc pull --allow-stale`) gets it shown: pull removes `hidden` from
# that one element, in the installed copy only. Nothing from a translation can write these bytes (every
# text is escaped, `"` included), so the page holds them exactly once.
NOTICE_PAGE = "index.html"
NOTICE_HIDDEN = b' data-storyloc-notice="stale" hidden>'
NOTICE_SHOWN = b' data-storyloc-notice="stale">'


def show_notice(page: bytes) -> bytes | None:
    """The page with its "being updated" notice shown, or None when it has no hidden one to show
    (a source-language page, or a bundle built before pages carried the notice)."""
    return page.replace(NOTICE_HIDDEN, NOTICE_SHOWN) if page.count(NOTICE_HIDDEN) == 1 else None


def hide_notice(page: bytes) -> bytes | None:
    """The page as it was built, its notice hidden again; None when it shows no notice."""
    return page.replace(NOTICE_SHOWN, NOTICE_HIDDEN) if page.count(NOTICE_SHOWN) == 1 else None
