"""A command pays only for what it uses: what a fresh interpreter has loaded after each entry point."""
import json
import subprocess
import sys

from conftest import REPO

HEAVY = ("jinja2", "markdown_it", "numpy", "babel", "polib", "deep_translator")


def loaded(script: str, *args: str) -> list[str]:
    """The modules a fresh interpreter holds after ``script``."""
    probe = script + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_help_loads_no_stage_and_no_heavy_library():
    modules = loaded("import contextlib, io, sys\nsys.argv = ['storyloc', '--help']\n"
                     "from storyloc.cli import main\n"
                     "try:\n    with contextlib.redirect_stdout(io.StringIO()):\n        main()\n"
                     "except SystemExit:\n    pass")
    assert "click" in modules
    stages = [m for m in modules if m.startswith("storyloc.") and not m.startswith(("storyloc.cli", "storyloc.errors",
                                                                                   "storyloc.files"))]
    assert stages == []
    assert [m for m in HEAVY if m in modules] == []


def test_the_po_layer_loads_the_writer_the_checks_and_the_compiler_when_asked():
    assert [m for m in loaded("import storyloc.po") if m.startswith("storyloc.")] == [
        "storyloc.po", "storyloc.po.escape", "storyloc.po.message", "storyloc.po.read"]
    po = str(REPO / "tests/data/po/awkward.po")
    valid = str(REPO / "tests/data/project/locales/uk/LC_MESSAGES/bakhmut-under-fire.po")   # msgfmt compiles it
    compiled = loaded("import sys\nfrom storyloc.po import compile_mo, read_po\ncompile_mo(read_po(sys.argv[1]))", valid)
    assert "storyloc.po.mo" in compiled
    assert {"storyloc.po.write", "storyloc.po.validation", "storyloc.errors"}.isdisjoint(compiled)
    saved = loaded("import sys, tempfile\nfrom pathlib import Path\nfrom storyloc.po import read_po, save_po\n"
                   "save_po(read_po(Path(sys.argv[1])), Path(tempfile.mkdtemp()) / 'out.po')", po)
    assert "storyloc.po.write" in saved
    assert {"storyloc.po.mo", "storyloc.po.validation"}.isdisjoint(saved)


def test_a_load_and_save_by_str_paths_imports_no_pathlib(tmp_path):
    """A program that names its files by str (as argv gives them) does not pay for pathlib, whose
    import brings urllib.parse and ipaddress."""
    po = str(REPO / "tests/data/po/awkward.po")
    out = tmp_path / "nested" / "out.po"
    saved = loaded("import sys\nfrom storyloc.po import read_po, save_po\nsave_po(read_po(sys.argv[1]), sys.argv[2])",
                   po, str(out))
    assert "pathlib" not in saved
    assert out.read_bytes() == (REPO / "tests/data/po/awkward.po").read_bytes()
