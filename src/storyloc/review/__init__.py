"""``storyloc review``: a local web page to review one language, segment by segment.

The page shows each segment of a story in order: the English, the current
translation, its state, its provenance, its check results, glossary hints
and, beside captions and credits, the photo. Edits and approvals are written
back to the ``.po`` at once, atomically, through :mod:`storyloc.po`.

Three states, two roles, stored in the ``.po`` so any PO editor keeps them:
a *draft* is fuzzy; *reviewed* means a translator cleared it (not fuzzy,
``# storyloc: reviewed by= role= date=``); *approved* means an editor signed
this very text off (``# storyloc: approved by= role= date= text=<digest>``: an
edit anywhere, Poedit too, withdraws it). Who acts comes from the token the
request carries (the session's own, or a named reviewer's from
``.storyloc/reviewers.json``, stored hashed with a role), never from the request.

Nothing is ever overwritten silently: every save names the version of the
*entry* it was based on. A save to an entry nobody else changed is merged
into the file as it is now (another reviewer or Poedit may have saved other
entries); a save to an entry changed since gets HTTP 409 with both texts, and
the page keeps what the reviewer typed. Newlines are kept only where the
English has them; NUL and other control characters are refused with a
message; a save is at most :data:`MAX_BODY` bytes (HTTP 413).

The server is the standard library's ``ThreadingHTTPServer``: a JSON API and
one static page (``templates/review.html``, ``review.js``, ``review.css``).
Every request needs the session's token (printed in the URL at start), so
even on a shared machine only the person given the link can edit; text from
catalogs is only ever put into the page with ``textContent``, and a strict
Content-Security-Policy forbids inline scripts besides.
"""
from __future__ import annotations

import difflib
import errno
import getpass
import hashlib
import hmac
import ipaddress
import json
import mimetypes
import os
import re
import secrets
import socket
import threading
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from html import escape
from importlib import resources
from pathlib import Path
from typing import Callable

from .. import clock
from ..po import provenance
from ..build import assess
from ..po import Catalog, Message, encode_po, read_po, write_translator_comments
from ..check import CHECKS, ERROR, IGNORE_KIND, entries_for, findings_for, glossary_terms, terms_in
from ..project import Project
from ..errors import Conflict, Forbidden, ReviewError, StorylocError, TooLarge
from ..files import write_atomic
from ..languages import direction, html_lang, language_name, native_name
from ..story import Story, parse_story

MAX_BODY = 1 << 20
COOKIE = "storyloc_review"
STATIC = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


# -- who is reviewing: named reviewers, each with a token stored hashed and a role --------

ROLES = ("translator", "editor")          # a translator reviews; an editor reviews and approves
REVIEWERS_SCHEMA = "storyloc.reviewers/1"


@dataclass(frozen=True)
class Reviewer:
    name: str                  # as recorded in the .po (one word: spaces are "_")
    role: str = "translator"

    def can(self, action: str) -> bool:
        return action != "approve" or self.role == "editor"


def reviewers_file(project: Project) -> Path:
    """Where named reviewers live: ``.storyloc/reviewers.json`` (token hashes only, never a token)."""
    return project.root / ".storyloc" / "reviewers.json"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def read_reviewers(project: Project) -> list[dict]:
    path = reviewers_file(project)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError, UnicodeDecodeError) as e:
        raise ReviewError(f"not a reviewers file ({e})", project.rel(path)) from None
    if not isinstance(data, dict) or data.get("schema") != REVIEWERS_SCHEMA or not isinstance(data.get("reviewers"), list):
        raise ReviewError(f"not a {REVIEWERS_SCHEMA} file", project.rel(path))
    return [r for r in data["reviewers"] if isinstance(r, dict)]


