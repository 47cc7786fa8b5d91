"""The reader leaves the collector as it found it, with the catalog it made out of the young generations."""
import gc

from storyloc.po import parse_po

BODY = "".join(f'msgid "message {i}"\nmsgstr "повідомлення {i}"\n\n' for i in range(300))
CATALOG = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n' + BODY


def test_a_read_catalog_is_in_the_oldest_generation_and_not_counted_as_young():
    assert gc.isenabled()
    catalog = parse_po(CATALOG.encode())
    assert gc.isenabled()
    assert gc.get_count()[0] < 100         # no collection is due because of the 300 messages
    messages = catalog.messages            # made on first use, with the collector paused too
    assert gc.get_count()[0] < 100
    oldest = {id(o) for o in gc.get_objects(2)}
    assert all(id(m) in oldest for m in messages)


def test_the_collector_stays_paused_and_frozen_objects_stay_frozen():
    gc.disable()
    try:
        parse_po(CATALOG.encode())
        assert not gc.isenabled()
    finally:
        gc.enable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        catalog = parse_po(CATALOG.encode())
        assert gc.get_freeze_count() == frozen   # the program's own freeze is left alone
        assert catalog.messages[1].msgstr == ["повідомлення 0"]
    finally:
        gc.unfreeze()
