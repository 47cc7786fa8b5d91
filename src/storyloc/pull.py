"""What publishers run: ``pull`` installs one story in one language from a feed.

The feed (``dist/index.json``, written by :mod:`storyloc.publish`) is read
from a URL or a local path. The archive is checked against the feed's size
and sha256 before it is opened, every member is checked before anything is
written (no absolute paths, no ``..``, no links, nothing outside the bundle
folder, nothing the bundle's own manifest does not list), every file is
checked against that manifest, and the bundle then replaces the previous
install in one rename. A failed or interrupted pull leaves the previous
install as it was.

The destination holds ``<story>/<lang>/`` (the bundle and its
``manifest.json``) and ``storyloc.lock.json``, the record of what is installed
and where it came from. Publishers need no project: ``pull`` reads no
``pyproject.toml``, and imports nothing of storyloc but the feed's wire
format (:mod:`storyloc.feed`) and two leaf helpers.

A published translation the feed marks *stale* (the source changed since it
was made: a correction has not reached it yet) is installed only when asked
(``allow_stale``); otherwise the pull stops with one line saying so, and the
previous install stays. Installed on purpose, its page shows readers, in its
own language, that it is being updated: every translation's page carries that
notice hidden, and the pull un-hides it in the installed copy before the swap
(:func:`storyloc.feed.show_notice`), so no reader ever sees the stale page
without it. The lock file records the page as shown (size, sha256), so the
install still verifies; a later pull of a fresh version replaces the page, and
hides the notice again if the same version stops being stale.
"""
from __future__ import annotations

import contextlib
import gzip
import hashlib
import http.client
import json
import os
import re
import shutil
import socket
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import __version__
from .errors import PullError
from .feed import (ARCHIVE_FORMAT, BUNDLE_MANIFEST, BUNDLE_SCHEMA, LANG_KEY, NOTICE_PAGE, STORY_SLUG, archive_prefix,
                   check_feed, content_version, gettext_form, hide_notice, is_stale, safe_name,
                   show_notice)
from .files import pretty_json, sha256_file, write_atomic, write_if_changed

try:
    import fcntl
except ImportError:        # Windows: no advisory locks; two pulls into one folder at once are on the user
    fcntl = None

LOCK_FILE = "storyloc.lock.json"
LOCK_SCHEMA = "storyloc.lock/1"
MAX_FEED_BYTES = 32 << 20
MAX_MANIFEST_BYTES = 1 << 20
CHUNK = 1 << 16

Progress = Callable[[str, int, int], None]
"""``progress(name, done, total)``: called with ``done=0`` first, then after each chunk, ending at ``total``."""


@dataclass
class PullResult:
    story: str
    lang: str
    version: str
    state: str
    path: Path                  # the installed bundle folder
    files: int
    size: int                   # bytes installed
    downloaded: int             # archive bytes fetched; 0 when the version was already installed
    previous: str | None        # the version this install replaced
    last_review: str | None
    completeness: dict
    stale: bool = False         # made from an older source than the story's newest
    stale_since: str | None = None
    notice: bool = False        # the installed page shows its "being updated" notice

    @property
    def unchanged(self) -> bool:
        return self.downloaded == 0


# -- where things are ---------------------------------------------------------------

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def feed_url(feed: str) -> str:
    """A URL for FEED: as given if it is one, else a ``file:`` URL (a folder means its ``index.json``)."""
    if _SCHEME.match(feed):
        return feed + "index.json" if feed.endswith("/") else feed
    path = Path(feed).expanduser()
    if path.is_dir():
        path = path / "index.json"
    return path.resolve().as_uri()


def shown(url: str) -> str:
    """A URL as users see it in messages: ``file:`` URLs as paths."""
    if url.startswith("file:"):
        return urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
    return url


# -- network --------------------------------------------------------------------------

def _open(url: str, timeout: float):
    request = urllib.request.Request(url, headers={"User-Agent": f"storyloc/{__version__}"})
    return urllib.request.urlopen(request, timeout=timeout)


