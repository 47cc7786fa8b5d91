"""storyloc's own page words: every string the page template uses is in the catalog, translated everywhere."""
import re

import pytest
from babel.messages.extract import extract_from_file

from storyloc.build import page_translations
from storyloc.po import read_po

from conftest import REPO, msgfmt_check

LOCALE = REPO / "src" / "storyloc" / "locale"
SHIPPED = sorted(p.name for p in LOCALE.iterdir() if p.is_dir())
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _template_strings() -> set[str]:
    found = set()
    for _, message, _, _ in extract_from_file("jinja2", str(REPO / "src/storyloc/templates/page.html"),
                                              options={"extensions": "jinja2.ext.i18n"}):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_template_strings_are_all_in_the_pot():
    pot = {m.msgid for m in read_po(LOCALE / "storyloc.pot").entries()}
    assert _template_strings() == pot


def test_shipped_languages():
    assert {"uk", "es", "de", "pl", "fr", "ar"} <= set(SHIPPED)


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_page_word_is_translated_and_keeps_its_placeholders(lang):
    po = LOCALE / lang / "LC_MESSAGES" / "storyloc.po"
    catalog = read_po(po)
    pot = read_po(LOCALE / "storyloc.pot")
    for template in pot.entries():
        message = catalog.find(template.msgid, template.msgctxt)
        assert message is not None and message.status == "reviewed", (lang, template.msgid)
        for text in message.msgstr:
            assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(template.msgid)), (lang, text)
    check = msgfmt_check(po)
    assert check.returncode == 0 and check.stderr == "", check.stderr


def test_plural_banner_uses_the_languages_own_rules():
    uk = page_translations("uk")
    forms = {uk.ngettext("%(count)d of %(total)d passages has not been reviewed yet and is shown in English.",
                         "%(count)d of %(total)d passages have not been reviewed yet and are shown in English.",
                         n) for n in (1, 3, 5)}
    assert len(forms) == 3  # one, few, many


@pytest.mark.parametrize("lang", SHIPPED)
def test_both_banners_have_every_plural_form_of_the_language(lang):
    translations = page_translations(lang)
    catalog = read_po(LOCALE / lang / "LC_MESSAGES" / "storyloc.po")
    plurals = [m for m in catalog.entries() if m.msgid_plural is not None]
    assert len(plurals) == 2        # the banner of an English story, and of a story in another language
    nplurals = int(re.search(r"nplurals=(\d+)", catalog.header.msgstr[0]).group(1))
    for m in plurals:
        assert len(m.msgstr) == nplurals and all(form.strip() for form in m.msgstr), (lang, m.msgid)
    banner = ("%(count)d of %(total)d passages has not been reviewed yet and is shown in the original language "
              "(%(language)s).", "%(count)d of %(total)d passages have not been reviewed yet and are shown in the "
              "original language (%(language)s).")
    for n in (1, 2, 3, 5, 11, 21, 101):
        text = translations.ngettext(*banner, n) % {"count": n, "total": 200, "language": "X"}
        assert "(X)" in text and text != banner[n != 1] % {"count": n, "total": 200, "language": "X"}, (lang, n)
