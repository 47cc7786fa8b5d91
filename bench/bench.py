"""``make bench``: storyloc against GNU gettext and other baselines, on the same files, in the same run.

Every timing is a whole process against a whole process, the two alternated,
median and range of ≥ 5 pairs (``harness.py``), so start-up, imports and any
index a run builds are paid as a user pays them. Results print as a table and
are written to ``build/bench/results.json``; ``make bench BENCH="update long"``
runs some parts. Goals are ratios against the baseline measured in the same
run; none of this is a test.
"""
from __future__ import annotations

import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "build" / "bench"
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import harness  # noqa: E402
import longstory  # noqa: E402
from harness import Program, compare, row  # noqa: E402

PY = sys.executable
STORYLOC = str(Path(sys.executable).parent / "storyloc")
PAIRS = int(os.environ.get("BENCH_PAIRS", harness.PAIRS))


# -- update (merge) -----------------------------------------------------------

APPENDED = [", or the operation was cancelled", " (see the manual for details)", " and nothing was changed",
            "; try again later", " for this device"]


def edited_template(catalog_path: Path, other_msgids: list[str], share: float, seed: int = 7):
    """A template from a real catalog with ``share`` of its msgids edited, and the truth of each edit."""
    from storyloc.po import Catalog, Message, read_po
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
    """Per kind of edit: right (the old translation it came from is suggested), wrong (another one),
    none (no suggestion). For unrelated new text every suggestion is wrong."""
    from storyloc.po import read_po
    merged = read_po(merged_path).index()
    score = {kind: {"right": 0, "wrong": 0, "none": 0} for kind in ("word", "append", "new")}
    for key, (kind, origin) in truth.items():
        m = merged.get(key)
        suggested = m.previous_msgid if m is not None and m.fuzzy else None
        if suggested is None:
            score[kind]["right" if kind == "new" else "none"] += 1
        else:
            score[kind]["right" if suggested == origin and kind != "new" else "wrong"] += 1
    return score


MERGE_SCRIPT = """
import sys
from pathlib import Path
from storyloc.po import read_po, save_po
from storyloc.update import merge
old, template, out = map(Path, sys.argv[1:4])
merged, counts = merge(read_po(old), read_po(template), 3)
save_po(merged, out)
"""


def bench_update(cache: Path) -> list[dict]:
    """Merge a template with 10 % of msgids edited into the real combined catalog (index built in the run)."""
    from storyloc.po import read_po, save_po
    work = OUT / "update"
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for label, path in [("update, 10% edited: all uk catalogs combined", corpus.combined(cache))]:
        n = len(read_po(path).entries())
        template, truth = edited_template(path, _unrelated_msgids(cache), 0.10)
        pot = work / "edited.pot"
        save_po(template, pot)
        gnu_out, ours_out = work / "gnu.po", work / "ours.po"
        ours, gnu = compare(Program("storyloc", [PY, "-c", MERGE_SCRIPT, str(path), str(pot), str(ours_out)]),
                            Program("msgmerge --previous",
                                    ["msgmerge", "--quiet", "--previous", "-o", str(gnu_out), str(path), str(pot)]),
                            pairs=PAIRS)
        rows.append(row(f"{label} ({n} messages)", ours, gnu, 2.0,
                        quality={"storyloc": merge_quality(ours_out, truth),
                                 "msgmerge": merge_quality(gnu_out, truth)}))
    rows += _update_scale(cache, work)
    return rows


