"""``storyloc serve``: ``dist/`` and ``build/`` over HTTP on 127.0.0.1, to try a pull locally.

``/dist/`` is the feed and its archives (``/dist/index.json``), ``/build/`` the
bundles for preview in a browser. ``dist/`` needs nothing from this server:
its paths are relative, so any static HTTP server, or a bucket, serves it
as well.
"""
from __future__ import annotations

import errno
import html
import io
import posixpath
import urllib.parse
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .project import Project
from .errors import ServeError

HOST = "127.0.0.1"


class _Handler(SimpleHTTPRequestHandler):
    """Static files from two roots, picked by the first path segment; a small index page at ``/``."""

    def __init__(self, *args, roots: dict[str, Path], quiet: bool, **kwargs):
        self.roots = roots
        self.quiet = quiet
        super().__init__(*args, directory=str(next(iter(roots.values()))), **kwargs)

    def translate_path(self, path: str) -> str:
        path = urllib.parse.urlsplit(path).path
        trailing = path.endswith("/")
        parts = [p for p in posixpath.normpath(urllib.parse.unquote(path)).split("/") if p not in ("", ".", "..")]
        if not parts or parts[0] not in self.roots:
            return ""
        result = self.roots[parts[0]].joinpath(*parts[1:])
        return str(result) + ("/" if trailing else "")

    def send_head(self):
        if urllib.parse.urlsplit(self.path).path == "/":
            links = "".join(f'<li><a href="/{name}/">{name}/</a> ({html.escape(str(root))})</li>'
                            for name, root in self.roots.items())
            body = (f"<!doctype html><meta charset=utf-8><title>storyloc</title><h1>storyloc</h1>"
                    f"<p>Feed: <a href=\"/dist/index.json\">/dist/index.json</a></p><ul>{links}</ul>\n").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        if not self.translate_path(self.path):
            self.send_error(404, "Not found: try /dist/ or /build/")
            return None
        return super().send_head()

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"


def make_server(project: Project, port: int = 8000, quiet: bool = False) -> Server:
    """A server for ``dist/`` at ``/dist/`` and ``build/`` at ``/build/``, bound to 127.0.0.1 only.

    ``port=0`` picks a free port (see ``server.url``). The caller runs
    ``serve_forever()`` and, when done, ``shutdown()`` and ``server_close()``.
    """
    roots = {"dist": project.dist_dir, "build": project.build_dir}
    try:
        return Server((HOST, port), partial(_Handler, roots=roots, quiet=quiet))
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} is in use; pass another with --port", f"{HOST}:{port}") from None
        raise ServeError(f"cannot listen: {e.strerror or e}", f"{HOST}:{port}") from None
