"""What the importer's tests and the article corpus test share: markdown-it with the story format's
plugins as the oracle of what an article.md says, and short calls of the converter."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from conftest import REPO
from storyloc.importer import convert

DATA = REPO / "tests" / "data" / "import"
BASE = "https://gazette.example/"


def markdown_it() -> MarkdownIt:
    """The parser of the story format: CommonMark, GFM tables, footnotes, front matter, containers."""
    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin).use(footnote_plugin)
    for name in ("figure", "pullquote"):
        md.use(container_plugin, name=name)
    return md


def structure(markdown: str) -> Counter:
    """What a reader sees, counted: headings by level, items, quotes, cells, notes, figures, links."""
    soup = BeautifulSoup(markdown_it().render(markdown), "html5lib")
    count = Counter({tag: len(soup.find_all(tag)) for tag in
                     ("h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "table", "th", "td", "a", "hr")})
    count["footnotes"] = len(soup.select("li.footnote-item"))
    count["figures"] = len(soup.select("div.figure"))
    count["pullquotes"] = len(soup.select("div.pullquote"))
    count["li"] -= count["footnotes"]
    count["a"] -= 2 * count["footnotes"]  # each note's reference and its way back
    count["hr"] -= 1 if count["footnotes"] else 0
    return count


def paragraphs(markdown: str) -> list[str]:
    soup = BeautifulSoup(markdown_it().render(markdown), "html5lib")
    return [p.get_text() for p in soup.find_all("p")]


def md(text: str, **kw):
    return convert(text, "in.md", html=False, base_url=BASE, **kw)


def page(body: str, **kw):
    return convert(f"<html><head><title>T</title></head><body>{body}</body></html>", "in.html", html=True, **kw)


def readme_example(tmp_path: Path, command_pattern: str, source: Path) -> tuple[str, str, int]:
    """The README's `$ storyloc import …` console example matching ``command_pattern``, run for real in a
    fresh newsroom (its input file copied from ``source``): (what it printed, what the README shows, exit code).
    The caller has made ``tmp_path / "newsroom"`` the working directory (its paths are relative)."""
    from conftest import run
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = re.search(rf"^\$ storyloc ({command_pattern})$", readme, re.M)
    shown = readme[command.end() + 1:].split("```", 1)[0]
    root = tmp_path / "newsroom"
    (root / "export").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.storyloc]\nsource_language = "en"\nlanguages = ["es"]\n',
                                         encoding="utf-8")
    args = command.group(1).split()
    (root / args[1]).write_bytes(source.read_bytes())
    result = run(root, *args)
    return result.output, shown, result.exit_code
