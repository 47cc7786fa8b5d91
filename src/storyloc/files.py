"""Atomic, change-aware file writes: no reader ever sees a half-written file."""
from __future__ import annotations

import errno
import os
TYPE_CHECKING = False

if TYPE_CHECKING:
    from pathlib import Path


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to a temp file beside ``path`` and rename it into place.  (A path is a str or a
    Path: only :mod:`os.path` is used, so a program that names files by str never imports pathlib,
    with urllib.parse and ipaddress, a tenth of a small catalog's load and save.)

    An OS error (a full disk, a file-size limit, no permission) names ``path``, not the temp file
    nor nothing: ``path: No space left on device``.
    """
    try:
        _write_atomic(path, data)
    except OSError as error:
        named = error.filename is not None and not os.path.basename(os.fspath(error.filename)).startswith(
            f".{os.path.basename(path)}.")
        if named:                 # the folder that cannot be made, say: already the right name
            raise
        named = type(error)(error.errno, error.strerror or str(error), os.fspath(path))
        raise named from error


def _write_atomic(path: str | os.PathLike, data: bytes) -> None:
    if not os.path.basename(path):      # "out/": a folder's name (a Path drops the slash)
        raise IsADirectoryError(errno.EISDIR, "names a folder, not a file", os.fspath(path))
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _create_beside(path: str | os.PathLike) -> tuple[int, str]:
    """A new, empty, private file next to ``path``, as tempfile.mkstemp makes one (O_EXCL), without
    importing tempfile and random: a catalog's save should not pay for them."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    while True:
        folder, name = os.path.split(path)
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.{os.urandom(5).hex()}.tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue


def write_if_changed(path: str | os.PathLike, data: bytes) -> bool:
    """Write only when the bytes differ, so unchanged inputs leave mtimes alone (and make stays quiet)."""
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except (FileNotFoundError, NotADirectoryError):     # (the second: a file where a folder should be,
        pass                                            # which the write names)
    write_atomic(path, data)
    return True


def pretty_json(data) -> bytes:
    """``json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)`` and a line end, in UTF-8,
    byte for byte (the form of every JSON file storyloc writes: manifests, feed parts, locks,
    article.json), written by orjson: the standard library indents only in pure Python (a long
    story's 3.7 MB article.json: 132 ms, orjson 12 ms). Dates and dataclasses are passed on to the
    standard library, which refuses them as before; what orjson refuses (an integer past 64 bits)
    it writes."""
    import orjson
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
                            | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)
    except TypeError:
        import json
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def shown(path, base=None) -> str | None:
    """A path as users see it in messages and ``#:`` references: relative to ``base`` (the current
    folder when None; the project root for :meth:`storyloc.project.Project.rel`), with ``/``; a path
    outside ``base``, or already relative, as it is given. The one "relative to what" helper."""
    if path is None:
        return None
    path = os.fspath(path)
    if os.path.isabs(path):
        base = os.getcwd() if base is None else os.fspath(base)
        if path.startswith(base) and path[len(base):len(base) + 1] == os.sep:     # the common case, cheaply
            return path[len(base) + 1:].replace(os.sep, "/")
        relative = os.path.relpath(path, base)
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            return relative.replace(os.sep, "/")
    return path


def sha256_file(path: Path) -> str:
    import hashlib  # only here: a catalog's save should not pay for it
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()