def _update_scale(cache: Path, work: Path, counts: tuple[int, int] = (10_000, 100_000)) -> list[dict]:
    """The same merge (10 % of msgids edited) of synthetic catalogs of 10,000 and 100,000 messages,
    storyloc alone (msgmerge's fuzzy search takes minutes at 100,000): seconds per message at the
    larger against the smaller, 1.0 being linear. Two kinds: multi-line entries whose words are
    drawn evenly from the real catalogs' 5,562 (every word as common as the next, the hard case),
    and the long story's paragraphs (Zipf's weights over 20,000 words and 35 common ones). The
    two sizes' merges alternate, so the machine's drift falls on both."""
    import bench_catalog
    from storyloc.po import read_po, save_po
    rows = []
    for kind in ("multi-line", "paragraph"):
        programs, truths, outputs = [], [], []
        for count in counts:
            if kind == "multi-line":
                path = bench_catalog.synthetic(cache, count, numbered=False)
                # new text: Git's strings, then the numbered synthetic catalog's (other words, drawn alike)
                others = [m.msgid for m in read_po(bench_catalog.synthetic(cache, count)).entries()]
            else:
                path, others = _paragraph_catalog(cache, count)
            template, truth = edited_template(path, _unrelated_msgids(cache) + others, 0.10)
            pot, out = work / f"{kind}-{count}.pot", work / f"{kind}-{count}.po"
            save_po(template, pot)
            programs.append(Program(f"{kind}-{count}", [PY, "-c", MERGE_SCRIPT, str(path), str(pot), str(out)]))
            truths.append(truth)
            outputs.append(out)
        timings = dict(zip(counts, compare(*programs, pairs=PAIRS)))
        rows += [row(f"update, 10% edited: synthetic catalog ({count:,} {kind} messages)", timings[count], None,
                     None, quality={"storyloc": merge_quality(out, truth)})
                 for count, out, truth in zip(counts, outputs, truths)]
        small, large = counts
        scale = (timings[large].median / large) / (timings[small].median / small)
        rows.append({"work": f"update, {kind}: seconds per message at {large:,} / at {small:,}", "storyloc_s": scale,
                     "baseline": "1.0 = linear", "baseline_s": None, "ratio": scale,
                     "goal": "≤ 1.5 (near-linear)", "met": scale <= 1.5})
    return rows


def _paragraph_catalog(cache: Path, count: int) -> tuple[Path, list[str]]:
    """``count`` of the long story's paragraphs as a translated catalog, and as many others (new text)."""
    from storyloc.po import Catalog, Message, save_po
    import bench_catalog
    out = cache / "synthetic" / f"{count}-paragraphs.po"
    rng, words = random.Random(count), longstory._words()
    texts = list(dict.fromkeys(longstory.paragraph(rng, words) for _ in range(2 * count)))
    if not out.exists():
        catalog = Catalog(messages=[Message("", [bench_catalog.HEADER])])
        catalog.messages += [Message(t, ["[uk] " + t]) for t in texts[:count]]
        out.parent.mkdir(parents=True, exist_ok=True)
        save_po(catalog, out)
    return out, texts[count:]


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
    from storyloc.po import read_po
    return [m.msgid for m in read_po(git).entries() if len(m.msgid.split()) >= 3 and m.msgid_plural is None]


# -- translation memory ------------------------------------------------------------

TM_SCRIPT = """
import json, sys, time, tracemalloc
from storyloc.po.fuzzy import similarity, tokens
from storyloc.draft.tm import Memory
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
print(json.dumps({"built": built, "lookups": lookups, "naive": naive, "found": found}))
"""


def bench_tm(cache: Path) -> list[dict]:
    """2,000 new segments against 100,000 reviewed ones; quality as for update."""
    from storyloc.po import read_po
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
    done = harness.launch([PY, "-c", TM_SCRIPT, str(data)], capture=True)
    result = json.loads(done.stdout)
    score = {kind: {"right": 0, "wrong": 0, "none": 0} for kind in ("word", "append", "new")}
    for (kind, origin), found in zip(truth, result["found"]):
        if found is None:
            score[kind]["right" if kind == "new" else "none"] += 1
        else:
            score[kind]["right" if found == origin and kind != "new" else "wrong"] += 1
    total = result["built"] + result["lookups"]          # a draft run builds the index it uses
    return [{"work": f"TM: index 100,000 segments ({result['built']:.1f}s) + 2,000 lookups",
             "storyloc_s": total, "baseline": "all-pairs (40 timed, scaled)",
             "baseline_s": result["naive"], "ratio": total / result["naive"],
             "storyloc_mib": done.mib, "goal": "≤ 5% of new text wrong",
             "met": score["new"]["wrong"] <= 0.05 * 666, "quality": {"storyloc": score}}]


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


# -- the 5,000-paragraph story ------------------------------------------------------

STAGES_SCRIPT = """
import sys
from storyloc.project import Project
from storyloc.extract import extract
from storyloc.update import update
from storyloc.build import build
project = Project.load(sys.argv[1])
extract(project)
update(project)
build(project)
"""


