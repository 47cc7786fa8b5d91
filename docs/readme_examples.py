"""Regenerate the README's console examples from real runs, and its layout from the docstrings
(``tests/test_docs.py`` runs it with ``--check``).

A console block the README wants kept true is marked on the line before it::

    <!-- example: publish -->
    ```console
    $ storyloc publish
    …what it prints…
    ```

This script copies the tests' fixture project (``tests/data/project/``: the
repository's project frozen by ``make test-data``) into a temporary folder, runs the commands each example names,
in order, as a user would (``python -m storyloc``, stdout and stderr as the
terminal shows them), and writes their output into the blocks. The clock is
``SOURCE_DATE_EPOCH``; the feed servers (the one ``pull`` reads, and ``storyloc serve``,
run as ``storyloc serve --port 0`` until it has said where it listens, then stopped
with Ctrl-C's signal) listen on a free port and are shown as ``127.0.0.1:8000`` (a
closed port as ``8001``), and a ``cost:`` line (its time differs each run) is shown as
``…``: the only rewriting done. A block may show only its first lines (``head``), ending
with ``…``. ``storyloc check PATH…`` reads two catalogs written here, a German one
that passes and a Ukrainian one with what the check is for.

The block after ``<!-- layout -->`` is ``src/storyloc/`` as ``ls`` lists it: each module
and package (and a package's modules) with the first paragraph of its docstring, so
the README's map of the code is never older than the code.

    python docs/readme_examples.py           # rewrite README.md
    python docs/readme_examples.py --check   # exit 1 and show the difference if it is not up to date
"""
from __future__ import annotations

import difflib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
PROJECT = REPO / "tests" / "data" / "project"      # no test reads the live source/ or locales/
STORY = "bakhmut-under-fire"
FIRST_PUBLISH = 1795575832          # 2026-11-25T03:03:52Z
CORRECTION = 1795770720             # 2026-11-27T09:12:00Z
MARK = re.compile(r"^<!-- example: ([a-z0-9-]+) -->\n```console\n(.*?)^```\n", re.M | re.S)
MARK_NAME = re.compile(r"^<!-- example: ([a-z0-9-]+) -->$", re.M)
LAYOUT = re.compile(r"^<!-- layout -->\n```\n(.*?)^```\n", re.M | re.S)
SOURCE = REPO / "src" / "storyloc"


