"""Loopback servers that speak translation providers' own HTTP protocols, for tests and the benchmark.

Each :class:`FakeProvider` answers as Google's mobile page, MyMemory,
LibreTranslate, DeepL or Microsoft would, so deep-translator's own request
and parsing code runs against it; ``openai`` speaks the Chat Completions
protocol as llama.cpp's server, vLLM or OpenAI do (``POST /v1/chat/completions``,
structured output with ``response_format`` json_schema, token usage, a 429
with ``retry-after-ms``), so the official SDK's own code runs against it. A script of actions makes it misbehave on
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

PROTOCOLS = ("google", "mymemory", "libre", "deepl", "microsoft", "openai")


def default_translation(text: str, target: str) -> str:
    """A recognisable 'translation' that keeps placeholders where they were."""
    return f"{target.upper()}: {text}"


class FakeProvider:
    def __init__(self, protocol: str, translate=default_translation, script=(), delay: float = 0.0,
                 hang: float = 1.0, lifetime: float = 120.0, target: str = "uk", schema: bool = True):
        assert protocol in PROTOCOLS, protocol
        self.target = target                 # openai: the language its default translation claims
        self.schema = schema                 # openai: takes response_format json_schema (else HTTP 400)
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
                "deepl": f"{root}/v2/", "microsoft": f"{root}/translate?api-version=3.0",
                "openai": f"{root}/v1"}[self.protocol]

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
        if self.protocol == "openai":
            self._chat(h, parts.path, body)
            return
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
        if isinstance(action, tuple) and action[0] == "redirect":    # ("redirect", "http://host:port")
            h.send_response(302)
            h.send_header("Location", action[1] + h.path)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
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

    # -- Chat Completions ------------------------------------------------------------------
    def _chat(self, h: BaseHTTPRequestHandler, path: str, body: bytes) -> None:
        if h.command != "POST" or path != "/v1/chat/completions":
            self._send(h, 404, "application/json", json.dumps({"error": {"message": f"no route {path}"}}))
            return
        try:
            request = json.loads(body)
            last = request["messages"][-1]["content"]
            segments = json.loads(last)["segments"]
        except (ValueError, KeyError, TypeError, IndexError):
            self._send(h, 400, "application/json", json.dumps({"error": {"message": "bad request"}}))
            return
        with self._lock:
            self.requests.append({"path": path, "body": request, "text": last, "segments": segments,
                                  "model": request.get("model"), "source": "", "target": self.target,
                                  "authorization": h.headers.get("Authorization"), "method": h.command})
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            self._chat_reply(h, request, segments)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _chat_reply(self, h: BaseHTTPRequestHandler, request: dict, segments: list[dict]) -> None:
        fmt = request.get("response_format")
        if fmt and fmt.get("type") == "json_schema" and not self.schema:
            self._send(h, 400, "application/json", json.dumps(
                {"error": {"message": "response_format json_schema is not supported", "type": "invalid_request_error",
                           "param": "response_format"}}))
            return
        action = self._next_action()
        if self.delay:
            time.sleep(self.delay)
        if action == "timeout":
            time.sleep(self.hang)
            action = "ok"
        if action in (429, 500, 502, 503, 401, 403):
            data = json.dumps({"error": {"message": f"HTTP {action}", "type": "error", "code": action}}).encode()
            h.send_response(action)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(data)))
            if action == 429:
                h.send_header("retry-after-ms", "10")      # as OpenAI's API tells its SDK when to retry
            h.end_headers()
            h.wfile.write(data)
            return
        translations = [{"id": s["id"], "text": self.translate(s["text"], self.target)} for s in segments]
        if callable(action):                 # a test's own mischief: it edits the answer in place
            action(translations)
        content = json.dumps({"translations": translations}, ensure_ascii=False)
        if action == "malformed":
            content = content[: len(content) // 2]
        elif not fmt:
            content = f"```json\n{content}\n```"      # asked in words only, a model tends to fence it
        prompt = sum(len(m.get("content") or "") for m in request["messages"])
        answer = {"id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion", "created": 1700000000,
                  "model": request.get("model"),
                  "choices": [{"index": 0, "finish_reason": "stop",
                               "message": {"role": "assistant", "content": content}}],
                  "usage": {"prompt_tokens": prompt // 4, "completion_tokens": len(content) // 4,
                            "total_tokens": prompt // 4 + len(content) // 4}}
        self._send(h, 200, "application/json", json.dumps(answer, ensure_ascii=False))

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
            "deepl": f"{root}/v2/", "microsoft": f"{root}/translate?api-version=3.0", "openai": f"{root}/v1"}[protocol]


def serve(argv: list[str] | None = None) -> None:
    """``python tests/fakeproviders.py google --delay 0.05``: serve in this process, print the URL,
    stop when standard input closes (the parent exits) or after ``--lifetime`` seconds."""
    import argparse
    import sys
    parser = argparse.ArgumentParser()
    parser.add_argument("protocol", choices=PROTOCOLS)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--lifetime", type=float, default=1800.0)
    parser.add_argument("--answers", help="a JSON file mapping each text to its translation (else 'XX: text')")
    args = parser.parse_args(argv)
    translate = default_translation
    if args.answers:
        with open(args.answers, encoding="utf-8") as f:
            answers = json.load(f)
        translate = lambda text, target: answers.get(text, default_translation(text, target))  # noqa: E731
    with FakeProvider(args.protocol, translate=translate, delay=args.delay, lifetime=args.lifetime) as fake:
        print(fake.url, flush=True)
        reader = threading.Thread(target=sys.stdin.read, daemon=True)
        reader.start()
        reader.join(args.lifetime)


if __name__ == "__main__":
    serve()
