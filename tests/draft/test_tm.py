"""Translation memory: word-level fuzzy scores, an index that finds what brute force finds, TMX in and out."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from storyloc.project import Project
from storyloc.po.fuzzy import similarity, tokens
from storyloc.draft.tm import Memory, load_memory, parse_tmx, tm_export, tm_import
from storyloc.errors import TmError

from conftest import run


def test_similarity_is_the_share_of_words_that_need_no_edit():
    a = tokens("Ukrainian troops continue to protect Bakhmut despite the shelling")
    assert similarity(a, a) == 1.0
    b = tokens("Ukrainian troops continue to defend Bakhmut despite the shelling")
    assert similarity(a, b) == pytest.approx(8 / 9)
    assert similarity(a, tokens("Something else entirely")) < 0.2
    assert similarity(a, tokens("Something else entirely"), floor=0.75) == 0.0


def test_exact_match_first_then_the_best_fuzzy_match_above_the_floor():
    memory = Memory()
    memory.add("The center of Bakhmut, Donetsk Oblast.", "Центр Бахмута, Донецька область.", "a.po")
    memory.add("The center of Soledar, Donetsk Oblast.", "Центр Соледара, Донецька область.", "b.po")
    exact = memory.lookup("The  center of Bakhmut, Donetsk Oblast.", 75)
    assert (exact.score, exact.target, exact.origin) == (100, "Центр Бахмута, Донецька область.", "a.po")
    fuzzy = memory.lookup("The center of Kramatorsk, Donetsk Oblast.", 75)
    assert fuzzy.score == 87 and fuzzy.source == "The center of Bakhmut, Donetsk Oblast."
    assert memory.lookup("The center of Kramatorsk, Donetsk Oblast.", 90) is None
    assert memory.lookup("the center of bakhmut, donetsk oblast.", 75).score == 99   # not the same text
    assert memory.lookup("", 75) is None


def test_the_index_finds_exactly_what_comparing_every_pair_finds():
    rng = random.Random(3)
    words = [f"w{i}" for i in range(300)] + ["the", "of", "and", "in", ",", "."] * 20
    corpus = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 25))) for _ in range(2000)]
    memory = Memory()
    for i, text in enumerate(corpus):
        memory.add(text, f"t{i}", "corpus")
    for _ in range(150):
        base = rng.choice(corpus).split()
        for _ in range(rng.randint(0, 4)):          # edit a few words
            base[rng.randrange(len(base))] = rng.choice(words)
        query = " ".join(base)
        found = memory.lookup(query, 70)
        q = tokens(query.lower())
        best = max((similarity(q, tokens(text.lower()), floor=0.70) for text in corpus if text != query), default=0.0)
        if query in corpus:
            assert found.score == 100
        elif best >= 0.70:
            assert found is not None and found.score == min(99, int(best * 100 + 1e-9)), query
        else:
            assert found is None, (query, found)


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="Trados" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en-US"
          srclang="en-US" datatype="plaintext"/>
  <body>
    <tu>
      <tuv xml:lang="en-US"><seg>Read <ph>*</ph>the report<ph>*</ph> on Bakhmut.</seg></tuv>
      <tuv xml:lang="uk-UA"><seg>Читайте <ph>*</ph>звіт<ph>*</ph> про Бахмут.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en-US"><seg>Kramatorsk and Sloviansk</seg></tuv>
      <tuv xml:lang="de-DE"><seg>Kramatorsk und Slowjansk</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="fr-FR"><seg>Pas de source ici</seg></tuv>
      <tuv xml:lang="uk-UA"><seg>Тут немає джерела</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_imported_tmx_feeds_the_memory_with_inline_codes_kept(project_dir: Path, tmp_path: Path):
    source = tmp_path / "Newsroom UK.tmx"
    source.write_text(TMX, encoding="utf-8")
    result = run(project_dir, "tm", "import", str(source))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "tm/newsroom-uk.tmx: 2 translation units (de 1, uk 1)"
    project = Project.load(project_dir)
    uk = load_memory(project, "uk")
    match = uk.lookup("Read *the report* on Bakhmut.", 75)
    assert match.target == "Читайте *звіт* про Бахмут." and match.origin == "tm/newsroom-uk.tmx"
    assert load_memory(project, "de").lookup("Kramatorsk and Sloviansk", 75).target == "Kramatorsk und Slowjansk"


def test_export_writes_tmx_1_4_that_imports_back(project_dir: Path, tmp_path: Path):
    out = tmp_path / "memory.tmx"
    result = run(project_dir, "tm", "export", str(out), "--lang", "uk")
    assert result.exit_code == 0, result.output
    assert re.match(r".*memory\.tmx: 20 translation units \(uk 20\)$", result.output.strip())
    tmx = parse_tmx(out.read_bytes())
    assert len(tmx.units) == 20 and tmx.srclang == "en"
    credit = next(u for u in tmx.units if u.context == "credit")
    assert credit.texts == {"en": "Oleksandr Babenko for Gwara Media", "uk": "Олександр Бабенко для Gwara Media"}
    assert b'<tmx version="1.4">' in out.read_bytes()

    assert run(project_dir, "tm", "import", str(out), "--name", "round-trip").exit_code == 0
    memory = load_memory(Project.load(project_dir), "uk")
    assert memory.lookup("Oleksandr Babenko for Gwara Media", 75).target == "Олександр Бабенко для Gwara Media"


def test_only_reviewed_entries_are_remembered(project: Project):
    memory = load_memory(project, "uk")
    assert len(memory) == 20
    assert load_memory(project, "es").lookup("Life under fire in Bakhmut", 50) is None


@pytest.mark.parametrize("text, line, message", [
    ("<tmx version='1.4'><body><tu><tuv><seg>x</seg></tuv></tu></body></tmx>", 1, "<tuv> without xml:lang"),
    ("<?xml version='1.0'?>\n<tmx>\n<body>\n<tu>\n<tuv xml:lang='en'><seg>x</tuv>\n</tu></body></tmx>", 5,
     "not well-formed XML: mismatched tag"),
    ("<?xml version='1.0'?>\n<html><body/></html>", 2, "not a TMX file: the root element is <html>, not <tmx>"),
    ("<tmx><body><tu>\n<tuv xml:lang='en'/></tu></body></tmx>", 2, '<tuv xml:lang="en"> has no <seg>'),
    ("<tmx><body><tu>\n<tu><tuv xml:lang='en'><seg>x</seg></tuv></tu></tu></body></tmx>", 2, "<tu> inside a <tu>"),
    ("<?xml version='1.0' encoding='latin-9'?>\n<tmx><body/></tmx>", 1,
     "unknown encoding: latin-9; save the file as UTF-8"),
])
def test_bad_tmx_is_one_line_error_with_its_line(project_dir: Path, tmp_path: Path, text, line, message):
    bad = tmp_path / "bad.tmx"
    bad.write_text(text, encoding="utf-8")
    result = run(project_dir, "tm", "import", str(bad))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {bad}:{line}: {message}"
    assert not (project_dir / "tm").exists()


def test_a_tmx_without_the_source_language_is_refused(tmp_path: Path, project: Project):
    other = tmp_path / "fr.tmx"
    other.write_text(TMX.replace("en-US", "es-ES"), encoding="utf-8")
    with pytest.raises(TmError, match="no translation unit pairs en with another language"):
        tm_import(project, other)


def test_export_of_nothing_reviewed_is_an_empty_valid_tmx(project: Project, tmp_path: Path):
    result = tm_export(project, tmp_path / "es.tmx", ("es",))
    assert result.units == 0 and parse_tmx((tmp_path / "es.tmx").read_bytes()).units == []


def test_export_to_an_unwritable_place_is_one_line(project_dir: Path, tmp_path: Path):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    result = run(project_dir, "tm", "export", str(tmp_path / "a-file" / "memory.tmx"))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path / 'a-file' / 'memory.tmx'}: cannot write: ")
    assert len(result.output.strip().splitlines()) == 1
