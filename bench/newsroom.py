"""A generated newsroom: many stories shaped like the real one, with their catalogs.

Each story is the Bakhmut essay with its words shuffled by a seed (so every
story's text differs), the same count of paragraphs, figures, captions and
credits; Ukrainian is fully reviewed, Spanish half drafted, the rest empty.
"""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

from storyloc.po import read_po, save_po
from storyloc.project import Project
from storyloc.extract import extract
from storyloc.update import update

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["uk", "es", "de", "pl", "fr", "ar"]


def _variant(text: str, rng: random.Random) -> str:
    """Same shape, different words: shuffle the words of each paragraph line."""
    out = []
    for line in text.splitlines():
        if line and not line.startswith(("---", ":::", "caption:", "credit:", "  ", "#")) and ":" not in line[:20]:
            words = line.split()
            rng.shuffle(words)
            line = " ".join(words)
        out.append(line)
    return "\n".join(out) + "\n"


def generate(where: Path, stories: int, seed: int = 1) -> Project:
    if where.exists():
        shutil.rmtree(where)
    (where / "source").mkdir(parents=True)
    names = [f"story-{i:04d}" for i in range(stories)]
    (where / "pyproject.toml").write_text(
        "[tool.storyloc]\nsource_language = \"en\"\n"
        f"languages = {LANGUAGES!r}\n".replace("'", '"') + "publish_threshold = 100\n", encoding="utf-8")
    article = (ROOT / "source" / "bakhmut-under-fire" / "article.md").read_text(encoding="utf-8")
    for i, name in enumerate(names):
        rng = random.Random(seed * 100_003 + i)
        story_dir = where / "source" / name
        story_dir.mkdir()
        (story_dir / "article.md").write_text(_variant(article, rng), encoding="utf-8")
    project = Project.load(where)
    extract(project)
    update(project)
    for name in names:
        for lang, share in (("uk", 1.0), ("es", 0.5)):
            path = project.catalog(name, lang)
            catalog = read_po(path)
            for n, message in enumerate(catalog.entries()):
                if n < share * len(catalog.entries()):
                    message.msgstr = [f"[{lang}] {message.msgid}"]
                    message.fuzzy = lang != "uk"
            save_po(catalog, path)
    return project


def change_one_paragraph(project: Project) -> Path:
    story = project.stories[len(project.stories) // 2]
    path = project.article(story)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\n\n([A-Za-z])", r"\n\nEdited: \1", text, count=1), encoding="utf-8")
    return path
