from storyloc.catalog import Message
from storyloc.provenance import Record, is_machine_draft, latest, parse, replace


def test_records_round_trip_and_leave_other_comments_alone():
    m = Message("Bakhmut", ["Бахмут"], translator_comments=["checked with the desk"], flags=["fuzzy"])
    replace(m, [Record("draft", {"engine": "apertium", "date": "2026-11-25"}),
                Record("note", text="unknown words: Soledar")], ("draft", "note"))
    assert m.translator_comments[0] == "checked with the desk"
    assert latest(m, "draft").fields == {"engine": "apertium", "date": "2026-11-25"}
    assert is_machine_draft(m)
    replace(m, [Record("draft", {"engine": "tm"})], ("draft", "note"))
    assert [parse(c).kind for c in m.translator_comments[1:]] == ["draft"]
    m.fuzzy = False
    assert not is_machine_draft(m)
