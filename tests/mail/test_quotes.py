"""Folding quoted history, by the edge cases the corpus does not show."""

import pytest

from mail.quotes import fold_quotes


def test_an_attribution_wrapped_over_three_lines_is_found():
    text = (
        "Fine.\n\nOn Monday, 7 December 2026 at 09:30:00 UTC+3, a very long\n"
        "name\n<x@y.example> wrote:\n> old"
    )

    assert fold_quotes(text) == (
        "Fine.",
        "On Monday, 7 December 2026 at 09:30:00 UTC+3, a very long\nname\n"
        "<x@y.example> wrote:\n> old",
    )


@pytest.mark.parametrize(
    "header",
    [
        "كتب فريق الدعم <support@helpdesk.example>:",
        "بتاريخ ٧ ديسمبر ٢٠٢٦، كتب فريق الدعم <support@helpdesk.example>:",
        "في ٧ ديسمبر ٢٠٢٦ ١٠:٠٠ ص، كتب \u200fفريق الدعم\u200f:",
        "Le lun. 7 déc. 2026 à 09:30, Support <support@helpdesk.example> a écrit :",
        "-----Original Message-----",
        "----- Original Message -----",
        "-----الرسالة الأصلية-----",
    ],
)
def test_reply_headers_start_the_history(header):
    assert fold_quotes(f"new words\n\n{header}\n> old")[0] == "new words"


def test_an_outlook_block_in_bold_with_arabic_fields_is_found():
    text = "جديد\n\n*من:* الدعم\n*أرسل:* الاثنين\n*إلى:* علي\n*الموضوع:* طلب\n\nقديم"

    assert fold_quotes(text) == (
        "جديد",
        "*من:* الدعم\n*أرسل:* الاثنين\n*إلى:* علي\n*الموضوع:* طلب\n\nقديم",
    )


def test_a_from_line_alone_is_not_a_header_block():
    text = "From: my manager, who asked me to write.\nPlease call me."

    assert fold_quotes(text) == (text, "")


def test_interleaved_answers_are_kept_and_only_the_trailing_quote_folded():
    text = "> Which invoice?\nNovember.\n> And the amount?\n100.\n\n> Thanks\n> Support"

    assert fold_quotes(text) == (
        "> Which invoice?\nNovember.\n> And the amount?\n100.",
        "> Thanks\n> Support",
    )


def test_a_message_that_is_only_quotes_keeps_everything():
    text = "On Mon, 7 Dec 2026, X <x@y.example> wrote:\n> everything"

    assert fold_quotes(text) == (text, "")


def test_a_forward_under_a_reply_header_is_folded_with_the_history():
    text = (
        "Done.\n\nOn Mon, X <x@y> wrote:\n> ---------- Forwarded message ---------\n> a"
    )

    assert fold_quotes(text)[0] == "Done."


def test_a_reply_header_inside_a_forward_is_kept():
    text = (
        "FYI\n---------- Forwarded message ---------\nhi\n\nOn Sun, Y <y@z> wrote:\n> x"
    )

    assert fold_quotes(text) == (text, "")


def test_a_forwarded_subject_folds_nothing():
    text = "FYI\n________________________________\nFrom: A\nSent: B\nTo: C\nSubject: D"

    assert fold_quotes(text, forwarded=True) == (text, "")
    assert fold_quotes(text)[0] == "FYI"
