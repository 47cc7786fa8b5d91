"""publish / prune / serve: dist/ as a package index, built from build/."""
from __future__ import annotations

import hashlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tarfile
import threading
import urllib.error
import urllib.request

import pytest

from storyloc.po import read_po, save_po
from storyloc.project import Project
from storyloc.publish import BUNDLE_SCHEMA, DEFAULT_MTIME, FEED_SCHEMA, content_version, review_date
from storyloc.serve import make_server
from storyloc.errors import ServeError

from conftest import PROJECT, REPO, STORY, normalise_dates, run, snapshot


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """The repository's project, built once per module (copied into each test)."""
    root = tmp_path_factory.mktemp("built") / "project"
    root.mkdir()
    shutil.copy(PROJECT / "pyproject.toml", root)
    for name in ("source", "locales"):
        shutil.copytree(PROJECT / name, root / name)
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def built(built_once, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(built_once, root)
    return root


def feed_of(root):
    return json.loads((root / "dist" / "index.json").read_text(encoding="utf-8"))


def retranslate(root, text_suffix: str, lang: str = "uk") -> None:
    """A translator's edit: the reviewed headline changes."""
    project = Project.load(root)
    path = project.catalog(STORY, lang)
    catalog = read_po(path)
    title = next(m for m in catalog.entries() if m.msgctxt == "title")
    title.msgstr = [title.msgstr[0].split(" —")[0] + text_suffix]
    save_po(catalog, path)


def rebuild_and_publish(root):
    for command in ("build", "publish"):
        result = run(root, command)
        assert result.exit_code == 0, result.output
    return feed_of(root)


def test_publish_writes_an_archive_per_language_and_a_feed(built):
    result = run(built, "publish")
    assert result.exit_code == 0, result.output
    feed = feed_of(built)
    assert feed["schema"] == FEED_SCHEMA
    story = feed["stories"][STORY]
    # uk is the one reviewed translation: published; the rest are drafts, in their own section.
    assert sorted(story["published"]) == ["en", "uk"]
    assert sorted(story["drafts"]) == ["ar", "de", "es", "fr", "pl"]
    assert story["hreflang"] == {"en": "en", "uk": "uk", "x-default": "en"}

    uk = story["published"]["uk"]
    entry = uk["versions"][0]
    assert uk["latest"] == entry["version"] and entry["sequence"] == 1
    assert entry["state"] == "published" and entry["hreflang"] == "uk" and entry["dir"] == "ltr"
    header = read_po(built / "locales" / "uk" / "LC_MESSAGES" / f"{STORY}.po").header_fields()
    assert entry["last_review"] == review_date(header["PO-Revision-Date"]) is not None
    assert entry["completeness"]["reviewed"] == entry["completeness"]["segments"] == 20
    assert entry["archive"]["path"] == f"published/{STORY}/{STORY}-uk-{entry['version']}.tar.gz"
    path = built / "dist" / entry["archive"]["path"]
    assert path.stat().st_size == entry["archive"]["size"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["archive"]["sha256"]
    assert story["drafts"]["ar"]["versions"][0]["dir"] == "rtl"
    assert story["drafts"]["es"]["versions"][0]["archive"]["path"].startswith(f"drafts/{STORY}/")
    assert f"dist/published/{STORY}/{STORY}-uk-{entry['version']}.tar.gz: uk published" in result.output
    assert result.output.endswith("dist/index.json: written\n")


def test_feed_golden(built, golden):
    """The feed publishers pull, compared whole with a reviewed copy; dates normalised."""
    run(built, "publish")
    golden("publish/index.json", normalise_dates((built / "dist" / "index.json").read_text(encoding="utf-8")))


def test_archive_is_reproducible_and_holds_the_bundle_and_its_manifest(built, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")     # without it, members carry DEFAULT_MTIME (nothing here reads `created`)
    run(built, "publish")
    entry = feed_of(built)["stories"][STORY]["published"]["uk"]["versions"][0]
    path = built / "dist" / entry["archive"]["path"]
    raw = path.read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw[4:8] == b"\0\0\0\0"       # gzip, mtime 0
    prefix = f"{STORY}-uk-{entry['version']}"
    with tarfile.open(path, "r:gz") as tar:
        members = tar.getmembers()
        names = [m.name for m in members]
        assert names == sorted(names)
        assert [n.removeprefix(prefix + "/") for n in names] == [
            "article.json", "article.md", f"{STORY}.mo", "index.html", "manifest.json"]
        for m in members:
            assert m.isreg() and m.mode == 0o644 and m.uid == m.gid == 0 and m.uname == m.gname == ""
            assert m.mtime == DEFAULT_MTIME
        manifest = json.loads(tar.extractfile(f"{prefix}/manifest.json").read())
        page = tar.extractfile(f"{prefix}/index.html").read()
    assert manifest["schema"] == BUNDLE_SCHEMA
    assert (manifest["story"], manifest["lang"], manifest["version"]) == (STORY, "uk", entry["version"])
    assert content_version(manifest) == entry["version"]
    assert page == (built / "build" / STORY / "uk" / "index.html").read_bytes()
    assert manifest["files"]["index.html"]["size"] == len(page)


def test_republishing_unchanged_content_gives_the_same_version_and_bytes(built, tmp_path):
    run(built, "publish")
    before = snapshot(built / "dist")
    again = run(built, "publish")
    assert again.exit_code == 0
    assert snapshot(built / "dist") == before
    assert "new" not in again.output and again.output.endswith("dist/index.json: unchanged\n")

    # A fresh copy, built and published from scratch elsewhere, later: the same versions, the same bytes.
    other = tmp_path / "elsewhere"
    other.mkdir()
    for name in ("pyproject.toml", "source", "locales"):
        src = built / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, other / name)
    rebuild_and_publish(other)
    archives = {k: v for k, v in snapshot(other / "dist").items() if k.endswith(".tar.gz")}
    assert archives and archives == {k: v for k, v in before.items() if k.endswith(".tar.gz")}


def test_a_catalog_change_gives_a_new_version_and_keeps_the_old_one(built):
    first = rebuild_and_publish(built)["stories"][STORY]
    retranslate(built, " — друге видання")
    second = rebuild_and_publish(built)["stories"][STORY]
    old, new = first["published"]["uk"]["latest"], second["published"]["uk"]["latest"]
    assert old != new
    versions = second["published"]["uk"]["versions"]
    assert [v["version"] for v in versions] == [new, old] and [v["sequence"] for v in versions] == [2, 1]
    assert all((built / "dist" / v["archive"]["path"]).is_file() for v in versions)
    # Only uk changed: every other language keeps its version.
    for section in ("published", "drafts"):
        for lang, listing in first[section].items():
            if lang != "uk":
                assert second[section][lang]["versions"] == listing["versions"]
    # Going back to the first text makes the first version the newest again, without a new archive.
    retranslate(built, "")
    third = rebuild_and_publish(built)["stories"][STORY]["published"]["uk"]
    assert third["latest"] == old and [v["version"] for v in third["versions"]] == [old, new]


def test_an_english_change_sends_uk_to_drafts_and_leaves_the_published_version_alone(built):
    published = rebuild_and_publish(built)["stories"][STORY]["published"]["uk"]["latest"]
    article = built / "source" / STORY / "article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Bakhmut, Donetsk Oblast",
                                                                   "Bakhmut in Donetsk Oblast", 1),
                       encoding="utf-8")
    for command in ("extract", "update"):
        assert run(built, command).exit_code == 0
    story = rebuild_and_publish(built)["stories"][STORY]
    assert story["published"]["uk"]["latest"] == published            # what publishers pull is unchanged
    draft = story["drafts"]["uk"]["versions"][0]
    assert draft["state"] == "draft" and draft["completeness"]["draft"] >= 1
    assert draft["sequence"] == 2
    assert len(story["published"]["en"]["versions"]) == 2           # the English itself changed


