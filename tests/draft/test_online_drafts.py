"""storyloc draft with online engines, against loopback servers: opt-in, cache, failures, kill -9."""
from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from storyloc.po import read_po
from storyloc.project import Project
from storyloc.draft import draft
from storyloc.po.provenance import is_machine_draft, latest, records

from conftest import msgfmt_check, run
from fakeproviders import FakeProvider

from drafting import po, with_empty_catalogs


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYLOC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STORYLOC_ONLINE", raising=False)


@pytest.fixture
def root(project_dir: Path) -> Path:
    return with_empty_catalogs(project_dir, ("de", "pl"))


def configure(root: Path, *, online: bool | None = True, chain=("tm", "glossary", "libre"), langs=("de", "pl"),
              **settings) -> None:
    lines = ["", "[tool.storyloc.draft]"]
    if online is not None:
        lines.append(f"online = {'true' if online else 'false'}")
    for key, value in settings.items():
        if key == "endpoints":
            value = "{ " + ", ".join(f'{k} = "{v}"' for k, v in value.items()) + " }"
        lines.append(f"{key} = {value}")
    lines.append("[tool.storyloc.draft.engines]")
    for lang in langs:
        lines.append(f"{lang} = [{', '.join(repr(e).replace(chr(39), chr(34)) for e in chain)}]")
    path = root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")


def test_drafts_through_libretranslate_then_a_second_run_sends_nothing(root):
    with FakeProvider("libre") as fake:
        configure(root, endpoints={"libre": fake.url}, timeout=2, backoff=0.01)
        empty = po(root, "de").read_bytes()
        first = run(root, "draft", "--lang", "de")
        assert first.exit_code == 0, first.output
        assert "20 libre" in first.output
        sent = list(fake.texts)
        assert len(sent) == len(set(sent)) == 20                    # each distinct text once
        assert all(r["target"] == "de" for r in fake.requests)
        assert any("{1}" in text for text in sent)                  # names went out masked
        assert not any("Bakhmut" in text for text in sent)
        catalog = read_po(po(root, "de"))
        drafted = catalog.find("Life under fire in Bakhmut", "title")
        assert drafted.msgstr == ["DE: Life under fire in Bachmut"] and drafted.fuzzy
        assert latest(drafted, "draft").fields["engine"] == "libre"
        assert msgfmt_check(po(root, "de")).returncode == 0

        po(root, "de").write_bytes(empty)                           # as if the drafts were lost
        second = run(root, "draft", "--lang", "de")
        assert second.exit_code == 0 and "20 libre" in second.output
        assert fake.texts == sent                                   # zero new requests: the cache answered
        assert read_po(po(root, "de")).find("Life under fire in Bakhmut", "title").msgstr == drafted.msgstr


def test_online_engines_are_off_unless_allowed(root, monkeypatch):
    with FakeProvider("libre") as fake:
        configure(root, online=None, endpoints={"libre": fake.url})
        off = run(root, "draft", "--lang", "de")
        assert off.exit_code == 0 and "libre: online engines are off" in off.output
        monkeypatch.setenv("STORYLOC_ONLINE", "0")
        forbidden = run(root, "draft", "--lang", "de", "--engine", "libre")
        assert "libre: online engines are off" in forbidden.output
        assert fake.requests == []                                  # no network attempt at all
        monkeypatch.delenv("STORYLOC_ONLINE")
        named = run(root, "draft", "--lang", "de", "--engine", "libre")   # naming one is a person's yes
        assert "20 libre" in named.output
        assert len(fake.requests) == 20


def test_a_failing_engine_leaves_segments_empty_says_why_and_strict_fails(root):
    with FakeProvider("libre", script=[500] * 200) as fake:
        configure(root, endpoints={"libre": fake.url}, retries=1, backoff=0.01, timeout=2)
        result = run(root, "draft", "--lang", "de")
        assert result.exit_code == 0
        left = re.findall(r"left undrafted: locales/de/LC_MESSAGES/bakhmut-under-fire\.po: (\d+) \(lines [^)]*\): (.*)",
                          result.output)
        assert sum(int(n) for n, _ in left) == 20
        assert {why for _, why in left} <= {
            "tm: no match of 75% or more; libre: server error (HTTP 500), 2 tries",
            "tm: no match of 75% or more; libre: gave up after 3 segments in a row failed: "
            "server error (HTTP 500), 2 tries"}
        assert len(fake.requests) < 20 * 2                          # the circuit breaker stopped the retries
        assert all(not m.msgstr[0] for m in read_po(po(root, "de")).entries())
        [failed] = draft(Project.load(root), ("de",))
        assert not failed.complete and all(u.transient for u in failed.undrafted)

        strict = run(root, "draft", "--lang", "de", "--strict")
        assert strict.exit_code == 1
        error = strict.output.strip().splitlines()[-1]
        assert re.match(r"Error: locales/de/LC_MESSAGES/bakhmut-under-fire\.po:\d+: 20 segment\(s\) left "
                        r"undrafted; first: .*libre: .*HTTP 500.* \(segment “Life under fire in Bakhmut”\)$", error)


