"""pull: what a publisher runs, against a real HTTP server on 127.0.0.1 serving dist/."""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tarfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyloc.po import read_po, save_po
from storyloc.cli import main
from storyloc.project import Project
from storyloc.files import pretty_json
from storyloc.publish import archive_prefix
from storyloc.pull import LOCK_FILE, intact, pull
from storyloc.errors import PullError

from conftest import PROJECT, STORY, run, snapshot

UKRAINIAN_TITLE = "Життя під обстрілами в Бахмуті"


def storyloc(*args: str):
    """The CLI as a publisher runs it: no project anywhere."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The repository's project, built and published once per module (copied into each test)."""
    root = tmp_path_factory.mktemp("published") / "project"
    root.mkdir()
    shutil.copy(PROJECT / "pyproject.toml", root)
    for name in ("source", "locales"):
        shutil.copytree(PROJECT / name, root / name)
    for command in ("build", "publish"):
        result = run(root, command)
        assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def dist(published, tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(published, root)
    return root / "dist"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        self.server.requests.append(self.path)


@contextlib.contextmanager
def http_server(directory: Path, handler=_Quiet):
    """A static server on 127.0.0.1, ephemeral port, stopped on exit; yields (base URL, requested paths)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    server.daemon_threads = True
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def feed_entry(dist: Path, lang: str = "uk", section: str = "published") -> dict:
    feed = json.loads((dist / "index.json").read_text(encoding="utf-8"))
    return feed["stories"][STORY][section][lang]["versions"][0]


def retranslate(root: Path, suffix: str) -> None:
    path = Project.load(root).catalog(STORY, "uk")
    catalog = read_po(path)
    title = next(m for m in catalog.entries() if m.msgctxt == "title")
    title.msgstr = [UKRAINIAN_TITLE + suffix]
    save_po(catalog, path)
    for command in ("build", "publish"):
        assert run(root, command).exit_code == 0


def hidden_leftovers(dest: Path) -> list[str]:
    return [p.name for p in dest.rglob(".*")]


# -- the happy path --------------------------------------------------------------------

def test_publish_then_pull_over_http_installs_the_ukrainian_page(dist, tmp_path):
    site = tmp_path / "site"
    entry = feed_entry(dist)
    with http_server(dist) as (base, requests):
        result = storyloc("pull", base + "index.json", "--story", STORY, "--lang", "uk", "--dest", str(site))
    assert result.exit_code == 0, result.output
    assert requests == ["/index.json", "/" + entry["archive"]["path"]]
    bundle = site / STORY / "uk"
    page = (bundle / "index.html").read_text(encoding="utf-8")
    assert '<html lang="uk" dir="ltr">' in page and UKRAINIAN_TITLE in page
    assert 'hreflang="x-default"' in page
    assert (bundle / "index.html").read_bytes() == (dist.parent / "build" / STORY / "uk" / "index.html").read_bytes()
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == entry["version"] and intact(bundle, manifest)
    assert result.stdout.startswith(f"Installed {STORY}/uk {entry['version']} into {bundle}: published, "
                                    f"20/20 segments reviewed, last review ")
    assert "sha256 verified" in result.stdout
    # Not a terminal: the progress bar is one plain line, on stderr.
    assert f"Downloading {STORY}-uk-{entry['version']}.tar.gz" in result.stderr
    lock = json.loads((site / LOCK_FILE).read_text(encoding="utf-8"))
    record = lock["bundles"][STORY]["uk"]
    assert record["version"] == entry["version"] and record["archive"]["sha256"] == entry["archive"]["sha256"]
    assert record["feed"] == base + "index.json"
    assert hidden_leftovers(site) == []


def test_a_second_pull_downloads_nothing(dist, tmp_path):
    site = tmp_path / "site"
    entry = feed_entry(dist)
    with http_server(dist) as (base, requests):
        args = ("pull", base + "index.json", "--story", STORY, "--lang", "uk", "--dest", str(site))
        assert storyloc(*args).exit_code == 0
        before = snapshot(site)
        requests.clear()
        again = storyloc(*args)
        assert again.exit_code == 0
        assert requests == ["/index.json"]                 # the feed, to learn the newest version; no archive
        assert again.stdout == (f"{STORY}/uk {entry['version']} (published) is already installed in "
                                f"{site / STORY / 'uk'}; nothing downloaded\n")
        requests.clear()
        pinned = storyloc(*args, "--version", entry["version"])
        assert pinned.exit_code == 0 and "nothing downloaded" in pinned.stdout
        assert requests == []                              # pinned and in place: nothing at all
    assert snapshot(site) == before


def test_library_reports_progress_and_pulls_from_a_local_path(dist, tmp_path):
    calls = []
    result = pull(str(dist), STORY, "uk", tmp_path / "site", progress=lambda *a: calls.append(a))
    size = feed_entry(dist)["archive"]["size"]
    assert calls[0][1:] == (0, size) and calls[-1][1:] == (size, size)
    assert result.downloaded == size and result.state == "published" and result.previous is None


def test_drafts_only_on_request_and_old_versions_by_version(dist, tmp_path):
    site = tmp_path / "site"
    refused = storyloc("pull", str(dist), "--story", STORY, "--lang", "es", "--dest", str(site))
    assert refused.exit_code == 1
    assert refused.stderr == (f"Error: {dist / 'index.json'}: {STORY}/es has no published version yet "
                              f"(only drafts: pass --draft to pull one)\n")
    assert not site.joinpath(STORY).exists()
    draft = storyloc("pull", str(dist), "--story", STORY, "--lang", "es", "--dest", str(site), "--draft")
    assert draft.exit_code == 0 and "es" in draft.stdout and "warning: a draft" in draft.stderr
    assert 'lang="es"' in (site / STORY / "es" / "index.html").read_text(encoding="utf-8")

    old = feed_entry(dist)["version"]
    retranslate(dist.parent, " (оновлено)")
    new = feed_entry(dist)["version"]
    assert new != old
    latest = storyloc("pull", str(dist), "--story", STORY, "--lang", "uk", "--dest", str(site))
    assert f"uk {new}" in latest.stdout
    pinned = storyloc("pull", str(dist), "--story", STORY, "--lang", "uk", "--dest", str(site), "--version", old)
    assert pinned.exit_code == 0 and f"uk {old}" in pinned.stdout and f"replaced {new}" in pinned.stdout
    assert UKRAINIAN_TITLE + " (оновлено)" not in (site / STORY / "uk" / "index.html").read_text(encoding="utf-8")
    wrong_section = storyloc("pull", str(dist), "--story", STORY, "--lang", "uk", "--dest", str(site),
                             "--version", old, "--draft")
    assert wrong_section.stderr.endswith(f"{STORY}/uk version {old} is published; pull it without --draft\n")
    no_draft = storyloc("pull", str(dist), "--story", STORY, "--lang", "uk", "--dest", str(site), "--draft")
    assert no_draft.stderr.endswith(f"{STORY}/uk has no draft (pull the published version without --draft)\n")


@pytest.mark.parametrize("args, message", [
    (("--story", "no-such-story", "--lang", "uk"), f"unknown story 'no-such-story' (the feed has: {STORY})"),
    (("--story", STORY, "--lang", "it"), f"the feed has no 'it' bundle of {STORY} (it has: ar, de, en, es, fr, pl, uk)"),
    (("--story", STORY, "--lang", "uk", "--version", "0123456789ab"), f"{STORY}/uk has no version '0123456789ab'"),
])
def test_unknown_story_language_or_version_is_one_line(dist, tmp_path, args, message):
    result = storyloc("pull", str(dist), *args, "--dest", str(tmp_path / "site"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {dist / 'index.json'}: {message}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_unsafe_names_are_refused_before_any_path_is_built(tmp_path):
    result = storyloc("pull", "feed", "--story", "../etc", "--lang", "uk", "--dest", str(tmp_path))
    assert result.stderr == "Error: not a story name: '../etc' (lowercase letters, digits and '-')\n"
    result = storyloc("pull", "feed", "--story", STORY, "--lang", "../uk", "--dest", str(tmp_path))
    assert result.stderr == "Error: not a locale code: '../uk' (expected e.g. 'uk', 'pt_BR')\n"


def test_network_failures_are_one_line(dist, tmp_path):
    with socket.socket() as s:        # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/index.json"
    result = storyloc("pull", url, "--story", STORY, "--lang", "uk", "--dest", str(tmp_path / "a"))
    assert result.exit_code == 1 and result.stderr == f"Error: {url}: cannot connect: Connection refused\n"

    entry = feed_entry(dist)
    (dist / entry["archive"]["path"]).unlink()
    with http_server(dist) as (base, _):
        result = storyloc("pull", base, "--story", STORY, "--lang", "uk", "--dest", str(tmp_path / "b"))
    assert result.exit_code == 1
    assert result.stderr.endswith(f"Error: {base}{entry['archive']['path']}: HTTP 404 File not found\n")
    missing = storyloc("pull", str(tmp_path / "nowhere"), "--story", STORY, "--lang", "uk")
    assert missing.stderr == f"Error: {tmp_path / 'nowhere'}: not found\n"
    (dist / "index.json").write_text('{"schema": "storyloc.feed/3", "stories": {}}', encoding="utf-8")
    newer = storyloc("pull", str(dist), "--story", STORY, "--lang", "uk", "--dest", str(tmp_path / "c"))
    assert newer.stderr == (f"Error: {dist / 'index.json'}: feed schema 'storyloc.feed/3' is newer than this "
                            f"storyloc reads (storyloc.feed/2); upgrade storyloc\n")


# -- what must be refused ------------------------------------------------------------------

def test_a_tampered_archive_is_refused_and_the_previous_install_stays(dist, tmp_path):
    site = tmp_path / "site"
    assert pull(str(dist), STORY, "uk", site).downloaded > 0
    retranslate(dist.parent, " (виправлено)")
    entry = feed_entry(dist)
    before = snapshot(site)
    path = dist / entry["archive"]["path"]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with http_server(dist) as (base, _):
        result = storyloc("pull", base + "index.json", "--story", STORY, "--lang", "uk", "--dest", str(site))
    assert result.exit_code == 1
    url = base + entry["archive"]["path"]
    assert result.stderr.endswith(f"Error: {url}: checksum mismatch: sha256 is "
                                  f"{hashlib.sha256(data).hexdigest()}, the feed says {entry['archive']['sha256']}; "
                                  f"refusing to install\n")
    assert "Traceback" not in result.output
    assert snapshot(site) == before and hidden_leftovers(site) == []


def _member(name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE, link: str = "") -> tuple:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, link, len(data) if kind == tarfile.REGTYPE else 0
    return info, data


def _forge(dist: Path, change, lang: str = "uk") -> dict:
    """Rewrite the newest archive of ``lang`` through ``change(prefix, members)`` and fix the feed to match,
    as a compromised publisher could: the sha256 in the feed is then right, the content is not."""
    feed_path = dist / "index.json"
    feed = json.loads(feed_path.read_text(encoding="utf-8"))
    entry = feed["stories"][STORY]["published"][lang]["versions"][0]
    path = dist / entry["archive"]["path"]
    with tarfile.open(path, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    prefix = archive_prefix(STORY, lang, entry["version"])
    members = change(prefix, members)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    path.write_bytes(raw.getvalue())
    entry["archive"].update(size=len(raw.getvalue()), sha256=hashlib.sha256(raw.getvalue()).hexdigest())
    feed_path.write_text(json.dumps(feed), encoding="utf-8")
    return entry


def _with_manifest_listing(prefix, members, name, data):
    """Add a file and list it in the bundle's manifest too (so only the path check can catch it)."""
    out = []
    for info, content in members:
        if info.name == f"{prefix}/manifest.json":
            manifest = json.loads(content)
            manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            content = pretty_json(manifest)
            info.size = len(content)
        out.append((info, content))
    return out


EVIL = b"<script>alert(1)</script>"


@pytest.mark.parametrize("change, message", [
    (lambda p, m: m + [_member("../evil", EVIL)], "member '../evil' climbs out of the bundle with '..'"),
    (lambda p, m: m + [_member(f"{p}/../../evil", EVIL)], "climbs out of the bundle with '..'"),
    (lambda p, m: m + [_member("/tmp/storyloc-pull-test-evil", EVIL)],
     "member '/tmp/storyloc-pull-test-evil' has an absolute path"),
    (lambda p, m: m + [_member(f"{p}/evil", kind=tarfile.SYMTYPE, link="/etc/passwd")], "is a link"),
    (lambda p, m: m + [_member(f"{p}/evil", kind=tarfile.LNKTYPE, link=f"{p}/index.html")], "is a link"),
    (lambda p, m: m + [_member(f"{p}/evil", kind=tarfile.CHRTYPE)], "is not a regular file"),
    (lambda p, m: m + [_member("elsewhere/evil", EVIL)], "member 'elsewhere/evil' is outside the bundle folder"),
    (lambda p, m: m + [_member(f"{p}/evil.html", EVIL)], "member 'evil.html' is not in the bundle's manifest.json"),
    (lambda p, m: [(i, d.replace("Бахмут".encode(), "Бахмют".encode()) if i.name.endswith("index.html") else d)
                   for i, d in m], "index.html does not match the sha256 in its manifest.json"),
    (lambda p, m: [x for x in m if not x[0].name.endswith("manifest.json")], "no manifest.json"),
    (lambda p, m: _with_manifest_listing(p, m, "evil.html", EVIL), "does not hash to version"),
])
def test_a_forged_archive_is_refused_and_writes_nothing(dist, tmp_path, change, message):
    site = tmp_path / "site"
    entry = _forge(dist, change)
    result = storyloc("pull", str(dist), "--story", STORY, "--lang", "uk", "--dest", str(site))
    assert result.exit_code == 1, result.output
    error = result.stderr.splitlines()[-1]        # after the "Downloading …" line
    assert error.startswith(f"Error: {dist / entry['archive']['path']}: refusing the archive: ")
    assert message in error and "Traceback" not in result.output
    assert not list(tmp_path.rglob("evil*")) and not Path("/tmp/storyloc-pull-test-evil").exists()
    assert sorted(p.name for p in site.iterdir()) == []                  # nothing installed, nothing left over


def test_archive_with_dot_dot_over_http_leaves_the_previous_install(dist, tmp_path):
    site = tmp_path / "site"
    pull(str(dist), STORY, "uk", site)
    before = snapshot(site)
    retranslate(dist.parent, " (нове)")
    _forge(dist, lambda p, m: m + [_member("../evil", EVIL)])
    with http_server(dist) as (base, _):
        result = storyloc("pull", base, "--story", STORY, "--lang", "uk", "--dest", str(site))
    assert result.exit_code == 1 and "climbs out of the bundle with '..'" in result.stderr
    assert snapshot(site) == before and not list(tmp_path.rglob("evil"))


KILLER = r"""
import os, signal, sys
from functools import partial
from http.server import HTTPServer, SimpleHTTPRequestHandler

class Handler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if not self.path.endswith(".tar.gz"):
            return super().do_GET()
        with open(self.translate_path(self.path), "rb") as f:
            data = f.read()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[: len(data) // 2])
        self.wfile.flush()
        os.kill(os.getpid(), signal.SIGKILL)       # the server dies mid-download

server = HTTPServer(("127.0.0.1", 0), partial(Handler, directory=sys.argv[1]))
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def test_server_killed_mid_download_leaves_the_previous_install_intact(dist, tmp_path):
    site = tmp_path / "site"
    first = pull(str(dist), STORY, "uk", site)
    retranslate(dist.parent, " (друга версія)")
    entry = feed_entry(dist)
    assert entry["version"] != first.version
    before = snapshot(site)
    proc = subprocess.Popen([sys.executable, "-c", KILLER, str(dist)], stdout=subprocess.PIPE, text=True)
    try:
        assert select.select([proc.stdout], [], [], 15)[0], "the server printed no port"
        port = int(proc.stdout.readline())
        result = storyloc("pull", f"http://127.0.0.1:{port}/index.json", "--story", STORY, "--lang", "uk",
                          "--dest", str(site), "--timeout", "10")
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    assert proc.returncode == -9                                    # it really died
    assert result.exit_code == 1
    half, size = entry["archive"]["size"] // 2, entry["archive"]["size"]
    error = result.stderr.splitlines()[-1]
    assert error.startswith(f"Error: http://127.0.0.1:{port}/{entry['archive']['path']}: ")
    # A closed socket reads as an early end (Linux), or as a reset on some systems.
    assert error.endswith((f"download incomplete: the connection closed after {half} of {size} bytes",
                           f"connection lost after {half} bytes (ConnectionResetError)")), error
    assert snapshot(site) == before and hidden_leftovers(site) == []
    manifest = json.loads((site / STORY / "uk" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == first.version and intact(site / STORY / "uk", manifest)


def test_a_stalled_server_times_out(dist, tmp_path):
    release = threading.Event()

    class Stalling(_Quiet):
        def do_GET(self):
            if self.path.endswith(".tar.gz"):
                self.send_response(200)
                self.send_header("Content-Length", str(feed_entry(dist)["archive"]["size"]))
                self.end_headers()
                self.wfile.write(b"\x1f\x8b")
                self.wfile.flush()
                release.wait(5)
                return
            super().do_GET()

    with http_server(dist, Stalling) as (base, _):
        try:
            result = storyloc("pull", base, "--story", STORY, "--lang", "uk", "--dest", str(tmp_path / "site"),
                              "--timeout", "0.3")
        finally:
            release.set()
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: {base}published/{STORY}/")
    assert "timed out after 0.3 s" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "site" / STORY).exists()


# -- the destination ----------------------------------------------------------------------

def test_a_damaged_install_is_reinstalled(dist, tmp_path):
    site = tmp_path / "site"
    pull(str(dist), STORY, "uk", site)
    page = site / STORY / "uk" / "index.html"
    page.write_text("edited by hand", encoding="utf-8")
    again = pull(str(dist), STORY, "uk", site)
    assert again.downloaded > 0 and UKRAINIAN_TITLE in page.read_text(encoding="utf-8")


def test_a_folder_that_is_not_an_install_is_never_overwritten(dist, tmp_path):
    target = tmp_path / "site" / STORY / "uk"
    target.mkdir(parents=True)
    (target / "index.html").write_text("the publisher's own page", encoding="utf-8")
    with pytest.raises(PullError, match="exists and is not a storyloc install"):
        pull(str(dist), STORY, "uk", tmp_path / "site")
    assert (target / "index.html").read_text(encoding="utf-8") == "the publisher's own page"


def test_an_interrupted_swap_is_finished_by_the_next_pull(dist, tmp_path):
    site = tmp_path / "site"
    first = pull(str(dist), STORY, "uk", site)
    # A pull killed between its two renames: the previous bundle is aside, nothing in place.
    os.rename(site / STORY / "uk", site / STORY / ".uk.previous")
    (site / STORY / ".uk.incoming-x").mkdir()
    again = pull(str(dist), STORY, "uk", site)
    assert again.version == first.version and again.downloaded == 0       # restored, not re-downloaded
    assert hidden_leftovers(site) == []


# -- corrections: a stale translation is installed only when asked ---------------------------

def test_a_stale_translation_is_refused_in_one_line_and_installed_with_allow_stale(dist, tmp_path, monkeypatch):
    root = dist.parent
    site = tmp_path / "site"
    assert storyloc("pull", str(dist), "--story", STORY, "--lang", "uk", "--dest", str(site)).exit_code == 0
    before = snapshot(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764100000")
    article = root / "source" / STORY / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("70,000", "80,000", 1), encoding="utf-8")
    for command in ("extract", "update", "build", "publish"):
        assert run(root, command).exit_code == 0
    entry = feed_entry(dist)
    assert entry["stale"] is True
    with http_server(dist) as (base, requests):
        refused = storyloc("pull", base + "index.json", "--story", STORY, "--lang", "uk", "--dest", str(site))
        assert refused.exit_code == 1
        assert refused.stderr == (
            f"Error: {base}index.json: {STORY}/uk {entry['version']} is stale: the en text changed on "
            f"2025-11-25 and this translation does not have the change yet; pass --allow-stale to install it "
            f"anyway, or pull --lang en\n")
        assert requests == ["/index.json"]                      # nothing downloaded
        assert snapshot(site) == before
        # the publisher takes the English instead, or the stale page on purpose
        assert storyloc("pull", base + "index.json", "--story", STORY, "--lang", "en",
                        "--dest", str(site)).exit_code == 0
        shutil.rmtree(site / STORY / "uk")
        allowed = storyloc("pull", base + "index.json", "--story", STORY, "--lang", "uk", "--dest", str(site),
                           "--allow-stale")
    assert allowed.exit_code == 0, allowed.output
    assert allowed.stderr.splitlines()[-1] == (
        f"warning: stale: the source of {STORY} changed on 2025-11-25 and this translation does not have the "
        f"change yet; its page shows a \"being updated\" notice")
    lock = json.loads((site / LOCK_FILE).read_text(encoding="utf-8"))
    assert lock["bundles"][STORY]["uk"]["stale"] is True and lock["bundles"][STORY]["en"]["stale"] is False
    assert lock["bundles"][STORY]["uk"]["notice"]["shown"] == "stale" and lock["bundles"][STORY]["en"]["notice"] is None


def test_pull_imports_nothing_of_storyloc_but_the_feed_format():
    """pull needs no project: in a fresh interpreter it loads the feed's wire format and two leaf helpers."""
    code = ("import sys, storyloc.pull; "
            "print(sorted(m for m in sys.modules if m.startswith('storyloc')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['storyloc', 'storyloc.errors', 'storyloc.feed', 'storyloc.files', 'storyloc.pull']"


# -- the "being updated" notice a stale page shows ------------------------------------------

NOTICE = "This translation is being updated to match a correction in the original."


def _correct_the_english(root: Path) -> None:
    article = root / "source" / STORY / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("70,000", "80,000", 1), encoding="utf-8")
    for command in ("extract", "update", "build", "publish"):
        assert run(root, command).exit_code == 0


def _valid_lock(lock: dict) -> None:
    """The lock file as written, held to docs/schemas/lock.schema.json."""
    import jsonschema
    from conftest import REPO
    schema = json.loads((REPO / "docs" / "schemas" / "lock.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(lock, schema, cls=jsonschema.Draft202012Validator)


def _notice(tab):
    """The notice as a reader gets it: shown or not, its text, the language and direction it is read in."""
    notice = tab.locator("[data-storyloc-notice]")
    assert notice.count() == 1
    return (notice.is_visible(), notice.inner_text() if notice.is_visible() else None,
            notice.evaluate("e => [e.closest('[lang]').lang, getComputedStyle(e).direction]"))


def test_a_stale_translation_kept_on_purpose_tells_its_readers_in_their_language(dist, tmp_path, monkeypatch):
    import axe
    from storyloc.build import page_translations
    from storyloc.pull import installed
    sync_api = axe.need_browser()
    root, site = dist.parent, tmp_path / "site"
    first = pull(str(dist), STORY, "uk", site)
    assert not first.notice
    old_ar = feed_entry(dist, "ar", "drafts")["version"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764100000")
    _correct_the_english(root)
    # the same Ukrainian version, now stale: shown in place; an older Arabic draft, downloaded and shown
    shown = pull(str(dist), STORY, "uk", site, allow_stale=True)
    assert shown.unchanged and shown.stale and shown.notice
    arabic = pull(str(dist), STORY, "ar", site, version=old_ar, draft=True, allow_stale=True)
    assert arabic.stale and arabic.notice and not arabic.unchanged
    lock = json.loads((site / LOCK_FILE).read_text(encoding="utf-8"))
    _valid_lock(lock)
    for lang in ("uk", "ar"):
        bundle = site / STORY / lang
        record = lock["bundles"][STORY][lang]["notice"]
        assert record["file"] == "index.html" and record["sha256"] == hashlib.sha256(
            (bundle / "index.html").read_bytes()).hexdigest()
        assert intact(bundle, installed(bundle), record) and not intact(bundle, installed(bundle))
    # the archives in dist/ are untouched: a second pull verifies the install as it is, and downloads nothing
    again = pull(str(dist), STORY, "uk", site, allow_stale=True)
    assert again.unchanged and again.notice and hidden_leftovers(site) == []
    with sync_api.sync_playwright() as playwright:
        browser = axe.launch(playwright)
        try:
            for lang, direction in (("uk", "ltr"), ("ar", "rtl")):
                words = page_translations(lang).gettext(NOTICE)
                assert words != NOTICE
                for width in (1280, 390):
                    tab = browser.new_page(viewport={"width": width, "height": 900})
                    tab.goto((site / STORY / lang / "index.html").as_uri())
                    assert _notice(tab) == (True, words, [lang, direction])
                    assert axe.serious(tab) == [], (lang, width)
                    tab.close()
            # the Ukrainian translation catches up: a fresh pull replaces the page, and the notice is gone
            path = Project.load(root).catalog(STORY, "uk")
            catalog = read_po(path)
            for m in catalog.entries():
                if m.fuzzy:
                    m.msgstr = [m.msgstr[0].replace("70", "80")]
                    m.flags = [f for f in m.flags if f != "fuzzy"]
            save_po(catalog, path)
            for command in ("build", "publish"):
                assert run(root, command).exit_code == 0
            fresh = pull(str(dist), STORY, "uk", site)
            assert not fresh.stale and not fresh.notice and fresh.previous == first.version
            lock = json.loads((site / LOCK_FILE).read_text(encoding="utf-8"))
            _valid_lock(lock)
            assert lock["bundles"][STORY]["uk"]["notice"] is None
            assert intact(site / STORY / "uk", installed(site / STORY / "uk"))
            tab = browser.new_page()
            tab.goto((site / STORY / "uk" / "index.html").as_uri())
            assert _notice(tab) == (False, None, ["uk", "ltr"])
            tab.close()
        finally:
            browser.close()


def test_a_version_that_is_no_longer_stale_hides_its_notice_again(dist, tmp_path, monkeypatch):
    """The English correction is undone: the same Ukrainian version is current again, and its page as built."""
    root, site = dist.parent, tmp_path / "site"
    article = root / "source" / STORY / "article.md"
    original = article.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764100000")
    _correct_the_english(root)
    assert pull(str(dist), STORY, "uk", site, allow_stale=True).notice
    built_page = (site / STORY / "uk" / "index.html").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764200000")
    article.write_bytes(original)
    for command in ("extract", "update", "build", "publish"):
        assert run(root, command).exit_code == 0
    assert feed_entry(dist)["stale"] is False
    back = pull(str(dist), STORY, "uk", site)
    assert back.unchanged and not back.notice
    page = (site / STORY / "uk" / "index.html").read_bytes()
    assert page != built_page and b'data-storyloc-notice="stale" hidden>' in page
    assert intact(site / STORY / "uk", json.loads((site / STORY / "uk" / "manifest.json").read_text()))
