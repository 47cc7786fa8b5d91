"""Benchmark of `storyloc draft` (not a test): prints a table, writes build/bench/bench_draft.json.

1. Online drafting: 2,000 distinct segments against a loopback server speaking
   Google's protocol that answers each request after 50 ms; storyloc's wall
   time against deep-translator's own ``translate_batch`` on the same segments
   in the same run (goal: at least 10x faster).
2. A second run of the same drafting: requests sent (goal: 0).
3. Apertium throughput, segments per second, on the story's segments repeated
   to 2,000, masked as the draft stage masks them.

The loopback server is tests/fakeproviders.py, run as a process of its own.

Run from the repository: .venv/bin/python bench/bench_draft.py
(--baseline-sample N times deep-translator on N segments and scales up, for a quick look.)
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

from storyloc.catalog import read_po  # noqa: E402
from storyloc.config import DraftSettings, Project  # noqa: E402
from storyloc.draft import draft  # noqa: E402
from storyloc.engines import Apertium  # noqa: E402
from storyloc.extract import extract  # noqa: E402
from storyloc.glossary import load_glossary  # noqa: E402
from storyloc.mask import mask  # noqa: E402
from storyloc.update import update  # noqa: E402


def distinct_segments(count: int, seed: int = 7) -> list[str]:
    """Sentences of the story's own words, all different (also after masking: no digits, no names)."""
    text = (REPO / "source" / "bakhmut-under-fire" / "article.md").read_text(encoding="utf-8")
    words = sorted({w for w in re.findall(r"\b[a-z][a-z-]+\b", text.split("---", 2)[2]) if len(w) > 2})
    rng = random.Random(seed)
    seen: set[str] = set()
    while len(seen) < count:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(6, 16)))
        seen.add(sentence[0].upper() + sentence[1:] + ".")
    return sorted(seen, key=lambda s: rng.random())


def bench_project(root: Path, segments: list[str], url: str) -> Project:
    (root / "source" / "bench").mkdir(parents=True)
    body = "\n\n".join(segments[1:])
    (root / "source" / "bench" / "article.md").write_text(
        f"---\ntitle: {segments[0]}\nlang: en\n---\n\n{body}\n", encoding="utf-8")
    (root / "pyproject.toml").write_text(f"""[tool.storyloc]
languages = ["de"]
stories = ["bench"]

[tool.storyloc.draft]
online = true
cache_dir = "cache"
endpoints = {{ google = "{url}" }}

[tool.storyloc.draft.engines]
de = ["google"]
""", encoding="utf-8")
    project = Project.load(root)
    extract(project)
    update(project)
    return project


class Server:
    """The loopback provider in a process of its own, so it does not share this one's GIL."""

    def __init__(self, protocol: str, delay: float):
        self.process = subprocess.Popen([sys.executable, str(REPO / "tests" / "fakeproviders.py"), protocol,
                                         "--delay", str(delay)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        self.url = self.process.stdout.readline().strip()
        self.root = self.url.split("/", 3)[:3]

    @property
    def requests(self) -> int:
        with urllib.request.urlopen("/".join(self.root) + "/__requests", timeout=10) as answer:
            return json.load(answer)["requests"]

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.process.stdin.close()                      # the server stops when its input closes
        self.process.wait(timeout=30)
        self.process.stdout.close()


def online(args) -> dict:
    segments = distinct_segments(args.segments)
    with tempfile.TemporaryDirectory() as tmp, Server("google", args.delay) as fake:
        project = bench_project(Path(tmp), segments, fake.url)
        catalog = project.catalog("bench", "de")
        empty = catalog.read_bytes()
        assert len(read_po(catalog).entries()) == args.segments

        started = time.perf_counter()
        [first] = draft(project, env={})
        storyloc_s = time.perf_counter() - started
        first_requests = fake.requests

        catalog.write_bytes(empty)                       # the drafts are gone; the cache is not
        started = time.perf_counter()
        [second] = draft(project, env={})
        second_s = time.perf_counter() - started
        second_requests = fake.requests - first_requests

        from deep_translator import GoogleTranslator
        sample = segments[: args.baseline_sample or len(segments)]
        translator = GoogleTranslator(source="en", target="de")
        translator._base_url = fake.url                 # the same loopback server, the library's own code
        started = time.perf_counter()
        translated = translator.translate_batch(sample)
        baseline_sample_s = time.perf_counter() - started
        assert len(translated) == len(sample)
        baseline_s = baseline_sample_s * len(segments) / len(sample)

    return {
        "segments": args.segments, "server_delay_ms": args.delay * 1000,
        "concurrency": DraftSettings().concurrency,
        "storyloc_first_run_s": round(storyloc_s, 2), "storyloc_first_run_requests": first_requests,
        "storyloc_drafted": first.drafted,
        "deep_translator_translate_batch_s": round(baseline_s, 2),
        "deep_translator_measured_segments": len(sample),
        "speedup": round(baseline_s / storyloc_s, 1),
        "second_run_s": round(second_s, 2), "second_run_requests": second_requests,
        "second_run_drafted": second.drafted,
    }


def apertium(args) -> dict:
    project = Project.load(REPO)
    story = [m.msgid for m in read_po(project.catalog("bakhmut-under-fire", "es")).entries()]
    segments = (story * (args.segments // len(story) + 1))[: args.segments]
    terms = load_glossary(project, "es").pairs()
    engine = Apertium(DraftSettings())
    if engine.unavailable("en", "es"):
        return {"apertium": engine.unavailable("en", "es")}
    out = {"apertium_segments": len(segments), "apertium_draft_batch_size": project.draft.batch_size}
    for label, size in (("draft_batches", project.draft.batch_size), ("one_process", len(segments))):
        started = time.perf_counter()
        masked = [mask(s, terms).text for s in segments]
        done = 0
        for i in range(0, len(masked), size):
            done += sum(isinstance(r, str) for r in engine.translate(masked[i:i + size], "en", "es"))
        elapsed = time.perf_counter() - started
        assert done == len(segments)
        out[f"apertium_{label}_s"] = round(elapsed, 2)
        out[f"apertium_{label}_segments_per_s"] = round(len(segments) / elapsed, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=2000)
    parser.add_argument("--delay", type=float, default=0.05, help="server answer delay, seconds")
    parser.add_argument("--baseline-sample", type=int, default=0,
                        help="time deep-translator on this many segments and scale (0: all of them)")
    args = parser.parse_args()
    os.environ.pop("STORYLOC_ONLINE", None)

    results = {**online(args), **apertium(args)}
    rows = [
        ("online drafting, storyloc (s)", results["storyloc_first_run_s"]),
        ("online drafting, deep-translator translate_batch (s)", results["deep_translator_translate_batch_s"]),
        ("speed-up (goal >= 10x)", f"{results['speedup']}x"),
        ("requests, first run", results["storyloc_first_run_requests"]),
        ("requests, second run (goal 0)", results["second_run_requests"]),
        ("second run (s)", results["second_run_s"]),
        (f"Apertium, as draft batches them ({results.get('apertium_draft_batch_size')} per call) (segments/s)",
         results.get("apertium_draft_batches_segments_per_s")),
        ("Apertium, one process (segments/s)", results.get("apertium_one_process_segments_per_s")),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"storyloc draft benchmark: {args.segments} segments, server answers after {args.delay * 1000:g} ms")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    target = REPO / "build" / "bench" / "bench_draft.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"  written: {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
