"""How closely storyloc's PO reader and validation follow GNU gettext, on GNU's own test inputs.

    python bench/gnu_conformance.py PATH_TO_GETTEXT [--ref v0.21] [--out DIR] [--show N]

PATH_TO_GETTEXT is a checkout of GNU gettext (a work tree, or a bare git directory: then
the files are read at ``--ref``).  Every PO text under ``gettext-tools/tests`` is taken:
the data files (``*.po``, ``*.pot``) and the here-documents of the test scripts that
write a ``.po``, ``.pot``, ``.ok`` or ``.in`` file holding a ``msgid``.  They are written
under ``--out`` (default: a temporary directory; nothing is written into this repository
but ``build/bench/gnu_conformance.json``) and each is judged twice:

* ``msgfmt --check -o /dev/null`` (the installed GNU msgfmt) accepts or refuses it;
* storyloc reads it (``parse_po``) and validates it (``validate``); a file it reads is
  also read with CRLF line ends, which must give the same messages and round-trip.

Reported: agreement on accepted/refused; for files storyloc reads, whether a load and
save gives the same bytes; for files both refuse, whether storyloc's line is msgfmt's
first error line; for files both accept, whether the ``.mo`` has the same content
(``msgunfmt`` of both equal); and any crash (an exception that is not a CatalogError).
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
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyloc.po import compile_mo, format_po, parse_po, validate  # noqa: E402
from storyloc.errors import CatalogError  # noqa: E402

TESTS = "gettext-tools/tests"
HEREDOC = re.compile(r"""^[ \t]*cat\s+(?:<<\s*(\\?'?"?)(\w+)['"]?\s*>\s*(\S+)|>\s*(\S+)\s*<<\s*(\\?'?"?)(\w+)['"]?)[ \t]*\n""",
                     re.M)
TARGET = re.compile(r"\.(po|pot|ok|in)$")


class Source:
    """The tests directory of a gettext checkout: a work tree or a git directory at a ref."""

    def __init__(self, path: Path, ref: str):
        self.path, self.ref = path, ref
        self.tree = (path / TESTS).is_dir()

    def names(self) -> list[str]:
        if self.tree:
            return sorted(p.name for p in (self.path / TESTS).iterdir() if p.is_file())
        out = subprocess.run(["git", "--git-dir", str(self.path), "ls-tree", "--name-only", f"{self.ref}:{TESTS}"],
                             capture_output=True, text=True, check=True).stdout
        return sorted(out.split())

    def read(self, name: str) -> bytes:
        if self.tree:
            return (self.path / TESTS / name).read_bytes()
        return subprocess.run(["git", "--git-dir", str(self.path), "show", f"{self.ref}:{TESTS}/{name}"],
                              capture_output=True, check=True).stdout


def shell_unquote(body: str) -> str:
    """What an unquoted here-document gives: backslash-newline joined, \\\\ \\$ \\` unescaped."""
    body = body.replace("\\\n", "")
    return re.sub(r"\\([\\$`])", r"\1", body)


def heredocs(script: str) -> list[tuple[str, str]]:
    """(target file name, text) of each here-document that writes a PO-like file."""
    found = []
    for m in HEREDOC.finditer(script):
        quote, marker, target = (m.group(1), m.group(2), m.group(3)) if m.group(2) else (m.group(5), m.group(6), m.group(4))
        end = re.compile(rf"^{re.escape(marker)}[ \t]*$", re.M).search(script, m.end())
        if end is None or "$" in target or not TARGET.search(target):
            continue
        body = script[m.end():end.start()]
        if not quote:
            if "$" in body.replace("\\$", ""):
                continue              # shell variables: the input depends on the test's run
            body = shell_unquote(body)
        if re.search(r"^\s*(#~\s*)?msgid\b", body, re.M):
            found.append((target, body))
    return found


def inputs(source: Source, out: Path) -> list[Path]:
    """Write every input under ``out`` (one folder per test script); return their paths."""
    paths = []
    for name in source.names():
        data = source.read(name)
        if name.endswith((".po", ".pot")):
            path = out / "data" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            paths.append(path)
            continue
        if not data.startswith(b"#!") and b"init.sh" not in data[:300]:
            continue
        script = data.decode("latin-1")
        seen: Counter = Counter()
        for target, body in heredocs(script):
            seen[target] += 1
            suffix = f".{seen[target]}" if seen[target] > 1 else ""
            path = out / name / (Path(target).name + suffix)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body.encode("latin-1"))
            paths.append(path)
    return paths