def _write_reviewers(project: Project, reviewers: list[dict]) -> None:
    body = {"schema": REVIEWERS_SCHEMA, "reviewers": sorted(reviewers, key=lambda r: r["name"])}
    write_atomic(reviewers_file(project), (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def add_reviewer(project: Project, name: str, role: str = "translator") -> tuple[Reviewer, str]:
    """A new token for ``name`` with ``role`` (replacing any earlier one); only its sha256 is stored."""
    who = clean_user(name)
    if not who:
        raise ReviewError(f"not a reviewer name: {name!r}")
    if role not in ROLES:
        raise ReviewError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    token = secrets.token_urlsafe(24)
    reviewers = [r for r in read_reviewers(project) if r.get("name") != who]
    reviewers.append({"name": who, "role": role, "sha256": _token_hash(token)})
    _write_reviewers(project, reviewers)
    return Reviewer(who, role), token


def remove_reviewer(project: Project, name: str) -> bool:
    who = clean_user(name)
    reviewers = read_reviewers(project)
    kept = [r for r in reviewers if r.get("name") != who]
    if len(kept) == len(reviewers):
        return False
    _write_reviewers(project, kept)
    return True


def identify(project: Project, token: str | None) -> Reviewer | None:
    """The named reviewer a token belongs to, or None; compared in constant time."""
    if not token:
        return None
    digest = _token_hash(token)
    found = None
    for r in read_reviewers(project):
        if isinstance(r.get("sha256"), str) and hmac.compare_digest(r["sha256"], digest):
            found = Reviewer(str(r.get("name")), r.get("role") if r.get("role") in ROLES else "translator")
    return found


# -- what a translation may hold -------------------------------------------------------------

def _clean_text(msgstr: str, msgid: str, shown: str, line: int) -> str:
    """The text as the entry needs it: newlines only where the English has them (and at its ends);
    NUL and other control characters refused, with where they are."""
    msgstr = msgstr.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in msgid:
        msgstr = " ".join(part.strip() for part in msgstr.split("\n") if part.strip()) if "\n" in msgstr else msgstr
    for i, c in enumerate(msgstr):
        if c in "\t\n":
            continue
        if unicodedata.category(c) == "Cc":
            name = "NUL" if c == "\x00" else f"U+{ord(c):04X}"
            raise ReviewError(f"the translation holds a control character ({name}) at character {i + 1}; "
                              f"remove it and save again", shown, line)
    if msgid.endswith("\n") != msgstr.endswith("\n"):    # msgfmt --check requires both or neither
        msgstr = msgstr + "\n" if msgid.endswith("\n") else msgstr.rstrip("\n")
    if msgid.startswith("\n") != msgstr.startswith("\n"):
        msgstr = "\n" + msgstr if msgid.startswith("\n") else msgstr.lstrip("\n")
    return msgstr


def entry_version(m: Message) -> str:
    """What a save of one entry is based on: its text, flags and sign-offs (another entry's change is no conflict)."""
    body = json.dumps([m.msgstr, m.flags, m.translator_comments], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


entry_state = provenance.state


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def clean_user(name: str | None) -> str:
    """A name as one provenance word: spaces become ``_``; ``=`` and control characters go."""
    name = "".join(c for c in (name or "") if c.isprintable() and c != "=")
    return "_".join(name.split())[:60]


def default_user() -> str:
    try:
        fallback = getpass.getuser()
    except Exception:                       # no login name (a container): anonymous, not a crash
        fallback = "reviewer"
    return clean_user(os.environ.get("STORYLOC_USER") or fallback) or "reviewer"


def _diff(old: str, new: str) -> list[list[str]]:
    """Word diff of the previous English against the current one, as [op, text] pairs."""
    a, b = re.findall(r"\s+|[^\s]+", old), re.findall(r"\s+|[^\s]+", new)
    ops: list[list[str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(["=", "".join(a[i1:i2])])
            continue
        if i2 > i1:
            ops.append(["-", "".join(a[i1:i2])])
        if j2 > j1:
            ops.append(["+", "".join(b[j1:j2])])
    return ops


@dataclass
class Review:
    """The review of one language: reading a story's page data and writing edits back.

    The HTTP layer is a thin shell over this, so the rules (versions, approval,
    provenance) are tested without a browser.
    """

    project: Project
    lang: str
    reviewer: Reviewer | str = field(default_factory=lambda: Reviewer(default_user()))
    today: Callable[[], str] = lambda: clock.now().date().isoformat()
    now: Callable[[], str] = lambda: clock.now().strftime("%Y-%m-%d %H:%M+0000")
    _locks: dict = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        if isinstance(self.reviewer, str):
            self.reviewer = Reviewer(clean_user(self.reviewer) or default_user())

    # -- reading ---------------------------------------------------------------------
    def story(self, slug: str) -> Story:
        if slug not in self.project.stories:
            raise ReviewError(f"no story {slug!r} in this project")
        source = self.project.article(slug)
        return parse_story(source, slug, self.project.rel(source))

    def _read(self, slug: str) -> tuple[bytes, Catalog]:
        path = self.project.catalog(slug, self.lang)
        catalog = read_po(path, self.project.rel(path))
        return catalog.bytes_as_read, catalog

    def image(self, slug: str, figure_id: str) -> Path | None:
        """The photo file of a figure, if it is there (only files named in the story are served)."""
        figure = next((f for f in self.story(slug).figures if f.id == figure_id), None)
        return self._image_file(slug, figure.image) if figure is not None else None

    def _image_file(self, slug: str, image: str) -> Path | None:
        folder = self.project.article(slug).parent.resolve()
        path = (folder / image).resolve()
        return path if path.is_file() and folder in path.parents else None

    def page(self, slug: str, reviewer: Reviewer | None = None) -> dict:
        """Everything the page shows for one story; each entry with the version a save of it is based on."""
        story = self.story(slug)
        data, catalog = self._read(slug)
        terms = glossary_terms(self.project, self.lang)
        entries = {e.message.key: e for e in entries_for(self.project, slug, self.lang, catalog, story, terms)}
        figures = self._figures(slug, story)
        segments = []
        for n, m in enumerate(catalog.entries(), 1):
            segments.append(self._segment(n, m, entries.get(m.key), slug, figures, terms))
        _, progress, state = assess(self.project, story, self.lang, catalog)     # the build's own reckoning
        errors = progress["errors"]                              # the checks' one count
        return {
            "story": slug, "stories": list(self.project.stories), "lang": self.lang,
            "lang_tag": html_lang(self.lang), "dir": direction(self.lang),
            "lang_name": native_name(self.lang), "lang_name_en": language_name(self.lang, "en"),
            "source_language": self.project.story_language(story),
            "catalog": self.project.rel(self.project.catalog(slug, self.lang)), "version": sha256(data),
            "reviewer": {"name": (reviewer or self.reviewer).name, "role": (reviewer or self.reviewer).role},
            "approved": sum(1 for seg in segments if seg["state"] == "approved"),
            "counts": progress, "errors": errors,
            "state": state, "reasons": progress.get("reasons", []), "segments": segments,
            "checks": [{"id": c.id, "severity": c.severity, "title": c.title} for c in CHECKS.values()],
        }

    def _figures(self, slug: str, story: Story) -> dict[tuple, list[dict]]:
        """For each caption and credit key, the figures it is shown under."""
        found: dict[tuple, list[dict]] = {}
        for figure in story.figures:
            present = self._image_file(slug, figure.image) is not None
            info = {"id": figure.id, "image": figure.image,
                    "url": f"image/{urllib.parse.quote(slug)}/{urllib.parse.quote(figure.id)}" if present else None}
            for seg in (figure.alt, figure.caption, figure.credit):
                if seg is not None:
                    found.setdefault(seg.key, []).append(info)
        return found

    def _segment(self, n: int, m: Message, entry, slug: str, figures: dict, terms) -> dict:
        records = provenance.records(m)
        checks = []
        if entry is not None:
            path = self.project.rel(self.project.catalog(slug, self.lang))
            for f in findings_for(entry, path, slug):
                checks.append({"id": f.check, "severity": f.severity, "check_severity": CHECKS[f.check].severity,
                               "title": f.title, "message": f.message, "ignored": f.ignored})
        kind = entry.kind if entry is not None else (m.msgctxt or "paragraph")
        segment = entry.segment if entry is not None else None
        return {
            "n": n, "ctxt": m.msgctxt, "msgid": m.msgid, "msgstr": m.msgstr[0] if m.msgstr else "",
            "status": m.status, "state": entry_state(m), "version": entry_version(m), "kind": kind,
            "line": m.lineno,
            "source_line": segment.line if segment is not None else None,
            "notes": list(m.extracted_comments),
            "comments": [c for c in m.translator_comments if provenance.parse(c) is None],
            "provenance": [{"kind": r.kind, "fields": r.fields, "text": r.text} for r in records],
            "previous": _diff(m.previous_msgid, m.msgid) if m.previous_msgid is not None else None,
            "checks": checks,
            "glossary": [{"source": t.source, "target": t.target, "note": t.note, "keep": t.keep}
                         for t in terms_in(m.msgid, terms)],
            "figures": figures.get(m.key, []),
            "plural": m.msgid_plural is not None,
        }

    # -- writing ---------------------------------------------------------------------
    def _lock(self, slug: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(slug, threading.Lock())

    def change(self, slug: str, ctxt: str | None, msgid: str, version: str, action: str,
               msgstr: str | None = None, who: Reviewer | None = None, check: str | None = None) -> dict:
        """Apply one reviewer action to one entry and write the catalog; returns the fresh page data.

        ``action``: ``save`` (keep the state; an empty entry that gets text becomes a draft),
        ``review`` (a translator clears it: not fuzzy, ``reviewed by= role= date=`` recorded),
        ``approve`` (an editor signs this text off: reviewed too, ``approved by= role= date= text=``),
        ``unapprove`` (back to draft, "needs work") or ``ignore`` (silence ``check`` on this entry).
        ``who`` is the reviewer the request's token names, never a name the request carries.
        ``version`` is the entry's :func:`entry_version` when the page loaded it: a save to an entry
        nobody else changed is merged into the file as it is now (other entries may have changed);
        a save to an entry changed since raises :class:`Conflict` with both texts.
        """
        if action not in ("save", "review", "approve", "unapprove", "ignore"):
            raise ReviewError(f"unknown action {action!r}")
        who = who or self.reviewer
        if not who.can(action):
            raise Forbidden(f"only an editor can approve; {who.name.replace('_', ' ')} reviews as a {who.role}")
        path = self.project.catalog(slug, self.lang)
        shown = self.project.rel(path)
        self.story(slug)
        with self._lock(slug):
            for _attempt in range(5):           # another program may write between our read and our write
                data, catalog = self._read(slug)
                message = next((m for m in catalog.entries() if m.key == (ctxt, msgid)), None)
                if message is None:
                    raise Conflict("this segment is no longer in the catalog (the English changed?); reload",
                                   shown, yours=msgstr)
                if not hmac.compare_digest(entry_version(message), str(version)):
                    raise Conflict("someone changed this entry since this page loaded it; nothing was written. "
                                   "Compare the two texts, then reload and save again.", shown, message.lineno,
                                   yours=msgstr, theirs=message.msgstr[0] if message.msgstr else "",
                                   version=entry_version(message))
                if message.msgid_plural is not None:
                    raise ReviewError("plural entries are edited in a PO editor", shown, message.lineno)
                text = _clean_text(msgstr, message.msgid, shown, message.lineno) if msgstr is not None else None
                if action in ("review", "approve") and not (text if text is not None else message.msgstr[0]).strip():
                    raise ReviewError(f"nothing to {action}: the translation is empty", shown, message.lineno)
                self._apply(message, action, text, who, check)
                if not message.changed:
                    return self.page(slug, who)
                catalog.set_header_field("PO-Revision-Date", self.now())
                catalog.set_header_field("Last-Translator", who.name.replace("_", " "))
                out = encode_po(catalog, shown)
                if path.read_bytes() != data:                  # someone saved while we worked: merge again
                    continue
                write_atomic(path, out)
                return self.page(slug, who)
        raise Conflict(f"{shown} keeps changing on disk; nothing was written. Try again.", shown)

    def _apply(self, m: Message, action: str, msgstr: str | None, who: Reviewer, check: str | None) -> None:
        stamp = {"by": who.name, "role": who.role, "date": self.today()}
        if action == "ignore":
            if check not in CHECKS:
                raise ReviewError(f"unknown check {check!r}")
            line = f"{provenance.PREFIX} {IGNORE_KIND} {check} by={who.name} date={stamp['date']}"
            if not any((r := provenance.parse(c)) is not None and r.kind == IGNORE_KIND
                       and c.split()[2:3] == [check] for c in m.translator_comments):
                write_translator_comments(m, [line])
            return
        signed = ("edited", "reviewed", "approved")
        if msgstr is not None:
            m.msgstr = [msgstr]
        if not m.translated:
            # an emptied entry is just empty: no fuzzy flag, no sign-off left on it
            m.fuzzy = False
            provenance.replace(m, [], signed)
            return
        changed = m.msgstr_as_read is not None and m.msgstr[0] != m.msgstr_as_read[0]
        reviewed = provenance.Record("reviewed", dict(stamp))
        if action == "review":
            m.fuzzy = False
            keep = [] if changed else [r for r in provenance.records(m) if r.kind == "approved"][-1:]
            provenance.replace(m, [reviewed, *keep], signed)
        elif action == "approve":
            was = None if m.fuzzy else provenance.latest(m, "reviewed")
            m.fuzzy = False
            approval = provenance.Record("approved", {**stamp, "text": provenance.text_digest("\x00".join(m.msgstr))})
            provenance.replace(m, [was if was is not None and not changed else reviewed, approval], signed)
        elif action == "unapprove":
            m.fuzzy = True
            provenance.replace(m, [provenance.Record("edited", dict(stamp))], signed)
        elif changed:
            if m.fuzzy or m.msgstr_as_read[0] == "":
                m.fuzzy = True                  # a draft stays a draft; new text starts as one
                provenance.replace(m, [provenance.Record("edited", dict(stamp))], ("edited",))
            else:                               # a reviewed text edited: reviewed by this person, approval gone
                provenance.replace(m, [reviewed], signed)


# -- HTTP ------------------------------------------------------------------------------

def _asset(name: str) -> bytes:
    return (resources.files("storyloc") / "templates" / name).read_bytes()


class _Handler(BaseHTTPRequestHandler):
    server: "ReviewServer"
    protocol_version = "HTTP/1.1"
    timeout = 60                    # an idle keep-alive connection is closed after a minute

    def log_message(self, format, *args):     # noqa: A002 - the stdlib's name
        if not self.server.quiet:
            super().log_message(format, *args)

    # -- plumbing ----------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Frame-Options", "DENY")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: dict) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _error(self, status: int, message: str, **extra) -> None:
        self._json(status, {"error": message, **extra})

    def _host_ok(self) -> bool:
        """On loopback, only requests addressed to loopback (no DNS rebinding through a foreign name)."""
        if not self.server.loopback:
            return True
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback      # not "127.evil.example"
        except ValueError:
            return False

    def _token(self, url: urllib.parse.SplitResult) -> str | None:
        given = self.headers.get("X-Storyloc-Token")
        if given is None:
            given = urllib.parse.parse_qs(url.query).get("token", [None])[0]
        if given is None:
            for part in (self.headers.get("Cookie") or "").split(";"):
                name, _, value = part.strip().partition("=")
                if name == COOKIE:
                    given = value
        return given

    def _authorized(self, url, given: str | None = None) -> Reviewer | None:
        """The reviewer the request's token names: the session's owner, or a named reviewer."""
        given = self._token(url) if given is None else given
        return self.server.identify(given)

    # -- routes ------------------------------------------------------------------------
    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if not self._host_ok():
            return self._error(HTTPStatus.MISDIRECTED_REQUEST, "wrong host")
        if url.path in ("/static/review.js", "/static/review.css"):
            name = url.path.rsplit("/", 1)[1]
            return self._send(HTTPStatus.OK, _asset(name), STATIC[name])
        if url.path == "/favicon.ico":
            return self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        who = self._authorized(url)
        if who is None:
            if url.path == "/":
                body = ("<!DOCTYPE html><meta charset=utf-8><title>storyloc review</title>"
                        "<p>Open the link that <code>storyloc review</code> printed: it carries the "
                        "session's token.</p>").encode()
                return self._send(HTTPStatus.FORBIDDEN, body, "text/html; charset=utf-8")
            return self._error(HTTPStatus.FORBIDDEN, "missing or wrong token")
        try:
            if url.path == "/":
                return self._page(url)
            if url.path == "/api/story":
                slug = urllib.parse.parse_qs(url.query).get("story", [self.server.story])[0]
                return self._json(HTTPStatus.OK, self.server.review.page(slug, who))
            if url.path.startswith("/image/"):
                return self._image(url.path)
        except StorylocError as error:
            return self._error(HTTPStatus.BAD_REQUEST, str(error))
        return self._error(HTTPStatus.NOT_FOUND, "not found")

    def _page(self, url) -> None:
        html_text = _asset("review.html").decode("utf-8")
        review = self.server.review
        token = self._token(url)
        values = {"lang_tag": html_lang(review.lang), "dir": direction(review.lang),
                  "token": token, "story": self.server.story,
                  "title": f"Review · {native_name(review.lang)}",
                  "lang_name": f"{native_name(review.lang)} ({language_name(review.lang, 'en')})"}
        for key, value in values.items():
            html_text = html_text.replace("{{" + key + "}}", _attr(value))
        cookie = f"{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
        self._send(HTTPStatus.OK, html_text.encode("utf-8"), "text/html; charset=utf-8", {"Set-Cookie": cookie})

    def _image(self, path: str) -> None:
        parts = [urllib.parse.unquote(p) for p in path.split("/")[2:]]
        if len(parts) != 2:
            return self._error(HTTPStatus.NOT_FOUND, "not found")
        found = self.server.review.image(parts[0], parts[1])
        if found is None:
            return self._error(HTTPStatus.NOT_FOUND, "image not found")
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if not kind.startswith("image/") or kind == "image/svg+xml":
            kind = "application/octet-stream"
        self._send(HTTPStatus.OK, found.read_bytes(), kind)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        if not self._host_ok():
            return self._error(HTTPStatus.MISDIRECTED_REQUEST, "wrong host")
        # the token must come as a header: a form on another site cannot send one
        who = self._authorized(url, self.headers.get("X-Storyloc-Token") or "")
        if who is None:
            return self._error(HTTPStatus.FORBIDDEN, "missing or wrong token")
        if url.path != "/api/change":
            return self._error(HTTPStatus.NOT_FOUND, "not found")
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length > MAX_BODY:
            self.close_connection = True              # the unread body must not be taken for a request
            if length <= 16 * MAX_BODY:               # read and drop it, so the client gets the answer
                left = length
                while left > 0:
                    chunk = self.rfile.read(min(left, 1 << 16))
                    if not chunk:
                        break
                    left -= len(chunk)
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                               f"a save is at most {MAX_BODY >> 20} MiB; this one is {length} bytes")
        if length <= 0:
            self.close_connection = True
            return self._error(HTTPStatus.LENGTH_REQUIRED, "send the save's length (Content-Length)")
        try:
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            if not isinstance(body, dict):
                raise ValueError
        except (ValueError, UnicodeDecodeError):
            return self._error(HTTPStatus.BAD_REQUEST, "not JSON")
        msgstr = body.get("msgstr")
        if msgstr is not None and not isinstance(msgstr, str):
            return self._error(HTTPStatus.BAD_REQUEST, "msgstr must be text")
        try:
            page = self.server.review.change(
                str(body.get("story") or self.server.story), body.get("ctxt"), str(body.get("msgid", "")),
                str(body.get("version", "")), str(body.get("action", "save")), msgstr, who,
                body.get("check") if isinstance(body.get("check"), str) else None)
        except Conflict as error:
            return self._error(HTTPStatus.CONFLICT, error.message, conflict=True, yours=error.yours,
                               theirs=error.theirs, version=error.version)
        except Forbidden as error:
            return self._error(HTTPStatus.FORBIDDEN, error.message)
        except StorylocError as error:
            return self._error(HTTPStatus.BAD_REQUEST, str(error))
        self._json(HTTPStatus.OK, page)


def _attr(value: str) -> str:
    return escape(str(value), quote=True)


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True
    # A browser tab keeps its connection open: closing the server must not wait for it.
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, review: Review, story: str, host: str, port: int, token: str, quiet: bool = False):
        self.review = review
        self.owner = review.reviewer          # who the session's own token signs in as
        self.story = story
        self.token = token
        self.quiet = quiet
        try:
            self.loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            self.loopback = host == "localhost"
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _Handler)

    def identify(self, token: str | None) -> Reviewer | None:
        """The session's owner for the session token; a named reviewer for theirs (read fresh: a removed
        reviewer is out at once); None otherwise."""
        if token is None:
            return None
        if hmac.compare_digest(token.encode(), self.token.encode()):
            return self.owner
        try:
            return identify(self.review.project, token)
        except ReviewError:
            return None

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        if host in ("0.0.0.0", "::"):
            shown = "<this machine's address>"
        return f"http://{shown}:{port}/"

    @property
    def url(self) -> str:
        return f"{self.base_url}?token={self.token}"


def make_server(project: Project, lang: str, story: str | None = None, host: str = "127.0.0.1",
                port: int = 8000, token: str | None = None, user: str | None = None,
                quiet: bool = False, role: str = "translator") -> ReviewServer:
    """A review server for one language, ready to ``serve_forever()``; port 0 picks a free one.

    The session's token signs in as ``user`` with ``role`` (the person who started it, who can
    edit the files anyway); named reviewers sign in with their own tokens (:func:`add_reviewer`).
    """
    if role not in ROLES:
        raise ReviewError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    lang = project.select_languages((lang,))[0]
    # the first story translated into ``lang`` (English is a target only of stories written in another language)
    story = story or next((s for s in project.stories if lang in project.story_targets(s)), project.stories[0])
    if story not in project.stories:
        raise ReviewError(f"no story {story!r} (stories: {', '.join(project.stories)})")
    review = Review(project, lang, Reviewer(clean_user(user) or default_user(), role))
    review._read(story)                 # a missing or unreadable catalog is an error now, not a broken page
    token = token or os.environ.get("STORYLOC_REVIEW_TOKEN") or secrets.token_urlsafe(18)
    if len(token) < 16:
        raise ReviewError("the review token must be at least 16 characters")
    try:
        return ReviewServer(review, story, host, port, token, quiet)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise ReviewError(f"port {port} on {host} is in use; pick another with --port") from None
        raise ReviewError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
