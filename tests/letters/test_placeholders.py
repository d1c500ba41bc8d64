"""Placeholders: only known names, well-formed, filled with dates in the
letter's language beside their Umm al-Qura twin."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from letters import placeholders


def messages(text):
    with pytest.raises(ValidationError) as error:
        placeholders.validate(text)
    return error.value.messages


def test_an_unknown_placeholder_is_named_and_the_allowed_ones_listed():
    (message,) = messages("Dear {{ customer_name }}, your {{ invoice_number }}")

    assert "Unknown placeholder {{ invoice_number }}" in message
    assert "{{ customer_name }}, {{ ticket_number }}" in message
    assert "{{ appeal_route }}" in message


def test_the_refusal_is_in_arabic_for_an_arabic_supervisor():
    with translation.override("ar"):
        (message,) = messages("{{ invoice_number }}")

    assert "{{ invoice_number }}" in message
    assert "غير معروف" in message


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Dear {{ customer_name },", "Dear {{ customer_name"),
        ("Dear { customer_name }}", "customer_name }}"),
        ("a }} b {{", "a }} b {{"),
    ],
)
def test_unbalanced_braces_are_refused_and_shown_where_they_are(text, shown):
    (message,) = messages(f"Hello. {text}")

    assert message.startswith("Unbalanced braces near “")
    assert shown in message


def test_known_placeholders_pass_with_or_without_spaces():
    placeholders.validate("{{customer_name}} {{ ticket_number }} {{  today_hijri  }}")


def test_render_fills_known_names_and_leaves_text_alone():
    text = "Dear {{ customer_name }}, ticket {{ticket_number}}. {% now %} <b>"

    filled = placeholders.render(
        text, {"customer_name": "Alice", "ticket_number": "HD-2026-000001"}
    )

    assert filled == "Dear Alice, ticket HD-2026-000001. {% now %} <b>"


def test_a_placeholder_without_a_value_stays_visible_for_the_writer():
    assert placeholders.render("Reasons: {{ reasons }}", {}) == "Reasons: {{ reasons }}"


def test_dates_are_written_in_the_letters_language_with_their_hijri_twin():
    context = {"today": date(2026, 12, 7)}
    text = "{{ today }} — {{ today_hijri }}"

    assert placeholders.render(text, context, "en") == (
        "7 December 2026 — 27 Jumada al-Akhirah 1448 AH"
    )
    assert placeholders.render(text, context, "ar") == (
        "7 ديسمبر 2026م — 27 جمادى الآخرة 1448هـ"
    )


@pytest.mark.parametrize(
    "day, english, arabic",
    [
        # The last day of Sha'ban and the first of Ramadan 1447 (Umm al-Qura).
        (date(2026, 2, 17), "29 Sha'ban 1447 AH", "29 شعبان 1447هـ"),
        (date(2026, 2, 18), "1 Ramadan 1447 AH", "1 رمضان 1447هـ"),
        # Ramadan 1447 has thirty days; Eid al-Fitr falls on 20 March.
        (date(2026, 3, 19), "30 Ramadan 1447 AH", "30 رمضان 1447هـ"),
        (date(2026, 3, 20), "1 Shawwal 1447 AH", "1 شوال 1447هـ"),
        # The last day of 1447 and the Hijri new year; the Gregorian year's turn.
        (date(2026, 6, 15), "29 Dhu al-Hijjah 1447 AH", "29 ذو الحجة 1447هـ"),
        (date(2026, 6, 16), "1 Muharram 1448 AH", "1 محرم 1448هـ"),
        (date(2026, 12, 31), "22 Rajab 1448 AH", "22 رجب 1448هـ"),
        (date(2027, 1, 1), "23 Rajab 1448 AH", "23 رجب 1448هـ"),
    ],
)
def test_hijri_dates_at_month_boundaries(day, english, arabic):
    assert placeholders.hijri_date(day, "en") == english
    assert placeholders.hijri_date(day, "ar") == arabic


def test_the_sample_values_fill_every_placeholder():
    for language in ["ar", "en"]:
        text = " ".join(f"{{{{ {name} }}}}" for name in placeholders.VOCABULARY)

        filled = placeholders.render(
            text, placeholders.sample_context(language), language
        )

        assert "{{" not in filled
