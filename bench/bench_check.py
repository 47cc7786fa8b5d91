"""Check throughput: MB/s of catalog through `storyloc check PATH…` and through every story check.

``run(cache)`` returns rows for ``bench.py``'s table (the performance helper's ``make bench`` calls
it); ``python bench/bench_check.py`` prints them. The catalog is the real Ukrainian corpus of
``corpus.py`` repeated under distinct contexts to 10 MB; the baseline is ``msgfmt --check`` on the
same file, in the same run, alternated with ours, median of three.
"""
from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import harness  # noqa: E402
from bench import OUT, PY  # noqa: E402

SIZE = 10_000_000

# every registered check (the story checks), on every translated entry, as `storyloc check` runs them
STORY_CHECKS = r'''
import sys
from storyloc.po import read_po
from storyloc.check import Entry, kind_of, run_checks
catalog = read_po(__import__("pathlib").Path(sys.argv[1]))
for m in catalog.entries():
    if m.translated and m.msgid_plural is None:
        run_checks(Entry(m, "uk", kind_of(m, None)))
'''
CHECK_FILE = "import sys; from storyloc.cli import main; main(['check', sys.argv[1]])"


def ten_megabytes(cache: Path) -> Path:
    """The combined corpus, repeated with a msgctxt per copy until the file holds 10 MB."""
    from storyloc.po import Catalog, Message, read_po, save_po
    out = OUT / "check" / "10mb.po"
    if out.exists():
        return out
    import re
    source = read_po(corpus.combined(cache))
    big = Catalog(messages=[source.header])
    # the packages disagree on nplurals; give every plural the header's count, so both checkers read
    # the whole file instead of stopping at the first refusal
    nplurals = int(re.search(r"nplurals\s*=\s*(\d+)", source.header_fields().get("Plural-Forms", "nplurals=3")).group(1))
    size, copy = 0, 0
    while size < SIZE:
        copy += 1
        for m in source.entries():
            forms = list(m.msgstr) if m.msgid_plural is None else (m.msgstr + m.msgstr[-1:] * nplurals)[:nplurals]
            big.messages.append(Message(m.msgid, forms, f"copy {copy}" + (f": {m.msgctxt}" if m.msgctxt else ""),
                                        m.msgid_plural, flags=list(m.flags)))
            size += len(m.msgid.encode()) + sum(len(s.encode()) for s in m.msgstr) + 40
    out.parent.mkdir(parents=True, exist_ok=True)
    save_po(big, out)
    return out


def _alternated(n: int, *commands: list[str]) -> list[tuple[float, int]]:
    """Each command n times, taking turns; the median wall time and the peak memory of each."""
    runs = [[] for _ in commands]
    for _ in range(n):
        for i, cmd in enumerate(commands):
            runs[i].append(_measure(cmd))
    return [(statistics.median(t for t, _ in r), max(m for _, m in r)) for r in runs]


def _measure(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one run. Both checkers exit 1 on the errors the real corpus
    has (its packages disagree on nplurals); that is a finished run, a traceback is not."""
    done = harness.launch(cmd, codes=(0, 1))
    return done.wall, done.mib


def run(cache: Path) -> list[dict]:
    path = ten_megabytes(cache)
    mb = path.stat().st_size / 1e6
    gnu = ["msgfmt", "--check", "-o", "/dev/null", str(path)]
    rows = []
    for label, ours in [("check PATH (syntax, header, plurals, formats, controls)", [PY, "-c", CHECK_FILE, str(path)]),
                        ("every story check on every entry", [PY, "-c", STORY_CHECKS, str(path)])]:
        (ours_t, ours_mem), (gnu_t, gnu_mem) = _alternated(3, ours, gnu)
        rows.append({"work": f"{label}, {mb:.1f} MB catalog", "storyloc_s": ours_t, "baseline": "msgfmt --check",
                     "baseline_s": gnu_t, "ratio": ours_t / gnu_t, "storyloc_mib": ours_mem,
                     "baseline_mib": gnu_mem, "goal": "report", "mb_per_s": mb / ours_t})
    return rows


if __name__ == "__main__":
    rows = run(OUT / "corpus")
    for r in rows:
        print(f"{r['work']}: {r['mb_per_s']:.2f} MB/s ({r['storyloc_s']:.2f} s; msgfmt --check {r['baseline_s']:.2f} s, "
              f"{r['ratio']:.1f}×)")
    (OUT / "bench_check.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