GNU_ERROR = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?:\d+:)? (?P<message>.*)$", re.M)


def gnu(path: Path) -> dict:
    run = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True,
                         env={**os.environ, "LC_ALL": "C"})
    stderr = run.stderr.decode("utf-8", "replace")
    lines = [int(m.group("line")) for m in GNU_ERROR.finditer(stderr)
             if m.group("file") == str(path) and not m.group("message").startswith("warning")]
    return {"accepts": run.returncode == 0, "lines": lines, "stderr": stderr.strip()}


def ours(path: Path, data: bytes) -> dict:
    result = {"reads": False, "accepts": False, "line": None, "error": None, "round_trip": None, "crash": None}
    try:
        catalog = parse_po(data, str(path))
        result["reads"] = True
        text = format_po(catalog)
        try:
            result["round_trip"] = text.encode(catalog.encoding) == data
        except UnicodeEncodeError:
            result["round_trip"] = False
        validate(catalog, str(path))
        result["accepts"] = True
        result["catalog"] = catalog
    except CatalogError as e:
        result["line"], result["error"] = e.line, e.message
    except Exception as e:  # noqa: BLE001 -- a crash is what this counts
        result["crash"] = f"{type(e).__name__}: {e}"
    if result["reads"] and b"\r" not in data:
        result["crlf_round_trip"] = crlf(path, data, result.get("catalog") or parse_po(data, str(path)))
    return result


def crlf(path: Path, data: bytes, catalog) -> bool:
    """The same file with CRLF line ends: read as the same messages and written back byte for byte."""
    windows = data.replace(b"\n", b"\r\n")
    try:
        other = parse_po(windows, str(path))
    except CatalogError:
        return False
    same = [(m.content(), m.lineno) for m in other.messages] == [(m.content(), m.lineno) for m in catalog.messages]
    return same and format_po(other).encode(other.encoding) == windows


def same_mo(path: Path, catalog, work: Path) -> bool:
    ours_mo, gnu_mo = work / "ours.mo", work / "gnu.mo"
    ours_mo.write_bytes(compile_mo(catalog))
    subprocess.run(["msgfmt", "-o", str(gnu_mo), str(path)], capture_output=True, env={**os.environ, "LC_ALL": "C"})
    if not gnu_mo.exists():
        return False
    unhashed = work / "gnu-no-hash.mo"
    subprocess.run(["msgfmt", "--no-hash", "-o", str(unhashed), str(path)], capture_output=True,
                   env={**os.environ, "LC_ALL": "C"})
    if not gnu_mo.exists():
        return False
    unfmt = [subprocess.run(["msgunfmt", str(mo)], capture_output=True, env={**os.environ, "LC_ALL": "C"}).stdout
             for mo in (ours_mo, gnu_mo)]
    ours = ours_mo.read_bytes()
    identical = ours == gnu_mo.read_bytes() or ours == unhashed.read_bytes()    # hash table only when needed
    gnu_mo.unlink()
    return "identical" if identical else unfmt[0] == unfmt[1]


MUTATIONS = ("unclosed string", "comment between msgid and msgstr", "msgstr deleted", "msgid ends with \\n",
             "entry duplicated", "bad escape", "msgid_plural with plain msgstr", "obsolete msgstr")


