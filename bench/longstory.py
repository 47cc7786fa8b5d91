"""One very long story: 5,000 paragraphs written from the Bakhmut essay's words, then every one edited.

Three words in five are the essay's 35 commonest ("the", "to", "troops", …),
so each occurs in about half the paragraphs: the case that makes a word index quadratic if it walks the common
words' postings. The edit keeps the ground truth of every paragraph (which
old paragraph it came from, or none), so a merge's suggestions can be scored
right / wrong / none.
"""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["uk", "es", "de", "pl", "fr", "ar"]
SLUG = "long-story"
CLAUSES = [", the city council said on Monday", " as the shelling went on through the night",
           ", according to local volunteers", " despite the cold", ", residents told reporters"]


def _words() -> list[str]:
    text = (ROOT / "source" / "bakhmut-under-fire" / "article.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    return [w for w in re.findall(r"[A-Za-z’']+", body) if not w.startswith(("caption", "credit"))]


def _common(words: list[str]) -> list[str]:
    counts: dict[str, int] = {}
    for w in words:
        counts[w.lower()] = counts.get(w.lower(), 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], w))[:35]


def _vocabulary(words: list[str], size: int = 20_000) -> tuple[list[str], list[float]]:
    """The essay's words, then made-up ones (``"bardovik"``), with Zipf's weights 1/rank:
    the shape of a real vocabulary, where most words are rare."""
    seen = list(dict.fromkeys(w.lower() for w in words))
    rng = random.Random(0)
    syllables = [c + v for c in "bdgklmnprstvz" for v in "aeiou"]
    made = set(seen)
    while len(seen) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in made:
            made.add(word)
            seen.append(word)
    weights, total = [], 0.0
    for rank in range(1, size + 1):
        total += 1.0 / rank
        weights.append(total)
    return seen, weights


def paragraph(rng: random.Random, words: list[str]) -> str:
    """20–50 words: three in five from the essay's 35 commonest (each then occurs in about half
    the paragraphs, as in the issue's story), the rest from a Zipf vocabulary of 20,000 words."""
    common = _common(words)
    vocabulary, weights = _VOCABULARY.get(id(words)) or _VOCABULARY.setdefault(id(words), _vocabulary(words))
    count = rng.randint(20, 50)
    rare = iter(rng.choices(vocabulary, cum_weights=weights, k=count))
    text = " ".join(rng.choice(common) if rng.random() < 0.6 else next(rare) for _ in range(count))
    return text[0].upper() + text[1:] + "."


_VOCABULARY: dict[int, tuple[list[str], list[float]]] = {}


def generate(where: Path, paragraphs: int = 5000, seed: int = 5) -> list[str]:
    """A project with one story of ``paragraphs`` paragraphs; returns them."""
    if where.exists():
        shutil.rmtree(where)
    rng = random.Random(seed)
    words = _words()
    texts = [paragraph(rng, words) for _ in range(paragraphs)]
    story = where / "source" / SLUG
    story.mkdir(parents=True)
    (where / "pyproject.toml").write_text(
        "[tool.storyloc]\nsource_language = \"en\"\n"
        f"languages = {LANGUAGES!r}\n".replace("'", '"') + f'stories = ["{SLUG}"]\n', encoding="utf-8")
    _write(story / "article.md", texts)
    return texts


def _write(path: Path, texts: list[str]) -> None:
    front = "---\ntitle: A very long story\nlang: en\n---\n\n"
    path.write_text(front + "\n\n".join(texts) + "\n", encoding="utf-8")


def translate_all(project, lang: str = "uk") -> None:
    """Every entry of ``lang`` reviewed (a stand-in translation), as a newsroom's would be."""
    from storyloc.po import read_po, save_po
    path = project.catalog(SLUG, lang)
    catalog = read_po(path)
    for message in catalog.entries():
        message.msgstr = [f"[{lang}] {message.msgid}"] * len(message.msgstr)
        message.fuzzy = False
    save_po(catalog, path)


def edit_every_paragraph(where: Path, texts: list[str], seed: int = 6) -> dict[str, str | None]:
    """Every paragraph edited: a word replaced (45 %), a clause appended (45 %) or new text (10 %).

    Returns new text -> the old paragraph it came from (None for new text).
    """
    rng = random.Random(seed)
    words = _words()
    truth: dict[str, str | None] = {}
    edited = []
    for old in texts:
        kind = rng.random()
        if kind < 0.45:
            parts = old.split(" ")
            i = rng.randrange(1, len(parts) - 1)
            parts[i] = rng.choice([w for w in words if w.lower() != parts[i].lower()])
            new = " ".join(parts)
        elif kind < 0.9:
            new = old.rstrip(".") + rng.choice(CLAUSES) + "."
        else:
            new, old = paragraph(rng, words), None
        if new in truth:        # a rare collision: keep the texts unique, as the ground truth needs
            continue
        truth[new] = old
        edited.append(new)
    _write(where / "source" / SLUG / "article.md", edited)
    return truth


def quality(catalog_path: Path, truth: dict[str, str | None]) -> dict[str, int]:
    """Edited paragraphs: right (its old paragraph suggested), wrong (another one) or none;
    new text: wrong (any suggestion) or none."""
    from storyloc.po import read_po
    score = {"right": 0, "wrong": 0, "none": 0, "new_wrong": 0, "new_none": 0}
    for m in read_po(catalog_path).entries():
        if m.msgid not in truth:
            continue
        origin = truth[m.msgid]
        suggested = m.previous_msgid if m.fuzzy else None
        if origin is None:
            score["new_none" if suggested is None else "new_wrong"] += 1
        elif suggested is None:
            score["none"] += 1
        else:
            score["right" if suggested == origin else "wrong"] += 1
    return score
