"""Real catalogs nobody here wrote: Ukrainian translations shipped in Debian packages.

Debian ships compiled ``.mo`` files; ``apt-get download`` and ``msgunfmt`` turn
them back into ``.po``. Everything is cached under ``build/bench/corpus``.
"""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

PACKAGES = ["util-linux-locales", "gnupg-l10n", "gpg", "coreutils", "tar", "bash", "wget", "make", "apt"]
LANG = "uk"


def fetch(cache: Path) -> list[Path]:
    """One ``.po`` per package domain found, largest first."""
    cache.mkdir(parents=True, exist_ok=True)
    done = sorted(cache.glob("*.po"))
    if done:
        return sorted(done, key=lambda p: -p.stat().st_size)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        download(PACKAGES, tmp)
        for deb in tmp.glob("*.deb"):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp / "root")], check=True)
        for mo in sorted((tmp / "root" / "usr/share/locale" / LANG / "LC_MESSAGES").glob("*.mo")):
            out = cache / (mo.stem + ".po")
            subprocess.run(["msgunfmt", "--no-wrap", str(mo), "-o", str(out)], check=True, capture_output=True)
            subprocess.run(["msgcat", str(out), "-o", str(out)], check=True, capture_output=True)
    return sorted(cache.glob("*.po"), key=lambda p: -p.stat().st_size)


def download(packages: list[str], where: Path) -> None:
    """``apt-get download``, refreshing the package lists once if they are missing or stale."""
    if subprocess.run(["apt-get", "download", *packages], cwd=where, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True)
        subprocess.run(["apt-get", "download", *packages], cwd=where, check=True, capture_output=True)


def combined(cache: Path) -> Path:
    """All of them in one catalog (first translation of a duplicate msgid wins): about 10,000 messages."""
    out = cache / "combined" / "all.po"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["msgcat", "--use-first", "-o", str(out), *map(str, fetch(cache))],
                       check=True, capture_output=True)
    return out