def test_a_broken_placeholder_is_not_accepted_and_the_next_engine_drafts(root):
    with FakeProvider("libre", script=["drop-mask"]) as libre, FakeProvider("mymemory") as mymemory:
        configure(root, chain=("glossary", "libre", "mymemory"),
                  endpoints={"libre": libre.url, "mymemory": mymemory.url}, backoff=0.01)
        result = run(root, "draft", "--lang", "de")
        assert result.exit_code == 0, result.output
        catalog = read_po(po(root, "de"))
        by_engine = {latest(m, "draft").fields["engine"] for m in catalog.entries()}
        assert by_engine == {"libre", "mymemory"}
        rescued = [m for m in catalog.entries() if latest(m, "draft").fields["engine"] == "mymemory"]
        assert len(rescued) == 1 and "{" not in rescued[0].msgstr[0]
        assert len(mymemory.requests) == 1 and mymemory.requests[0]["target"] == "de-DE"


def test_inflecting_languages_get_a_note_about_the_glossary_terms(root):
    with FakeProvider("libre") as fake:
        configure(root, endpoints={"libre": fake.url})
        assert run(root, "draft", "--lang", "pl").exit_code == 0
    entry = read_po(po(root, "pl")).find("Life under fire in Bakhmut", "title")
    assert entry.msgstr == ["PL: Life under fire in Bachmut"]
    assert [r.text for r in records(entry) if r.kind == "note"] == [
        "glossary terms put in as written, check their case endings: Bachmut"]


def test_kill_mid_draft_leaves_a_valid_catalog_and_the_next_run_carries_on(root, tmp_path):
    with FakeProvider("libre", delay=0.15) as fake:
        configure(root, chain=("libre",), langs=("de",), endpoints={"libre": fake.url}, concurrency=1,
                  batch_size=2, timeout=5)
        env = {**os.environ, "STORYLOC_CACHE_DIR": str(tmp_path / "cache"), "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen(
            [sys.executable, "-c", "from storyloc.cli import main; main()", "--project", str(root),
             "draft", "--lang", "de"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
        reported = 0
        deadline = time.monotonic() + 20
        try:
            while time.monotonic() < deadline and reported < 6:
                try:
                    line = lines.get(timeout=1)
                except queue.Empty:
                    continue
                match = re.match(r"de bakhmut-under-fire: \d+/20 segments, (\d+) drafted \(saved\)", line)
                if match:
                    reported = int(match.group(1))
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            process.stdout.close()
        assert 6 <= reported < 20, "the run should have been killed half-way"

        assert msgfmt_check(po(root, "de")).returncode == 0
        kept = [m for m in read_po(po(root, "de")).entries() if is_machine_draft(m)]
        assert len(kept) >= reported                                # no reported draft lost

        sent_before = len(fake.texts)
        result = run(root, "draft", "--lang", "de")
        assert result.exit_code == 0, result.output
        assert all(m.msgstr[0] for m in read_po(po(root, "de")).entries())
        assert msgfmt_check(po(root, "de")).returncode == 0
        resent = len(fake.texts) - len(set(fake.texts))
        assert resent <= 1                                          # at most the one in flight at the kill
        assert len(fake.texts) - sent_before <= 20 - len(kept) + 1


def test_naming_an_engine_keeps_protection_and_the_story_s_names_need_no_glossary(root):
    """`--engine libre` in a language without a glossary file: the publisher (front matter) and, in a
    language written in Latin letters, the photographer go out shielded and come back as written;
    numbers come back the language's way; tm and glossary still run first."""
    (root / "glossary" / "de.csv").unlink()
    with FakeProvider("libre") as fake:
        configure(root, endpoints={"libre": fake.url}, timeout=2, backoff=0.01)
        result = run(root, "draft", "--lang", "de", "--engine", "libre")
        assert result.exit_code == 0, result.output
        assert not any("Gwara Media" in t or "Oleksandr Babenko" in t for t in fake.texts)
        text = {m.msgid: m.msgstr[0] for m in read_po(po(root, "de")).entries()}
        assert text["Oleksandr Babenko for Gwara Media"] == "DE: Oleksandr Babenko for Gwara Media"
        assert any("70.000" in t for t in text.values()) and not any("70,000" in t for t in text.values())


def test_every_engine_s_draft_is_verified_before_it_is_kept(root):
    """A provider that adds a number: its drafts are refused with the reason, nothing is written."""
    with FakeProvider("libre", translate=lambda text, target: f"DE: {text} 12345") as libre:
        configure(root, endpoints={"libre": libre.url}, timeout=2, backoff=0.01)
        result = run(root, "draft", "--lang", "de")
        assert result.exit_code == 0, result.output
        assert "failed verification: libre: numbers: number 12345 is not in the English" in result.output
        assert all(not m.msgstr[0] for m in read_po(po(root, "de")).entries())


def test_an_endpoint_alone_puts_libretranslate_in_the_default_chain(root):
    """`endpoints.libre` set, no chain configured: German (no Apertium pair) is drafted by it."""
    with FakeProvider("libre") as fake:
        path = root / "pyproject.toml"
        path.write_text(path.read_text(encoding="utf-8") + "\n[tool.storyloc.draft]\nonline = true\n"
                        f'endpoints = {{ libre = "{fake.url}" }}\n', encoding="utf-8")
        result = run(root, "draft", "--lang", "de")
        assert result.exit_code == 0, result.output
        assert "20 libre" in result.output and len(fake.requests) == 20