@contextlib.contextmanager
def _network_errors(url: str, timeout: float, progress: list[int]):
    """urllib's many exceptions, each turned into one line naming the URL."""
    where = shown(url)
    try:
        yield
    except urllib.error.HTTPError as e:
        e.close()
        raise PullError(f"HTTP {e.code} {e.reason}", where) from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise PullError(f"timed out after {timeout:g} s", where) from None
        if isinstance(reason, FileNotFoundError):
            raise PullError("not found", where) from None
        raise PullError(f"cannot connect: {getattr(reason, 'strerror', None) or reason}", where) from None
    except (TimeoutError, socket.timeout):
        raise PullError(f"timed out after {timeout:g} s ({progress[0]} bytes received)", where) from None
    except (http.client.HTTPException, ConnectionError) as e:
        raise PullError(f"connection lost after {progress[0]} bytes ({type(e).__name__})", where) from None
    except OSError as e:
        raise PullError(f"cannot read: {e.strerror or e}", where) from None


def fetch_feed(url: str, timeout: float = 30.0) -> dict:
    received = [0]
    with _network_errors(url, timeout, received):
        with _open(url, timeout) as response:
            data = response.read(MAX_FEED_BYTES + 1)
            received[0] = len(data)
    if len(data) > MAX_FEED_BYTES:
        raise PullError(f"feed larger than {MAX_FEED_BYTES >> 20} MiB; refusing it", shown(url))
    try:
        feed = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise PullError(f"not a storyloc feed (invalid JSON: {e})", shown(url)) from None
    return check_feed(feed, shown(url), PullError)


def download(url: str, target: Path, size: int, sha256: str, progress: Progress | None = None,
             timeout: float = 30.0) -> int:
    """Fetch ``url`` into ``target``, refusing more than ``size`` bytes; then check size and sha256."""
    received = [0]
    digest = hashlib.sha256()
    name = urllib.parse.unquote(url.rsplit("/", 1)[-1])
    with open(target, "wb") as out, _network_errors(url, timeout, received):
        with _open(url, timeout) as response:
            length = response.headers.get("Content-Length")
            if length is not None and length.isdigit() and int(length) != size:
                raise PullError(f"server sends {length} bytes but the feed says {size}; refusing it", shown(url))
            if progress:
                progress(name, 0, size)
            while True:
                chunk = response.read(min(CHUNK, size - received[0] + 1))
                if not chunk:
                    break
                received[0] += len(chunk)
                if received[0] > size:
                    raise PullError(f"larger than the {size} bytes the feed says; refusing it", shown(url))
                digest.update(chunk)
                try:
                    out.write(chunk)
                except OSError as e:
                    raise PullError(f"cannot write {target}: {e.strerror or e}") from None
                if progress:
                    progress(name, received[0], size)
    if received[0] != size:
        raise PullError(f"download incomplete: the connection closed after {received[0]} of {size} bytes",
                        shown(url))
    if digest.hexdigest() != sha256:
        raise PullError(f"checksum mismatch: sha256 is {digest.hexdigest()}, the feed says {sha256}; "
                        f"refusing to install", shown(url))
    return received[0]


# -- the archive ---------------------------------------------------------------------

def _refuse(what: str, where: str):
    raise PullError(f"refusing the archive: {what}", where)


def unpack(archive: Path, into: Path, story: str, lang: str, version: str, where: str) -> dict:
    """Check every member, then write the bundle into ``into``; returns the bundle's manifest.

    ``into`` must not exist, and is scratch space: after an error it may hold part of the bundle.
    """
    prefix = archive_prefix(story, lang, version)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members: dict[str, tarfile.TarInfo] = {}
            for member in tar.getmembers():
                name = member.name
                if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
                    _refuse(f"member {name!r} has an absolute path", where)
                if ".." in name.replace("\\", "/").split("/"):
                    _refuse(f"member {name!r} climbs out of the bundle with '..'", where)
                if not safe_name(name):
                    _refuse(f"member {name!r} is not a plain relative path", where)
                if member.issym() or member.islnk():
                    _refuse(f"member {name!r} is a link", where)
                if name != prefix and not name.startswith(prefix + "/"):
                    _refuse(f"member {name!r} is outside the bundle folder {prefix}/", where)
                if member.isdir():
                    continue
                if not member.isreg():
                    _refuse(f"member {name!r} is not a regular file", where)
                relative = name[len(prefix) + 1:]
                if relative in members:
                    _refuse(f"member {name!r} appears twice", where)
                members[relative] = member
            manifest = _bundle_manifest(tar, members, story, lang, version, where)
            files = manifest["files"]
            for relative in sorted(members):
                if relative != BUNDLE_MANIFEST and relative not in files:
                    _refuse(f"member {relative!r} is not in the bundle's {BUNDLE_MANIFEST}", where)
            for relative, expected in sorted(files.items()):
                member = members.get(relative)
                if member is None:
                    _refuse(f"{relative} is listed in its {BUNDLE_MANIFEST} but missing", where)
                if member.size != expected["size"]:
                    _refuse(f"{relative} is {member.size} bytes, its {BUNDLE_MANIFEST} says {expected['size']}",
                            where)
            into.mkdir()
            for relative in sorted(members):
                _extract(tar, members[relative], into, relative,
                         None if relative == BUNDLE_MANIFEST else files[relative]["sha256"], where)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise PullError(f"not a valid {ARCHIVE_FORMAT} archive ({e})", where) from None
    return manifest


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, into: Path, relative: str, sha256: str | None,
             where: str) -> None:
    """Stream one member to disk, hashing as it goes."""
    path = into.joinpath(*relative.split("/"))
    digest = hashlib.sha256()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as source, open(path, "xb") as out:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
        os.chmod(path, 0o644)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile):
        raise
    except OSError as e:
        raise PullError(f"cannot write {path}: {e.strerror or e}", where) from None
    if sha256 is not None and digest.hexdigest() != sha256:
        _refuse(f"{relative} does not match the sha256 in its {BUNDLE_MANIFEST}", where)


