import pytest

from helpdesk.numbers import whole_number


@pytest.mark.parametrize(
    "text, number",
    [
        ("42", 42),
        ("007", 7),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),
        ("¹", None),  # a digit to str.isdigit, which int() refuses
        ("٤٢", None),  # Arabic-Indic digits: forms translate them first
        ("-1", None),
        ("4.2", None),
        (" 42", None),
        ("", None),
    ],
)
def test_only_ascii_digits_that_fit_a_bigint_are_an_id(text, number):
    assert whole_number(text) == number


def test_a_form_may_ask_for_fewer_digits():
    assert whole_number("99", max_digits=2) == 99
    assert whole_number("100", max_digits=2) is None
