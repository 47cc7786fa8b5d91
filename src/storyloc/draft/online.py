"""deep-translator's providers as storyloc engines: concurrent, retried, timed out, with a circuit breaker.

deep-translator is used through its own classes and code paths, with its
gaps covered here:

- ``translate_batch`` is a sequential loop without retry: segments go out
  through a bounded thread pool, and a 429, a 5xx or a time-out is retried
  with exponential backoff and jitter.
- it never passes a time-out to ``requests`` (one dead server hangs a run for
  ever): :class:`_Http` stands in for ``requests`` inside its provider modules
  and adds one, a kept-alive session per thread, and the status of the last
  response, so a failure can be classified. What ``requests`` reads from the
  environment (proxies, CA bundle, ``.netrc`` login) is read once per host, not
  for every request (profiled: a sixth of a thousand-segment draft's CPU).
  Outside a storyloc call it is plain ``requests``.
- its exceptions share no base class: every exception from a provider call
  becomes an :class:`EngineFailure` with a reason a person can act on.
- its language tables are stale (LibreTranslate's lacks Ukrainian) and its
  codes differ per provider (MyMemory needs ``uk-UA``, DeepL ``EN-GB``):
  storyloc maps codes per provider and sets them past the tables.
- keys are read from the environment when *its* modules are imported; here
  they are read at each run. Microsoft's constructor calls the live API for
  its language list; storyloc's subclass does not.
"""
from __future__ import annotations

import os
import random
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Callable

from babel import Locale

from ..errors import EngineFailure
from ..project import DraftSettings
from .engines import Engine, network_reason

