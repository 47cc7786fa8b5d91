"""The ``llm`` engine: a language model over the OpenAI Chat Completions protocol, drafting whole stories.

Hosted providers and local servers (llama.cpp's server, Ollama, vLLM, LM
Studio) all speak this protocol, so a newsroom can draft Ukrainian on its own
machine. The base URL is ``endpoints.llm`` in ``[tool.storyloc.draft]``, the
model ``llm_model``, the key ``STORYLOC_LLM_API_KEY`` (none for a local server).

The client is the official ``openai`` SDK: it takes any ``base_url``, sets a
time-out on every request, retries 408/409/429/5xx, dropped connections and
time-outs with exponential backoff and jitter, honours the server's
``Retry-After``, and reports token usage, so none of that is written again here.

The model gets the story, not isolated strings (:func:`plan`): a system
message with the rules (markup, link references, footnotes, placeholders and
numbers kept; names inflected as the grammar needs), then one user message of
context (title and dek, the glossary entries that occur with their notes,
reviewed translations from the memory as examples, the newsroom's style guide
for the language, the segments just before and after), and last the segments
as JSON, ``{"segments": [{"id", "kind", "text"}]}``. The answer is asked for as
structured output, ``{"translations": [{"id", "text"}]}``. A story longer than
the model's context goes in several requests, each with its neighbours as
context. Nothing the model says is trusted: :mod:`storyloc.draft` verifies
every answer before keeping it.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..project import DraftSettings
from .engines import Engine
from ..errors import EngineFailure

KEY_VARIABLE = "STORYLOC_LLM_API_KEY"
CONTEXT_SEGMENTS = 2            # neighbours given as context at each end of a request
OUTPUT_SHARE = 0.45             # of the context kept free for the answer
CHARS_PER_TOKEN = 3.0           # a cautious estimate (Cyrillic takes more tokens than English)

ANSWER_SCHEMA = {
    "type": "object",
    "properties": {
        "translations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
                "required": ["id", "text"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["translations"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Item:
    """One segment of the story as the model sees it."""

    id: str
    kind: str                   # title, dek, byline, paragraph, caption, credit, heading…
    text: str
    translation: str = ""       # a reviewed translation: context for its neighbours, never re-drafted


@dataclass
class Brief:
    """What the model is told about the story and the language, besides the segments."""

    source: str                                         # language codes
    target: str
    source_name: str
    target_name: str
    title: str = ""
    dek: str = ""
    terms: list[dict] = field(default_factory=list)     # {source, target, note, keep}
    examples: list[dict] = field(default_factory=list)  # {source, target}: reviewed translations
    style: str = ""                                     # glossary/<lang>.style.md
    inflecting: bool = False
    numbers: str = ""                                   # how the language writes numbers, from CLDR


@dataclass
class Prompt:
    """One request: the messages, the ids it asks for, and its digest (the cache key)."""

    messages: list[dict]
    ids: list[str]
    digest: str


@dataclass
class Reply:
    """What a request brought back: the model's answer as it came (read by :func:`parse_answer`), and
    what it cost."""

    raw: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    requests: int = 0           # HTTP requests it took (retries included); 0 from the cache


def system_message(brief: Brief) -> str:
    rules = [
        f"You translate news stories from {brief.source_name} into {brief.target_name} for publication.",
        "Translate each segment of the JSON you are given, fully and faithfully, in the register of a "
        "quality newspaper; keep each segment separate, and never merge, split or skip one.",
        "Keep Markdown exactly: *emphasis*, **strong**, `code`; link references [text][n] keep their "
        "brackets and number (translate the text inside); footnote markers like [^1] and placeholders "
        "like {1} stay exactly as written, once each.",
        "Keep every number's value. " + brief.numbers,
        "Use the glossary's translations for the terms it lists. Terms marked keep stay exactly as written.",
    ]
    if brief.inflecting:
        rules.append(f"{brief.target_name} inflects names: put glossary names in the case the sentence needs "
                     "(the notes show forms); never leave a name in its dictionary form where grammar needs another.")
    rules.append('Answer with JSON only: {"translations": [{"id": …, "text": …}]}, one entry for every id given.')
    return "\n".join(rules)


def _shown(item: Item) -> dict:
    return {"kind": item.kind, "text": item.text, **({"translation": item.translation} if item.translation else {})}


def context_message(brief: Brief, before: list[Item], after: list[Item], between: list[Item] = ()) -> str:
    context: dict = {"story": {"title": brief.title, "dek": brief.dek}}
    if brief.terms:
        context["glossary"] = brief.terms
    if brief.examples:
        context["examples"] = brief.examples
    if brief.style:
        context["style_guide"] = brief.style
    if before:
        context["before"] = [_shown(i) for i in before]
    if between:
        context["between"] = [_shown(i) for i in between]     # translated already: for consistency
    if after:
        context["after"] = [_shown(i) for i in after]
    return ("Context for the segments that follow (do not translate it):\n"
            + json.dumps(context, ensure_ascii=False, indent=1))


def estimate_tokens(text: str) -> int:
    return int(len(text) / CHARS_PER_TOKEN) + 4


def plan(items: list[Item], story: list[Item], brief: Brief, model: str, context_tokens: int) -> list[Prompt]:
    """The requests that draft ``items``: as few as fit the model's context, in story order, each
    with the segments around it (``story``: every segment of the story, in order) as context."""
    if not items:
        return []
    position = {item.id: n for n, item in enumerate(story)}
    system = system_message(brief)
    fixed = estimate_tokens(system) + estimate_tokens(context_message(brief, story[:CONTEXT_SEGMENTS],
                                                                      story[:CONTEXT_SEGMENTS])) + 64
    budget = max(256, int(context_tokens * (1 - OUTPUT_SHARE)) - fixed)
    answer_budget = int(context_tokens * OUTPUT_SHARE)
    chunks: list[list[Item]] = [[]]
    used = answer = 0
    for item in items:
        cost = estimate_tokens(item.text) + 12
        if chunks[-1] and (used + cost > budget or answer + 2 * cost > answer_budget):
            chunks.append([])
            used = answer = 0
        chunks[-1].append(item)
        used += cost
        answer += 2 * cost          # an answer in another script can take twice the tokens
    prompts = []
    for chunk in chunks:
        first, last = position.get(chunk[0].id, 0), position.get(chunk[-1].id, len(story) - 1)
        before = story[max(0, first - CONTEXT_SEGMENTS):first]
        after = story[last + 1:last + 1 + CONTEXT_SEGMENTS]
        asked = {i.id for i in chunk}
        between = [i for i in story[first:last + 1] if i.id not in asked]
        segments = {"segments": [{"id": i.id, "kind": i.kind, "text": i.text} for i in chunk]}
        messages = [{"role": "system", "content": system},
                    {"role": "user", "content": context_message(brief, before, after, between)},
                    {"role": "user", "content": json.dumps(segments, ensure_ascii=False)}]
        digest = hashlib.sha256(json.dumps([model, messages, ANSWER_SCHEMA], ensure_ascii=False,
                                           sort_keys=True).encode("utf-8")).hexdigest()
        prompts.append(Prompt(messages, [i.id for i in chunk], digest))
    return prompts


def parse_answer(content: str | None, ids: list[str]) -> dict[str, str]:
    """The translations by id, from the model's JSON. Raises :class:`EngineFailure` when the answer
    is not the JSON asked for; ids it does not answer are simply absent."""
    if not content or not content.strip():
        raise EngineFailure("empty answer")
    text = content.strip()
    if text.startswith("```"):                  # a model that wraps JSON in a code fence anyway
        text = text.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(text)
    except ValueError as e:
        raise EngineFailure(f"malformed JSON in the answer ({e.msg} at character {e.pos})") from None
    rows = data.get("translations") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise EngineFailure('answer is JSON but has no "translations" list')
    found: dict[str, str] = {}
    wanted = set(ids)
    for row in rows:
        if isinstance(row, dict) and isinstance(row.get("text"), str) and str(row.get("id")) in wanted:
            found.setdefault(str(row["id"]), row["text"])
    return found


class LLM(Engine):
    """A language model behind the Chat Completions protocol (see the module notes)."""

    name = "llm"
    online = True
    cacheable = True
    document = True             # drafts a story at a time: :mod:`storyloc.draft` hands it prompts

    def __init__(self, settings: DraftSettings, env: dict | None = None):
        env = os.environ if env is None else env
        self.settings = settings
        self.url = settings.endpoints.get("llm")
        self.model = settings.llm_model
        self.key = env.get(KEY_VARIABLE) or None
        self._client = None
        self._lock = threading.Lock()
        self._local = threading.local()
        self._down: EngineFailure | None = None
        self._schema = True         # the server takes response_format json_schema (until it says no)
        self._pool: ThreadPoolExecutor | None = None

    def unavailable(self, source: str, target: str) -> str | None:
        if self._down is not None:
            return self._down.reason
        if not self.url:
            return 'set endpoints.llm in [tool.storyloc.draft] to the server\'s base URL ("http://127.0.0.1:8080/v1")'
        if not self.model:
            return "set llm_model in [tool.storyloc.draft] to the model's name"
        return None

    @property
    def down(self) -> bool:
        return self._down is not None

    def identity(self, source: str, target: str) -> tuple[str, str]:
        return f"llm@{self.url}#{self.model}", f"{source}-{target}"

    def fields(self, source: str, target: str) -> dict[str, str]:
        return {"model": "".join(self.model.split()) if self.model else "?"}

    def client(self):
        with self._lock:
            return self._client or self._new_client()

    def _new_client(self):
        if self._client is None:
            import openai                  # imported only when a language model drafts
            settings = self.settings
            # The SDK's own HTTP client and defaults, with a hook that counts what goes out.
            http = openai.DefaultHttpxClient(event_hooks={"request": [self._sent]})
            self._client = openai.OpenAI(base_url=self.url, api_key=self.key or "none",
                                         timeout=settings.timeout, max_retries=settings.retries,
                                         http_client=http)
        return self._client

    def _sent(self, request) -> None:
        """Counts every HTTP request, retries included: the table says what was really sent."""
        self._local.sent = getattr(self._local, "sent", 0) + 1

    def complete(self, prompts: list[Prompt], on_result=None) -> list[Reply | EngineFailure]:
        """Send the prompts (at most ``concurrency`` at once); a reply or a failure for each."""
        if not prompts:
            return []
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.settings.concurrency, thread_name_prefix="storyloc-llm")
        futures = [self._pool.submit(self._one, p) for p in prompts]
        results = []
        for i, future in enumerate(futures):
            results.append(future.result())
            if on_result:
                on_result(i, results[-1])
        return results

    def _one(self, prompt: Prompt) -> Reply | EngineFailure:
        import openai
        if self._down is not None:
            return self._down
        self._local.sent = 0
        try:
            response = self._create(prompt)
        except openai.APITimeoutError:
            return EngineFailure(f"timed out (no answer within {self.settings.timeout:g} s, "
                                 f"{self._local.sent} tries)", retryable=True)
        except openai.APIConnectionError as e:
            return self._trip(EngineFailure(f"unreachable ({_cause(e)})", fatal=True))
        except openai.AuthenticationError as e:
            return self._trip(EngineFailure(f"key rejected (HTTP {e.status_code}); set {KEY_VARIABLE}", fatal=True))
        except openai.PermissionDeniedError as e:
            return self._trip(EngineFailure(f"refused (HTTP {e.status_code})", fatal=True))
        except openai.NotFoundError:
            return self._trip(EngineFailure(f"no model {self.model!r} or no Chat Completions at {self.url} "
                                            "(HTTP 404)", fatal=True))
        except openai.RateLimitError:
            return EngineFailure(f"rate-limited (HTTP 429, {self._local.sent} tries)", retryable=True)
        except openai.InternalServerError as e:
            return EngineFailure(f"server error (HTTP {e.status_code}, {self._local.sent} tries)", retryable=True)
        except openai.APIStatusError as e:
            return EngineFailure(f"request refused (HTTP {e.status_code}): {_message(e)}")
        except openai.OpenAIError as e:
            return EngineFailure(f"malformed response ({type(e).__name__})")
        try:
            choice = response.choices[0]
            content = choice.message.content
            refusal = getattr(choice.message, "refusal", None)
        except (AttributeError, IndexError, TypeError):
            return EngineFailure("malformed response: no choices in it")
        if refusal and not content:
            return EngineFailure(f"the model refused: {' '.join(str(refusal).split())[:80]}")
        if getattr(choice, "finish_reason", None) == "length":
            return EngineFailure("answer cut off at the model's output limit (lower llm_context)")
        usage = getattr(response, "usage", None)
        return Reply(content or "", getattr(usage, "prompt_tokens", 0) or 0,
                     getattr(usage, "completion_tokens", 0) or 0, self._local.sent)

    def _create(self, prompt: Prompt):
        import openai
        client = self.client()
        kwargs = dict(model=self.model, messages=prompt.messages, temperature=0)
        if self._schema:
            schema = {"type": "json_schema",
                      "json_schema": {"name": "translations", "strict": True, "schema": ANSWER_SCHEMA}}
            try:
                return client.chat.completions.create(response_format=schema, **kwargs)
            except openai.BadRequestError as e:
                if "response_format" not in str(e) and "json_schema" not in str(e):
                    raise
                self._schema = False        # a server without structured output: ask in words only
        return client.chat.completions.create(**kwargs)

    def _trip(self, failure: EngineFailure) -> EngineFailure:
        with self._lock:
            if self._down is None:
                self._down = failure
            return self._down

    def translate(self, texts, source, target, on_result=None):
        """Not used: this engine drafts stories, through :meth:`complete` with :func:`plan`'s prompts."""
        raise NotImplementedError("the llm engine drafts stories: storyloc.draft gives it prompts")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None


def _cause(error: Exception) -> str:
    from .engines import network_reason
    cause = error.__cause__ or error.__context__
    return network_reason(cause) if cause is not None else "connection failed"


def _message(error) -> str:
    """The server's own words about a refused request, on one line."""
    body = getattr(error, "body", None)
    text = None
    if isinstance(body, dict):
        inner = body.get("error")
        text = body.get("message") or (inner.get("message") if isinstance(inner, dict) else inner)
    return " ".join(str(text or error).split())[:120]