def _restore(snapshot: Path, work: Path):
    """A setup for harness.Program: ``work`` made a copy of ``snapshot`` again (not timed)."""
    def setup() -> None:
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(snapshot, work, symlinks=True)
    return setup


def _long_story(paragraphs: int) -> tuple[Path, Path, Path, dict]:
    """The story's states: fresh (source only); edited (translated, built, then every paragraph
    edited); merging (edited with its new template extracted). Returns them and the ground truth."""
    from storyloc.project import Project
    from storyloc.extract import extract
    base = OUT / f"long-{paragraphs}"
    fresh, edited, merging = base / "fresh", base / "edited", base / "merging"
    texts = longstory.generate(fresh, paragraphs)
    for where in (edited, merging):
        if where.exists():
            shutil.rmtree(where)
    shutil.copytree(fresh, edited)
    subprocess.run([PY, "-c", STAGES_SCRIPT, str(edited)], check=True, stdout=subprocess.DEVNULL)
    longstory.translate_all(Project.load(edited))          # Ukrainian translated and reviewed
    subprocess.run([STORYLOC, "--project", str(edited), "build"], check=True, stdout=subprocess.DEVNULL)
    truth = longstory.edit_every_paragraph(edited, texts)
    shutil.copytree(edited, merging)
    extract(Project.load(merging))          # the new template: what update and msgmerge both merge
    return fresh, edited, merging, truth


def _update_against_msgmerge(paragraphs: int, merging: Path, truth: dict, work: Path) -> tuple:
    from storyloc.project import Project
    project = Project.load(merging)
    pot = project.template(longstory.SLUG)
    gnu_dir = OUT / f"long-{paragraphs}" / "msgmerge"
    gnu_dir.mkdir(exist_ok=True)
    merges = "; ".join(f"msgmerge --quiet --previous -o {gnu_dir / (lang + '.po')} "
                       f"{project.catalog(longstory.SLUG, lang)} {pot}" for lang in project.languages)
    ours, gnu = compare(
        Program("storyloc update", [STORYLOC, "--project", str(work), "update"], setup=_restore(merging, work)),
        Program("msgmerge --previous ×6", ["sh", "-c", merges]), pairs=PAIRS)
    quality = {"storyloc": longstory.quality(Project.load(work).catalog(longstory.SLUG, "uk"), truth),
               "msgmerge": longstory.quality(gnu_dir / "uk.po", truth)}
    return ours, gnu, quality


def bench_long(cache: Path) -> list[dict]:
    """One story of 5,000 paragraphs in 6 languages (Ukrainian reviewed); then every paragraph edited.

    msgmerge's fuzzy matching is quadratic on it: one run on the 5,000-paragraph catalogs takes
    far longer than a bench can wait (> 11 minutes for one catalog on the loaded 2-core machine),
    so the side-by-side ratio is taken on the same story at 1,000 paragraphs, and storyloc's own
    update at 5,000 / at 1,000 shows how it scales."""
    work = OUT / "long-work"
    fresh, edited, merging, truth = _long_story(5000)
    rows = []
    first, = compare(Program("first run", [PY, "-c", STAGES_SCRIPT, str(work)], setup=_restore(fresh, work)),
                     pairs=PAIRS)
    rows.append(row("long story (5,000 paragraphs × 6 languages), first run: extract + update + build",
                    first, None, 4.0, memory_ok=first.peak_mib <= 200))
    rows[-1]["goal"] = "≤ 4 s, ≤ 200 MiB"
    whole, = compare(Program("edited run", [PY, "-c", STAGES_SCRIPT, str(work)], setup=_restore(edited, work)),
                     pairs=PAIRS)
    rows.append(row("long story, every paragraph edited: extract + update + build", whole, None, 8.0))
    big, = compare(Program("storyloc update", [STORYLOC, "--project", str(work), "update"],
                           setup=_restore(merging, work)), pairs=PAIRS)
    from storyloc.project import Project
    rows.append(row("long story, every paragraph edited: update alone (6 catalogs)", big, None, None,
                    quality={"storyloc": longstory.quality(Project.load(work).catalog(longstory.SLUG, "uk"),
                                                           truth)}))
    _, _, merging_small, truth_small = _long_story(1000)
    ours, gnu, quality = _update_against_msgmerge(1000, merging_small, truth_small, work)
    rows.append(row("same story at 1,000 paragraphs: update against msgmerge (6 catalogs)", ours, gnu, 0.25,
                    quality=quality))
    scale = big.median / (5 * ours.median)
    rows.append({"work": "update: seconds per paragraph at 5,000 / at 1,000", "storyloc_s": scale,
                 "baseline": "1.0 = linear", "baseline_s": None, "ratio": scale, "goal": "≤ 1.5 (near-linear)",
                 "met": scale <= 1.5})
    return rows