def mutate(data: bytes, kind: str, rng) -> bytes | None:
    """One translator's slip in a valid file, on a line chosen at random; None if it has no such line."""
    lines = data.split(b"\n")
    def pick(prefix: bytes) -> int | None:
        found = [i for i, line in enumerate(lines) if line.startswith(prefix) and i > 2]
        return rng.choice(found) if found else None
    if kind == "unclosed string":
        i = pick(b'msgstr "')
        if i is None or not lines[i].endswith(b'"'):
            return None
        lines[i] = lines[i][:-1]
    elif kind == "comment between msgid and msgstr":
        i = pick(b"msgstr")
        if i is None:
            return None
        lines.insert(i, b"# a note")
    elif kind == "msgstr deleted":
        i = pick(b'msgstr "')
        if i is None:
            return None
        del lines[i]
        while i < len(lines) and lines[i].startswith(b'"'):
            del lines[i]
    elif kind == "msgid ends with \\n":
        i = pick(b'msgid "')
        if i is None or lines[i].endswith(b'\\n"') or lines[i] == b'msgid ""':
            return None
        lines[i] = lines[i][:-1] + b'\\n"'
    elif kind == "entry duplicated":
        i = pick(b'msgid "')
        if i is None:
            return None
        j = i
        while j < len(lines) and lines[j].strip():
            j += 1
        lines += [b""] + lines[i:j]
    elif kind == "bad escape":
        i = pick(b'msgstr "')
        if i is None:
            return None
        lines[i] = lines[i][:-1] + b'\\q"'
    elif kind == "msgid_plural with plain msgstr":
        i = pick(b"msgstr[0] ")
        if i is None:
            return None
        lines[i] = b"msgstr " + lines[i][len(b"msgstr[0] "):]
    elif kind == "obsolete msgstr":
        i = pick(b"msgstr")
        if i is None:
            return None
        lines[i] = b"#~ " + lines[i]
    return b"\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gettext", type=Path, help="a GNU gettext work tree or git directory")
    parser.add_argument("--ref", default="v0.21", help="the ref to read from a git directory (default v0.21)")
    parser.add_argument("--out", type=Path, help="where to write the inputs (default: a temporary directory)")
    parser.add_argument("--show", type=int, default=15, help="disagreements to list")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gnu-po-") as tmp:
        out = args.out or Path(tmp)
        paths = inputs(Source(args.gettext, args.ref), out)
        rows = []
        for path in paths:
            data = path.read_bytes()
            g, o = gnu(path), ours(path, data)
            row = {"input": str(path.relative_to(out)), "gnu_accepts": g["accepts"], "gnu_lines": g["lines"],
                   "ours_reads": o["reads"], "ours_accepts": o["accepts"], "ours_line": o["line"],
                   "ours_error": o["error"], "round_trip": o["round_trip"], "crash": o["crash"],
                   "crlf_round_trip": o.get("crlf_round_trip"),
                   "gnu_stderr": g["stderr"][:3000]}
            if g["accepts"] and o["accepts"]:
                row["same_mo"] = same_mo(path, o["catalog"], Path(tmp))
                row["mutants"] = mutants(path, data, out / "mutants", random.Random(row["input"]))
            rows.append(row)
    report(rows, args.show)


def mutants(path: Path, data: bytes, where: Path, rng) -> list[dict]:
    """Each mutation of a file both accept, judged by both."""
    found = []
    for kind in MUTATIONS:
        mutant = mutate(data, kind, rng)
        if mutant is None:
            continue
        target = where / path.parent.name / f"{path.name}.{kind.replace(' ', '-').replace(chr(92), '')}.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(mutant)
        g, o = gnu(target), ours(target, mutant)
        found.append({"kind": kind, "input": str(target), "gnu_accepts": g["accepts"], "gnu_lines": g["lines"],
                      "ours_accepts": o["accepts"], "ours_line": o["line"], "ours_error": o["error"],
                      "crash": o["crash"], "gnu_stderr": g["stderr"][:3000]})
    return found