def _bundle_manifest(tar: tarfile.TarFile, members: dict, story: str, lang: str, version: str,
                     where: str) -> dict:
    member = members.get(BUNDLE_MANIFEST)
    if member is None:
        _refuse(f"no {BUNDLE_MANIFEST}", where)
    if member.size > MAX_MANIFEST_BYTES:
        _refuse(f"{BUNDLE_MANIFEST} is {member.size} bytes", where)
    try:
        manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        _refuse(f"{BUNDLE_MANIFEST} is not valid JSON ({e})", where)
    if not isinstance(manifest, dict) or manifest.get("schema") != BUNDLE_SCHEMA:
        _refuse(f"{BUNDLE_MANIFEST} is not a {BUNDLE_SCHEMA} manifest", where)
    for key, expected in (("story", story), ("lang", lang), ("version", version)):
        if manifest.get(key) != expected:
            _refuse(f"its {BUNDLE_MANIFEST} is for {key} {manifest.get(key)!r}, not {expected!r}", where)
    if content_version(manifest) != version:
        _refuse(f"its {BUNDLE_MANIFEST} does not hash to version {version}", where)
    files = manifest.get("files")
    if not isinstance(files, dict):
        _refuse(f"{BUNDLE_MANIFEST} has no files", where)
    for name, info in files.items():
        if not safe_name(name) or name == BUNDLE_MANIFEST:
            _refuse(f"its {BUNDLE_MANIFEST} lists an unsafe file name {name!r}", where)
        if (not isinstance(info, dict) or not isinstance(info.get("size"), int)
                or not isinstance(info.get("sha256"), str)):
            _refuse(f"its {BUNDLE_MANIFEST} has no size and sha256 for {name!r}", where)
    return manifest


# -- the destination -------------------------------------------------------------------