def test_publish_refuses_a_missing_stale_or_altered_build(built, tmp_path):
    # No build at all.
    fresh = tmp_path / "fresh"
    shutil.copytree(built, fresh, ignore=shutil.ignore_patterns("build"))
    result = run(fresh, "publish")
    assert result.exit_code == 1
    assert result.stderr == f"Error: build/{STORY}/manifest.json: not found; run `storyloc build` first\n"
    assert not (fresh / "dist").exists()
    # A catalog edited after the build.
    retranslate(built, " — ще не зібрано")
    result = run(built, "publish")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: locales/uk/LC_MESSAGES/{STORY}.po: changed since build/{STORY} was built; "
                             f"run `storyloc build` first\n")
    # A bundle file changed by hand.
    run(built, "build")
    page = built / "build" / STORY / "uk" / "index.html"
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<script>x()</script></body>"))
    result = run(built, "publish")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: build/{STORY}/uk/index.html: does not match build/{STORY}/manifest.json; "
                             f"run `storyloc build`\n")
    assert not (built / "dist").exists()


def test_publish_refuses_a_listed_archive_that_changed(built):
    feed = rebuild_and_publish(built)
    entry = feed["stories"][STORY]["published"]["uk"]["versions"][0]
    path = built / "dist" / entry["archive"]["path"]
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    result = run(built, "publish")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: dist/{entry['archive']['path']}: changed since it was published as "
                             f"{STORY}/uk {entry['version']}; restore it from a backup\n")
    (built / "dist" / "index.json").write_text("{", encoding="utf-8")
    result = run(built, "publish")
    assert result.exit_code == 1 and result.stderr.startswith("Error: dist/index.json: not valid JSON")


