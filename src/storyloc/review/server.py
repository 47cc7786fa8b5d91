"""The review page's HTTP server: one page and a JSON API, each request signed in by its token.

The standard library's ``ThreadingHTTPServer`` serves ``templates/review.html`` (rendered by
Jinja2 with autoescape), ``review.js``, ``review.css``, the story's photos and the API.

Every request needs a token: the session's own (printed in the URL at start; it signs in as the
person who started the server) or a named reviewer's. The page moves it into an HttpOnly,
SameSite=Strict cookie; writes need it as a request header, so no other web site can post. On
loopback, requests naming another host are refused (DNS rebinding); a strict
Content-Security-Policy forbids inline scripts; a save is at most :data:`MAX_BODY` bytes (HTTP 413).
"""
from __future__ import annotations

import errno
import hmac
import ipaddress
import json
import mimetypes
import os
import secrets
import socket
import urllib.parse
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

from ..errors import Conflict, Forbidden, ReviewError, StorylocError
from ..languages import direction, html_lang, language_name, native_name
from ..project import Project
from .reviewers import Reviewer, check_role, clean_user, default_user, identify
from .session import Review

MAX_BODY = 1 << 20
COOKIE = "storyloc_review"
STATIC = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@lru_cache(maxsize=None)
def _templates() -> Environment:
    """The review page's templates, every value escaped (the page words are English only)."""
    return Environment(loader=PackageLoader("storyloc", "templates"), autoescape=select_autoescape(default=True),
                       keep_trailing_newline=True)


def render(name: str, **values) -> bytes:
    """``templates/<name>`` rendered with ``values``, as UTF-8."""
    return _templates().get_template(name).render(**values).encode("utf-8")


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
                return self._send(HTTPStatus.FORBIDDEN, render("review-forbidden.html"), "text/html; charset=utf-8")
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
        lang = self.server.review.lang
        token = self._token(url)
        body = render("review.html", lang_tag=html_lang(lang), dir=direction(lang), token=token,
                      story=self.server.story, title=f"Review · {native_name(lang)}",
                      lang_name=f"{native_name(lang)} ({language_name(lang, 'en')})")
        cookie = f"{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
        self._send(HTTPStatus.OK, body, "text/html; charset=utf-8", {"Set-Cookie": cookie})

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

    def _body(self) -> dict | None:
        """The request's JSON object; None when the request was refused (the answer is sent)."""
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
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            return self._error(HTTPStatus.BAD_REQUEST, "not JSON")
        return body

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
        body = self._body()
        if body is None:
            return None
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
        return self._json(HTTPStatus.OK, page)


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
    edit the files anyway); named reviewers sign in with their own tokens
    (:func:`~storyloc.review.reviewers.add_reviewer`).
    """
    check_role(role)
    lang = project.select_languages((lang,))[0]
    # the first story translated into ``lang`` (English is a target only of stories written in another language)
    story = story or next((s for s in project.stories if lang in project.story_targets(s)), project.stories[0])
    if story not in project.stories:
        raise ReviewError(f"no story {story!r} (stories: {', '.join(project.stories)})")
    review = Review(project, lang, Reviewer(clean_user(user) or default_user(), role))
    review.read(story)                  # a missing or unreadable catalog is an error now, not a broken page
    token = token or os.environ.get("STORYLOC_REVIEW_TOKEN") or secrets.token_urlsafe(18)
    if len(token) < 16:
        raise ReviewError("the review token must be at least 16 characters")
    try:
        return ReviewServer(review, story, host, port, token, quiet)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise ReviewError(f"port {port} on {host} is in use; pick another with --port") from None
        raise ReviewError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
