"""The PO layer against GNU gettext 0.21, whole process against whole process.

    python bench/bench_catalog.py [--pairs N]

For every real catalog of the corpus (Debian's Ukrainian catalogs, see corpus.py), all of
them combined, one catalog with everything a maintained catalog holds (comments,
references, plurals, fuzzy entries with previous msgids, obsolete entries; made by
``msgmerge --previous`` of a real catalog against an edited template), and two synthetic
ones of 10,000 and 100,000 multi-line entries (:func:`synthetic`):

* compile ``.po`` → ``.mo``: storyloc (``read_po`` + ``compile_mo`` + write) against
  ``msgfmt -o``; the two ``.mo`` files must have the same content (``msgunfmt`` equal; they
  are byte-identical to msgfmt's when storyloc writes a hash table, i.e. when there are
  system-dependent strings, and to ``msgfmt --no-hash``'s otherwise);
* compile without the cost of hashing, on the catalogs whose ``.mo`` has a hash table: the
  same program with the table's slots left empty (not a valid file), alternated with msgfmt and
  the real compile: the most that hashing in native code could give;
* load + save, unchanged: storyloc (``read_po`` + ``save_po`` to a new file) against
  ``msgcat -o``; storyloc's output must be the input, byte for byte.

Both storyloc programs name their files by str, as argv gives them: neither imports pathlib, with
urllib.parse and ipaddress (every ``storyloc`` command does, so that is the library's cost, not a
command's; the load and save of the README's runs A to D named them by Path).
Each program runs as its own process, the two alternated, N pairs (default 7); the table
gives the median and range of each and the ratio of the medians (the goal is judged on
wall time; the CPU-time ratio, user + system, is shown beside it because it moves less
when other work shares the machine). The floor, a process that only imports the PO layer
(``python -c "import storyloc.po"``), runs in the same rounds as each row's two programs;
each row gives the share of its goal's time that the floor takes by itself (from 1 up, no
program that imports the PO layer, ``re`` with it, can meet that goal, however fast it reads
and writes). Python runs with its
bytecode cache as in any installed package (the first, unmeasured run writes it).
``bench/bench.py`` calls :func:`run`; standalone, this prints a table and writes
``build/bench/catalog.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "build" / "bench"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "src"))

import corpus  # noqa: E402
import harness  # noqa: E402

PY = sys.executable
COMPILE = ("import sys\nfrom storyloc.po import read_po, compile_mo\n"
           "mo = compile_mo(read_po(sys.argv[1]))\nwith open(sys.argv[2], 'wb') as f: f.write(mo)\n")
# The compile with every hash-table slot left empty: not a valid .mo, but what a native hash could
# at best give (its cost nil), to see whether one would meet a goal the compile misses.
HASH_FREE = ("from array import array\nimport storyloc.po.mo\n"
             "storyloc.po.mo._hash_table = lambda keys, size: array('I', bytes(4 * size))\n" + COMPILE)
ROUND_TRIP = "import sys\nfrom storyloc.po import read_po, save_po\nsave_po(read_po(sys.argv[1]), sys.argv[2])\n"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def rich_catalog(cache: Path) -> Path:
    """A real catalog as a maintained one looks: ``msgmerge --previous`` of util-linux's against a
    template with 8% of msgids edited, 3% dropped, 2% new, references and extracted comments on
    every entry, and translator comments on every 9th translation."""
    out = cache / "rich" / "util-linux-merged.po"
    if out.exists():
        return out
    from storyloc.po import Catalog, Message, read_po, save_po
    out.parent.mkdir(parents=True, exist_ok=True)
    source = max(corpus.fetch(cache), key=lambda p: p.stat().st_size)
    old = read_po(source)
    rng = random.Random(11)
    for i, m in enumerate(old.entries()):
        if i % 9 == 0:
            m.translator_comments.append(f"перевірено {i}")
    translated = out.parent / "old.po"
    save_po(old, translated)
    template = Catalog(messages=[Message("", ["Content-Type: text/plain; charset=UTF-8\n"])])
    for i, m in enumerate(old.entries()):
        roll = rng.random()
        if roll < 0.03:
            continue
        msgid = m.msgid
        if roll < 0.11:
            words = msgid.split(" ")
            words.insert(len(words) // 2, "really")
            msgid = " ".join(words)
        template.messages.append(Message(
            msgid, [""] * (1 if m.msgid_plural is None else 2), msgctxt=m.msgctxt, msgid_plural=m.msgid_plural,
            references=[f"sys-utils/tool{i % 40}.c:{10 + i}", f"lib/common{i % 7}.c:{i % 300}"],
            extracted_comments=[f"TRANSLATORS: message {i}"] if i % 4 == 0 else [],
            flags=["c-format"] if "%" in msgid else []))
        if roll > 0.98:
            template.messages.append(Message(f"A new message number {i} about {msgid[:30]}", [""],
                                             references=[f"misc/new.c:{i}"]))
    pot = out.parent / "template.pot"
    save_po(template, pot)
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(out), str(translated), str(pot)], check=True)
    return out


HEADER = ("Project-Id-Version: synthetic\nLanguage: uk\nMIME-Version: 1.0\n"
          "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n")


def synthetic(cache: Path, count: int, numbered: bool = True) -> Path:
    """``count`` made-up entries shaped like a --help text (one to six lines, each ending in a
    line break, so each string is laid out on several lines), of the real catalogs' English and
    Ukrainian words: the issue's 10,000- and 100,000-message compile rows, where the work per
    byte counts far more than the start-up. ``numbered=False``: without the number that makes
    each msgid unique (a merge's fuzzy search would find a text by it at once)."""
    out = cache / "synthetic" / f"{count}{'' if numbered else '-plain'}.po"
    if out.exists():
        return out
    from storyloc.po import Catalog, Message, read_po, save_po
    real = read_po(corpus.combined(cache)).entries()
    english = sorted({w for m in real for w in m.msgid.split() if w.isalpha()})
    ukrainian = sorted({w for m in real for w in m.msgstr[0].split() if w.isalpha()})
    rng = random.Random(count if numbered else count + 1)       # (a negative seed is the same seed)

    def text(words: list[str], lines: int) -> str:
        return "".join("  " + " ".join(rng.choice(words) for _ in range(rng.randint(3, 12))) + "\n"
                       for _ in range(lines))

    catalog = Catalog(messages=[Message("", [HEADER])])
    for i in range(count):
        lines = rng.randint(1, 6)
        number = f"{i}:\n" if numbered else ""
        catalog.messages.append(Message(number + text(english, lines), [number + text(ukrainian, lines)],
                                        references=[f"src/tool{i % 97}.c:{10 + i % 5000}"]))
    out.parent.mkdir(parents=True, exist_ok=True)
    save_po(catalog, out)
    return out


def catalogs(cache: Path) -> list[Path]:
    return [*corpus.fetch(cache), corpus.combined(cache), rich_catalog(cache),
            synthetic(cache, 10_000), synthetic(cache, 100_000)]


def measure(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one child process."""
    done = harness.launch(cmd, env=ENV)
    return done.wall, done.cpu


def alternate(ours: list[str], gnu: list[str], pairs: int, clean: Path | None = None,
              floor: list[str] | None = None) -> tuple[list, ...]:
    """Run the two programs alternately ``pairs`` times (which goes first alternates too); with
    ``floor`` (the PO layer's import, or another program to set beside the two), that one too,
    last in each round (a third list of times), so its times fall in the same spells of the
    machine's load as the two it is compared with, and it comes just before each of them equally
    often."""
    mine, theirs, least = [], [], []
    for i in range(pairs):
        order = [(ours, mine), (gnu, theirs)] if i % 2 == 0 else [(gnu, theirs), (ours, mine)]
        if floor is not None:
            order.append((floor, least))
        for cmd, times in order:
            if cmd is ours and clean is not None and clean.exists():
                clean.unlink()            # save_po skips writing a file that already holds the bytes
            times.append(measure(cmd))
    return (mine, theirs, least) if floor is not None else (mine, theirs)


def no_hash(path: Path) -> bytes:
    """What ``msgfmt --no-hash`` writes (storyloc writes the hash table only where glibc needs it)."""
    out = OUT / "catalog" / "no-hash.mo"
    subprocess.run(["msgfmt", "--no-hash", "-o", str(out), str(path)], check=True, env=ENV)
    return out.read_bytes()


def messages(path: Path) -> int:
    from storyloc.po import read_po
    return len(read_po(path).entries())


def msgunfmt(mo: Path) -> bytes:
    return subprocess.run(["msgunfmt", str(mo)], capture_output=True, check=True, env={**ENV, "LC_ALL": "C"}).stdout


def row(work: str, name: str, count: int, baseline: str, mine: list, theirs: list, goal: float,
        floor_s: float | None = None, **facts) -> dict:
    """One row; with ``floor_s`` (the PO layer's import, measured in the same rounds) also the share
    of the goal's time that this floor takes by itself: from 1 up, no program that imports the PO
    layer meets the goal."""
    walls, gnu_walls = [w for w, _ in mine], [w for w, _ in theirs]
    cpus, gnu_cpus = [c for _, c in mine], [c for _, c in theirs]
    ours_s, gnu_s = statistics.median(walls), statistics.median(gnu_walls)
    ratio = ours_s / gnu_s
    floor = {} if floor_s is None else {"floor_s": floor_s, "floor_share_of_goal": floor_s / (goal * gnu_s)}
    return {"work": f"{work}: {name} ({count:,} messages)", "catalog": name, "messages": count, **floor,
            "storyloc_s": ours_s, "storyloc_range_s": [min(walls), max(walls)],
            "baseline": baseline, "baseline_s": gnu_s, "baseline_range_s": [min(gnu_walls), max(gnu_walls)],
            "ratio": ratio, "goal": f"≤ {goal}×", "met": ratio <= goal and all(facts.values()),
            "storyloc_cpu_s": statistics.median(cpus), "baseline_cpu_s": statistics.median(gnu_cpus),
            "cpu_ratio": statistics.median(cpus) / statistics.median(gnu_cpus),
            "pairs": len(mine), **facts}


def run(cache: Path, pairs: int = 7) -> list[dict]:
    """Compile and load+save rows for every catalog of the corpus (bench.py calls this)."""
    work = OUT / "catalog"
    work.mkdir(parents=True, exist_ok=True)
    ours_mo, gnu_mo, ours_po, gnu_po = (work / n for n in ("ours.mo", "gnu.mo", "ours.po", "gnu.po"))
    subprocess.run([PY, "-c", COMPILE, str(catalogs(cache)[-1]), str(ours_mo)], check=True, env=ENV)  # bytecode
    # What a Python process costs before it reads a byte: start-up without and with site, then the
    # PO layer's imports (`re` among them), against msgfmt's whole run on the smallest catalog. The
    # last is also run in every row's rounds: each row says what share of its goal's time it takes.
    smallest = min(catalogs(cache), key=lambda p: p.stat().st_size)
    importing = [PY, "-c", "import storyloc.po"]
    floors = []
    for label, cmd in (("python -S -c pass", [PY, "-S", "-c", "pass"]), ("python -c pass", [PY, "-c", "pass"]),
                       ("import storyloc.po", importing)):
        mine, theirs = alternate(cmd, ["msgfmt", "-o", str(gnu_mo), str(smallest)], pairs)
        floor = row(f"floor: {label}", smallest.relative_to(cache).as_posix(), messages(smallest), "msgfmt",
                    mine, theirs, 1.5)
        floor.update(work=f"floor: `{label}` vs msgfmt on {smallest.name}", goal="-", met=None)
        floors.append(floor)
    rows = []
    for path in catalogs(cache):
        name = path.relative_to(cache).as_posix()
        count = messages(path)
        mine, theirs, least = alternate([PY, "-c", COMPILE, str(path), str(ours_mo)],
                                        ["msgfmt", "-o", str(gnu_mo), str(path)], pairs, floor=importing)
        rows.append(row("compile .po → .mo", name, count, "msgfmt", mine, theirs, 1.0 if count >= 5000 else 1.5,
                        floor_s=statistics.median(w for w, _ in least),
                        same_content_as_msgfmt=msgunfmt(ours_mo) == msgunfmt(gnu_mo),
                        byte_identical_to_msgfmt=ours_mo.read_bytes() == gnu_mo.read_bytes()
                        or ours_mo.read_bytes() == no_hash(path)))
        if int.from_bytes(ours_mo.read_bytes()[20:24], "little"):       # a hash table was written
            rows.append(hash_free_row(path, name, count, ours_mo, gnu_mo, pairs))
        mine, theirs, least = alternate([PY, "-c", ROUND_TRIP, str(path), str(ours_po)],
                                        ["msgcat", "-o", str(gnu_po), str(path)], pairs, clean=ours_po,
                                        floor=importing)
        rows.append(row("load + save unchanged", name, count, "msgcat", mine, theirs, 0.5 if count >= 10000 else 0.7,
                        floor_s=statistics.median(w for w, _ in least),
                        byte_identical=ours_po.read_bytes() == path.read_bytes()))
        done = [r for r in rows if r["catalog"] == name]
        print("  " + ", ".join(f"{r['work']}: {r['ratio']:.2f}×" for r in done), file=sys.stderr, flush=True)
    rows += floors
    return rows


def hash_free_row(path: Path, name: str, count: int, ours_mo: Path, gnu_mo: Path, pairs: int) -> dict:
    """:data:`HASH_FREE` against msgfmt, the real compile run in the same rounds: no goal of its own,
    it says whether a native hash would bring the compile under its goal."""
    real = [PY, "-c", COMPILE, str(path), str(ours_mo)]
    mine, theirs, compiled = alternate([PY, "-c", HASH_FREE, str(path), str(ours_mo)],
                                       ["msgfmt", "-o", str(gnu_mo), str(path)], pairs, floor=real)
    goal = 1.0 if count >= 5000 else 1.5
    headroom = row("compile, hashing free", name, count, "msgfmt", mine, theirs, goal,
                   compile_ratio_same_rounds=statistics.median(w for w, _ in compiled) / statistics.median(
                       w for w, _ in theirs))
    headroom.update(goal=f"(≤ {goal}×)", met=None)
    return headroom


def table(rows: list[dict]) -> str:
    head = (f"{'work':<58} {'storyloc median (range)':>24} {'GNU median (range)':>28} {'ratio':>6}  goal    met"
            f"  {'CPU ratio':>9}  floor/goal")
    out = [head, "-" * len(head)]
    for r in rows:
        lo, hi = r["storyloc_range_s"]
        glo, ghi = r["baseline_range_s"]
        ours = f"{r['storyloc_s'] * 1000:.0f} ms ({lo * 1000:.0f}–{hi * 1000:.0f})"
        gnu = f"{r['baseline']} {r['baseline_s'] * 1000:.0f} ms ({glo * 1000:.0f}–{ghi * 1000:.0f})"
        out.append(f"{r['work'][:58]:<58} {ours:>24} {gnu:>28} {r['ratio']:>5.2f}×  {r['goal']:<6}  "
                   f"{'-' if r['met'] is None else 'yes' if r['met'] else 'NO ':<3}  {r['cpu_ratio']:>8.2f}×"
                   + (f"  {r['floor_share_of_goal']:.2f}" if "floor_share_of_goal" in r else "")
                   + (f"  (the compile {r['compile_ratio_same_rounds']:.2f}×)" if "compile_ratio_same_rounds" in r
                      else ""))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=7, help="alternated pairs per measurement (≥ 5)")
    args = parser.parse_args()
    rows = run(OUT / "corpus", max(5, args.pairs))
    print(table(rows))
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine(),
               "load_average": os.getloadavg(),
               "msgfmt": subprocess.run(["msgfmt", "--version"], capture_output=True, text=True).stdout.split("\n")[0]}
    met = sum(1 for r in rows if r["met"])
    print(f"\ngoals met: {met} of {sum(1 for r in rows if r['met'] is not None)}   ({machine['cpus']} cores, load {machine['load_average'][0]:.1f}, "
          f"Python {machine['python']}, {machine['msgfmt']})")
    out = OUT / "catalog.json"
    out.write_text(json.dumps({"machine": machine, "rows": rows}, indent=2, ensure_ascii=False) + "\n")
    print(f"written: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