def installed(target: Path) -> dict | None:
    """The manifest of the bundle installed at ``target``, or None if none is."""
    try:
        manifest = json.loads((target / BUNDLE_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("schema") == BUNDLE_SCHEMA else None


def intact(target: Path, manifest: dict, notice: dict | None = None) -> bool:
    """Whether the installed files are exactly those the manifest lists, byte for byte; with
    ``notice`` (the lock's record of a page whose "being updated" notice pull showed), that page
    as the record says."""
    files = manifest.get("files")
    if not isinstance(files, dict):
        return False
    if notice is not None and notice.get("file") in files:
        files = {**files, notice["file"]: {"size": notice.get("size"), "sha256": notice.get("sha256")}}
    present = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file() or p.is_symlink()}
    if present != {*files, BUNDLE_MANIFEST}:
        return False
    for name, info in files.items():
        path = target / name
        if path.is_symlink() or path.stat().st_size != info.get("size") or sha256_file(path) != info.get("sha256"):
            return False
    return True


def _recover(target: Path) -> None:
    """Finish the swap an interrupted pull left half done: the previous bundle goes back, or goes away."""
    backup = target.parent / f".{target.name}.previous"
    if backup.exists():
        if target.exists():
            shutil.rmtree(backup)
        else:
            os.rename(backup, target)
    for stale in target.parent.glob(f".{target.name}.incoming-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _install(staging: Path, target: Path) -> None:
    """Replace ``target`` with ``staging``: two renames on one file system, undone if the second fails."""
    backup = target.parent / f".{target.name}.previous"
    if target.exists():
        os.rename(target, backup)
    try:
        os.rename(staging, target)
    except BaseException:
        if backup.exists() and not target.exists():
            os.rename(backup, target)
        raise
    shutil.rmtree(backup, ignore_errors=True)


@contextlib.contextmanager
def _exclusive(dest: Path):
    """One pull at a time per destination (they share its lock file)."""
    if fcntl is None:
        yield
        return
    fd = os.open(dest, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PullError("another storyloc pull is installing here; try again when it ends", dest) from None
        yield
    finally:
        os.close(fd)


def read_lock(dest: Path) -> dict:
    try:
        lock = json.loads((dest / LOCK_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"schema": LOCK_SCHEMA, "bundles": {}}
    except (OSError, ValueError, UnicodeDecodeError) as e:
        raise PullError(f"not a valid lock file ({e}); delete it and pull again", dest / LOCK_FILE) from None
    if not isinstance(lock, dict) or lock.get("schema") != LOCK_SCHEMA or not isinstance(lock.get("bundles"), dict):
        raise PullError(f"not a {LOCK_SCHEMA} lock file; delete it and pull again", dest / LOCK_FILE)
    return lock


def _record(dest: Path, lock: dict, story: str, lang: str, entry: dict, feed: str, archive_url: str,
            notice: dict | None) -> None:
    lock["bundles"].setdefault(story, {})[lang] = {
        "version": entry["version"], "state": entry.get("state"), "last_review": entry.get("last_review"),
        "stale": is_stale(entry), "notice": notice,
        "feed": feed, "archive": {"url": archive_url, "size": entry["archive"]["size"],
                                  "sha256": entry["archive"]["sha256"]},
    }
    write_if_changed(dest / LOCK_FILE, pretty_json(lock))


# -- pull -----------------------------------------------------------------------------

def _choose(feed: dict, where: str, story: str, lang: str, version: str | None, draft: bool) -> dict:
    stories = feed["stories"]
    if story not in stories:
        known = ", ".join(sorted(stories)) or "none"
        raise PullError(f"unknown story {story!r} (the feed has: {known})", where)
    entry_of = stories[story]
    section, other = ("drafts", "published") if draft else ("published", "drafts")
    versions = (entry_of[section].get(lang) or {}).get("versions") or []
    others = (entry_of[other].get(lang) or {}).get("versions") or []
    if not versions and not others:
        known = ", ".join(sorted({*entry_of["published"], *entry_of["drafts"]})) or "none"
        raise PullError(f"the feed has no {lang!r} bundle of {story} (it has: {known})", where)
    if version is not None:
        for entry in versions:
            if entry["version"] == version:
                return entry
        if any(entry["version"] == version for entry in others):
            hint = "a draft; pass --draft to pull it" if not draft else "published; pull it without --draft"
            raise PullError(f"{story}/{lang} version {version} is {hint}", where)
        listed = ", ".join(e["version"] for e in sorted(versions, key=lambda e: -e["sequence"])) or "none"
        raise PullError(f"{story}/{lang} has no version {version!r} (versions: {listed})", where)
    if not versions:
        if draft:
            raise PullError(f"{story}/{lang} has no draft (pull the published version without --draft)", where)
        raise PullError(f"{story}/{lang} has no published version yet (only drafts: pass --draft to "
                        f"pull one)", where)
    return max(versions, key=lambda e: e["sequence"])


def pull(feed: str, story: str, lang: str, dest: Path | str = ".", version: str | None = None,
         draft: bool = False, progress: Progress | None = None, timeout: float = 30.0,
         allow_stale: bool = False) -> PullResult:
    """Install ``story`` in ``lang`` from ``feed`` into ``dest/<story>/<lang>/``; see the module docstring."""
    if not STORY_SLUG.fullmatch(story):
        raise PullError(f"not a story name: {story!r} (lowercase letters, digits and '-')")
    lang = gettext_form(lang)
    if not LANG_KEY.fullmatch(lang):
        raise PullError(f"not a locale code: {lang!r} (expected e.g. 'uk', 'pt_BR')")
    dest = Path(dest)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PullError(f"cannot create the destination: {e.strerror or e}", dest) from None
    target = dest / story / lang
    try:
        return _pull(feed, story, lang, dest, target, version, draft, progress, timeout, allow_stale)
    except OSError as e:       # the destination, not the network (those are PullErrors already)
        raise PullError(f"cannot write: {e.strerror or e}", e.filename or target) from None


# -- the "being updated" notice ------------------------------------------------------------

def _recorded_notice(record: dict | None, current: dict | None) -> dict | None:
    """The lock's record of a notice pull showed in the installed page, if it is of this install."""
    notice = (record or {}).get("notice")
    if isinstance(notice, dict) and current is not None and record.get("version") == current.get("version"):
        return notice
    return None


def _page_notice(bundle: Path, show: bool, notice: dict | None) -> dict | None:
    """Show (or hide again) the notice in the page of the bundle at ``bundle``, atomically; returns what
    the lock records: the page as shown (file, size, sha256), or None when it shows no notice. A page
    without the notice (built before pages carried it) is left as it is."""
    page = bundle / NOTICE_PAGE
    if show == (notice is not None) or not page.is_file():
        return notice
    data = page.read_bytes()
    changed = show_notice(data) if show else hide_notice(data)
    if changed is None:
        return None if not show else notice
    write_atomic(page, changed)
    if not show:
        return None
    return {"shown": "stale", "file": NOTICE_PAGE, "size": len(changed),
            "sha256": hashlib.sha256(changed).hexdigest()}


def _pull(feed: str, story: str, lang: str, dest: Path, target: Path, version: str | None, draft: bool,
          progress: Progress | None, timeout: float, allow_stale: bool) -> PullResult:
    with _exclusive(dest):
        if target.parent.exists():
            _recover(target)
        lock = read_lock(dest)
        current = installed(target)
        if target.exists() and current is None:
            raise PullError("exists and is not a storyloc install; move it away or choose another --dest", target)
        url = feed_url(feed)
        record = lock["bundles"].get(story, {}).get(lang)
        notice = _recorded_notice(record, current)
        if (version is not None and current is not None and record and record.get("version") == version
                and current.get("version") == version and (current.get("state") == "draft") == draft
                and intact(target, current, notice)):
            # pinned and in place: not even the feed is fetched
            return _result(current, target, 0, version, None, notice is not None)
        data = fetch_feed(url, timeout)
        entry = _choose(data, shown(url), story, lang, version, draft)
        if is_stale(entry) and not allow_stale:
            since = f" on {entry['stale_since'][:10]}" if entry.get("stale_since") else ""
            source = data["stories"][story].get("source_language", "the source")
            raise PullError(f"{story}/{lang} {entry['version']} is stale: the {source} text changed{since} and "
                            f"this translation does not have the change yet; pass --allow-stale to install it "
                            f"anyway, or pull --lang {source}", shown(url))
        archive_url = urllib.parse.urljoin(url, urllib.parse.quote(entry["archive"]["path"]))
        if current is not None and current.get("version") == entry["version"] and intact(target, current, notice):
            notice = _page_notice(target, is_stale(entry), notice)
            _record(dest, lock, story, lang, entry, shown(url), archive_url, notice)
            return _result(current, target, 0, entry["version"], entry, notice is not None)
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{lang}.incoming-", dir=target.parent))
        try:
            archive = work / f"archive.{ARCHIVE_FORMAT}"
            size = download(archive_url, archive, entry["archive"]["size"], entry["archive"]["sha256"],
                            progress, timeout)
            manifest = unpack(archive, work / "bundle", story, lang, entry["version"], shown(archive_url))
            if manifest.get("state") != entry.get("state"):
                raise PullError(f"the archive says {manifest.get('state')}, the feed says {entry.get('state')}; "
                                f"refusing it", shown(archive_url))
            notice = _page_notice(work / "bundle", is_stale(entry), None)   # before the swap: never seen without
            _install(work / "bundle", target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
            with contextlib.suppress(OSError):
                target.parent.rmdir()           # only if a failed first pull left it empty
        _record(dest, lock, story, lang, entry, shown(url), archive_url, notice)
        return _result(manifest, target, size, current.get("version") if current else None, entry,
                       notice is not None)


def _result(manifest: dict, target: Path, downloaded: int, previous: str | None,
            entry: dict | None = None, notice: bool = False) -> PullResult:
    files = manifest.get("files", {})
    return PullResult(story=manifest["story"], lang=manifest["lang"], version=manifest["version"],
                      state=manifest.get("state"), path=target, files=len(files),
                      size=sum(info["size"] for info in files.values()), downloaded=downloaded,
                      previous=previous if previous != manifest["version"] else None,
                      last_review=manifest.get("last_review"), completeness=manifest.get("completeness") or {},
                      stale=is_stale(entry or {}), stale_since=(entry or {}).get("stale_since"), notice=notice)