class _Http:
    """Stands in for ``requests`` inside deep-translator's provider modules (see the module notes)."""

    def __init__(self) -> None:
        import requests
        self._requests = requests
        self._session_class = _session(requests)
        self.exceptions = requests.exceptions
        self._local = threading.local()
        self._sessions: list = []
        self._lock = threading.Lock()

    def __getattr__(self, name: str):
        return getattr(self._requests, name)

    @property
    def state(self) -> threading.local:
        return self._local

    def begin(self, timeout: float) -> None:
        """Called before each provider call in a storyloc worker thread."""
        self._local.timeout = timeout
        self._local.status = None
        self._local.error = None

    def end(self) -> None:
        self._local.timeout = None

    def _call(self, method: str, url: str, **kwargs):
        timeout = getattr(self._local, "timeout", None)
        if timeout is None:                                  # not storyloc calling: plain requests
            return getattr(self._requests, method)(url, **kwargs)
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = self._session_class()
            session.trust_env = False                        # the environment: read by _environment
            self._local.environment = {}
            with self._lock:
                self._sessions.append(session)
        environment = self._environment(url)
        kwargs["proxies"] = {**environment["proxies"], **(kwargs.get("proxies") or {})}
        kwargs.setdefault("verify", environment["verify"])
        if environment["auth"] is not None:
            kwargs.setdefault("auth", environment["auth"])
        kwargs.setdefault("timeout", (min(3.0, timeout), timeout))
        try:
            response = session.request(method.upper(), url, **kwargs)
        except self._requests.RequestException as e:
            self._local.error = e
            raise
        self._local.status = response.status_code
        return response

    def _environment(self, url: str) -> dict:
        """What a session that trusts the environment would read for ``url``'s host: its proxies
        (``no_proxy`` applied), the CA bundle of ``REQUESTS_CA_BUNDLE`` or ``CURL_CA_BUNDLE``, and
        a ``.netrc`` login."""
        from urllib.parse import urlsplit
        host = urlsplit(url)[:2]
        found = self._local.environment.get(host)
        if found is None:
            from requests.utils import get_environ_proxies, get_netrc_auth
            verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
            found = self._local.environment[host] = {"proxies": get_environ_proxies(url), "verify": verify,
                                                     "auth": get_netrc_auth(url)}
        return found

    def get(self, url, **kwargs):
        return self._call("get", url, **kwargs)

    def post(self, url, **kwargs):
        return self._call("post", url, **kwargs)

    def close_sessions(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()
        self._local = threading.local()


_HTTP: _Http | None = None


def _session(requests):
    """requests' Session, reading the environment again where a redirect leads, as it does by
    itself (:class:`_Http` passes what the environment says for the first host)."""
    class Session(requests.Session):
        def rebuild_proxies(self, prepared_request, proxies):
            return self._trusting(super().rebuild_proxies, prepared_request, proxies)

        def rebuild_auth(self, prepared_request, response):
            return self._trusting(super().rebuild_auth, prepared_request, response)

        def _trusting(self, rebuild, *args):
            self.trust_env = True
            try:
                return rebuild(*args)
            finally:
                self.trust_env = False

    return Session


def _http() -> _Http:
    """Install the stand-in once, into each provider module of deep-translator."""
    global _HTTP
    if _HTTP is None:
        from deep_translator import baidu, deepl, google, libre, microsoft, mymemory, papago, qcri, yandex
        _HTTP = _Http()
        for module in (baidu, deepl, google, libre, microsoft, mymemory, papago, qcri, yandex):
            module.requests = _HTTP
    return _HTTP


def _english_name(code: str) -> str:
    try:
        return (Locale.parse(code).get_language_name("en") or code).lower()
    except (ValueError, TypeError):
        return code


def _from_table(table: dict, code: str) -> str:
    """The provider's code for a language, from its own table by English name, else ISO 639-1."""
    by_name = {k.lower(): v for k, v in table.items()}
    return by_name.get(_english_name(code), code.split("_")[0])


@dataclass(frozen=True)
class Provider:
    """How to build one deep-translator class for a language pair."""

    name: str
    keys: tuple[str, ...]                    # environment variables it needs
    build: Callable[[str, str, dict, str | None], object]
    code: Callable[[str, bool], str]         # (storyloc code, is_target) -> provider code
    max_chars: int = 5000


def _google_code(code: str, is_target: bool) -> str:
    special = {"zh_CN": "zh-CN", "zh_TW": "zh-TW", "zh_Hans": "zh-CN", "zh_Hant": "zh-TW", "he": "iw"}
    return special.get(code, code.split("_")[0].split("@")[0])


def _mymemory_code(code: str, is_target: bool) -> str:
    """MyMemory wants RFC 3066 with a region: uk-UA, not uk (which it rejects)."""
    from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES
    if "_" in code:
        return code.replace("_", "-")
    values = list(MY_MEMORY_LANGUAGES_TO_CODES.values())
    preferred = {"en": "en-GB", "es": "es-ES", "pt": "pt-PT", "fr": "fr-FR", "de": "de-DE", "ar": "ar-SA"}
    if code in preferred:
        return preferred[code]
    same = [v for v in values if v.split("-")[0].lower() == code.lower()]
    exact = [v for v in same if v.lower() == f"{code}-{code}".lower()]
    return (exact or same or [code])[0]


def _deepl_code(code: str, is_target: bool) -> str:
    primary = code.split("_")[0]
    if is_target and primary == "en":
        return "EN-US" if code == "en_US" else "EN-GB"
    if is_target and primary == "pt":
        return "PT-BR" if code == "pt_BR" else "PT-PT"
    return primary.upper()


def _plain_code(code: str, is_target: bool) -> str:
    return code.split("_")[0].split("@")[0]


def _table_code(table_name: str):
    def code(lang: str, is_target: bool) -> str:
        from deep_translator import constants
        return _from_table(getattr(constants, table_name), lang)
    return code


def _pair(translator, source: str, target: str, url: str | None):
    """Point a translator at the pair (past its language table) and, if asked, another endpoint."""
    translator.source, translator.target = source, target
    if url:
        translator._base_url = url
    return translator


def _build_google(source, target, env, url):
    from deep_translator import GoogleTranslator
    return _pair(GoogleTranslator(source="en", target="es"), source, target, url)


def _build_mymemory(source, target, env, url):
    from deep_translator import MyMemoryTranslator
    return _pair(MyMemoryTranslator(source="english", target="spanish", email=env.get("MYMEMORY_EMAIL")),
                 source, target, url)


def _build_libre(source, target, env, url):
    from deep_translator import LibreTranslator
    # A self-hosted instance needs no key, but deep-translator refuses to start without one.
    key = env.get("LIBRE_API_KEY") or "none"
    translator = LibreTranslator(source="en", target="es", api_key=key,
                                 custom_url=(url.rstrip("/") + "/") if url else None, use_free_api=False)
    if not env.get("LIBRE_API_KEY"):
        translator.api_key = None
    return _pair(translator, source, target, None)


def _build_deepl(source, target, env, url):
    from deep_translator import DeeplTranslator
    key = env["DEEPL_API_KEY"]
    translator = DeeplTranslator(source="en", target="es", api_key=key, use_free_api=key.endswith(":fx"))
    return _pair(translator, source, target, (url.rstrip("/") + "/") if url else None)


def _build_microsoft(source, target, env, url):
    from deep_translator import MicrosoftTranslator

    class _Microsoft(MicrosoftTranslator):
        def _get_supported_languages(self):      # the stock one calls the live API at construction
            return {"english": "en", "spanish": "es"}

    translator = _Microsoft(source="en", target="es", api_key=env["MICROSOFT_API_KEY"],
                            region=env.get("MICROSOFT_REGION"))
    return _pair(translator, source, target, url)


def _build_yandex(source, target, env, url):
    from deep_translator import YandexTranslator
    return _pair(YandexTranslator(source="en", target="es", api_key=env["YANDEX_API_KEY"]), source, target, url)


def _build_papago(source, target, env, url):
    from deep_translator import PapagoTranslator
    translator = PapagoTranslator(client_id=env["PAPAGO_CLIENT_ID"], secret_key=env["PAPAGO_SECRET_KEY"],
                                  source="en", target="ko")
    return _pair(translator, source, target, url)


def _build_baidu(source, target, env, url):
    from deep_translator import BaiduTranslator
    translator = BaiduTranslator(source="en", target="zh", appid=env["BAIDU_APPID"], appkey=env["BAIDU_APPKEY"])
    return _pair(translator, source, target, url)


def _build_qcri(source, target, env, url):
    from deep_translator import QcriTranslator
    translator = QcriTranslator(source="en", target="ar", api_key=env["QCRI_API_KEY"])
    return _pair(translator, source, target, url)


PROVIDERS = {
    "google": Provider("google", (), _build_google, _google_code),
    "mymemory": Provider("mymemory", (), _build_mymemory, _mymemory_code, max_chars=500),
    "libre": Provider("libre", (), _build_libre, _plain_code),
    "deepl": Provider("deepl", ("DEEPL_API_KEY",), _build_deepl, _deepl_code),
    "microsoft": Provider("microsoft", ("MICROSOFT_API_KEY",), _build_microsoft, _plain_code),
    "yandex": Provider("yandex", ("YANDEX_API_KEY",), _build_yandex, _plain_code),
    "papago": Provider("papago", ("PAPAGO_CLIENT_ID", "PAPAGO_SECRET_KEY"), _build_papago, _plain_code),
    "baidu": Provider("baidu", ("BAIDU_APPID", "BAIDU_APPKEY"), _build_baidu, _table_code("BAIDU_LANGUAGE_TO_CODE")),
    "qcri": Provider("qcri", ("QCRI_API_KEY",), _build_qcri, _plain_code),
}
OPTIONAL_KEYS = ("LIBRE_API_KEY", "MYMEMORY_EMAIL", "MICROSOFT_REGION", "QCRI_DOMAIN")
# Answers some providers give with HTTP 200 that are not translations.
NOT_A_TRANSLATION = re.compile(r"^(MYMEMORY WARNING|QUERY LENGTH LIMIT|.*IS AN INVALID (SOURCE|TARGET) LANGUAGE"
                               r"|INVALID LANGUAGE PAIR)", re.IGNORECASE)


class Online(Engine):
    """A deep-translator provider, driven concurrently with retries, a time-out and a circuit breaker."""

    online = True
    cacheable = True
    GIVE_UP_AFTER = 3        # segments in a row that failed after every retry: the engine is down

    def __init__(self, name: str, settings: DraftSettings, env: dict | None = None):
        self.name = name
        self.provider = PROVIDERS[name]
        self.settings = settings
        self.url = settings.endpoints.get(name)
        env = os.environ if env is None else env
        self.env = {k: env[k] for k in self.provider.keys + OPTIONAL_KEYS if env.get(k)}
        # QCRI's translate() insists on a domain.
        self._extra = {"domain": self.env.get("QCRI_DOMAIN", "general")} if name == "qcri" else {}
        self._local = threading.local()
        self._pool: ThreadPoolExecutor | None = None
        self._down: EngineFailure | None = None
        self._failures_in_a_row = 0
        self._lock = threading.RLock()          # _trip() runs under it too
        self.requests = 0                       # provider calls made, retries included

    def unavailable(self, source, target):
        if self._down is not None:
            return self._down.reason
        missing = [k for k in self.provider.keys if k not in self.env]
        if missing:
            return f"set {' and '.join(missing)} in the environment"
        if self.name == "libre" and not self.url and "LIBRE_API_KEY" not in self.env:
            return "set endpoints.libre in [tool.storyloc.draft] to your LibreTranslate URL (or LIBRE_API_KEY)"
        return None

    def identity(self, source, target):
        src, tgt = self._codes(source, target)
        return (f"{self.name}@{self.url}" if self.url else self.name), f"{src}-{tgt}"

    def _codes(self, source: str, target: str) -> tuple[str, str]:
        return self.provider.code(source, False), self.provider.code(target, True)

    def _translator(self, source: str, target: str):
        """One instance per thread and pair: several providers keep per-call state on the instance."""
        cache = self._local.__dict__.setdefault("translators", {})
        if (source, target) not in cache:
            src, tgt = self._codes(source, target)
            cache[(source, target)] = self.provider.build(src, tgt, self.env, self.url)
        return cache[(source, target)]

    def translate(self, texts, source, target, on_result=None):
        results: list[str | EngineFailure] = [EngineFailure("not sent")] * len(texts)
        if not texts:
            return results
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.settings.concurrency,
                                            thread_name_prefix=f"storyloc-{self.name}")
        futures = {self._pool.submit(self._one, text, source, target): i for i, text in enumerate(texts)}
        try:
            for future in as_completed(futures):
                i = futures[future]
                results[i] = future.result()
                if on_result:
                    on_result(i, results[i])
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        return results

    def _one(self, text: str, source: str, target: str) -> str | EngineFailure:
        if len(text) >= self.provider.max_chars:
            return EngineFailure(f"segment longer than the {self.provider.max_chars} characters it accepts")
        http = _http()
        settings = self.settings
        for attempt in range(settings.retries + 1):
            if self._down is not None:
                return self._down
            http.begin(settings.timeout)
            with self._lock:
                self.requests += 1
            try:
                translator = self._translator(source, target)
                answer = translator.translate(text, **self._extra)
            except Exception as exc:          # deep-translator's exceptions share no base class
                failure = self._classify(exc, http.state)
            else:
                failure = self._check(answer)
            finally:
                http.end()
            if failure is None:
                with self._lock:
                    self._failures_in_a_row = 0
                return answer
            if failure.fatal:
                return self._trip(failure)
            if not failure.retryable or attempt == settings.retries:
                break
            delay = settings.backoff * (2 ** attempt)
            time.sleep(min(30.0, delay * (1 + random.random() / 2)))
        if failure.retryable:
            failure = EngineFailure(f"{failure.reason}, {settings.retries + 1} tries", retryable=True)
            with self._lock:
                self._failures_in_a_row += 1
                if self._failures_in_a_row >= self.GIVE_UP_AFTER:
                    return self._trip(EngineFailure(f"gave up after {self.GIVE_UP_AFTER} segments in a row "
                                                    f"failed: {failure.reason}", fatal=True))
        return failure

    @property
    def down(self) -> bool:
        """Tripped during this run (unreachable, key refused, failing): a later run may do better."""
        return self._down is not None

    def _trip(self, failure: EngineFailure) -> EngineFailure:
        """Mark the engine down for the rest of the run, so an offline machine fails fast."""
        with self._lock:
            if self._down is None:
                self._down = failure
            return self._down

    def _check(self, answer) -> EngineFailure | None:
        if not isinstance(answer, str) or not answer.strip():
            return EngineFailure("malformed response: no translation in it")
        if NOT_A_TRANSLATION.match(answer.strip()):
            return EngineFailure(f"refused: {answer.strip()[:80]}", fatal=answer.upper().startswith("MYMEMORY"))
        return None

    def _classify(self, exc: Exception, state) -> EngineFailure:
        import requests
        from deep_translator import exceptions as dt
        error = getattr(state, "error", None)           # what the network did, recorded by _Http
        status = getattr(state, "status", None)
        timeout = self.settings.timeout
        if isinstance(error, requests.ConnectTimeout):
            return EngineFailure(f"unreachable (no connection within {min(3.0, timeout):g} s)", fatal=True)
        if isinstance(error, requests.Timeout):
            return EngineFailure(f"timed out (no answer within {timeout:g} s)", retryable=True)
        if isinstance(error, requests.ConnectionError):
            return EngineFailure(f"unreachable ({network_reason(error)})", fatal=True)
        if status == 429 or isinstance(exc, dt.TooManyRequests):
            return EngineFailure("rate-limited (HTTP 429)", retryable=True)
        if status is not None and status >= 500:
            return EngineFailure(f"server error (HTTP {status})", retryable=True)
        if status in (401, 403) or isinstance(exc, (dt.AuthorizationException, dt.ApiKeyException)):
            return EngineFailure(f"key rejected (HTTP {status or 403})", fatal=True)
        if isinstance(exc, (dt.NotValidLength, dt.NotValidPayload)):
            return EngineFailure("segment too long or empty for this provider")
        if status is not None and not 200 <= status < 300:
            return EngineFailure(f"request refused (HTTP {status})")
        if isinstance(error, requests.RequestException):
            return EngineFailure(f"request failed ({type(error).__name__})", retryable=True)
        return EngineFailure(f"malformed response ({type(exc).__name__})")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if _HTTP is not None:
            _HTTP.close_sessions()
