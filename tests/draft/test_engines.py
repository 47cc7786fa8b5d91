"""The engine registry: each name the configuration accepts makes its engine; failures read as people say them."""
from __future__ import annotations

import pytest

from storyloc.draft.engines import Engine, make_engine, network_reason
from storyloc.project import ENGINE_NAMES, DraftSettings


def test_every_machine_engine_name_makes_its_engine():
    for name in ENGINE_NAMES:
        if name in ("tm", "glossary"):          # the draft stage's own steps, not engines
            continue
        engine = make_engine(name, DraftSettings(), {})
        assert isinstance(engine, Engine) and engine.name == name, name
        engine.close()
    with pytest.raises(KeyError):
        make_engine("bing", DraftSettings(), {})


@pytest.mark.parametrize("error, reason", [
    (OSError("HTTPConnectionPool(host='x', port=1): Max retries exceeded (Caused by NewConnectionError("
             "'<urllib3.connection.HTTPConnection>: Failed to establish a new connection: [Errno 111] "
             "Connection refused'))"), "Connection refused"),
    (OSError("lookup failed: Temporary failure in name resolution"), "Temporary failure in name resolution"),
    (ValueError("something else"), "ValueError"),
])
def test_network_failures_read_in_a_few_words(error, reason):
    assert network_reason(error) == reason
