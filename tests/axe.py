"""axe-core in Debian's Chromium: the accessibility judge of every page the tests open.

axe-core comes from npm (``tests/package.json``, installed by ``make test``
with ``npm ci --prefix tests``); Playwright drives ``/usr/bin/chromium`` and
never downloads a browser. A test asks for 0 serious or critical findings.
"""
from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


def need_browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    if not AXE.exists():
        pytest.skip("axe-core is not installed: npm ci --prefix tests")
    return pytest.importorskip("playwright.sync_api")


def launch(playwright):
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run", "--no-proxy-server"])


def serious(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, one line each."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for v in result["violations"]:
        if v["impact"] in ("serious", "critical"):
            for node in v["nodes"][:3]:
                found.append(f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')[:160]}")
    return found