# -- start-up and parallel stories ------------------------------------------------------

def bench_startup(cache: Path) -> list[dict]:
    ours, python = compare(Program("storyloc --help", [STORYLOC, "--help"]),
                           Program("python -c pass", [PY, "-c", "pass"]), pairs=max(PAIRS, 15))
    # The goal, ≤ 0.06 s, is 5× Python's own start (0.012 s on this machine when idle): as a ratio
    # it holds on a loaded machine too.
    return [row("storyloc --help, cold start (goal: ≤ 0.06 s = 5× python -c pass)", ours, python, 5.0)]


def bench_parallel(cache: Path) -> list[dict]:
    """`storyloc locales --force` over 200 stories, one process against -j (the machine's cores)."""
    import newsroom
    from storyloc.pipeline import cores
    root = OUT / "newsroom-200"
    if not root.exists():
        newsroom.generate(root, 200)
    env = {**harness.ENV, "STORYLOC_CACHE_DIR": str(OUT / "draft-cache")}
    jobs = cores()
    cmd = [STORYLOC, "--project", str(root), "locales", "--force", "-j"]
    parallel, serial = compare(Program(f"-j {jobs}", cmd + [str(jobs)], env=env),
                               Program("-j 1", cmd + ["1"], env=env), pairs=PAIRS)
    result = row(f"storyloc locales --force, 200 stories: -j {jobs} against -j 1", parallel, serial, None)
    result["speed_up"] = serial.median / parallel.median
    result["goal"] = f"speed-up (of {jobs} cores)"
    return [result]


# -- report -------------------------------------------------------------------

def _seconds(value: float | None, span: list[float] | None) -> str:
    if value is None:
        return "-"
    text = f"{value:.3f}s" if value < 1 else f"{value:.2f}s"
    return text + (f" ({span[0]:.2f}–{span[1]:.2f})" if span else "")


def table(rows: list[dict]) -> str:
    head = (f"{'work':<66} {'storyloc median (range)':>25} {'baseline median (range)':>38} {'ratio':>7} "
            f"{'MiB':>5}  goal, met")
    out = [head, "-" * len(head)]
    for r in rows:
        base = r.get("baseline") or "-"
        if r.get("baseline_s") is not None:
            base = f"{base} {_seconds(r['baseline_s'], r.get('baseline_range_s'))}"
        ratio = f"{r['ratio']:.3g}×" if r.get("ratio") is not None else "-"
        met = {True: "met", False: "NOT met", None: ""}[r.get("met")]
        if "floor_share_of_goal" in r:       # the interpreter and the PO layer's imports, alone
            met += f"; floor {r['floor_share_of_goal']:.2f} of it"
        if "compile_ratio_same_rounds" in r:  # hashing free beside the real compile
            met += f"the compile {r['compile_ratio_same_rounds']:.3g}× in the same rounds"
        out.append(f"{r['work'][:66]:<66} {_seconds(r['storyloc_s'], r.get('storyloc_range_s')):>25} "
                   f"{base[:38]:>38} {ratio:>7} {r.get('storyloc_mib', '-'):>5}  {r.get('goal', '')} {met}")
        for tool, q in r.get("quality", {}).items():
            parts = "; ".join(f"{kind} " + "/".join(f"{v}" for v in counts.values())
                              for kind, counts in q.items()) if isinstance(next(iter(q.values())), dict) \
                else " / ".join(f"{k} {v}" for k, v in q.items())
            out.append(f"    {tool}: {parts}" + ("   (right/wrong/none)" if "/" in parts else ""))
    return "\n".join(out)


