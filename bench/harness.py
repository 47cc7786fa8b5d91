"""Whole process against whole process, alternated: the one way ``make bench`` times anything.

    from harness import Program, compare, row
    ours, gnu = compare(Program("storyloc", [PY, "-c", SCRIPT, po]), Program("msgfmt", ["msgfmt", po]))
    rows.append(row("compile all.po", ours, gnu, goal=1.0))

Each run is a child process, so its wall time, CPU time and peak memory are the
program's own, start-up and imports included. Runs are started by a small
launcher process, not by the bench itself: Linux gives a child the peak memory
of the process it was forked from (a program started by a bench holding 400 MiB
of test data would report at least 400 MiB, ``/bin/true`` included), so every
peak shown is at least the launcher's own (:func:`launcher_floor_mib`, about
9 MiB). The two programs alternate, and
which goes first alternates too (A B, B A, A B, …), so a burst of load on a
shared machine falls on both; a figure is the median of ≥ 5 pairs, with its
range. ``setup`` runs before every run of its program, untimed (restore the
files the last run changed).
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Callable

PAIRS = 5
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}   # bytecode as installed


@dataclass
class Program:
    label: str
    cmd: list[str]
    setup: Callable[[], None] | None = None
    cwd: str | None = None
    env: dict[str, str] | None = None


@dataclass
class Timing:
    label: str
    wall: list[float] = field(default_factory=list)     # seconds, one per run
    cpu: list[float] = field(default_factory=list)      # user + system seconds, one per run
    mib: list[int] = field(default_factory=list)        # peak resident memory, one per run

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def range(self) -> tuple[float, float]:
        return min(self.wall), max(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak_mib(self) -> int:
        return max(self.mib)


# Reads one run per line (command, directory, environment, files for stdout and stderr), answers
# with its wall seconds, CPU seconds, peak RSS in KiB and exit code. Started with -S: no site
# packages, so the children's floor stays small.
_LAUNCH = r"""
import json, os, sys, time
for line in sys.stdin:
    cmd, cwd, env, out, errors = json.loads(line)
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),     # not the request pipe
               (os.POSIX_SPAWN_OPEN, 1, out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
               (os.POSIX_SPAWN_OPEN, 2, errors, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
    start = time.perf_counter()
    try:
        if cwd:
            os.chdir(cwd)
        pid = os.posix_spawn(cmd[0], cmd, env, file_actions=actions)
    except OSError as e:      # no such directory, not executable: the run fails, the launcher goes on
        with open(errors, "w") as f:
            f.write(f"{e.filename}: {e.strerror}")
        print(json.dumps([0.0, 0.0, 0, 127]), flush=True)
        continue
    finally:
        os.chdir("/")
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    print(json.dumps([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
                      os.waitstatus_to_exitcode(status)]), flush=True)
"""
_launcher: subprocess.Popen | None = None


@dataclass
class Run:
    wall: float         # seconds
    cpu: float          # user + system seconds
    mib: int            # peak resident memory
    stdout: str         # what it printed, when asked for


def launch(cmd: list[str], cwd: str | None = None, env: dict[str, str] | None = None,
           capture: bool = False, codes: tuple[int, ...] = (0,)) -> Run:
    """One run of ``cmd`` (looked for on ``env``'s PATH), started by the launcher; an exit code
    not in ``codes`` or a Python traceback on stderr raises with the end of its stderr."""
    global _launcher
    env = ENV if env is None else env
    program = shutil.which(cmd[0], path=env.get("PATH", os.defpath))
    if program is None:
        raise RuntimeError(f"{cmd[0]}: not found on PATH")
    if _launcher is None:
        _launcher = subprocess.Popen([sys.executable, "-S", "-c", _LAUNCH], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env={})
    with tempfile.NamedTemporaryFile() as out, tempfile.NamedTemporaryFile() as errors:
        request = [[program, *cmd[1:]], os.path.abspath(cwd) if cwd else None, env,
                   out.name if capture else os.devnull, errors.name]
        _launcher.stdin.write(json.dumps(request) + "\n")
        _launcher.stdin.flush()
        wall, cpu, kib, code = json.loads(_launcher.stdout.readline())
        trouble = errors.read().decode(errors="replace")
        if code not in codes or "Traceback (most recent call last)" in trouble:
            raise RuntimeError(f"{' '.join(cmd)[:200]} failed: {trouble[-800:]}")
        return Run(wall, cpu, kib // 1024, out.read().decode() if capture else "")


def run(program: Program) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one run; a failure raises with its stderr."""
    if program.setup is not None:
        program.setup()
    done = launch(program.cmd, program.cwd, program.env)
    return done.wall, done.cpu, done.mib


def launcher_floor_mib() -> int:
    """The peak a run reports however little it uses: ``/bin/true``'s, started as every run is."""
    return min(run(Program("true", ["true"]))[2] for _ in range(3))


def compare(*programs: Program, pairs: int = PAIRS, warmup: bool = True) -> list[Timing]:
    """Each program ``pairs`` times, alternated (the order reversed every other round).

    Fewer than :data:`PAIRS` only for work that changes what it runs on (say so where it is shown)."""
    if warmup:                     # bytecode written, files in the page cache: not measured
        for program in programs:
            run(program)
    timings = [Timing(p.label) for p in programs]
    for i in range(pairs):
        order = list(zip(programs, timings))
        for program, timing in (order if i % 2 == 0 else order[::-1]):
            wall, cpu, mib = run(program)
            timing.wall.append(wall)
            timing.cpu.append(cpu)
            timing.mib.append(mib)
    return timings


def row(work: str, ours: Timing, baseline: Timing | None, goal: float | None = None, **facts) -> dict:
    """One line of the results: medians, ranges, the ratio of medians and whether it meets ``goal``
    (a ratio, or seconds when there is no baseline). Extra facts (``same_content=True``) must all hold."""
    result = {"work": work, "storyloc_s": ours.median, "storyloc_range_s": list(ours.range),
              "storyloc_cpu_s": ours.cpu_median, "storyloc_mib": ours.peak_mib, "pairs": len(ours.wall)}
    if baseline is not None:
        result.update({"baseline": baseline.label, "baseline_s": baseline.median,
                       "baseline_range_s": list(baseline.range), "baseline_cpu_s": baseline.cpu_median,
                       "baseline_mib": baseline.peak_mib, "ratio": ours.median / baseline.median,
                       "cpu_ratio": ours.cpu_median / baseline.cpu_median})
        measured = result["ratio"]
        result["goal"] = f"≤ {goal}×" if goal is not None else "-"
    else:
        result.update({"baseline": "-", "baseline_s": None, "ratio": None})
        measured = ours.median
        result["goal"] = f"≤ {goal} s" if goal is not None else "-"
    result.update(facts)
    if goal is not None:
        result["met"] = measured <= goal and all(v for v in facts.values() if isinstance(v, bool))
    return result
