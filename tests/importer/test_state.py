"""What one conversion shares: addresses on the original site."""
from __future__ import annotations

from storyloc.importer import convert


def test_site_paths_are_named_without_a_base_url():
    result = convert("---\ntitle: T\n---\n\n[a](/x/) and [b](/y/)\n", "in.md", html=False)
    assert "[a](/x/)" in result.text
    assert result.warnings == ["in.md:5: the link /x/ is a path on the original site; pass --base-url https://… "
                               "to make such paths absolute"]