def report(rows: list[dict], show: int) -> None:
    n = len(rows)
    agree = [r for r in rows if r["gnu_accepts"] == r["ours_accepts"]]
    both_accept = [r for r in rows if r["gnu_accepts"] and r["ours_accepts"]]
    both_refuse = [r for r in rows if not r["gnu_accepts"] and not r["ours_accepts"]]
    we_only_refuse = [r for r in rows if r["gnu_accepts"] and not r["ours_accepts"]]
    we_only_accept = [r for r in rows if not r["gnu_accepts"] and r["ours_accepts"]]
    read = [r for r in rows if r["ours_reads"]]
    trips = [r for r in read if r["round_trip"]]
    crlf_tested = [r for r in read if r.get("crlf_round_trip") is not None]
    crlf_trips = [r for r in crlf_tested if r["crlf_round_trip"]]
    with_lines = [r for r in both_refuse if r["gnu_lines"]]
    first_line = [r for r in with_lines if r["ours_line"] == r["gnu_lines"][0]]
    any_line = [r for r in with_lines if r["ours_line"] in r["gnu_lines"]]
    mo = [r for r in both_accept if r.get("same_mo")]
    mo_bytes = [r for r in both_accept if r.get("same_mo") == "identical"]
    crashes = [r for r in rows if r["crash"]]
    summary = {
        "inputs": n,
        "agree_with_msgfmt_check": len(agree),
        "both_accept": len(both_accept), "both_refuse": len(both_refuse),
        "refused_by_storyloc_only": len(we_only_refuse), "accepted_by_storyloc_only": len(we_only_accept),
        "read_by_storyloc": len(read), "byte_identical_round_trips": len(trips),
        "crlf_variants": len(crlf_tested), "crlf_same_messages_and_round_trip": len(crlf_trips),
        "both_refuse_with_a_gnu_line": len(with_lines), "line_is_msgfmts_first": len(first_line),
        "line_is_one_of_msgfmts": len(any_line),
        "both_accept_same_mo_content": len(mo), "both_accept_mo_byte_identical": len(mo_bytes),
        "crashes": len(crashes),
    }
    width = max(map(len, summary))
    for key, value in summary.items():
        print(f"{key:<{width}}  {value}")

    def listing(title: str, items: list[dict], fmt) -> None:
        if items:
            print(f"\n{title} ({len(items)}):")
            for r in items[:show]:
                print("  " + fmt(r))

    listing("storyloc refuses, msgfmt accepts", we_only_refuse, lambda r: f"{r['input']}: {r['ours_line']}: {r['ours_error']}")
    listing("storyloc accepts, msgfmt refuses", we_only_accept,
            lambda r: f"{r['input']}: {next((line for line in r['gnu_stderr'].splitlines() if 'warning' not in line), '')}")
    listing("round trip not byte-identical", [r for r in read if not r["round_trip"]], lambda r: r["input"])
    listing("CRLF variant differs", [r for r in crlf_tested if not r["crlf_round_trip"]], lambda r: r["input"])
    listing("line differs", [r for r in with_lines if r not in any_line],
            lambda r: f"{r['input']}: ours {r['ours_line']} ({r['ours_error']}), msgfmt {r['gnu_lines'][:3]}")
    listing(".mo content differs", [r for r in both_accept if not r.get("same_mo")], lambda r: r["input"])
    listing("crashes", crashes, lambda r: f"{r['input']}: {r['crash']}")
    mutated = [m for r in rows for m in r.get("mutants", [])]
    m_agree = [m for m in mutated if m["gnu_accepts"] == m["ours_accepts"]]
    m_refused = [m for m in mutated if not m["gnu_accepts"] and not m["ours_accepts"] and m["gnu_lines"]]
    m_first = [m for m in m_refused if m["ours_line"] == m["gnu_lines"][0]]
    m_any = [m for m in m_refused if m["ours_line"] in m["gnu_lines"]]
    m_summary = {"mutants (slips put into files both accept)": len(mutated),
                 "mutants: agree with msgfmt --check": len(m_agree),
                 "mutants: both refuse, msgfmt names a line": len(m_refused),
                 "mutants: line is msgfmt's first": len(m_first),
                 "mutants: line is one of msgfmt's": len(m_any),
                 "mutants: crashes": sum(1 for m in mutated if m["crash"])}
    summary.update(m_summary)
    print()
    for key, value in m_summary.items():
        print(f"{key:<{max(map(len, m_summary))}}  {value}")
    listing("mutants where storyloc and msgfmt disagree", [m for m in mutated if m not in m_agree],
            lambda m: f"{m['kind']}: {Path(m['input']).name}: gnu {'accepts' if m['gnu_accepts'] else 'refuses'}, "
                      f"ours {m['ours_line']}: {m['ours_error']}")
    listing("mutants: line differs", [m for m in m_refused if m not in m_any],
            lambda m: f"{m['kind']}: {Path(m['input']).name}: ours {m['ours_line']} ({m['ours_error']}), "
                      f"msgfmt {m['gnu_lines'][:3]}")
    out = ROOT / "build" / "bench" / "gnu_conformance.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "rows": rows}, indent=1, ensure_ascii=False) + "\n")
    print(f"\nwritten: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
