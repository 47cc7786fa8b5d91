"""The project: ``[tool.storyloc]`` read and validated once, and every path computed here.

No other module builds a path to a story, a catalog or a bundle by hand.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path

from babel import Locale, UnknownLocaleError

from .errors import ConfigError, SourceError
from .files import shown
from .feed import SECTIONS, archive_name, gettext_form as feed_gettext_form

# gettext's form after normalize_locale: language, then script and/or territory, then a modifier.
# Always matched with fullmatch: "$" would let a trailing newline through.
LOCALE_CODE = re.compile(r"[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?(?:@[a-z]{1,16})?")
STORY_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")     # fullmatch only, like LOCALE_CODE

DEFAULTS = {
    "source_language": "en",
    "languages": [],
    "stories": None,
    "source_dir": "source",
    "locales_dir": "locales",
    "build_dir": "build",
    "dist_dir": "dist",
    "publish_threshold": 100,
    "draft": {},                    # [tool.storyloc.draft]: see DraftSettings
    "publish": {},                  # [tool.storyloc.publish]: see PublishSettings
    "embed_hosts": [],              # hosts whose <iframe> embeds a story may carry (video, charts)
    "site_url": None,               # where bundles are served: absolute canonical, hreflang, og:url
}
HOST_NAME = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")

PUBLISH_REQUIRE = ("reviewed", "approved")

# Machine drafting (`storyloc draft`). Names the engine registry in storyloc.draft.engines answers to.
OFFLINE_ENGINES = ("tm", "glossary", "apertium")
ONLINE_ENGINES = ("google", "deepl", "microsoft", "mymemory", "libre", "yandex", "papago", "baidu", "qcri", "llm")
ENGINE_NAMES = OFFLINE_ENGINES + ONLINE_ENGINES
KEYLESS_PUBLIC = ("google", "mymemory")     # scraped or anonymous: after anything the newsroom configured


def _line_of(text: str, key: str) -> int | None:
    """Where ``key`` is set inside ``[tool.storyloc]`` (tomllib keeps no positions)."""
    return _line_of_section(text, "tool.storyloc", key)


def _line_in_table(text: str, table: str, key: str) -> int | None:
    """Where ``key`` is set in ``[table]``, or in an inline table of the parent section."""
    line = _line_of_section(text, table, key)
    if line is None and "." in table:
        parent, _, name = table.rpartition(".")
        line = _line_of_section(text, parent, name)
    return line


def _line_of_section(text: str, table: str, key: str) -> int | None:
    """Where ``key`` (bare or quoted) is set directly in ``[table]``; ``[table]`` itself for its header."""
    in_section = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped.replace(" ", "") == f"[{table}]"
            if in_section and key == f"[{table}]":
                return number
        elif in_section and re.match(rf"\"?{re.escape(key)}\"?\s*=", stripped):
            return number
    return None


@dataclass(frozen=True)
class PublishSettings:
    """``[tool.storyloc.publish]``: the gates a language passes to be published. Kinds of segment a
    reader sees first (``full``) must all be reviewed; of the rest, ``share`` percent."""

    require: str = "reviewed"       # or "approved": an editor's sign-off is the gate
    full: tuple[str, ...] = ("title", "dek", "caption", "credit", "alt", "heading")
    share: float | None = None      # percent of the other segments; None: the project's publish_threshold


@dataclass(frozen=True)
class DraftSettings:
    """``[tool.storyloc.draft]``: which engines draft which language, and how hard to try."""

    # Per-language chains (``engines`` in the table); "default" serves every language without its own.
    # An engine that cannot serve a pair (no Apertium eng-deu) is skipped, so one default fits all.
    chains: dict = field(default_factory=lambda: {"default": ("tm", "glossary", "apertium", "google")})
    online: bool = False            # unpublished copy leaves the building only when a person says so
    tm_min_score: int = 75          # lowest fuzzy TM match used, in % (word-level edit distance)
    tm_dir: Path = Path("tm")       # imported TMX files
    glossary_dir: Path = Path("glossary")   # <lang>.csv term lists
    cache_dir: Path | None = None   # default: $STORYLOC_CACHE_DIR or $XDG_CACHE_HOME/storyloc
    concurrency: int = 16           # requests in flight per online engine
    timeout: float = 10.0           # seconds per request (connect: at most 3)
    retries: int = 3                # extra tries after a 429, a 5xx or a time-out
    backoff: float = 0.5            # first retry delay in seconds, doubled each time
    batch_size: int = 200           # segments per Apertium call, and between two saves of the catalog
    endpoints: dict = field(default_factory=dict)   # engine -> base URL (self-hosted LibreTranslate, llm's server)
    llm_model: str | None = None    # the model the llm engine asks for (its server's name for it)
    llm_context: int = 8192         # tokens the llm's context holds: longer stories go in several requests

    def chain(self, lang: str) -> tuple[str, ...]:
        """The language's chain. The default chain also takes every engine given an endpoint (a
        self-hosted LibreTranslate, a language model's server), before the keyless public ones."""
        if lang in self.chains:
            return tuple(self.chains[lang])
        chain = list(self.chains["default"])
        added = [name for name in self.endpoints if name not in chain]
        at = next((i for i, name in enumerate(chain) if name in KEYLESS_PUBLIC), len(chain))
        return tuple(chain[:at] + added + chain[at:])


