"""Loopback servers that speak translation providers' own HTTP protocols, for tests and the benchmark.

Each :class:`FakeProvider` answers as Google's mobile page, MyMemory,
LibreTranslate, DeepL or Microsoft would, so deep-translator's own request
and parsing code runs against it. A script of actions makes it misbehave on
cue (429, 500, hang past the client's time-out, malformed body, lose a
placeholder). It records every request, serves on 127.0.0.1 only, and stops
by itself after ``lifetime`` seconds if a test forgets to.
"""
from __future__ import annotations

import html
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PROTOCOLS = ("google", "mymemory", "libre", "deepl", "microsoft")


def default_translation(text: str, target: str) -> str:
    """A recognisable 'translation' that keeps placeholders where they were."""
    return f"{target.upper()}: {text}"


class FakeProvider:
    def __init__(self, protocol: str, translate=default_translation, script=(), delay: float = 0.0,
                 hang: float = 1.0, lifetime: float = 120.0):
        assert protocol in PROTOCOLS, protocol
        self.protocol = protocol
        self.translate = translate
        self.script = list(script)
        self.delay = delay
        self.hang = hang
        self.requests: list[dict] = []
        self.in_flight = 0                   # requests being answered now
        self.most_in_flight = 0              # the most at once: concurrency, measured without a clock
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True
        self._stopped = False

    # -- life ------------------------------------------------------------------------
    def __enter__(self) -> "FakeProvider":
        self._thread.start()
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._timer.cancel()
        self._server.shutdown()
        self._server.server_close()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """The base URL as storyloc's ``endpoints`` (and deep-translator's ``_base_url``) want it."""
        root = f"http://127.0.0.1:{self.port}"
        return {"google": f"{root}/m", "mymemory": f"{root}/get", "libre": f"{root}/",
                "deepl": f"{root}/v2/", "microsoft": f"{root}/translate?api-version=3.0"}[self.protocol]

    @property
    def texts(self) -> list[str]:
        return [r["text"] for r in self.requests]

    # -- serving -----------------------------------------------------------------------
    def _next_action(self):
        with self._lock:
            return self.script.pop(0) if self.script else "ok"

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 5                      # an idle kept-alive connection ends by itself
            disable_nagle_algorithm = True   # headers and body in separate writes: no 40 ms delayed-ACK stall

            def log_message(self, *args):    # quiet
                pass

            def do_GET(self):
                self._serve()

            def do_POST(self):
                self._serve()

            def _serve(self):
                try:
                    fake._answer(self)
                except (BrokenPipeError, ConnectionResetError, TimeoutError):
                    self.close_connection = True

        return Handler

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        if parts.path == "/__requests":        # for a server in another process: how many so far
            self._send(h, 200, "application/json", json.dumps({"requests": len(self.requests)}))
            return
        params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        text, source, target = self._request_text(params, body)
        with self._lock:
            self.requests.append({"path": parts.path, "params": params, "text": text,
                                  "source": source, "target": target, "method": h.command})
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            self._reply(h, text, target)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _reply(self, h: BaseHTTPRequestHandler, text: str, target: str) -> None:
        action = self._next_action()
        if self.delay:
            time.sleep(self.delay)
        if action == "timeout":
            time.sleep(self.hang)
            action = "ok"
        if action in (429, 500, 502, 503, 403):
            self._send(h, action, "application/json", json.dumps({"error": f"HTTP {action}"}))
            return
        if action == "malformed":
            kind = "text/html" if self.protocol == "google" else "application/json"
            self._send(h, 200, kind, "<html><body>nothing here</body></html>" if self.protocol == "google"
                       else "{not json")
            return
        translated = self.translate(text, target)
        if action == "drop-mask":
            translated = re.sub(r"\{\d+\}", "", translated, count=1)
        self._send(h, 200, *self._body(translated, target))

    def _request_text(self, params: dict, body: bytes) -> tuple[str, str, str]:
        p = self.protocol
        if p == "google":
            return params.get("q", ""), params.get("sl", ""), params.get("tl", "")
        if p == "mymemory":
            source, _, target = params.get("langpair", "|").partition("|")
            return params.get("q", ""), source, target
        if p == "libre":
            return params.get("q", ""), params.get("source", ""), params.get("target", "")
        if p == "deepl":
            return params.get("text", ""), params.get("source_lang", ""), params.get("target_lang", "")
        items = json.loads(body or b"[]")
        return (items[0]["text"] if items else ""), params.get("from", ""), params.get("to", "")

    def _body(self, translated: str, target: str) -> tuple[str, str]:
        p = self.protocol
        if p == "google":
            return "text/html", (f'<html><body><div class="result-container">{html.escape(translated)}'
                                 f"</div></body></html>")
        if p == "mymemory":
            return "application/json", json.dumps({"responseData": {"translatedText": translated, "match": 0.85},
                                                   "responseStatus": 200, "matches": []})
        if p == "libre":
            return "application/json", json.dumps({"translatedText": translated})
        if p == "deepl":
            return "application/json", json.dumps({"translations": [{"detected_source_language": "EN",
                                                                     "text": translated}]})
        return "application/json", json.dumps([{"translations": [{"text": translated, "to": target}]}])

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, kind: str, text: str) -> None:
        data = text.encode("utf-8")
        h.send_response(status)
        h.send_header("Content-Type", f"{kind}; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)


def refused_url(protocol: str = "libre") -> str:
    """A loopback URL where nothing listens: connecting is refused at once."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = f"http://127.0.0.1:{port}"
    return {"google": f"{root}/m", "mymemory": f"{root}/get", "libre": f"{root}/",
            "deepl": f"{root}/v2/", "microsoft": f"{root}/translate?api-version=3.0"}[protocol]


def serve(argv: list[str] | None = None) -> None:
    """``python tests/fakeproviders.py google --delay 0.05``: serve in this process, print the URL,
    stop when standard input closes (the parent exits) or after ``--lifetime`` seconds."""
    import argparse
    import sys
    parser = argparse.ArgumentParser()
    parser.add_argument("protocol", choices=PROTOCOLS)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--lifetime", type=float, default=1800.0)
    args = parser.parse_args(argv)
    with FakeProvider(args.protocol, delay=args.delay, lifetime=args.lifetime) as fake:
        print(fake.url, flush=True)
        reader = threading.Thread(target=sys.stdin.read, daemon=True)
        reader.start()
        reader.join(args.lifetime)


if __name__ == "__main__":
    serve()
