"""Benchmark of `storyloc draft` (not a test): prints a table, writes build/bench/bench_draft.json.

Each online engine is measured against its own library used the best way that
library allows, at the same concurrency, alternated, median of ``--repeats``:

1. ``google`` (deep-translator): distinct segments against a loopback server
   speaking Google's protocol that answers each request after 50 ms; storyloc's
   wall time against deep-translator's ``GoogleTranslator.translate`` driven by a
   thread pool of the same size (one translator per thread), on the same segments.
   The older "13x faster" compared 16 requests in flight against one at a time
   (``translate_batch``); that measured concurrency, not a better client.
2. ``llm`` (openai SDK): the 20-segment Bakhmut story into Ukrainian against a
   loopback Chat Completions server that answers after 200 ms. storyloc drafts
   the document (requests per story: goal at most 2) against the SDK called
   directly once per segment, the way a per-segment integration does, with the
   same concurrency: requests, tokens (the server counts 4 characters a token)
   and time. A real model's time grows with the tokens it writes, which a
   loopback server does not show: read the time as overhead, the requests and
   tokens as cost.
3. A second run of each: requests sent (goal: 0).
4. Apertium throughput, segments per second, on the story's segments repeated
   to 2,000, masked as the draft stage masks them.

The loopback servers are tests/fakeproviders.py, each run as a process of its own.

Run from the repository: .venv/bin/python bench/bench_draft.py [--segments 1000 --repeats 3]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

from storyloc.po import read_po  # noqa: E402
from storyloc.project import DraftSettings, Project  # noqa: E402
from storyloc.draft import draft  # noqa: E402
from storyloc.draft.apertium import Apertium  # noqa: E402
from storyloc.extract import extract  # noqa: E402
from storyloc.glossary import load_glossary  # noqa: E402
from storyloc.draft.placeholders import mask  # noqa: E402
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

    def __init__(self, protocol: str, delay: float, answers: Path | None = None):
        command = [sys.executable, str(REPO / "tests" / "fakeproviders.py"), protocol, "--delay", str(delay)]
        if answers is not None:
            command += ["--answers", str(answers)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
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


def median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def google(args) -> dict:
    """storyloc's google engine vs deep-translator's GoogleTranslator in a pool of the same size."""
    from concurrent.futures import ThreadPoolExecutor

    from deep_translator import GoogleTranslator
    segments = distinct_segments(args.segments)
    concurrency = DraftSettings().concurrency
    ours, theirs = [], []
    with tempfile.TemporaryDirectory() as tmp, Server("google", args.delay) as fake:
        project = bench_project(Path(tmp), segments, fake.url)
        catalog = project.catalog("bench", "de")
        empty = catalog.read_bytes()
        assert len(read_po(catalog).entries()) == args.segments
        local = threading.local()

        def library(text: str) -> str:
            translator = getattr(local, "translator", None)
            if translator is None:
                translator = local.translator = GoogleTranslator(source="en", target="de")
                translator._base_url = fake.url          # the same loopback server, the library's own code
            return translator.translate(text)

        for n in range(args.repeats):
            for side in (("storyloc", "library") if n % 2 == 0 else ("library", "storyloc")):
                if side == "storyloc":
                    shutil.rmtree(Path(tmp) / "cache", ignore_errors=True)
                    catalog.write_bytes(empty)
                    started = time.perf_counter()
                    [result] = draft(project, env={})
                    ours.append(time.perf_counter() - started)
                    assert result.drafted == args.segments, result.reasons()
                else:
                    started = time.perf_counter()
                    with ThreadPoolExecutor(max_workers=concurrency) as pool:
                        answers = list(pool.map(library, segments))
                    theirs.append(time.perf_counter() - started)
                    assert len(answers) == len(segments)
        before = fake.requests
        catalog.write_bytes(empty)                       # the drafts are gone; the cache is not
        started = time.perf_counter()
        [second] = draft(project, env={})
        second_s = time.perf_counter() - started
        second_requests = fake.requests - before
    return {
        "segments": args.segments, "server_delay_ms": args.delay * 1000, "concurrency": concurrency,
        "repeats": args.repeats,
        "storyloc_first_run_s": median(ours), "deep_translator_pool_s": median(theirs),
        "google_ratio": round(statistics.median(ours) / statistics.median(theirs), 3),
        "second_run_s": round(second_s, 2), "second_run_requests": second_requests,
        "second_run_drafted": second.drafted,
    }


def reviewed_answers(path: Path) -> None:
    """What the loopback model answers: the newsroom's reviewed Ukrainian, keyed by the text as the
    model sees it (names kept as is shielded as placeholders), so drafts pass verification."""
    project = Project.load(REPO)
    out = {}
    for m in read_po(project.catalog("bakhmut-under-fire", "uk")).entries():
        masked = mask(m.msgid, [("Gwara Media", "Gwara Media")], "uk", numbers=False, markup=False)
        text = m.msgstr[0]
        for n in sorted(k for k, kind in masked.kinds.items() if kind == "term"):
            text = text.replace(masked.originals[n], f"{{{n}}}", 1)
        out[masked.text] = text.replace("Донецької ОДА", "Донецької області")
    path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


def llm(args) -> dict:
    """storyloc's llm engine (the story in as few requests as fit) vs the openai SDK once per segment."""
    from concurrent.futures import ThreadPoolExecutor

    import openai
    concurrency = DraftSettings().concurrency
    ours, theirs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        reviewed_answers(tmp / "answers.json")
        with Server("openai", args.llm_delay, tmp / "answers.json") as fake:
            root = tmp / "project"
            shutil.copytree(REPO / "source", root / "source")
            shutil.copytree(REPO / "glossary", root / "glossary")
            text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
            text = text[: text.index("[tool.storyloc]")] + "[tool.storyloc]\n" + \
                'languages = ["uk"]\nstories = ["bakhmut-under-fire"]\n' \
                f'[tool.storyloc.draft]\nonline = true\ncache_dir = "cache"\nllm_model = "bench"\n' \
                f'endpoints = {{ llm = "{fake.url}" }}\n[tool.storyloc.draft.engines]\nuk = ["tm", "glossary", "llm"]\n'
            (root / "pyproject.toml").write_text(text, encoding="utf-8")
            project = Project.load(root)
            extract(project)
            update(project)
            catalog = project.catalog("bakhmut-under-fire", "uk")
            empty = catalog.read_bytes()
            segments = [m.msgid for m in read_po(catalog).entries()]
            client = openai.OpenAI(base_url=fake.url, api_key="none", max_retries=3, timeout=10)
            system = "Translate the segment from English into Ukrainian. Answer with the translation only."

            def one(text: str):
                payload = json.dumps({"segments": [{"id": "1", "kind": "paragraph", "text": text}]})
                return client.chat.completions.create(model="bench", temperature=0, messages=[
                    {"role": "system", "content": system}, {"role": "user", "content": payload}])

            doc_requests = seg_requests = 0
            doc_tokens = seg_tokens = (0, 0)
            drafted = 0
            for n in range(args.repeats):
                for side in (("storyloc", "sdk") if n % 2 == 0 else ("sdk", "storyloc")):
                    before = fake.requests
                    if side == "storyloc":
                        shutil.rmtree(root / "cache", ignore_errors=True)
                        catalog.write_bytes(empty)
                        started = time.perf_counter()
                        [result] = draft(project, env={})
                        ours.append(time.perf_counter() - started)
                        cost = result.stats["llm"]
                        doc_requests, doc_tokens, drafted = (fake.requests - before,
                                                             (cost.tokens_in, cost.tokens_out), result.drafted)
                    else:
                        started = time.perf_counter()
                        with ThreadPoolExecutor(max_workers=concurrency) as pool:
                            replies = list(pool.map(one, segments))
                        theirs.append(time.perf_counter() - started)
                        seg_requests = fake.requests - before
                        seg_tokens = (sum(r.usage.prompt_tokens for r in replies),
                                      sum(r.usage.completion_tokens for r in replies))
            client.close()
            before = fake.requests
            catalog.write_bytes(empty)
            [again] = draft(project, env={})
            rerun_requests = fake.requests - before
    return {
        "llm_segments": len(segments), "llm_server_delay_ms": args.llm_delay * 1000,
        "llm_drafted": drafted,
        "llm_document_requests": doc_requests, "llm_per_segment_requests": seg_requests,
        "llm_document_tokens_in": doc_tokens[0], "llm_document_tokens_out": doc_tokens[1],
        "llm_per_segment_tokens_in": seg_tokens[0], "llm_per_segment_tokens_out": seg_tokens[1],
        "llm_document_s": median(ours), "llm_per_segment_sdk_s": median(theirs),
        "llm_ratio": round(statistics.median(ours) / statistics.median(theirs), 3),
        "llm_second_run_requests": rerun_requests, "llm_second_run_cached": again.stats["llm"].cache_hits,
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
    parser.add_argument("--segments", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--delay", type=float, default=0.05, help="google server answer delay, seconds")
    parser.add_argument("--llm-delay", type=float, default=0.2, help="llm server answer delay, seconds")
    args = parser.parse_args()
    os.environ.pop("STORYLOC_ONLINE", None)
    os.environ.pop("STORYLOC_LLM_API_KEY", None)

    results = {**google(args), **llm(args), **apertium(args)}
    c = results["concurrency"]
    rows = [
        (f"google: storyloc, {c} in flight (s, median)", results["storyloc_first_run_s"]),
        (f"google: deep-translator in a pool of {c} (s, median)", results["deep_translator_pool_s"]),
        ("google: storyloc / deep-translator, same concurrency", f"{results['google_ratio']}x"),
        ("google: requests, second run (goal 0)", results["second_run_requests"]),
        (f"llm: requests for the {results['llm_segments']}-segment story, document-level (goal <= 2)",
         results["llm_document_requests"]),
        ("llm: requests, one per segment through the openai SDK", results["llm_per_segment_requests"]),
        ("llm: tokens in / out, document-level",
         f"{results['llm_document_tokens_in']} / {results['llm_document_tokens_out']}"),
        ("llm: tokens in / out, per segment",
         f"{results['llm_per_segment_tokens_in']} / {results['llm_per_segment_tokens_out']}"),
        (f"llm: storyloc document / SDK per segment, {c} in flight (time)", f"{results['llm_ratio']}x"),
        ("llm: requests, second run (goal 0)", results["llm_second_run_requests"]),
        (f"Apertium, as draft batches them ({results.get('apertium_draft_batch_size')} per call) (segments/s)",
         results.get("apertium_draft_batches_segments_per_s")),
        ("Apertium, one process (segments/s)", results.get("apertium_one_process_segments_per_s")),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"storyloc draft benchmark: {args.segments} segments (google, {args.delay * 1000:g} ms a request), "
          f"the Bakhmut story (llm, {args.llm_delay * 1000:g} ms a request), median of {args.repeats}")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    target = REPO / "build" / "bench" / "bench_draft.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"  written: {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