class Runner:
    """Runs commands in a copy of the project, as a user would, and remembers what they printed."""

    def __init__(self, root: Path):
        self.root = root
        self.env = {**os.environ, "SOURCE_DATE_EPOCH": str(FIRST_PUBLISH), "COLUMNS": "200",
                    "STORYLOC_USER": "Olena Kovalenko"}
        self.env.pop("CI", None)
        self.url = ""
        self.closed = ""

    def run(self, command: str) -> str:
        args = shlex.split(command.replace("$FEED", self.url).replace("$CLOSED", self.closed))
        assert args[0] == "storyloc"
        result = subprocess.run([sys.executable, "-m", "storyloc", *args[1:]], cwd=self.root, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return result.stdout

    def show(self, command: str, head: int | None = None) -> list[str]:
        """``$ command`` and its output, the servers' addresses as the README shows them."""
        out = self.run(command).splitlines()
        if head is not None and len(out) > head:
            out = out[:head] + ["…"]
        lines = [f"$ {command}", *out]
        for real, shown in ((self.url, "http://127.0.0.1:8000/dist/index.json"),
                            (self.closed, "http://127.0.0.1:8001/dist/index.json"),
                            ("$FEED", "http://127.0.0.1:8000/dist/index.json"),
                            ("$CLOSED", "http://127.0.0.1:8001/dist/index.json")):
            if real:
                lines = [line.replace(real, shown) for line in lines]
        if self.url:
            base = self.url[: -len("dist/index.json")]
            lines = [line.replace(base, "http://127.0.0.1:8000/") for line in lines]
        return lines

    def quiet(self, *commands: str) -> None:
        for command in commands:
            self.run(command)

    def serve(self, head: int = 2) -> list[str]:
        """``$ storyloc serve`` and its first lines, from a real server on a free port, then stopped as
        Ctrl-C stops it (after checking that it serves the feed it names)."""
        from urllib.request import urlopen
        server = subprocess.Popen([sys.executable, "-m", "storyloc", "serve", "--port", "0"], cwd=self.root,
                                  env={**self.env, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        try:
            out = [server.stdout.readline().rstrip("\n") for _ in range(head)]
            base = re.search(r"http://127\.0\.0\.1:\d+/", out[0]).group(0)
            with urlopen(f"{base}dist/index.json", timeout=30) as response:
                assert response.status == 200
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                raise
        return ["$ storyloc serve", *(line.replace(base, "http://127.0.0.1:8000/") for line in out)]


# Two catalogs outside any project, for `storyloc check PATH…`: one that passes, one with a width that
# fills memory, a lost format directive and a bidi override (msgfmt --check lets all three through).
_HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: newsroom 1\\n"\n"PO-Revision-Date: 2026-11-29 12:00+0000\\n"\n'
           '"Last-Translator: {who}\\n"\n"Language-Team: {team}\\n"\n"Language: {lang}\\n"\n'
           '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
           '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: {plural}\\n"\n\n')
CATALOGS = {
    "po/de.po": _HEADER.format(who="Jana Weber <jana@example.org>", team="German", lang="de",
                               plural="nplurals=2; plural=(n != 1);")
    + '#, python-format\nmsgid "Photo: %(credit)s"\nmsgstr "Foto: %(credit)s"\n\n'
      'msgid "A word"\nmsgstr "Ein Wort"\n',
    "po/uk.po": _HEADER.format(who="Olena Kovalenko <olena@example.org>", team="Ukrainian", lang="uk",
                               plural="nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                                      "(n%100<10 || n%100>=20) ? 1 : 2);")
    + '#, python-format\nmsgid "Photo: %(credit)s"\nmsgstr "Фото: %(credit)999999999s"\n\n'
      'msgid "A word"\nmsgstr "Слово \u202e"\n',
}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def examples() -> dict[str, str]:
    """Every example, by name, from one scripted session of a newsroom and a publisher."""
    done: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="storyloc-readme-") as tmp:
        root = Path(tmp) / "newsroom"
        root.mkdir()
        shutil.copy(PROJECT / "pyproject.toml", root)
        for name in ("source", "locales", "glossary"):
            shutil.copytree(PROJECT / name, root / name)
        r = Runner(root)
        first_uk = _newsroom(r, Path(tmp) / "drafting", done)
        _publisher(r, first_uk, done)
        done["prune"] = (r.show("storyloc prune --dry-run") + r.show("storyloc prune")
                         + r.show("storyloc prune"))
    return {name: "\n".join(lines) + "\n" for name, lines in done.items()}


def _newsroom(r: Runner, drafting: Path, done: dict[str, list[str]]) -> str:
    """The newsroom's examples, from the first extract to a published fix; the Ukrainian version
    published first (the fix is published after it)."""
    root = r.root
    # the editor's first run: a warning keeps its place and the run goes on
    done["extract-warnings"] = r.show("storyloc extract", head=2)
    done["glossary-suggest"] = r.show("storyloc glossary suggest --lang uk")
    # a mistake in the story (a figure whose image was deleted): one line, nothing written
    article = root / f"source/{STORY}/article.md"
    story_text = article.read_text(encoding="utf-8")
    _edit(article, "  city-center: {image: images/city-center.jpg}\n", "")
    done["extract-error"] = r.show("storyloc extract")
    article.write_text(story_text, encoding="utf-8")
    # drafting a language whose catalog is new: Spanish through Apertium (its time varies: not shown)
    shutil.copytree(root, drafting)
    (drafting / f"locales/es/LC_MESSAGES/{STORY}.po").unlink()
    d = Runner(drafting)
    d.quiet("storyloc update --lang es")
    done["draft"] = [line if not line.startswith("cost:") else "…" for line in d.show("storyloc draft")]
    r.quiet("storyloc build")
    done["status"] = r.show("storyloc status", head=4)
    first = r.show("storyloc publish", head=3)
    again = r.show("storyloc publish")
    done["publish"] = [*first, again[0], "…", *again[-2:]]
    first_uk = _latest(root, "uk")
    # a translator's fix, not built yet: publish refuses the stale build
    _edit(root / f"locales/uk/LC_MESSAGES/{STORY}.po", 'msgstr "Життя під обстрілами в Бахмуті"',
          'msgstr "Життя під обстрілами: Бахмут"')
    done["publish-stale-build"] = r.show("storyloc publish")
    r.quiet("storyloc build", "storyloc publish")
    assert _latest(root, "uk") != first_uk
    done["serve"] = r.serve()
    for name, text in CATALOGS.items():           # any catalog, no project needed
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    done["check-paths"] = r.show(f"storyloc check {' '.join(CATALOGS)}")
    return first_uk


def _publisher(r: Runner, first_uk: str, done: dict[str, list[str]]) -> None:
    """The publisher's examples, pulling from the newsroom's feed served on a free port; then a
    correction in the English makes the published Ukrainian stale."""
    from storyloc.serve import make_server
    from storyloc.project import Project

    server = make_server(Project.load(r.root), port=0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        r.closed = f"http://127.0.0.1:{closed.getsockname()[1]}/dist/index.json"
    r.url = f"{server.url}dist/index.json"
    try:
        feed = "storyloc pull $FEED --story bakhmut-under-fire"
        done["pull"] = (r.show(f"{feed} --lang uk --dest site") + r.show(f"{feed} --lang uk --dest site"))
        done["pull-versions"] = (r.show(f"{feed} --lang es --dest site")
                                 + r.show(f"{feed} --lang es --dest site --draft")
                                 + r.show(f"{feed} --lang uk --dest site --version {first_uk}"))
        done["pull-errors"] = (r.show("storyloc pull $FEED --story nope --lang uk --dest site")
                               + r.show(f"{feed} --lang xx --dest site")
                               + r.show("storyloc pull $CLOSED --story bakhmut-under-fire --lang uk --dest site"))
        # a correction in the English: the published Ukrainian becomes stale
        r.env["SOURCE_DATE_EPOCH"] = str(CORRECTION)
        _edit(r.root / f"source/{STORY}/article.md", "70,000", "80,000")
        r.quiet("storyloc extract", "storyloc update", "storyloc build", "storyloc publish")
        done["status-stale"] = r.show("storyloc status --lang uk")
        done["pull-stale"] = (r.show(f"{feed} --lang uk --dest site")
                              + r.show(f"{feed} --lang uk --dest site --allow-stale"))
    finally:
        server.shutdown()
        server.server_close()


def _latest(root: Path, lang: str) -> str:
    import json
    feed = json.loads((root / "dist" / "index.json").read_text(encoding="utf-8"))
    return feed["stories"][STORY]["published"][lang]["latest"]


def _summary(path: Path) -> str:
    """The first paragraph of a module's docstring, on one line, Markdown's backticks for reST's."""
    import ast
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    text = " ".join(doc.strip().split("\n\n")[0].split()).replace("``", "`")
    return re.sub(r":[a-z]+:`~?([^`]+)`", r"`\1`", text)          # :class:`Entry` → `Entry`


def layout(width: int = 100) -> str:
    """``src/storyloc/`` as ``ls`` lists it, each module and package with what its docstring says."""
    import textwrap

    def entry(name: str, path: Path, indent: str) -> list[str]:
        return textwrap.wrap(_summary(path), width, initial_indent=f"{indent}{name:<{20 - len(indent)}}",
                             subsequent_indent=" " * 20, break_on_hyphens=False) or [f"{indent}{name}"]

    lines = ["src/storyloc/"]
    for path in sorted(SOURCE.iterdir()):
        if (path / "__init__.py").is_file():
            lines += entry(f"{path.name}/", path / "__init__.py", "  ")
            for module in sorted(path.glob("*.py")):
                if module.name != "__init__.py":
                    lines += entry(module.name, module, "    ")
        elif path.suffix == ".py" and path.name not in ("__init__.py", "__main__.py"):
            lines += entry(path.name, path, "  ")
    return "\n".join(lines) + "\n"


def render(readme: str, generated: dict[str, str]) -> str:
    def block(match: re.Match) -> str:
        name = match.group(1)
        if name not in generated:
            raise SystemExit(f"README.md: unknown example {name!r} (known: {', '.join(sorted(generated))})")
        return f"<!-- example: {name} -->\n```console\n{generated[name]}```\n"
    unshown = set(generated) - set(MARK_NAME.findall(readme))
    if unshown:                          # an example run for nothing is an example the README lost
        raise SystemExit(f"README.md: no block marked for example(s) {', '.join(sorted(unshown))}")
    readme = LAYOUT.sub(lambda _: f"<!-- layout -->\n```\n{layout()}```\n", readme)
    return MARK.sub(block, readme)


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    wanted = render(current, examples())
    if "--check" in argv:
        if wanted != current:
            sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), wanted.splitlines(True),
                                                       "README.md", "README.md (regenerated)"))
            print("README.md: console examples or layout differ from what the commands print and the "
                  "docstrings say; run python docs/readme_examples.py", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        README.write_text(wanted, encoding="utf-8")
        print("README.md: examples regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
