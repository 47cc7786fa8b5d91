"""``make bench``'s harness reports each run's own peak memory, not the bench's."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import harness  # noqa: E402


def test_a_run_s_peak_is_its_own_when_the_bench_holds_much_more():
    held = bytearray(200 * 2**20)
    held[::4096] = b"\1" * len(held[::4096])          # resident, not just reserved
    wall, cpu, mib = harness.run(harness.Program("true", ["true"]))
    assert mib < 50 and mib == harness.launcher_floor_mib()
    grows = "b = bytearray(80 * 2**20); b[::4096] = b'1' * len(b[::4096])"
    assert 80 <= harness.run(harness.Program("python", [sys.executable, "-c", grows]))[2] < 150
    del held


def test_a_failed_run_raises_with_its_stderr_and_runs_where_told(tmp_path: Path):
    (tmp_path / "here").write_text("")
    harness.run(harness.Program("ls", ["ls", "here"], cwd=str(tmp_path)))
    with pytest.raises(RuntimeError, match="sh -c .* failed: oops"):
        harness.run(harness.Program("fails", ["sh", "-c", "echo oops >&2; exit 3"]))


def test_what_cannot_start_fails_its_run_not_the_launcher(tmp_path: Path):
    with pytest.raises(RuntimeError, match="no-such-program: not found on PATH"):
        harness.run(harness.Program("missing", ["no-such-program"]))
    with pytest.raises(RuntimeError, match="No such file or directory"):
        harness.run(harness.Program("nowhere", ["true"], cwd=str(tmp_path / "gone")))
    assert harness.run(harness.Program("true", ["true"]))[2] < 50


def test_programs_are_found_on_the_given_path_and_read_no_input(tmp_path: Path):
    tool = tmp_path / "bin" / "mytool"
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\ncat\necho ran\n")
    tool.chmod(0o755)
    env = {"PATH": f"{tool.parent}:/usr/bin:/bin"}
    assert harness.launch(["mytool"], env=env, capture=True).stdout == "ran\n"    # cat: end of input at once


def test_a_catalog_row_says_how_much_of_its_goal_the_floor_takes_alone():
    import bench
    import bench_catalog
    ours, gnu = [(0.050, 0.05)] * 5, [(0.020, 0.02)] * 5
    row = bench_catalog.row("compile .po → .mo", "small.po", 56, "msgfmt", ours, gnu, 1.5, floor_s=0.045)
    assert row["floor_share_of_goal"] == pytest.approx(0.045 / (1.5 * 0.020))
    assert row["met"] is False and "floor_s" in row
    assert "floor 1.50 of it" in bench.table([row])
    assert "1.50" in bench_catalog.table([row]).splitlines()[-1]
    plain = bench_catalog.row("compile .po → .mo", "small.po", 56, "msgfmt", ours, gnu, 1.5)
    assert "floor_share_of_goal" not in plain and "floor" not in bench.table([plain]).splitlines()[-1]


def test_the_floor_runs_in_the_same_rounds_as_the_two_programs_it_is_compared_with(tmp_path: Path):
    import bench_catalog
    log = tmp_path / "order"
    step = [sys.executable, "-c", "import sys; open(sys.argv[1], 'a').write(sys.argv[2])", str(log)]
    mine, theirs, least = bench_catalog.alternate(step + ["o"], step + ["g"], 6, floor=step + ["f"])
    assert len(mine) == len(theirs) == len(least) == 6
    rounds = [log.read_text()[i:i + 3] for i in range(0, 18, 3)]
    assert all(sorted(r) == ["f", "g", "o"] for r in rounds)
    assert [r[0] for r in rounds] == ["o", "g"] * 3 and all(r[2] == "f" for r in rounds)
    assert len(bench_catalog.alternate(step + ["o"], step + ["g"], 2)) == 2


def test_the_hash_free_compile_differs_from_the_real_one_in_the_hash_table_alone(tmp_path: Path):
    """The headroom row's program must cost nothing for hashing and change nothing else."""
    import subprocess

    import bench_catalog
    po = tmp_path / "sysdep.po"
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  '#, c-format\nmsgid "%<PRIu64> bytes"\nmsgstr "%<PRIu64> байтів"\n\n'
                  'msgid "one"\nmsgstr "один"\n\nmsgid "two"\nmsgstr "два"\n', encoding="utf-8")
    real, free = tmp_path / "real.mo", tmp_path / "free.mo"
    for program, out in ((bench_catalog.COMPILE, real), (bench_catalog.HASH_FREE, free)):
        subprocess.run([sys.executable, "-c", program, str(po), str(out)], check=True, env=bench_catalog.ENV)
    real_bytes, free_bytes = real.read_bytes(), free.read_bytes()
    size, at = (int.from_bytes(real_bytes[i:i + 4], "little") for i in (20, 24))
    assert size > 0 and len(real_bytes) == len(free_bytes)
    table = slice(at, at + 4 * size)
    assert any(real_bytes[table]) and not any(free_bytes[table])
    assert real_bytes[:at] + real_bytes[table.stop:] == free_bytes[:at] + free_bytes[table.stop:]
