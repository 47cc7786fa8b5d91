"""storyloc.po.escape: C string escapes as GNU gettext reads and writes them."""
import random

import pytest

from storyloc.po.escape import escape, unescape


def test_escape_unescape_round_trip():
    rnd = random.Random(7)
    alphabet = 'ab "\\\n\t\r\a\b\f\v«ʼ漢👍\x01é'
    for _ in range(2000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        assert unescape(escape(text)) == text
    assert escape('say "hi"\\\n') == 'say \\"hi\\"\\\\\\n'
    assert escape("Бахмут\t") == "Бахмут\\t"


def test_unescape_octal_and_hex_bytes():
    assert unescape(r"\303\251t\xc3\xa9") == "été"
    assert unescape(r"\101\x41\7") == "AA\a"
    assert unescape(r"\1010") == "A0"  # at most three octal digits
    with pytest.raises(ValueError):
        unescape(r"\q")
