"""storyloc draft --engine llm against a loopback server speaking Chat Completions, through the openai SDK."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from storyloc.po import read_po, save_po
from storyloc.project import Project
from storyloc.draft import draft
from storyloc.draft.placeholders import mask
from storyloc.po.provenance import is_machine_draft, latest, records

from conftest import DATA, PROJECT, STORY, msgfmt_check, run
from fakeproviders import FakeProvider, refused_url

import drafting

KEEP = [("Gwara Media", "Gwara Media")]


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYLOC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STORYLOC_ONLINE", raising=False)
    monkeypatch.delenv("STORYLOC_LLM_API_KEY", raising=False)


def po(root: Path, lang: str = "uk") -> Path:
    return drafting.po(root, lang)


@pytest.fixture
def root(project_dir: Path) -> Path:
    return drafting.with_empty_catalogs(project_dir, ("uk",))


def reviewed_uk() -> dict[str, str]:
    """The newsroom's reviewed Ukrainian, keyed as the model sees each segment (keep-as-is names as
    placeholders): the fake model answers with what a good translator wrote."""
    out = {}
    for m in read_po(po(PROJECT)).entries():
        masked = mask(m.msgid, KEEP, "uk", numbers=False, markup=False)
        text = m.msgstr[0]
        for n in sorted(k for k, kind in masked.kinds.items() if kind == "term"):
            text = text.replace(masked.originals[n], f"{{{n}}}", 1)
        # The desk wrote "Donetsk Oblast Governor" as "очільник Донецької ОДА", which the glossary does not
        # list: a model told to follow the glossary writes the term, and verification would refuse less.
        out[masked.text] = text.replace("Донецької ОДА", "Донецької області")
    return out


def translator():
    known = reviewed_uk()
    return lambda text, target: known[text]


def configure(root: Path, url: str, *, chain=("tm", "glossary", "llm"), **settings) -> None:
    lines = ["", "[tool.storyloc.draft]", "online = true", f'endpoints = {{ llm = "{url}" }}',
             'llm_model = "test-model"']
    for key, value in {"timeout": 2, "retries": 2, "backoff": 0.01, **settings}.items():
        lines.append(f"{key} = {value}")
    lines += ["[tool.storyloc.draft.engines]", f"uk = [{', '.join(json.dumps(e) for e in chain)}]"]
    path = root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")


def drafted(root: Path) -> dict[str, str]:
    return {m.msgid: m.msgstr[0] for m in read_po(po(root)).entries() if m.msgstr[0]}


def test_the_story_drafted_into_ukrainian_in_one_request_then_a_rerun_sends_nothing(root):
    (root / "glossary" / "uk.style.md").write_text("Лапки «ялинки». Апостроф ʼ (U+02BC).\n", encoding="utf-8")
    with FakeProvider("openai", translate=translator()) as fake:
        configure(root, fake.url)
        first = run(root, "draft", "--lang", "uk")
        assert first.exit_code == 0, first.output
        assert "20 llm" in first.output
        assert len(fake.requests) == 1                          # the whole story in one request
        request = fake.requests[0]
        body = request["body"]
        assert body["model"] == "test-model" and body["temperature"] == 0
        assert body["response_format"]["type"] == "json_schema"
        schema = body["response_format"]["json_schema"]["schema"]
        assert schema["properties"]["translations"]["items"]["required"] == ["id", "text"]
        assert [s["kind"] for s in request["segments"]][:3] == ["title", "dek", "byline"]
        assert {s["kind"] for s in request["segments"]} == {"title", "dek", "byline", "paragraph", "caption",
                                                           "credit"}
        assert request["authorization"] == "Bearer none"        # a local server needs no key
        context = body["messages"][1]["content"]
        assert "Life under fire in Bakhmut" in context           # the story's title and dek as context
        assert "у Бахмуті" in context                            # glossary notes: how names inflect
        assert "Лапки «ялинки»" in context                       # the newsroom's style guide for Ukrainian
        system = body["messages"][0]["content"]
        assert "70\u00a0000" in system                           # numbers the Ukrainian way, from CLDR
        assert "inflects names" in system
        assert "Gwara Media" not in request["text"]              # kept as is: shielded as a placeholder

        catalog = read_po(po(root))
        entries = catalog.entries()
        assert len(entries) == 20 and all(m.fuzzy and m.msgstr[0] for m in entries)
        assert msgfmt_check(po(root)).returncode == 0
        for m in entries:
            record = latest(m, "draft")
            assert record.fields["engine"] == "llm" and record.fields["model"] == "test-model"
            assert re.fullmatch(r"[0-9a-f]{12}", record.fields["prompt"])
            assert is_machine_draft(m)
            assert not any(r.kind == "note" and "case endings" in r.text for r in records(m))
        text = drafted(root)
        assert text["Photographs by Oleksandr Babenko"] == "Фото Олександра Бабенка"     # inflected, verified
        assert text["Oleksandr Babenko for Gwara Media"] == "Олександр Бабенко для Gwara Media"
        assert "llm requests 1, cached 0, tokens " in first.output
        check = run(root, "check", "--lang", "uk")
        assert "numbers" not in check.output and "names" not in check.output, check.output

        again = run(root, "draft", "--lang", "uk", "--force")     # re-draft every machine draft
        assert again.exit_code == 0, again.output
        assert len(fake.requests) == 1                           # the same prompt: the cache answers
        assert "llm requests 0, cached 1" in again.output
        assert drafted(root) == text


def test_engine_flag_keeps_tm_and_glossary_and_a_key_is_sent(root, monkeypatch):
    monkeypatch.setenv("STORYLOC_LLM_API_KEY", "sk-test")
    with FakeProvider("openai", translate=translator()) as fake:
        configure(root, fake.url, chain=("llm",))
        result = run(root, "draft", "--lang", "uk", "--engine", "llm")
        assert result.exit_code == 0, result.output
        assert fake.requests[0]["authorization"] == "Bearer sk-test"
        assert "Gwara Media" not in fake.requests[0]["text"]


@pytest.mark.parametrize("mischief, reason", [
    ("missing", "the answer has no segment"),
    ("placeholder", "placeholder {1} (term “Gwara Media”) is missing"),
    ("number", "numbers: "),
    ("name", "glossary: 'Bakhmut' should be 'Бахмут'"),
    ("link", "markup"),
])
def test_a_draft_that_fails_verification_is_not_kept_and_the_table_says_why(root, mischief, reason):
    def edit(translations: list[dict]) -> None:
        if mischief == "missing":
            del translations[-1]
        for t in translations:
            if mischief == "placeholder" and "{1}" in t["text"]:
                t["text"] = t["text"].replace("{1}", "Гвара Медіа")
                return
            if mischief == "number" and "70 тисяч" in t["text"]:
                t["text"] = t["text"].replace("70 тисяч", "80 тисяч")
                return
            if mischief == "name" and "Бахмут" in t["text"]:
                t["text"] = re.sub(r"Бахмут\w*", "Артемівськ", t["text"])
                return
            if mischief == "link" and "*" in t["text"]:
                t["text"] = t["text"].replace("*", "")
                return

    with FakeProvider("openai", translate=translator(), script=[edit]) as fake:
        configure(root, fake.url)
        result = run(root, "draft", "--lang", "uk")
        assert result.exit_code == 0, result.output
        assert len(fake.requests) == 1
        if mischief == "link" and "*" not in "".join(reviewed_uk().values()):
            return                                               # the story has no emphasis to break
        assert reason in result.output, result.output
        assert "19 llm" in result.output or "left" in result.output
        left = [m for m in read_po(po(root)).entries() if not m.msgstr[0]]
        assert len(left) >= 1
        assert all(not m.fuzzy for m in left)


def test_malformed_json_leaves_the_story_undrafted_and_is_not_cached(root):
    with FakeProvider("openai", translate=translator(), script=["malformed"]) as fake:
        configure(root, fake.url)
        first = run(root, "draft", "--lang", "uk")
        assert first.exit_code == 0, first.output
        assert "malformed JSON in the answer" in first.output
        assert drafted(root) == {}
        second = run(root, "draft", "--lang", "uk")               # nothing broken was cached
        assert "20 llm" in second.output
        assert len(fake.requests) == 2


def test_rate_limited_then_answered(root):
    with FakeProvider("openai", translate=translator(), script=[429, 500]) as fake:
        configure(root, fake.url)
        result = run(root, "draft", "--lang", "uk")
        assert result.exit_code == 0, result.output
        assert "20 llm" in result.output
        assert len(fake.requests) == 3                           # 429, 500, then the answer
        assert "llm requests 3, cached 0" in result.output


def test_server_errors_every_time_leave_segments_for_the_next_run(root):
    with FakeProvider("openai", translate=translator(), script=[500] * 10) as fake:
        configure(root, fake.url, retries=1)
        result = run(root, "draft", "--lang", "uk")
        assert result.exit_code == 0, result.output
        assert "server error (HTTP 500, 2 tries)" in result.output
        assert len(fake.requests) == 2
        assert drafted(root) == {}


def test_a_time_out_is_retried_then_reported(root):
    with FakeProvider("openai", translate=translator(), script=["timeout", "timeout"], hang=1.5) as fake:
        configure(root, fake.url, timeout=0.3, retries=1)
        result = run(root, "draft", "--lang", "uk")
        assert result.exit_code == 0, result.output
        assert "timed out (no answer within 0.3 s, 2 tries)" in result.output
        assert drafted(root) == {}


def test_a_refused_connection_is_reported_once(root):
    configure(root, refused_url("openai"), retries=0)
    result = run(root, "draft", "--lang", "uk")
    assert result.exit_code == 0, result.output
    assert "llm: unreachable (" in result.output


def test_offline_unless_allowed_and_nothing_sent(root, monkeypatch):
    with FakeProvider("openai", translate=translator()) as fake:
        configure(root, fake.url)
        monkeypatch.setenv("STORYLOC_ONLINE", "0")
        result = run(root, "draft", "--lang", "uk")
        assert result.exit_code == 0, result.output
        assert "online engines are off" in result.output
        assert fake.requests == []


def test_a_server_without_structured_output_is_asked_in_words(root):
    with FakeProvider("openai", translate=translator(), schema=False) as fake:
        configure(root, fake.url)
        result = run(root, "draft", "--lang", "uk")
        assert result.exit_code == 0, result.output
        assert "20 llm" in result.output                         # the fenced JSON answer is read too
        assert "response_format" not in fake.requests[-1]["body"]


def test_a_long_story_goes_in_several_requests_with_neighbours_as_context(root):
    with FakeProvider("openai", translate=translator()) as fake:
        configure(root, fake.url, llm_context=1024)
        result = run(root, "draft", "--lang", "uk")
        assert result.exit_code == 0, result.output
        assert "20 llm" in result.output
        assert len(fake.requests) > 2
        ids = [s["id"] for r in fake.requests for s in r["segments"]]
        assert len(ids) == len(set(ids)) == 20                   # each segment drafted once
        for request in fake.requests:                            # sent concurrently: in any order
            context = json.loads(request["body"]["messages"][1]["content"].split("\n", 1)[1])
            first = int(request["segments"][0]["id"])
            assert ("before" in context) == (first > 1)          # the segments just before, as context


def test_llm_without_endpoint_or_model_says_what_to_set(root):
    path = root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[tool.storyloc.draft]\nonline = true\n"
                    "[tool.storyloc.draft.engines]\nuk = [\"llm\"]\n", encoding="utf-8")
    result = run(root, "draft", "--lang", "uk")
    assert "set endpoints.llm in [tool.storyloc.draft]" in result.output


def test_bad_llm_settings_name_their_line(root):
    path = root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n[tool.storyloc.draft]\nllm_context = 10\n",
                    encoding="utf-8")
    result = run(root, "draft", "--lang", "uk")
    assert result.exit_code != 0
    assert "llm_context must be the model's context in tokens" in result.output
    assert re.search(r"pyproject.toml:\d+:", result.output)


def test_an_endpoint_joins_the_default_chain(root):
    settings = Project.load(root).draft
    assert "llm" not in settings.chain("uk")
    path = root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[tool.storyloc.draft]\nendpoints = { llm = '
                    '"http://127.0.0.1:9/v1", libre = "http://127.0.0.1:9/" }\nllm_model = "m"\n', encoding="utf-8")
    chain = Project.load(root).draft.chain("uk")
    assert chain == ("tm", "glossary", "apertium", "llm", "libre", "google")


def test_reviewed_neighbours_travel_as_context_with_their_translations(project_dir):
    """Three paragraphs left to draft in an otherwise reviewed story: one request, with the reviewed
    segments around and between them (English and Ukrainian) as context, never to be re-drafted."""
    shutil.copytree(PROJECT / "glossary", project_dir / "glossary")
    path = po(project_dir)
    catalog = read_po(path)
    paragraphs = [m for m in catalog.entries() if m.msgctxt is None][1:4]
    for m in paragraphs:
        m.msgstr, m.translator_comments = [""], []
    save_po(catalog, path)
    with FakeProvider("openai", translate=translator()) as fake:
        configure(project_dir, fake.url)
        result = run(project_dir, "draft", "--lang", "uk")
        assert result.exit_code == 0, result.output
        assert "3 llm" in result.output and len(fake.requests) == 1
        assert [s["kind"] for s in fake.requests[0]["segments"]] == ["paragraph"] * 3
        context = json.loads(fake.requests[0]["body"]["messages"][1]["content"].split("\n", 1)[1])
        around = context["before"] + context.get("between", []) + context["after"]
        assert around and all(c["translation"] for c in around)
        assert any("Бахмут" in c["translation"] for c in around)


def test_a_fuzzy_tm_match_that_differs_goes_to_the_engine_else_is_used_with_a_note(root):
    from storyloc.draft.tm import write_tmx
    english = next(m.msgid for m in read_po(po(PROJECT)).entries() if "70,000" in m.msgid)
    ukrainian = next(m.msgstr[0] for m in read_po(po(PROJECT)).entries() if "70,000" in m.msgid)
    (root / "tm").mkdir()
    (root / "tm" / "old.tmx").write_bytes(write_tmx(
        [(None, {"en": english.replace("70,000", "60,000"), "uk": ukrainian.replace("70", "60")})], "en"))
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    with FakeProvider("openai", translate=translator()) as fake:
        configure(root, fake.url)
        result = run(root, "draft", "--lang", "uk")
        assert result.exit_code == 0, result.output
        assert "20 llm" in result.output                        # the match said 60: the model drafted it
        assert "70 тисяч" in drafted(root)[english]

    catalog = read_po(po(root))
    for m in catalog.entries():
        m.msgstr, m.translator_comments, m.fuzzy = [""], [], False
    save_po(catalog, po(root))
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    configure(root, "http://127.0.0.1:9/v1", chain=("tm", "glossary"))
    result = run(root, "draft", "--lang", "uk")
    assert result.exit_code == 0, result.output
    entry = next(m for m in read_po(po(root)).entries() if m.msgid == english)
    assert "60 тисяч" in entry.msgstr[0] and entry.fuzzy                # nothing better: the match, flagged
    assert any(r.kind == "note" and r.text.startswith("differs from the English: numbers:") for r in records(entry))


def test_a_rejected_key_stops_the_engine_for_the_run(root, monkeypatch):
    monkeypatch.setenv("STORYLOC_LLM_API_KEY", "sk-wrong")
    with FakeProvider("openai", translate=translator(), script=[401]) as fake:
        configure(root, fake.url)
        result = run(root, "draft", "--lang", "uk")
        assert result.exit_code == 0, result.output
        assert "llm: key rejected (HTTP 401); set STORYLOC_LLM_API_KEY" in result.output
        assert len(fake.requests) == 1                           # a 401 is not retried


def test_every_kind_of_segment_of_the_story_format_goes_with_its_kind(project_dir):
    """The rich example story (headings, list items, table cells, alt texts, footnotes, corrections):
    each segment goes with its kind, and markup, link references and footnote markers come back."""
    shutil.copytree(DATA / "rich", project_dir / "source" / "rich")
    path = project_dir / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        f'stories = ["{STORY}"]', f'stories = ["{STORY}", "rich"]\nembed_hosts = ["youtube.com"]'), encoding="utf-8")
    from storyloc.extract import extract
    from storyloc.update import update
    extract(Project.load(project_dir))
    update(Project.load(project_dir))
    with FakeProvider("openai", translate=lambda text, target: f"UK {text}") as fake:
        configure(project_dir, fake.url)
        result = run(project_dir, "draft", "--lang", "uk", "--engine", "llm")
        assert result.exit_code == 0, result.output
        [request] = [r for r in fake.requests if any("council" in s["text"] for s in r["segments"])]
        kinds = {s["kind"] for s in request["segments"]}
        assert {"title", "heading", "item", "cell", "alt", "caption", "credit", "footnote"} <= kinds, kinds
        sent = " ".join(s["text"] for s in request["segments"])
        assert "[council vote][1]" in sent and "Example News" not in sent      # kept as is: shielded
        catalog = read_po(project_dir / "locales" / "uk" / "LC_MESSAGES" / "rich.po")
        drafted = {m.msgid: m.msgstr[0] for m in catalog.entries() if m.msgstr[0]}
        assert len(drafted) == len(catalog.entries()), result.output
        assert any("[^1]" in text and "[council vote][1]" in text for text in drafted.values())


def test_a_segment_the_model_got_wrong_falls_to_the_next_engine(root):
    def lose_the_byline(translations: list[dict]) -> None:
        translations[:] = [t for t in translations if t["text"] != "Фото Олександра Бабенка"]

    with FakeProvider("openai", translate=translator(), script=[lose_the_byline]) as fake, \
            FakeProvider("libre") as libre:
        configure(root, fake.url, chain=("tm", "glossary", "llm", "libre"))
        path = root / "pyproject.toml"
        path.write_text(path.read_text(encoding="utf-8").replace(
            f'endpoints = {{ llm = "{fake.url}" }}', f'endpoints = {{ llm = "{fake.url}", libre = "{libre.url}" }}'),
            encoding="utf-8")
        result = run(root, "draft", "--lang", "uk")
        assert result.exit_code == 0, result.output
        assert "19 llm, 1 libre" in result.output
        assert libre.texts == ["Photographs by {1}"]               # the photographer's name shielded for it
        byline = read_po(po(root)).find("Photographs by Oleksandr Babenko", "byline")
        assert latest(byline, "draft").fields["engine"] == "libre"


def test_what_verification_cannot_read_back_is_said_in_a_note(root):
    """Arabic: names in a credit cannot be read back from Arabic letters; the draft says so."""
    arabic = {"Oleksandr Babenko for {1}": "أولكسندر بابينكو لـ {1}"}
    path = po(root, "ar")
    catalog = read_po(path)
    for m in catalog.entries():
        m.msgstr, m.translator_comments, m.fuzzy = [""], [], False
    save_po(catalog, path)
    with FakeProvider("openai", translate=lambda text, target: arabic.get(text, text), target="ar") as fake:
        configure(root, fake.url)
        result = run(root, "draft", "--lang", "ar", "--engine", "llm")
        assert result.exit_code == 0, result.output
        credit = read_po(path).find("Oleksandr Babenko for Gwara Media", "credit")
        assert credit.msgstr[0] == "أولكسندر بابينكو لـ Gwara Media"
        assert any(r.kind == "note" and r.text.startswith("names not verified") for r in records(credit))


def test_another_model_is_another_cache_key_and_its_drafts_say_so(root):
    with FakeProvider("openai", translate=translator()) as fake:
        configure(root, fake.url)
        assert run(root, "draft", "--lang", "uk").exit_code == 0
        path = root / "pyproject.toml"
        path.write_text(path.read_text(encoding="utf-8").replace('llm_model = "test-model"', 'llm_model = "model-2"'),
                        encoding="utf-8")
        result = run(root, "draft", "--lang", "uk", "--force")
        assert "llm requests 1, cached 0" in result.output
        assert [r["model"] for r in fake.requests] == ["test-model", "model-2"]
        title = read_po(po(root)).find("Life under fire in Bakhmut", "title")
        assert latest(title, "draft").fields["model"] == "model-2"