def _as_toml(value):
    """A default as ``[tool.storyloc]`` writes it: paths as strings, tuples as lists."""
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, (tuple, list)):
        return [_as_toml(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_toml(v) for k, v in value.items()}
    return value


def _defaults(settings: type, renamed: dict[str, str] | None = None) -> dict:
    """A settings class's defaults, keyed as its table is written: the one definition is the class."""
    renamed = renamed or {}
    return {renamed.get(f.name, f.name): _as_toml(f.default_factory() if f.default is MISSING else f.default)
            for f in fields(settings)}


PUBLISH_DEFAULTS = _defaults(PublishSettings)
DRAFT_DEFAULTS = _defaults(DraftSettings, {"chains": "engines"})


def normalize_locale(code: str) -> str:
    """A BCP 47 or CLDR code in gettext's form (:func:`storyloc.feed.gettext_form`) when Babel knows
    the language; anything else is returned as it is, for :func:`check_locale` to refuse."""
    gettext_form = feed_gettext_form(code)
    if gettext_form == code:
        return code
    try:
        Locale.parse(gettext_form.partition("@")[0], sep="_")
    except (UnknownLocaleError, ValueError, TypeError):
        return code
    return gettext_form


def check_locale(code: str, path: str | Path | None = None, line: int | None = None) -> Locale:
    """A gettext locale code Babel knows, and that cannot name a path outside ``locales/``
    (the code as gettext writes it: see :func:`normalize_locale`)."""
    if not isinstance(code, str) or not LOCALE_CODE.fullmatch(code):
        raise ConfigError(f"not a locale code: {code!r} (expected e.g. 'uk', 'pt_BR', 'zh_Hant_TW', "
                          f"'sr@latin')", path, line)
    try:
        return Locale.parse(code.partition("@")[0])
    except (UnknownLocaleError, ValueError):
        raise ConfigError(f"unknown language: {code!r}", path, line) from None


@dataclass(frozen=True)
class Project:
    """The validated settings and every path a stage reads or writes (see :meth:`load`)."""

    root: Path
    source_language: str
    languages: tuple[str, ...]
    stories: tuple[str, ...]
    source_dir: Path
    locales_dir: Path
    build_dir: Path
    dist_dir: Path
    publish_threshold: float
    draft: DraftSettings = field(default_factory=DraftSettings)
    publish: "PublishSettings" = field(default_factory=lambda: PublishSettings())
    embed_hosts: tuple[str, ...] = ()
    site_url: str | None = None     # ends with "/"; <site_url><story>/<lang>/ is a page's address

    # -- paths ---------------------------------------------------------------
    def article(self, story: str) -> Path:
        return self.source_dir / story / "article.md"

    def template(self, story: str) -> Path:
        return self.locales_dir / f"{story}.pot"

    def catalog(self, story: str, lang: str) -> Path:
        return self.locales_dir / lang / "LC_MESSAGES" / f"{story}.po"

    def bundle(self, story: str, lang: str) -> Path:
        return self.build_dir / story / lang

    def bundle_file(self, story: str, lang: str, name: str) -> Path:
        """A file of a bundle: ``build/<story>/<lang>/<name>``."""
        return self.build_dir / story / lang / name

    @staticmethod
    def mo_name(story: str) -> str:
        """The compiled catalog's name inside a bundle: ``<story>.mo``."""
        return f"{story}.mo"

    def manifest(self, story: str) -> Path:
        return self.build_dir / story / "manifest.json"

    def built_inputs(self, story: str) -> Path:
        """The inputs ``build/<story>/`` was made from (:mod:`storyloc.freshness`)."""
        return self.build_dir / story / ".storyloc-inputs.json"

    def overview(self) -> Path:
        """The overview page that links every bundle, ``build/index.html``."""
        return self.build_dir / "index.html"

    def progress_chart(self) -> Path:
        """The overview's progress chart, ``build/status.svg``."""
        return self.build_dir / "status.svg"

    def stamps(self) -> Path:
        """What ``storyloc locales`` last brought up to date: each story's input digest."""
        return self.build_dir / ".storyloc-stamps.json"

    def feed(self) -> Path:
        """The feed publishers pull, ``dist/index.json``."""
        return self.dist_dir / "index.json"

    @staticmethod
    def archive_rel(state: str, story: str, lang: str, version: str) -> str:
        """Where a version's archive lives, relative to ``dist/`` as the feed lists it:
        ``published/<story>/<story>-<lang>-<version>.tar.gz`` (``drafts/…`` for a draft)."""
        return f"{SECTIONS[state]}/{story}/{archive_name(story, lang, version)}"

    def archive(self, rel: str) -> Path:
        """An archive the feed lists (its ``archive.path``), under ``dist/``."""
        return self.dist_dir / rel

    def catalogs(self, lang: str) -> list[Path]:
        """Every catalog of a language under ``locales/``, configured story or not (the TM reads them all)."""
        return sorted((self.locales_dir / lang / "LC_MESSAGES").glob("*.po"))

    def glossary(self, lang: str) -> Path:
        """A language's term list, ``glossary/<lang>.csv``."""
        return self.draft.glossary_dir / f"{lang}.csv"

    def style_guide(self, lang: str) -> Path:
        """A language's style guide for the language model, ``glossary/<lang>.style.md``."""
        return self.draft.glossary_dir / f"{lang}.style.md"

    def reviewers(self) -> Path:
        """Named reviewers and their token hashes, ``.storyloc/reviewers.json``."""
        return self.root / ".storyloc" / "reviewers.json"

    def tm_files(self) -> list[Path]:
        """Imported translation memories, ``tm/*.tmx``."""
        return sorted(self.draft.tm_dir.glob("*.tmx"))

    def tm_file(self, name: str) -> Path:
        """Where an imported TMX file is kept: ``tm/<name>.tmx``."""
        return self.draft.tm_dir / f"{name}.tmx"

    def draft_cache(self) -> Path:
        """The sqlite file that remembers every machine translation, so no text is sent twice."""
        if self.draft.cache_dir is not None:
            base = self.draft.cache_dir
        elif os.environ.get("STORYLOC_CACHE_DIR"):
            base = Path(os.environ["STORYLOC_CACHE_DIR"]).expanduser()
        else:
            base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache").expanduser() / "storyloc"
        return base / "drafts.sqlite3"

    def rel(self, path: Path) -> str:
        """A path as users see it in messages and ``#:`` references: relative to the project."""
        return shown(path, self.root)

    def select_languages(self, langs: tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
        """The configured languages, or the subset asked for (each must be configured; the source
        language may be asked for too: it is a target of the stories written in another language)."""
        if not langs:
            return self.languages
        langs = tuple(normalize_locale(lang) for lang in langs)
        for lang in langs:
            check_locale(lang)
            if lang not in self.languages and lang != self.source_language:
                raise ConfigError(f"language {lang!r} is not configured in [tool.storyloc] languages",
                                  shown(self.root / "pyproject.toml"))
        return tuple(langs)

    def unlisted_stories(self) -> list[Path]:
        """Stories in the source folder that ``stories`` leaves out: no stage sees them, so the
        commands that walk every story name them (a new story not yet listed is otherwise silent)."""
        return sorted(p for p in self.source_dir.glob("*/article.md") if p.parent.name not in self.stories)

    def select_stories(self, stories: tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
        """The configured stories, or the subset asked for (each must be configured, so a name
        from the command line never becomes a path outside ``source/`` or ``locales/``)."""
        if not stories:
            return self.stories
        for story in stories:
            if story not in self.stories:
                raise ConfigError(f"story {story!r} is not configured in [tool.storyloc] stories",
                                  shown(self.root / "pyproject.toml"))
        return tuple(stories)

    def targets(self, story_language: str) -> tuple[str, ...]:
        """The languages a story written in ``story_language`` is translated into: the project's
        languages and its source language, but the story's own."""
        return tuple(lang for lang in (self.source_language, *self.languages) if lang != story_language)

    def story_language(self, story) -> str:
        """A story's source language (``story`` a slug or a parsed story): its front matter ``lang``, else
        the project's ``source_language``. A German-origin story lives beside the English ones."""
        if isinstance(story, str):
            from .story import front_matter_language
            story = front_matter_language(self.article(story), self.rel(self.article(story)))
        else:
            story = getattr(story, "lang", None)
        return story or self.source_language

    def check_story_language(self, story) -> None:
        """A parsed story written in a language the project does not have is an error on its ``lang``
        line: every stage that reads the story says so (the build said a catalog was missing, which
        no ``update`` could make)."""
        known = (self.source_language, *self.languages)
        if story.lang is not None and story.lang not in known:
            raise SourceError(f"the story is in {story.lang!r}, which is not a language of the project "
                              f"({', '.join(known)})", self.rel(self.article(story.slug)), story.field_lines.get("lang"))

    def story_targets(self, story, langs: tuple[str, ...] | list[str] | None = None) -> tuple[str, ...]:
        """The languages ``story`` is translated into (or those of ``langs``, each configured, that are)."""
        targets = self.targets(self.story_language(story))
        return tuple(lang for lang in self.select_languages(langs) if lang in targets) if langs else targets

    # -- loading -------------------------------------------------------------
    @classmethod
    def load(cls, root: Path | str = ".") -> "Project":
        root = Path(root).resolve()
        pyproject = shown(root / "pyproject.toml")
        try:
            text = (root / "pyproject.toml").read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError("no pyproject.toml here; run storyloc from the project root "
                              "or pass --project", pyproject) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            line = getattr(e, "lineno", None) or _toml_error_line(str(e))
            raise ConfigError(f"invalid TOML: {e}", pyproject, line) from None
        section = data.get("tool", {}).get("storyloc")
        if not isinstance(section, dict):
            raise ConfigError("no [tool.storyloc] section", pyproject)
        return cls._from_section(root, pyproject, text, section)

    @classmethod
    def _from_section(cls, root: Path, pyproject: Path, text: str, section: dict) -> "Project":
        def fail(key: str, message: str):
            raise ConfigError(message, pyproject, _line_of(text, key) or _line_of(text, "[tool.storyloc]"))

        for key in section:
            if key not in DEFAULTS:
                known = ", ".join(sorted(DEFAULTS))
                fail(key, f"unknown setting {key!r} in [tool.storyloc] (known: {known})")
        values = {**DEFAULTS, **section}

        source_language, languages = _languages(fail, values)
        dirs = _folders(fail, root, values)
        threshold = values["publish_threshold"]
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 100:
            fail("publish_threshold", f"publish_threshold must be a percentage from 0 to 100, got {threshold!r}")
        stories = _stories(fail, root, dirs["source_dir"], values["stories"], section.get("stories") is not None)
        embed_hosts = values["embed_hosts"]
        if not isinstance(embed_hosts, list):
            fail("embed_hosts", 'embed_hosts must be a list of host names, e.g. ["www.youtube.com"]')
        for host in embed_hosts:
            if not isinstance(host, str) or not HOST_NAME.match(host):
                fail("embed_hosts", f"embed_hosts: not a host name: {host!r} (e.g. \"www.youtube.com\", "
                                    f"without https:// or a path)")
        site_url = values["site_url"]
        if site_url is not None:
            if not isinstance(site_url, str) or not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d+)?(/[^\s\"'<>]*)?",
                                                                 site_url):
                fail("site_url", f"site_url must be an http(s) address, e.g. \"https://example.org/stories/\", "
                                 f"got {site_url!r}")
            site_url = site_url if site_url.endswith("/") else site_url + "/"

        draft = _draft_settings(root, _Table("draft", pyproject, text), values["draft"], languages)
        publish = _publish_settings(_Table("publish", pyproject, text), values["publish"])
        return cls(root=root, source_language=source_language, languages=tuple(languages),
                   stories=tuple(stories), source_dir=dirs["source_dir"], locales_dir=dirs["locales_dir"],
                   build_dir=dirs["build_dir"], dist_dir=dirs["dist_dir"],
                   publish_threshold=float(threshold), draft=draft, publish=publish,
                   embed_hosts=tuple(embed_hosts), site_url=site_url)


def _languages(fail, values: dict) -> tuple[str, list[str]]:
    """``source_language`` and ``languages``: known codes in gettext's form, each target once."""
    source_language = normalize_locale(values["source_language"])
    try:
        check_locale(source_language)
    except ConfigError as e:
        fail("source_language", e.message)
    languages = values["languages"]
    if not isinstance(languages, list) or not languages:
        fail("languages", "languages must be a non-empty list of locale codes")
    languages = [normalize_locale(lang) for lang in languages]
    for lang in languages:
        try:
            check_locale(lang)
        except ConfigError as e:
            fail("languages", e.message)
        if lang == source_language:
            fail("languages", f"{lang!r} is the source language; list only target languages")
    if len(set(languages)) != len(languages):
        fail("languages", "a language is listed twice")
    return source_language, languages


def _folders(fail, root: Path, values: dict) -> dict[str, Path]:
    """The four folders: inside the project, none inside another (the build rewrites its folder whole)."""
    dirs = {}
    for key in ("source_dir", "locales_dir", "build_dir", "dist_dir"):
        value = values[key]
        if not _inside_project(value):
            fail(key, f"{key} must be a relative path inside the project, got {value!r}")
        dirs[key] = root / value
    for a, b in ((a, b) for a in dirs for b in dirs if a < b):
        if dirs[a] == dirs[b] or dirs[b] in dirs[a].parents or dirs[a] in dirs[b].parents:
            fail(b, f"{a} and {b} must be separate folders (the build rewrites its folder whole)")
    return dirs


def _stories(fail, root: Path, source_dir: Path, stories, listed: bool) -> list[str]:
    """The stories: those listed (each with its article.md), else every ``source/*/article.md``."""
    if stories is None:
        stories = sorted(p.parent.name for p in source_dir.glob("*/article.md"))
    if not isinstance(stories, list) or not all(isinstance(s, str) for s in stories):
        fail("stories", "stories must be a list of story folder names under the source directory")
    for story in stories:
        if not STORY_SLUG.fullmatch(story):
            fail("stories", f"not a story name: {story!r} (lowercase letters, digits and '-')")
        if listed and not (source_dir / story / "article.md").is_file():
            fail("stories", f"story {story!r} has no {shown(source_dir, root)}/{story}/article.md")
    if len(set(stories)) != len(stories):
        fail("stories", "a story is listed twice")
    return stories


@dataclass(frozen=True)
class _Table:
    """A sub-table of ``[tool.storyloc]`` (``draft``, ``publish``) being checked: each mistake names
    the line of its key, else of the table's header, else of the setting in the parent section."""

    name: str                       # "draft": [tool.storyloc.draft]
    pyproject: Path
    text: str

    @property
    def header(self) -> str:
        return f"tool.storyloc.{self.name}"

    def fail(self, key: str, message: str, sub: str | None = None):
        """Raise ``message`` at ``key``'s line (``key`` inside the inline table ``sub`` when given)."""
        table, text = self.header, self.text
        line = ((_line_in_table(text, f"{table}.{sub}", key) if sub else None)
                or _line_in_table(text, table, sub or key) or _line_of_section(text, table, f"[{table}]")
                or _line_of(text, self.name) or _line_of(text, "[tool.storyloc]"))
        raise ConfigError(message, self.pyproject, line)

    def values(self, section, defaults: dict) -> dict:
        """The table's settings over ``defaults``; an unknown key or a table that is not one fails."""
        if not isinstance(section, dict):
            self.fail(self.name, f"{self.name} must be a table: [{self.header}]")
        for key in section:
            if key not in defaults:
                self.fail(key, f"unknown setting {key!r} in [{self.header}] (known: {', '.join(sorted(defaults))})")
        return {**defaults, **section}


def _publish_settings(table: _Table, section) -> PublishSettings:
    """Validate ``[tool.storyloc.publish]``; every mistake names its line."""
    values, fail = table.values(section, PUBLISH_DEFAULTS), table.fail
    if values["require"] not in PUBLISH_REQUIRE:
        fail("require", f"require must be \"reviewed\" or \"approved\", got {values['require']!r}")
    full = values["full"]
    if not isinstance(full, list) or not all(isinstance(k, str) and re.fullmatch(r"[a-z][a-z_-]*", k) for k in full):
        fail("full", f"full must be a list of segment kinds (e.g. \"title\", \"caption\"), got {full!r}")
    share = values["share"]
    if share is not None and (isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 100):
        fail("share", f"share must be a percentage from 0 to 100, got {share!r}")
    return PublishSettings(values["require"], tuple(full), None if share is None else float(share))


def _chains(table: _Table, engines, languages: list[str]) -> dict[str, tuple[str, ...]]:
    """``engines``: a language (or "default") → its chain of known engines, each listed once."""
    if not isinstance(engines, dict):
        table.fail("engines", 'engines must map a language (or "default") to a list of engines')
    chains = {"default": tuple(DRAFT_DEFAULTS["engines"]["default"])}
    for lang, chain in engines.items():
        if lang != "default" and lang not in languages:
            table.fail(lang, f"engines: {lang!r} is not a configured language", "engines")
        if not isinstance(chain, list) or not chain or not all(isinstance(e, str) for e in chain):
            table.fail(lang, f"engines.{lang} must be a non-empty list of engine names", "engines")
        for name in chain:
            if name not in ENGINE_NAMES:
                table.fail(lang, f"engines.{lang}: unknown engine {name!r} (known: {', '.join(ENGINE_NAMES)})",
                           "engines")
        if len(set(chain)) != len(chain):
            table.fail(lang, f"engines.{lang}: an engine is listed twice", "engines")
        chains[lang] = tuple(chain)
    return chains


def _draft_settings(root: Path, table: _Table, section, languages: list[str]) -> DraftSettings:
    """Validate ``[tool.storyloc.draft]``; every mistake names its line."""
    values, fail = table.values(section, DRAFT_DEFAULTS), table.fail
    chains = _chains(table, values["engines"], languages)

    if not isinstance(values["online"], bool):
        fail("online", "online must be true or false")
    score = values["tm_min_score"]
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 100:
        fail("tm_min_score", f"tm_min_score must be a whole percentage from 1 to 100, got {score!r}")

    dirs = {}
    for key in ("tm_dir", "glossary_dir"):
        value = values[key]
        if not _inside_project(value):
            fail(key, f"{key} must be a relative path inside the project, got {value!r}")
        dirs[key] = root / value
    cache_dir = values["cache_dir"]
    if cache_dir is not None:
        if not isinstance(cache_dir, str) or not cache_dir:
            fail("cache_dir", f"cache_dir must be a folder path, got {cache_dir!r}")
        cache_dir = root / Path(cache_dir).expanduser()

    numbers = {}
    for key, kind, low in (("concurrency", int, 1), ("retries", int, 0), ("batch_size", int, 1),
                           ("timeout", float, 0.01), ("backoff", float, 0.0)):
        value = values[key]
        ok_type = isinstance(value, int) if kind is int else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type or value < low:
            fail(key, f"{key} must be a number of at least {low}, got {value!r}")
        numbers[key] = kind(value)
    if numbers["concurrency"] > 64:
        fail("concurrency", "concurrency above 64 only gets you rate-limited; use at most 64")

    endpoints = values["endpoints"]
    if not isinstance(endpoints, dict):
        fail("endpoints", "endpoints must map an online engine to its base URL")
    for name, url in endpoints.items():
        if name not in ONLINE_ENGINES:
            fail(name, f"endpoints: {name!r} is not an online engine ({', '.join(ONLINE_ENGINES)})",
                 "endpoints")
        if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url):
            fail(name, f"endpoints.{name} must be an http(s) URL, got {url!r}", "endpoints")

    model = values["llm_model"]
    if model is not None and (not isinstance(model, str) or not model.strip()):
        fail("llm_model", f"llm_model must be the model's name as its server knows it, got {model!r}")
    context = values["llm_context"]
    if isinstance(context, bool) or not isinstance(context, int) or context < 1024:
        fail("llm_context", f"llm_context must be the model's context in tokens (at least 1024), got {context!r}")

    return DraftSettings(chains=chains, online=values["online"], tm_min_score=score,
                         tm_dir=dirs["tm_dir"], glossary_dir=dirs["glossary_dir"], cache_dir=cache_dir,
                         endpoints=dict(endpoints), llm_model=model, llm_context=context, **numbers)


def _inside_project(value) -> bool:
    """A folder setting must be relative and must not climb out with ``..``."""
    return isinstance(value, str) and bool(value) and not Path(value).is_absolute() and ".." not in Path(value).parts


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