def test_source_date_epoch_sets_member_times(built, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    run(built, "publish")
    entry = feed_of(built)["stories"][STORY]["published"]["uk"]["versions"][0]
    with tarfile.open(built / "dist" / entry["archive"]["path"], "r:gz") as tar:
        assert {m.mtime for m in tar.getmembers()} == {1700000000}
    assert entry["created"] == "2023-11-14T22:13:20Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    result = run(built, "publish")
    assert result.exit_code == 1
    assert result.stderr == "Error: SOURCE_DATE_EPOCH must be a number of seconds, got 'soon'\n"


# -- prune -----------------------------------------------------------------------------

def test_prune_keeps_the_newest_published_version_and_removes_the_rest(built):
    versions = []
    for suffix in ("", " — 2", " — 3"):
        retranslate(built, suffix)
        versions.append(rebuild_and_publish(built)["stories"][STORY]["published"]["uk"]["latest"])
    # Now the newest uk is a draft (a segment made fuzzy), after three published versions.
    po = built / "locales" / "uk" / "LC_MESSAGES" / f"{STORY}.po"
    catalog = read_po(po)
    next(m for m in catalog.entries() if m.msgctxt == "dek").fuzzy = True
    save_po(catalog, po)
    story = rebuild_and_publish(built)["stories"][STORY]
    draft = story["drafts"]["uk"]["latest"]
    old_paths = [built / "dist" / v["archive"]["path"] for v in story["published"]["uk"]["versions"][1:]]
    assert len(old_paths) == 2 and all(p.is_file() for p in old_paths)

    # (every page links only to published languages, so the other languages got new versions too)
    dry = run(built, "prune", "--dry-run")
    assert dry.exit_code == 0 and dry.output.count(f"({STORY}/uk published") == 2
    assert all(p.is_file() for p in old_paths)

    result = run(built, "prune")
    assert result.exit_code == 0, result.output
    assert result.output.count(f"({STORY}/uk published") == 2 and f"{STORY}/uk published {versions[0]}" in result.output
    story = feed_of(built)["stories"][STORY]
    assert [v["version"] for v in story["published"]["uk"]["versions"]] == [versions[2]]
    assert story["drafts"]["uk"]["latest"] == draft
    assert not any(p.exists() for p in old_paths)
    assert (built / "dist" / story["published"]["uk"]["versions"][0]["archive"]["path"]).is_file()
    again = run(built, "prune")
    assert again.output == "dist/index.json: nothing to prune\n"
    assert run(built, "prune", "--keep", "0").exit_code == 2


def test_prune_removes_archives_no_version_lists(built):
    rebuild_and_publish(built)
    stray = built / "dist" / "published" / STORY / f"{STORY}-uk-000000000000.tar.gz"
    stray.write_bytes(b"left by an interrupted publish")
    result = run(built, "prune")
    assert f"removed dist/published/{STORY}/{STORY}-uk-000000000000.tar.gz (no version lists it)" in result.output
    assert not stray.exists()


# -- serve -----------------------------------------------------------------------------

def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as e:
        e.close()
        return e.code, b""


def test_serve_serves_dist_and_build_on_localhost_only(built):
    rebuild_and_publish(built)
    project = Project.load(built)
    server = make_server(project, 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        assert server.server_address[0] == "127.0.0.1"
        base = server.url
        assert _get(base + "dist/index.json") == (200, (project.dist_dir / "index.json").read_bytes())
        status, page = _get(base + f"build/{STORY}/uk/index.html")
        assert status == 200 and b'<html lang="uk"' in page
        assert _get(base)[0] == 200
        for outside in ("pyproject.toml", "dist/../pyproject.toml", "build/%2e%2e/pyproject.toml", "source/"):
            assert _get(base + outside)[0] == 404, outside
        # The port is now taken: a second server says so in one line.
        with pytest.raises(ServeError, match=f"port {server.server_address[1]} is in use"):
            make_server(project, server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_serve_command_runs_until_interrupted(built):
    rebuild_and_publish(built)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "storyloc", "serve", "--port", "0"], cwd=built, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert select.select([proc.stdout], [], [], 15)[0], "storyloc serve printed nothing"
        first = proc.stdout.readline()
        assert first.startswith("Serving dist/ at http://127.0.0.1:"), first
        url = first.split(" at ")[1].split()[0]
        assert _get(url + "index.json")[0] == 200
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0 and "stopped" in out and "Traceback" not in err



# -- corrections reach publishers: stale translations -----------------------------------

def validate_feed(root) -> dict:
    """The feed as written, held to docs/schemas/feed.schema.json (and its own reader)."""
    import jsonschema
    schema = json.loads((REPO / "docs" / "schemas" / "feed.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    feed = feed_of(root)
    jsonschema.validate(feed, schema, cls=jsonschema.Draft202012Validator)
    return feed


def correct_the_english(root, old="70,000", new="80,000"):
    article = root / "source" / STORY / "article.md"
    text = article.read_text(encoding="utf-8")
    assert old in text
    article.write_text(text.replace(old, new, 1), encoding="utf-8")
    for command in ("extract", "update"):
        assert run(root, command).exit_code == 0


def test_a_correction_makes_the_published_translation_stale_in_the_feed(built, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")            # 2025-11-24
    first = rebuild_and_publish(built)
    story = validate_feed(built)["stories"][STORY]
    assert first["schema"] == FEED_SCHEMA == "storyloc.feed/2"
    english = story["published"]["en"]["latest"]
    assert story["source_version"] == english
    uk = story["published"]["uk"]["versions"][0]
    assert uk["source_version"] == english and uk["stale"] is False and "stale_since" not in uk
    assert "stale" not in story["published"]["en"]["versions"][0]     # the source is never stale

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764100000")            # 2025-11-25
    correct_the_english(built)
    story = rebuild_and_publish(built)["stories"][STORY]
    validate_feed(built)
    new_english = story["published"]["en"]["latest"]
    assert new_english != english and story["source_version"] == new_english
    published_uk = story["published"]["uk"]["versions"][0]
    assert published_uk["version"] == uk["version"]                   # still what the feed offers …
    assert published_uk["stale"] is True                              # … marked as older than the source
    assert published_uk["stale_since"] == "2025-11-25T19:46:40Z"      # when the English changed
    draft_uk = story["drafts"]["uk"]["versions"][0]
    assert draft_uk["source_version"] == new_english and draft_uk["stale"] is False
    assert story["hreflang"]["uk"] == "uk"                            # a published version remains

    # status lists what must be updated, oldest first
    result = run(built, "status")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if "older than the source" in line)
    assert lines[start].startswith("1 published translation older than the source")
    assert lines[start + 1] == f"  {STORY} uk {uk['version']}: source changed 2025-11-25, published 2025-11-24"
    rows = json.loads(run(built, "status", "--format", "json").output)
    assert next(r for r in rows if r["lang"] == "uk")["stale"]["version"] == uk["version"]
    assert next(r for r in rows if r["lang"] == "es")["stale"] is None


def test_status_orders_stale_translations_by_when_their_source_changed(built, monkeypatch):
    from storyloc.status import stale
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    rebuild_and_publish(built)
    feed = feed_of(built)
    story = feed["stories"][STORY]
    # a second published translation, made from an even older source
    es = json.loads(json.dumps(story["published"]["uk"]))
    for entry in es["versions"]:
        entry.update(stale=True, stale_since="2025-01-01T00:00:00Z", hreflang="es")
    story["published"]["es"] = es
    story["published"]["uk"]["versions"][0].update(stale=True, stale_since="2025-06-01T00:00:00Z")
    (built / "dist" / "index.json").write_text(json.dumps(feed), encoding="utf-8")
    rows = stale(Project.load(built))
    assert [(r.lang, r.since[:10]) for r in rows] == [("es", "2025-01-01"), ("uk", "2025-06-01")]
    assert [r.lang for r in stale(Project.load(built), langs=("uk",))] == ["uk"]
    assert stale(Project.load(built), stories=("another-story",)) == []


def test_last_review_is_a_person_s_review_never_the_machine_s_draft(built):
    from storyloc.po import parse_po
    from storyloc.publish import human_review_date
    machine = parse_po('msgid ""\nmsgstr ""\n"PO-Revision-Date: 2026-11-25 02:55+0000\\n"\n'
                       '"Last-Translator: \\n"\n\n#, fuzzy\nmsgid "a"\nmsgstr "b"\n')
    assert human_review_date(machine) is None                        # drafted, never reviewed
    signed = parse_po('msgid ""\nmsgstr ""\n"PO-Revision-Date: 2026-11-25 02:55+0000\\n"\n'
                      '"Last-Translator: \\n"\n\n# storyloc: reviewed by=Olena role=translator date=2026-11-27\n'
                      'msgid "a"\nmsgstr "b"\n')
    assert human_review_date(signed) == "2026-11-27"
    rebuild_and_publish(built)
    story = feed_of(built)["stories"][STORY]
    assert story["drafts"]["es"]["versions"][0]["last_review"] is None
    assert story["published"]["uk"]["versions"][0]["last_review"] == "2026-11-25T03:10:00+00:00"


def test_every_article_json_matches_its_published_schema(built):
    import jsonschema
    schema = json.loads((REPO / "docs" / "schemas" / "article.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    bundles = sorted((built / "build" / STORY).glob("*/article.json"))
    assert len(bundles) == 7
    for path in bundles:
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema,
                            cls=jsonschema.Draft202012Validator)
    broken = json.loads(bundles[0].read_text(encoding="utf-8"))
    broken["blocks"][0]["segment"]["status"] = "approved-by-magic"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)


def test_a_version_1_feed_is_carried_forward_and_still_pulled(built, tmp_path):
    from storyloc.pull import pull
    rebuild_and_publish(built)
    path = built / "dist" / "index.json"
    old = json.loads(path.read_text(encoding="utf-8"))
    old["schema"] = "storyloc.feed/1"
    story = old["stories"][STORY]
    story.pop("source_version")
    for section in ("published", "drafts"):
        for listing in story[section].values():
            for entry in listing["versions"]:
                for key in ("source_version", "stale", "stale_since"):
                    entry.pop(key, None)
    path.write_text(json.dumps(old), encoding="utf-8")
    installed = pull(str(built / "dist"), STORY, "uk", tmp_path / "site")       # nothing in /1 is known stale
    assert installed.state == "published" and installed.stale is False
    assert run(built, "publish").exit_code == 0
    story = validate_feed(built)["stories"][STORY]
    uk = story["published"]["uk"]["versions"][0]
    assert uk["source_version"] == story["source_version"] and uk["stale"] is False


def test_a_bundle_with_an_error_level_finding_is_not_packed_even_as_a_draft(built):
    """Defence in depth: the build escapes a hostile translation, and publish does not ship it at all."""
    project = Project.load(built)
    path = project.catalog(STORY, "de")
    catalog = read_po(path)
    entry = next(m for m in catalog.entries() if m.msgctxt is None)
    entry.msgstr = ["<script>alert(1)</script>" + entry.msgid]
    entry.fuzzy = False
    save_po(catalog, path)
    run(built, "build")
    result = run(built, "publish")
    assert result.exit_code == 0, result.output
    assert "warning: bakhmut-under-fire/de: not packed, not even as a draft" in result.output
    feed = feed_of(built)
    assert "de" not in feed["stories"][STORY]["drafts"]
    assert "uk" in feed["stories"][STORY]["published"]
    assert not list((built / "dist").rglob(f"{STORY}-de-*.tar.gz"))
