from storyloc.po import Message
from storyloc.po.provenance import Record, is_machine_draft, latest, parse, replace


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


def test_a_persons_edit_after_a_draft_makes_it_no_longer_a_machine_draft():
    from storyloc.po.provenance import text_digest
    m = Message("Bakhmut", ["Бахмут"], flags=["fuzzy"])
    replace(m, [Record("draft", {"engine": "apertium", "text": text_digest("Бахмут")})], ("draft",))
    assert is_machine_draft(m)
    m.msgstr = ["Бахмут (виправлено в Poedit)"]          # edited by hand: no record, the digest tells
    assert not is_machine_draft(m)
    m.msgstr = ["Бахмут"]
    m.translator_comments.append(Record("edited", {"by": "Olena"}).format())   # the review page's record
    assert not is_machine_draft(m)
