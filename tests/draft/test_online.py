"""deep-translator's own code paths against loopback servers speaking each provider's protocol."""
from __future__ import annotations


import pytest

from storyloc.project import DraftSettings
from storyloc.draft.engines import make_engine
from storyloc.errors import EngineFailure

from fakeproviders import FakeProvider, refused_url

KEYS = {"DEEPL_API_KEY": "test-key:fx", "MICROSOFT_API_KEY": "test-key"}


def engine_for(name: str, url: str, **settings):
    values = {"timeout": 0.3, "retries": 1, "backoff": 0.01, "concurrency": 4, **settings}
    return make_engine(name, DraftSettings(endpoints={name: url}, **values), KEYS)


def translate(name: str, url: str, texts: list[str], target: str = "uk", **settings):
    engine = engine_for(name, url, **settings)
    try:
        return engine, engine.translate(texts, "en", target)
    finally:
        engine.close()


def reason(result) -> str:
    assert isinstance(result, EngineFailure), result
    return result.reason


@pytest.mark.parametrize("name, source, target", [
    ("google", "en", "uk"),
    ("mymemory", "en-GB", "uk-UA"),     # MyMemory rejects a bare "uk"
    ("libre", "en", "uk"),              # deep-translator's LibreTranslate table has no Ukrainian
    ("deepl", "EN", "UK"),
    ("microsoft", "en", "uk"),          # and no call to the live language list on construction
])
def test_each_provider_translates_through_deep_translator(name, source, target):
    with FakeProvider(name) as fake:
        _, results = translate(name, fake.url, ["Life under fire in {1}", "Photographs by {2}"])
    prefix = f"{target.upper()}: "                 # the fake translates into the code it was sent
    assert results == [prefix + "Life under fire in {1}", prefix + "Photographs by {2}"]
    assert sorted(fake.texts) == ["Life under fire in {1}", "Photographs by {2}"]
    assert {(r["source"], r["target"]) for r in fake.requests} == {(source, target)}


@pytest.mark.parametrize("name", ["libre", "mymemory", "google"])
def test_429_is_retried_after_a_backoff_then_succeeds(name):
    with FakeProvider(name, script=[429]) as fake:
        _, [result] = translate(name, fake.url, ["Bakhmut"])
    assert isinstance(result, str) and result.endswith("Bakhmut")
    assert fake.texts == ["Bakhmut", "Bakhmut"]


@pytest.mark.parametrize("name", ["libre", "mymemory", "google"])
def test_500_is_retried_then_reported(name):
    with FakeProvider(name, script=[500, 500]) as fake:
        _, [result] = translate(name, fake.url, ["Bakhmut"])
    assert reason(result) == "server error (HTTP 500), 2 tries"
    assert len(fake.requests) == 2


@pytest.mark.parametrize("name", ["libre", "mymemory"])
def test_a_server_that_does_not_answer_times_out(name):
    with FakeProvider(name, script=["timeout", "timeout"], hang=1.0) as fake:
        _, [result] = translate(name, fake.url, ["Bakhmut"])
    assert reason(result) == "timed out (no answer within 0.3 s), 2 tries"
    assert len(fake.requests) == 2


@pytest.mark.parametrize("name", ["libre", "mymemory", "google"])
def test_connection_refused_fails_fast_and_stops_the_engine(name):
    engine, results = translate(name, refused_url(name), ["one", "two", "three"])
    assert {reason(r) for r in results} == {"unreachable (Connection refused)"}
    assert engine.unavailable("en", "uk") == "unreachable (Connection refused)"


@pytest.mark.parametrize("bypass", [True, False])
def test_the_environments_proxy_is_used_unless_no_proxy_names_the_host(monkeypatch, bypass):
    """requests reads the environment once per host here, not once per request: what it reads still
    decides (a proxy where nothing listens fails the request; NO_PROXY bypasses it)."""
    proxy = refused_url().rsplit("/", 1)[0]
    monkeypatch.setenv("HTTP_PROXY", proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1" if bypass else "")
    with FakeProvider("google") as fake:
        _, results = translate("google", fake.url, ["one", "two"])
    if bypass:
        assert results == ["UK: one", "UK: two"]
    else:
        assert {reason(r).split(" (")[0] for r in results} == {"unreachable"}
        assert fake.requests == []


@pytest.mark.parametrize("bypassed", [True, False])
def test_a_redirect_to_another_host_reads_the_environment_for_that_host(monkeypatch, bypassed):
    """As requests does by itself: NO_PROXY names 127.0.0.1; the answer redirects to localhost,
    which goes through the (dead) proxy unless NO_PROXY names it too."""
    monkeypatch.setenv("HTTP_PROXY", refused_url().rsplit("/", 1)[0])
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost" if bypassed else "127.0.0.1")
    with FakeProvider("google") as fake:
        fake.script = [("redirect", fake.url.replace("127.0.0.1", "localhost").split("/m")[0])]
        _, [result] = translate("google", fake.url, ["one"], retries=0)
    if bypassed:
        assert result == "UK: one"
    else:
        assert reason(result).startswith("unreachable")


@pytest.mark.parametrize("name, kind", [("libre", "JSONDecodeError"), ("mymemory", "JSONDecodeError"),
                                        ("google", "TranslationNotFound"), ("deepl", "JSONDecodeError")])
def test_malformed_response_is_reported_not_retried(name, kind):
    with FakeProvider(name, script=["malformed"]) as fake:
        _, [result] = translate(name, fake.url, ["Bakhmut"])
    assert reason(result) == f"malformed response ({kind})"
    assert len(fake.requests) == 1


def test_mymemory_quota_warning_is_not_a_translation():
    def quota(text, target):
        return "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY."
    with FakeProvider("mymemory", translate=quota) as fake:
        engine, [result] = translate("mymemory", fake.url, ["Bakhmut"])
    assert reason(result).startswith("refused: MYMEMORY WARNING")
    assert engine.unavailable("en", "uk").startswith("refused: MYMEMORY WARNING")


def test_segments_go_out_concurrently():
    texts = [f"segment number {i}" for i in range(16)]
    with FakeProvider("libre", delay=0.1) as fake:
        _, results = translate("libre", fake.url, texts, concurrency=8, timeout=5)
    assert all(isinstance(r, str) for r in results)
    assert 2 <= fake.most_in_flight <= 8, fake.most_in_flight   # in parallel, within the bound


def test_keys_and_endpoints_are_asked_for_by_name():
    settings = DraftSettings()
    assert make_engine("deepl", settings, {}).unavailable("en", "uk") == "set DEEPL_API_KEY in the environment"
    assert make_engine("baidu", settings, {}).unavailable("en", "uk") == \
        "set BAIDU_APPID and BAIDU_APPKEY in the environment"
    assert "endpoints.libre" in make_engine("libre", settings, {}).unavailable("en", "uk")
    assert make_engine("google", settings, {}).unavailable("en", "uk") is None


def test_without_storyloc_the_requests_stand_in_is_plain_requests():
    """deep-translator used directly (as the benchmark's baseline does) behaves as shipped."""
    from deep_translator import LibreTranslator, libre

    with FakeProvider("libre") as fake:
        engine, _ = translate("libre", fake.url, ["warm up"])      # installs the stand-in
        stock = LibreTranslator(source="en", target="es", api_key="x", custom_url=fake.url)
        assert stock.translate("hello") == "ES: hello"
    assert type(libre.requests).__name__ == "_Http"
