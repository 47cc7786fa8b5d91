"""The project: ``[tool.storyloc]`` read and validated once, and every path computed here.

No other module builds a path to a story, a catalog or a bundle by hand.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError

from .errors import ConfigError

LOCALE_CODE = re.compile(r"^[a-z]{2,3}(?:_(?:[A-Z]{2}|[0-9]{3}|[A-Z][a-z]{3}))?(?:@[a-z]+)?$")
STORY_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")

DEFAULTS = {
    "source_language": "en",
    "languages": [],
    "stories": None,
    "source_dir": "source",
    "locales_dir": "locales",
    "build_dir": "build",
    "publish_threshold": 100,
}


def _line_of(text: str, key: str) -> int | None:
    """Where ``key`` is set inside ``[tool.storyloc]`` (tomllib keeps no positions)."""
    in_section = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped.replace(" ", "") == "[tool.storyloc]"
            if in_section and key == "[tool.storyloc]":
                return number
        elif in_section and re.match(rf"{re.escape(key)}\s*=", stripped):
            return number
    return None


def check_locale(code: str, path: str | Path | None = None, line: int | None = None) -> Locale:
    """A gettext locale code Babel knows, and that cannot name a path outside ``locales/``."""
    if not isinstance(code, str) or not LOCALE_CODE.match(code):
        raise ConfigError(f"not a locale code: {code!r} (expected e.g. 'uk', 'pt_BR')", path, line)
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise ConfigError(f"unknown language: {code!r}", path, line) from None


@dataclass(frozen=True)
class Project:
    root: Path
    source_language: str
    languages: tuple[str, ...]
    stories: tuple[str, ...]
    source_dir: Path
    locales_dir: Path
    build_dir: Path
    publish_threshold: float

    # -- paths ---------------------------------------------------------------
    def article(self, story: str) -> Path:
        return self.source_dir / story / "article.md"

    def template(self, story: str) -> Path:
        return self.locales_dir / f"{story}.pot"

    def catalog(self, story: str, lang: str) -> Path:
        return self.locales_dir / lang / "LC_MESSAGES" / f"{story}.po"

    def bundle(self, story: str, lang: str) -> Path:
        return self.build_dir / story / lang

    def manifest(self, story: str) -> Path:
        return self.build_dir / story / "manifest.json"

    def rel(self, path: Path) -> str:
        """A path as users see it in messages and ``#:`` references: relative to the project."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def select_languages(self, langs: tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
        """The configured languages, or the subset asked for (each must be configured)."""
        if not langs:
            return self.languages
        for lang in langs:
            check_locale(lang)
            if lang not in self.languages:
                raise ConfigError(f"language {lang!r} is not configured in [tool.storyloc] languages",
                                  _shown(self.root / "pyproject.toml"))
        return tuple(langs)

    # -- loading -------------------------------------------------------------
    @classmethod
    def load(cls, root: Path | str = ".") -> "Project":
        root = Path(root).resolve()
        pyproject = _shown(root / "pyproject.toml")
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

        source_language = values["source_language"]
        try:
            check_locale(source_language)
        except ConfigError as e:
            fail("source_language", e.message)

        languages = values["languages"]
        if not isinstance(languages, list) or not languages:
            fail("languages", "languages must be a non-empty list of locale codes")
        for lang in languages:
            try:
                check_locale(lang)
            except ConfigError as e:
                fail("languages", e.message)
            if lang == source_language:
                fail("languages", f"{lang!r} is the source language; list only target languages")
        if len(set(languages)) != len(languages):
            fail("languages", "a language is listed twice")

        dirs = {}
        for key in ("source_dir", "locales_dir", "build_dir"):
            value = values[key]
            if not isinstance(value, str) or not value or Path(value).is_absolute() or ".." in Path(value).parts:
                fail(key, f"{key} must be a relative path inside the project, got {value!r}")
            dirs[key] = root / value

        threshold = values["publish_threshold"]
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 100:
            fail("publish_threshold", f"publish_threshold must be a percentage from 0 to 100, got {threshold!r}")

        stories = values["stories"]
        if stories is None:
            stories = sorted(p.parent.name for p in dirs["source_dir"].glob("*/article.md"))
        if not isinstance(stories, list) or not all(isinstance(s, str) for s in stories):
            fail("stories", "stories must be a list of story folder names under the source directory")
        for story in stories:
            if not STORY_SLUG.match(story):
                fail("stories", f"not a story name: {story!r} (lowercase letters, digits and '-')")

        return cls(root=root, source_language=source_language, languages=tuple(languages),
                   stories=tuple(stories), source_dir=dirs["source_dir"], locales_dir=dirs["locales_dir"],
                   build_dir=dirs["build_dir"], publish_threshold=float(threshold))


def _shown(path: Path) -> Path:
    """A path as short as it can be said from where the user stands."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
