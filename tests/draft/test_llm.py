"""storyloc.draft.llm without a server: how a story is cut into requests, and how answers are read."""
from __future__ import annotations

import json

import pytest

from storyloc.errors import EngineFailure
from storyloc.draft.llm import Brief, Item, parse_answer, plan

BRIEF = Brief("en", "uk", "English", "Ukrainian", "Life under fire in Bakhmut", "Photographs from Bakhmut",
              [{"source": "Bakhmut", "target": "Бахмут", "note": "inflects: у Бахмуті"}], inflecting=True,
              numbers="70,000 is 70 000.")


def story(n: int, words: int = 40) -> list[Item]:
    return [Item(str(i), "paragraph", f"Paragraph {i}: " + "word " * words) for i in range(1, n + 1)]


def test_a_short_story_is_one_request_with_the_segments_last_as_json():
    items = story(20)
    [prompt] = plan(items, items, BRIEF, "m", 8192)
    assert prompt.ids == [str(i) for i in range(1, 21)]
    assert [m["role"] for m in prompt.messages] == ["system", "user", "user"]
    last = json.loads(prompt.messages[-1]["content"])
    assert list(last) == ["segments"] and last["segments"][0] == {"id": "1", "kind": "paragraph",
                                                                 "text": items[0].text}
    assert "inflects names" in prompt.messages[0]["content"]
    assert "у Бахмуті" in prompt.messages[1]["content"]


def test_a_long_story_is_split_with_neighbours_as_context_and_the_digest_is_stable():
    items = story(60, words=80)
    prompts = plan(items, items, BRIEF, "m", 2048)
    assert len(prompts) > 3
    assert [i for p in prompts for i in p.ids] == [i.id for i in items]          # each once, in order
    second = json.loads(prompts[1].messages[1]["content"].split("\n", 1)[1])
    last_of_first = items[int(prompts[0].ids[-1]) - 1]
    assert second["before"][-1]["text"] == last_of_first.text                    # the overlap
    assert [p.digest for p in plan(items, items, BRIEF, "m", 2048)] == [p.digest for p in prompts]
    assert plan(items, items, BRIEF, "other-model", 2048)[0].digest != prompts[0].digest


@pytest.mark.parametrize("content, expected", [
    ('{"translations": [{"id": "1", "text": "Так"}, {"id": "2", "text": "Ні"}]}', {"1": "Так", "2": "Ні"}),
    ('```json\n{"translations": [{"id": "1", "text": "Так"}]}\n```', {"1": "Так"}),
    ('{"translations": [{"id": 1, "text": "Так"}, {"id": "9", "text": "?"}]}', {"1": "Так"}),
])
def test_answers_are_read_by_id(content, expected):
    assert parse_answer(content, ["1", "2"]) == expected


@pytest.mark.parametrize("content, reason", [
    ('{"translations": [{"id": "1", "text": "Та', "malformed JSON in the answer"),
    ('{"answer": "Так"}', 'no "translations" list'),
    ("", "empty answer"),
])
def test_answers_that_are_not_the_json_asked_for_fail(content, reason):
    with pytest.raises(EngineFailure, match=reason):
        parse_answer(content, ["1"])
