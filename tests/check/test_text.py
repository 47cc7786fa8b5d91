"""The readers of text the checks share, and the linear time of every pattern that reads a translation."""
from storyloc.check.text import inline, literal_text, phrase_in, plain, stem_match, urls

from check_cases import run_hostile


def test_markdown_readers():
    assert literal_text("A *big* `x` word") == "A big  word"
    assert plain("A *big* `x` [word][1]") == "A big x word"
    assert [t.type for t in inline("*a*")] == ["em_open", "text", "em_close"]
    assert urls("see https://ex.org/a, or mail .ann@ex.org.") == ["https://ex.org/a", "ann@ex.org"]


def test_an_inflected_ending_is_the_same_word():
    assert stem_match("Бахмут", "Бахмуті") and stem_match("Babenko", "Babenka") and not stem_match("Kyiv", "Kyrylo")
    assert phrase_in("Донецька область", "у Донецькій області") and not phrase_in("Бахмут", "Артемівськ")


_PATTERNS_SCRIPT = r'''
import importlib
import pkgutil
import re
import storyloc.check
from storyloc import update
from storyloc.draft import placeholders as mask
from storyloc.po import fuzzy
from storyloc.story import inline
checks = [importlib.import_module(f"storyloc.check.{m.name}") for m in pkgutil.iter_modules(storyloc.check.__path__)]
patterns = [p for module in (*checks, fuzzy, mask, update, inline) for p in vars(module).values()
            if isinstance(p, re.Pattern)]
patterns += [p for _, p in mask.ATOMS]
# mask.EMPHASIS reads only the newsroom's English (a segment about to be drafted), never a translation
patterns = [p for p in patterns if p is not mask.EMPHASIS]
text = hostile()
for p in patterns:
    for _ in p.finditer(text):
        pass
print(len(patterns), "patterns")
'''


def test_every_pattern_reads_a_hostile_megabyte_in_linear_time():
    result = run_hostile(_PATTERNS_SCRIPT)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[0]) > 20
