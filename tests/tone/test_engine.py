"""The rule engine alone: no database, no clock (today is passed in)."""

from datetime import date

import pytest

from tone import kinds
from tone.bank import PhraseBank
from tone.engine import check, detect_language
from tone.folding import fold

TODAY = date(2026, 12, 7)


def found(text, language, context="reply", bank=None):
    return [
        (finding.kind, text[finding.start : finding.end])
        for finding in check(
            text, language=language, today=TODAY, context=context, bank=bank
        )
    ]


def test_english_blaming_refusal_and_vague_time_are_flagged_where_they_are():
    text = "You failed to attach it. This is not our problem. We will call soon."

    assert found(text, "en") == [
        ("negative", "You failed to"),
        ("negative", "This is not our problem"),
        ("vague_time", "soon"),
    ]


def test_a_polite_clear_reply_has_no_findings():
    text = (
        "Thank you for your patience. Your refund was approved today and will "
        "reach your bank within five working days."
    )

    assert found(text, "en") == []
    assert found("شكرًا لصبرك، وسيصلك المبلغ خلال خمسة أيام عمل.", "ar") == []


def test_arabic_offsets_point_into_the_text_as_typed_with_its_diacritics():
    text = "عزيزي العميل، هذا مُسْتَحِيلٌ، ولَمْ تَقُمْ بإرسالِ النموذجِ، وسنرد قَرِيبًا."

    assert found(text, "ar") == [
        ("negative", "مُسْتَحِيلٌ"),
        ("negative", "لَمْ تَقُمْ بإرسالِ"),
        ("vague_time", "قَرِيبًا"),
    ]


def test_arabic_letter_variants_and_prefixes_match_the_same_rule():
    assert found("وهذه ليسـت مشكلتنا", "ar") == [("negative", "ليسـت مشكلتنا")]
    assert found("فالمستحيل لا نعرفه", "ar") == [("negative", "المستحيل")]
    # Hamza on alef typed without it, taa marbuta as haa.
    assert found("اخطأت في الرقم", "ar") == [("negative", "اخطأت")]
    assert found("سنرسله فى اقرب وقت", "ar") == [("vague_time", "فى اقرب وقت")]


def test_a_refusal_with_a_reason_or_a_next_step_is_not_flagged():
    assert found("We cannot change the address.", "en") == [("refusal", "We cannot")]
    assert found("We cannot change it because the parcel has left.", "en") == []
    assert found("We cannot change it. You can redirect it online.", "en") == []
    assert found("لا يمكننا تغيير العنوان.", "ar") == [("refusal", "لا يمكننا")]
    assert found("لا يمكننا تغيير العنوان لأن الشحنة غادرت.", "ar") == []


def test_a_promise_needs_a_date_and_a_date_already_past_is_late():
    assert found("We will send the invoice.", "en") == [("promise", "We will send")]
    assert found("We will send the invoice on Thursday.", "en") == []
    assert found("We will send it once the payment clears.", "en") == []

    late = check("We will refund you by 1 December.", language="en", today=TODAY)
    assert [(f.kind, f.message) for f in late] == [("promise", kinds.PAST_PROMISE)]
    assert found("We will refund you by 9 December.", "en") == []
    assert found("سنعيد المبلغ في 1 ديسمبر 2026.", "ar") == [("promise", "سنعيد")]
    assert found("سنعيد المبلغ في 20/12/2026.", "ar") == []


def test_jargon_and_internal_codes_but_not_the_customers_references():
    text = (
        "The SLA is breached, status PND, error ERR_502. "
        "Ref HD-2026-000123, order ORD-4."
    )

    assert found(text, "en") == [
        ("jargon", "SLA"),
        ("jargon", "PND"),
        ("jargon", "ERR_502"),
    ]
    assert found("حالة طلبك pending لدى فريق L2.", "ar") == [
        ("jargon", "pending"),
        ("jargon", "L2"),
    ]


def test_a_memo_to_colleagues_may_use_internal_terms():
    assert found("Please move it to L2, the SLA is near.", "en", context="memo") == []


def test_an_over_long_sentence_is_flagged_whole():
    sentence = " ".join(["word"] * 40) + "."

    assert found(f"Short one. {sentence}", "en") == [("long_sentence", sentence)]


def test_a_letter_needs_a_greeting_and_a_closing_a_reply_does_not():
    body = "Your new card is on its way."
    missing = check(body, language="en", today=TODAY, context="letter")

    assert [(f.kind, f.start, f.end) for f in missing] == [
        ("greeting", 0, 0),
        ("closing", len(body), len(body)),
    ]
    assert (
        found("Dear Ali,\n\n" + body + "\n\nKind regards,\nSara", "en", "letter") == []
    )
    assert (
        found("السيد علي المحترم،\n" + "بطاقتك في الطريق.\nمع التحية", "ar", "letter")
        == []
    )
    assert found(body, "en") == []


def test_suggestions_come_from_the_bank_trigger_first_and_fill_in_the_words():
    bank = PhraseBank(
        [
            ("en", "negative", "", "here is what we can do"),
            ("en", "negative", "not our problem", "let me find who can help"),
            ("en", "promise", "", "by [date], {}"),
            ("ar", "negative", "مستحيل", "ما يمكننا فعله هو"),
        ]
    )

    negative, promise = check(
        "This is not our problem. We will send it.",
        language="en",
        today=TODAY,
        bank=bank,
    )
    assert negative.suggestions == (
        "Let me find who can help",
        "Here is what we can do",
    )
    assert promise.suggestions == ("By [date], we will send",)
    (arabic,) = check("هذا مُستحيل", language="ar", today=TODAY, bank=bank)
    assert arabic.suggestions == ("ما يمكننا فعله هو",)


def test_folding_keeps_each_characters_place():
    folded = fold("أَهلاً")

    assert folded.text == "اهلا"
    assert folded.span(0, 4) == (0, 6)


@pytest.mark.parametrize(
    ("text", "language"),
    [("مرحبا John", "ar"), ("Hello يا صديقي my friend", "en"), ("", "en")],
)
def test_the_language_of_a_text_is_its_majority_script(text, language):
    assert detect_language(text) == language


def test_an_unknown_language_or_context_is_refused():
    with pytest.raises(ValueError):
        check("hi", language="fr", today=TODAY)
    with pytest.raises(ValueError):
        check("hi", language="en", today=TODAY, context="tweet")