def benches() -> dict:
    """Every part, by the name ``make bench BENCH=…`` selects. Other helpers' modules plug in here:
    each exports ``run(cache) -> list[dict]`` (rows as :func:`harness.row` makes them)."""
    parts = {"update": bench_update, "long": bench_long, "tm": bench_tm, "startup": bench_startup,
             "parallel": bench_parallel, "draft": bench_draft}
    import bench_catalog              # compile and load + save against msgfmt / msgcat, every real catalog
    parts["catalog"] = bench_catalog.run
    try:
        import bench_check            # storyloc check against its baselines
        parts["check"] = bench_check.run
    except ImportError:
        pass
    import bench_scale
    parts.update(bench_scale.BENCHES)
    return parts


RESULTS = OUT / "results.json"
README = ROOT / "README.md"
BEGIN, END = "<!-- bench: begin", "<!-- bench: end -->"


def _machine() -> dict:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
            "processor": _processor(),
            "msgfmt": subprocess.run(["msgfmt", "--version"], capture_output=True, text=True).stdout.split("\n")[0],
            "floor_mib": harness.launcher_floor_mib()}


def _results() -> dict:
    """What earlier runs measured, part by part (each with its date and load): a run of some parts
    replaces those parts only, so the README's table can say when each row was measured."""
    try:
        data = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {"parts": {}}
    return data if "parts" in data else {"parts": {}}


def main(which: list[str]) -> None:
    cache = OUT / "corpus"
    parts = benches()
    unknown = [name for name in which if name not in parts]
    if unknown:
        sys.exit(f"bench: no part named {', '.join(unknown)}; the parts: {', '.join(parts)}")
    results = _results()
    machine = _machine()
    rows = []
    for name, fn in parts.items():
        if which and name not in which:
            continue
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        ran = fn(cache)
        rows += ran
        results["parts"][name] = {"date": time.strftime("%Y-%m-%d", time.gmtime()),
                                  "load": round(os.getloadavg()[0], 1), "machine": machine, "rows": ran}
    print(table(rows))
    results["parts"] = {name: results["parts"][name] for name in parts if name in results["parts"]}
    OUT.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    met = [r for r in rows if r.get("met") is not None]
    print(f"\ngoals met: {sum(r['met'] for r in met)} of {len(met)}.  written: {RESULTS.relative_to(ROOT)}"
          f"  ({machine['processor']}, {machine['cpus']} cores, load {os.getloadavg()[0]:.1f}, "
          f"Python {machine['python']}, {machine['msgfmt']}); `make bench-readme` puts it in the README")


def readme_block(results: dict) -> str:
    """The README's bench table: every part's rows from ``results.json``, each part with the date,
    machine and load it was measured at, and the goals met or not."""
    out = [f"{BEGIN}: written by `make bench-readme` from {RESULTS.relative_to(ROOT)}; do not edit -->", "```"]
    rows = []
    for name, part in results["parts"].items():
        m = part["machine"]
        out.append(f"[{name}] {part['date']}, {m['processor']}, {m['cpus']} cores, load {part['load']:.1f} at its end, "
                   f"Python {m['python']}, {m['msgfmt']}" + _floor(m))
        rows += part["rows"]
    out.append("")
    out.append(table(rows))
    met = [r for r in rows if r.get("met") is not None]
    out += ["", f"goals met: {sum(r['met'] for r in met)} of {len(met)}", "```", END]
    return "\n".join(out)


def write_readme() -> None:
    """Replace the README's bench block with :func:`readme_block` of the results so far."""
    results = _results()
    if not results["parts"]:
        sys.exit(f"bench: no results in {RESULTS.relative_to(ROOT)}; run make bench first")
    text = README.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        sys.exit(f"README.md: no block between '{BEGIN} …' and '{END}'")
    README.write_text(text[:start] + readme_block(results) + text[end + len(END):], encoding="utf-8")
    print(f"README.md: bench table from {RESULTS.relative_to(ROOT)} ({', '.join(results['parts'])})")


def _floor(machine: dict) -> str:
    """The least peak a run can show (older results, measured without the launcher, have none)."""
    floor = machine.get("floor_mib")
    return f", peak MiB at least {floor} (the launcher's)" if floor else ", peak MiB at least the bench's own then"


def _processor() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


if __name__ == "__main__":
    if sys.argv[1:] == ["--readme"]:
        write_readme()
    else:
        main(sys.argv[1:])
