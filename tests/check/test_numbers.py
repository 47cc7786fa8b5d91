"""Numbers: the same values as the English, read and written the language's way."""
import pytest

from check_cases import case_ids, failures

# (source, translation, language, kind, the checks that must fail)
CASES = [
    ("more than 70,000 people.", "понад 70 000 людей.", "uk", "paragraph", []),
    ("more than 70,000 people.", "понад 70\u00a0000 людей.", "uk", "paragraph", []),
    ("more than 70,000 people.", "понад 70 тисяч людей.", "uk", "paragraph", []),
    ("more than 70,000 people.", "понад 70,000 людей.", "uk", "paragraph", ["numbers"]),
    ("more than 70,000 people.", "понад 7 000 людей.", "uk", "paragraph", ["numbers"]),
    ("It grew 1.5 times.", "Зросло в 1,5 раза.", "uk", "paragraph", []),
    ("It grew 1.5 times.", "Зросло в 1.5 раза.", "uk", "paragraph", ["number-format"]),
    ("70,000 people", "70.000 personas", "es", "paragraph", []),
    ("It grew 1.5 times.", "Es wuchs um das 1,5-Fache.", "de", "paragraph", []),
    ("90% of people", "90 % des gens", "fr", "paragraph", []),
    ("On February 1, 2023, at 10:30", "1 лютого 2023 року о 10.30", "uk", "paragraph", []),
    ("On 12/25/2023", "25 грудня 2023 року", "uk", "paragraph", []),
    ("On December 25", "Am 25.12.", "de", "paragraph", []),
    ("It costs 1.5 million", "Коштує 1,5 млн", "uk", "paragraph", []),
    ("for two months", "два місяці", "uk", "paragraph", []),
    ("in 2022", "у 2023 році", "uk", "paragraph", ["numbers"]),
]


@pytest.mark.parametrize("source, target, lang, kind, expected", CASES)
def test_number_cases(source, target, lang, kind, expected):
    assert case_ids(source, target, lang, kind) == sorted(expected), failures(source, target, lang, kind)


def test_messages_say_what_to_write():
    [(_, message)] = failures("more than 70,000 people.", "понад 70,000 людей.")
    assert message == ("70,000 is written 70,000, which reads as 70 in Ukrainian "
                       "(its decimal separator is ','); write 70 000")
    assert failures("In 2022, 70,000 left.", "У 2022 році 7 тисяч виїхали.") == [
        ("numbers", "number 70,000 became 7 тисяч (here: 70 000)")]
    assert failures("In 2022 they left.", "Вони виїхали.") == [("numbers", "number 2022 is missing")]
    assert failures("They left.", "У 2021 вони виїхали.") == [("numbers", "number 2021 is not in the English")]
