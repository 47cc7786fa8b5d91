"""What the review tests share: the Ukrainian catalog with work left to review, a running
review server, and small helpers (imported by tests/review/test_*.py; not a test module)."""
import hashlib
import http.client
import json
import shutil
import struct
import threading
import zlib
from pathlib import Path

import pytest

from storyloc.po import provenance, read_po, save_po
from storyloc.review import Review, Reviewer, make_server

from conftest import PROJECT, REPO, STORY

TOKEN = "test-token-0123456789abcdef"
DEK, CHANGED, HOSTILE = "Photographs from Bakhmut", "Russian troops intensify", "Locals use bikes"
XSS = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
OLENA = Reviewer("Olena_Kovalenko", "editor")


def png(width=60, height=40, rgb=(90, 110, 140)) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def po(project) -> Path:
    """The Ukrainian catalog with work left to review: three machine drafts, one of them hostile,
    one whose English changed; and one photo on disk (the others are missing)."""
    if (PROJECT / "glossary").is_dir():
        shutil.copytree(PROJECT / "glossary", project.root / "glossary", dirs_exist_ok=True)
    path = project.catalog(STORY, "uk")
    catalog = read_po(path)
    draft = provenance.Record("draft", {"engine": "apertium", "pair": "eng-ukr", "date": "2026-11-25"})
    for fragment in (DEK, CHANGED, HOSTILE):
        m = next(m for m in catalog.entries() if fragment in m.msgid)
        m.fuzzy = True
        provenance.replace(m, [draft], ("draft",))
        if fragment == CHANGED:
            m.previous_msgid = m.msgid.replace("intensify", "step up")
        if fragment == HOSTILE:
            m.msgstr = [XSS]
    save_po(catalog, path)
    image = project.article(STORY).parent / "images" / "city-center.jpg"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(png())
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def entry(path: Path, fragment: str):
    return next(m for m in read_po(path).entries() if fragment in m.msgid)


def segment(review: Review, n: int) -> dict:
    """Segment ``n`` as the page has it now (with the entry version a save is based on)."""
    return review.page(STORY)["segments"][n]


@pytest.fixture
def server(project, po):
    srv = make_server(project, "uk", port=0, token=TOKEN, user="Tester", quiet=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


def request(srv, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=10)
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def screenshot_path(name: str) -> Path:
    """Screenshots of the run are kept in the repository's build/ (not committed) to look at."""
    folder = REPO / "build"
    folder.mkdir(exist_ok=True)
    return folder / name
