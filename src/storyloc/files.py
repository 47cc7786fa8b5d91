"""Atomic, change-aware file writes: no reader ever sees a half-written file."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temp file beside ``path`` and rename it into place.

    An OS error (a full disk, a file-size limit, no permission) names ``path``, not the temp file
    nor nothing: ``path: No space left on device``.
    """
    try:
        _write_atomic(path, data)
    except OSError as error:
        named = error.filename is not None and not os.path.basename(os.fspath(error.filename)).startswith(
            f".{path.name}.")
        if named:                 # the folder that cannot be made, say: already the right name
            raise
        named = type(error)(error.errno, error.strerror or str(error), os.fspath(path))
        raise named from error


def _write_atomic(path: Path, data: bytes) -> None:
    import tempfile  # only when writing: reading a catalog should not pay for it
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ, so unchanged inputs leave mtimes alone (and make stays quiet)."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data)
    return True


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()
