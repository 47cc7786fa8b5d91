"""``make bench``: storyloc against GNU gettext on the same files, in the same run.

Each piece of work runs in its own process so wall time and peak memory are
the tool's own. Results print as a table and are written to
``build/bench/results.json``. Targets are ratios against the baseline; none
of this is a test.
"""
from __future__ import annotations

import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "build" / "bench"
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

PY = sys.executable


def measure(cmd: list[str], **kw) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one child process."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors, **kw)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise RuntimeError(f"{cmd[0]} failed: {errors.read().decode()[-500:]}")
    return elapsed, usage.ru_maxrss // 1024


def best_of(n: int, cmd: list[str], **kw) -> tuple[float, int]:
    runs = [measure(cmd, **kw) for _ in range(n)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


# -- update (merge) -----------------------------------------------------------

APPENDED = [", or the operation was cancelled", " (see the manual for details)", " and nothing was changed",
            "; try again later", " for this device"]


def edited_template(catalog_path: Path, other_msgids: list[str], share: float, seed: int = 7):
    """A template from a real catalog with ``share`` of its msgids edited, and the truth of each edit."""
    from storyloc.catalog import Catalog, Message, read_po
    rng = random.Random(seed)
    old = read_po(catalog_path)
    vocabulary = sorted({w for m in old.entries() for w in re.findall(r"[a-z]{4,}", m.msgid)})
    taken = {m.msgid for m in old.entries()}
    fresh = [t for t in other_msgids if t not in taken]
    rng.shuffle(fresh)
    template, truth = Catalog(), {}
    header = Message("", ["Content-Type: text/plain; charset=UTF-8\n"])
    template.messages.append(header)
    for m in old.entries():
        msgid, kind = m.msgid, None
        words = msgid.split(" ")
        if m.msgid_plural is None and rng.random() < share and len(words) >= 3:
            kind = rng.choice(["word", "append", "new"])
            if kind == "word":
                candidates = [i for i, w in enumerate(words) if re.fullmatch(r"[a-z]{3,}", w)]
                if not candidates:
                    kind = "append"
                else:
                    words[rng.choice(candidates)] = rng.choice(vocabulary)
                    msgid = " ".join(words)
            if kind == "append":
                msgid = msgid.rstrip(".") + rng.choice(APPENDED) + ("." if msgid.endswith(".") else "")
            if kind == "new":
                msgid = fresh.pop()
            truth[(m.msgctxt, msgid)] = (kind, m.msgid)
        template.messages.append(Message(msgid, [""] * (1 if m.msgid_plural is None else 2),
                                         msgctxt=m.msgctxt, msgid_plural=m.msgid_plural))
    return template, truth


def merge_quality(merged_path: Path, truth: dict) -> dict:
    from storyloc.catalog import read_po
    merged = read_po(merged_path).index()
    score = {"word": [0, 0], "append": [0, 0], "new": [0, 0]}  # [right or wrong, total]
    for key, (kind, origin) in truth.items():
        m = merged.get(key)
        score[kind][1] += 1
        if m is None or not m.fuzzy:
            continue
        if kind == "new":
            score[kind][0] += 1           # any suggestion for unrelated text is wrong
        elif m.previous_msgid == origin:
            score[kind][0] += 1
    return {k: {"hits": v[0], "of": v[1]} for k, v in score.items()}


MERGE_SCRIPT = """
import sys
from pathlib import Path
from storyloc.catalog import read_po, save_po
from storyloc.update import merge
old, template, out = map(Path, sys.argv[1:4])
merged, counts = merge(read_po(old), read_po(template), 3)
save_po(merged, out)
"""


def bench_update(cache: Path) -> list[dict]:
    from storyloc.catalog import read_po, save_po
    work = OUT / "update"
    work.mkdir(parents=True, exist_ok=True)
    big = corpus.combined(cache)
    rows = []
    for label, path in [("update, 10% edited: all uk catalogs combined", big)]:
        n = len(read_po(path).entries())
        unrelated = _unrelated_msgids(cache)
        template, truth = edited_template(path, unrelated, 0.10)
        pot = work / "edited.pot"
        save_po(template, pot)
        gnu_out, ours_out = work / "gnu.po", work / "ours.po"
        gnu_t, gnu_mem = best_of(3, ["msgmerge", "--quiet", "--previous", "-o", str(gnu_out), str(path), str(pot)])
        ours_t, ours_mem = best_of(3, [PY, "-c", MERGE_SCRIPT, str(path), str(pot), str(ours_out)])
        rows.append({"work": f"{label} ({n} messages)", "storyloc_s": ours_t, "baseline": "msgmerge --previous",
                     "baseline_s": gnu_t, "ratio": ours_t / gnu_t, "storyloc_mib": ours_mem,
                     "baseline_mib": gnu_mem, "goal": "≤ 2.0×",
                     "quality": {"storyloc": merge_quality(ours_out, truth),
                                 "msgmerge": merge_quality(gnu_out, truth)}})
    return rows


def _unrelated_msgids(cache: Path) -> list[str]:
    """Strings from another project entirely (git, in Russian, shipped by Debian): 'new' text."""
    git = cache / "git-ru.po"
    if not git.exists():
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            corpus.download(["git"], Path(tmp))
            deb = next(Path(tmp).glob("git_*.deb"))
            subprocess.run(["dpkg-deb", "-x", str(deb), tmp + "/root"], check=True)
            subprocess.run(["msgunfmt", tmp + "/root/usr/share/locale/ru/LC_MESSAGES/git.mo", "-o", str(git)],
                           check=True, capture_output=True)
    from storyloc.catalog import read_po
    return [m.msgid for m in read_po(git).entries() if len(m.msgid.split()) >= 3 and m.msgid_plural is None]


# -- translation memory ------------------------------------------------------------

TM_SCRIPT = """
import json, sys, time, tracemalloc
from storyloc.tm import Memory, similarity, tokens
memory_pairs, queries, naive_sample = json.load(open(sys.argv[1]))
start = time.perf_counter()
memory = Memory()
for source, target in memory_pairs:
    memory.add(source, target, "bench")
built = time.perf_counter() - start
start = time.perf_counter()
found = [(m.source if m else None) for m in (memory.lookup(q, 75) for q in queries)]
lookups = time.perf_counter() - start
# the naive way (what makes Babel slow): every query against every segment
sources = [tokens(s.lower()) for s, _ in memory_pairs]
start = time.perf_counter()
for q in queries[:naive_sample]:
    qt = tokens(q.lower())
    best = max(sources, key=lambda s: similarity(qt, s, 0.75))
naive = (time.perf_counter() - start) / naive_sample * len(queries)
import resource
mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({"built": built, "lookups": lookups, "naive": naive, "found": found, "mib": mib}))
"""


def bench_tm(cache: Path) -> list[dict]:
    """2,000 new segments against 100,000 reviewed ones; quality as for update."""
    from storyloc.catalog import read_po
    rng = random.Random(11)
    real = [(m.msgid, m.msgstr[0]) for m in read_po(corpus.combined(cache)).entries()
            if m.msgstr[0] and m.msgid_plural is None and len(m.msgid.split()) >= 3]
    vocabulary = sorted({w for s, _ in real for w in re.findall(r"[a-z]{3,}", s)})
    memory = list(real)
    while len(memory) < 100_000:   # newsroom-like filler: sentences from the same vocabulary
        words = [rng.choice(vocabulary) for _ in range(rng.randint(4, 24))]
        memory.append((" ".join(words).capitalize() + ".", "…"))
    unrelated = [t for t in _unrelated_msgids(cache) if t not in {s for s, _ in real}]
    queries, truth = [], []
    for kind in ("word", "append", "new"):
        for _ in range(667 if kind != "new" else 666):
            if kind == "new":
                queries.append(unrelated.pop(rng.randrange(len(unrelated))))
                truth.append(("new", None))
                continue
            source = rng.choice(real)[0]
            words = source.split(" ")
            if kind == "word":
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
                query = " ".join(words)
            else:
                query = source.rstrip(".") + rng.choice(APPENDED) + ("." if source.endswith(".") else "")
            queries.append(query)
            truth.append((kind, source))
    work = OUT / "tm"
    work.mkdir(parents=True, exist_ok=True)
    data = work / "tm-bench.json"
    data.write_text(json.dumps([memory, queries, 40]))
    out = subprocess.run([PY, "-c", TM_SCRIPT, str(data)], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    score = {"word": [0, 0], "append": [0, 0], "new": [0, 0]}
    for (kind, origin), found in zip(truth, result["found"]):
        score[kind][1] += 1
        if kind == "new":
            score[kind][0] += found is not None
        else:
            score[kind][0] += found == origin
    quality = {k: {"hits": v[0], "of": v[1]} for k, v in score.items()}
    return [{"work": f"TM: 2,000 lookups in 100,000 segments (index built in {result['built']:.1f}s)",
             "storyloc_s": result["lookups"], "baseline": "all-pairs",
             "baseline_s": result["naive"], "ratio": result["lookups"] / result["naive"],
             "storyloc_mib": result["mib"], "goal": "≤ 5% wrong", "quality": {"storyloc": quality}}]


# -- drafting ------------------------------------------------------------------------

def bench_draft(cache: Path) -> list[dict]:
    """bench_draft.py: each online engine against its own library at the same concurrency, requests per
    story for the llm engine, and Apertium's throughput."""
    subprocess.run([PY, str(HERE / "bench_draft.py")], check=True, stdout=subprocess.DEVNULL)
    r = json.loads((OUT / "bench_draft.json").read_text())
    return [
        {"work": f"draft {r['segments']} segments via google ({r['concurrency']} in flight, 50 ms server)",
         "storyloc_s": r["storyloc_first_run_s"], "baseline": f"deep-translator, pool of {r['concurrency']}",
         "baseline_s": r["deep_translator_pool_s"],
         "ratio": r["storyloc_first_run_s"] / r["deep_translator_pool_s"], "goal": "≤ 1.2×"},
        {"work": f"draft again: {r['second_run_requests']} requests sent", "storyloc_s": r["second_run_s"],
         "baseline": "goal 0 requests", "baseline_s": None, "ratio": None, "goal": "0 requests"},
        {"work": f"llm: the {r['llm_segments']}-segment story in {r['llm_document_requests']} request(s) "
                 f"(per segment: {r['llm_per_segment_requests']})",
         "storyloc_s": r["llm_document_s"], "baseline": "openai SDK, one request per segment",
         "baseline_s": r["llm_per_segment_sdk_s"], "ratio": r["llm_document_s"] / r["llm_per_segment_sdk_s"],
         "goal": "≤ 2 requests"},
        {"work": f"Apertium eng-spa: {r['apertium_draft_batches_segments_per_s']:.0f} segments/s "
                 f"({r['apertium_segments']} segments)", "storyloc_s": r["apertium_draft_batches_s"],
         "baseline": "one apertium process", "baseline_s": r["apertium_one_process_s"],
         "ratio": r["apertium_draft_batches_s"] / r["apertium_one_process_s"], "goal": "-"},
    ]


# -- compile ------------------------------------------------------------------

COMPILE_SCRIPT = """
import sys
from pathlib import Path
from storyloc.catalog import read_po, compile_mo
Path(sys.argv[2]).write_bytes(compile_mo(read_po(Path(sys.argv[1]))))
"""


def synthetic_catalog(path: Path, count: int) -> None:
    rng = random.Random(3)
    words = "story photo caption credit city troops shelling residents survive aid water electricity".split()
    lines = ['msgid ""', 'msgstr "Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for i in range(count):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(3, 25)))
        lines += [f"#: source/story-{i // 20}/article.md:{i % 200}", f'msgid "{text} {i}"',
                  f'msgstr "{text.upper()} {i}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def bench_compile(cache: Path) -> list[dict]:
    work = OUT / "compile"
    work.mkdir(parents=True, exist_ok=True)
    synthetic = work / "synthetic-100000.po"
    if not synthetic.exists():
        synthetic_catalog(synthetic, 100_000)
    rows = []
    for path in [corpus.combined(cache), synthetic]:
        ours_mo, gnu_mo = work / "ours.mo", work / "gnu.mo"
        gnu_t, gnu_mem = best_of(3, ["msgfmt", "-o", str(gnu_mo), str(path)])
        ours_t, ours_mem = best_of(3, [PY, "-c", COMPILE_SCRIPT, str(path), str(ours_mo)])
        same = (subprocess.run(["msgunfmt", str(ours_mo)], capture_output=True).stdout
                == subprocess.run(["msgunfmt", str(gnu_mo)], capture_output=True).stdout)
        rows.append({"work": f"compile {path.name}", "storyloc_s": ours_t, "baseline": "msgfmt",
                     "baseline_s": gnu_t, "ratio": ours_t / gnu_t, "storyloc_mib": ours_mem,
                     "baseline_mib": gnu_mem, "goal": "≤ 1.5×", "same_content_as_msgfmt": same})
    return rows


# -- report -------------------------------------------------------------------

def table(rows: list[dict]) -> str:
    head = f"{'work':<62} {'storyloc':>9} {'baseline':>22} {'ratio':>7} {'peak MiB':>9}  goal"
    out = [head, "-" * len(head)]
    for r in rows:
        base = f"{r['baseline']} {r['baseline_s']:.2f}s" if r.get("baseline_s") is not None else r["baseline"]
        ratio = f"{r['ratio']:.3g}×" if r.get("ratio") is not None else "-"
        out.append(f"{r['work'][:62]:<62} {r['storyloc_s']:>8.2f}s {base:>22} {ratio:>7} "
                   f"{r.get('storyloc_mib', 0):>9}  {r.get('goal', '')}")
        if "quality" in r:
            for tool, q in r["quality"].items():
                parts = ", ".join(f"{k} {v['hits']}/{v['of']}" for k, v in q.items())
                out.append(f"    fuzzy matches, {tool}: {parts}   (new = wrong suggestions)")
    return "\n".join(out)


def main(which: list[str]) -> None:
    cache = OUT / "corpus"
    benches = {"update": bench_update, "tm": bench_tm, "compile": bench_compile, "draft": bench_draft}
    extra = {}
    try:
        import bench_scale
        benches.update(bench_scale.BENCHES)
    except ImportError:
        pass
    rows = []
    for name, fn in benches.items():
        if which and name not in which:
            continue
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        rows += fn(cache)
    print(table(rows))
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
               "msgfmt": subprocess.run(["msgfmt", "--version"], capture_output=True, text=True).stdout.split("\n")[0]}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps({"machine": machine, "rows": rows, **extra}, indent=2,
                                                 ensure_ascii=False) + "\n")
    print(f"\nwritten: {(OUT / 'results.json').relative_to(ROOT)}  ({machine['cpus']} cores, Python {machine['python']},"
          f" {machine['msgfmt']})")


if __name__ == "__main__":
    main(sys.argv[1:])
