"""Every message of the corpus read as the helpdesk must read it: Arabic in
every charset, structure, attachments, quoted history, broken mail."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mail.automatic import automatic_reason
from mail.parsing import MAX_DEPTH, UnreadableEmail, parse_email

from .corpus_messages import AN_HOUR_LATER, CORPUS, RECEIVED, parsed, raw

BODY_AR = "السلام عليكم،\nلم تصلني الفاتورة لشهر نوفمبر حتى الآن.\nأرجو المساعدة.\nعلي"


@pytest.mark.parametrize(
    ("name", "subject", "text", "uncertain"),
    [
        ("plain-ar-utf8-base64.eml", "مشكلة في الفاتورة رقم 123", BODY_AR, False),
        (
            "plain-ar-utf8-qp.eml",
            "طلب استرداد المبلغ",
            "أرغب في استرداد المبلغ المدفوع مرتين.\nشكرا",
            False,
        ),
        ("plain-ar-windows1256.eml", "مشكلة في الفاتورة رقم 123", BODY_AR, False),
        (
            "plain-ar-iso8859-6.eml",
            "تأخر الشحنة",
            "لم تصل الشحنة حتى اليوم.\nأرجو الرد.",
            False,
        ),
        (
            "plain-ar-mislabelled-latin1.eml",
            "الفاتورة خاطئة",
            "المبلغ في الفاتورة خاطئ، أرجو التصحيح.",
            True,
        ),
        (
            "plain-ar-mislabelled-utf8.eml",
            "Wrong amount",
            "المبلغ المخصوم أكبر من المتفق عليه.",
            True,
        ),
        (
            "plain-ar-unknown-charset.eml",
            "استفسار عام",
            "متى يفتح الفرع الرئيسي؟",
            True,
        ),
        (
            "header-ar-raw-8bit-windows1256.eml",
            "شكوى بخصوص الخدمة",
            "الخدمة بطيئة جدا منذ أسبوع.",
            True,
        ),
        (
            "plain-fr-latin1.eml",
            "Problème de facturation",
            "Bonjour,\nJe n'ai pas reçu ma facture de décembre. Merci d'avance.\n"
            "Hélène",
            False,
        ),
        ("subject-mixed-charsets.eml", "Re: طلب رقم 42 café", "hello", False),
    ],
)
def test_text_in_every_charset_is_read_and_guesses_are_flagged(
    name, subject, text, uncertain
):
    email = parsed(name)

    assert email.subject == subject
    assert email.text == text
    assert email.encoding_uncertain is uncertain


def test_an_arabic_subject_split_inside_a_letter_comes_out_whole():
    source = raw("plain-ar-utf8-base64.eml").decode()

    assert "=?utf-8?B?2YXY?=\n =?utf-8?B?tNmD" in source  # ش cut in two
    assert parsed("plain-ar-utf8-base64.eml").subject == "مشكلة في الفاتورة رقم 123"


@pytest.mark.parametrize(
    ("name", "from_name", "from_address"),
    [
        ("plain-en.eml", "Ali Hassan", "ali@customer.example"),
        ("plain-ar-utf8-base64.eml", "علي حسن", "ali@customer.example"),
        ("header-ar-raw-8bit-windows1256.eml", "علي حسن", "ali@customer.example"),
        ("subject-mixed-charsets.eml", "ليلى", "layla@customer.example"),
        ("plain-fr-latin1.eml", "Hélène Dupré", "helene@client.example"),
        ("addresses-idn.eml", "علي", "ali@مثال.example"),
    ],
)
def test_the_sender_is_named_and_the_address_normalised(name, from_name, from_address):
    email = parsed(name)

    assert (email.from_name, email.from_address) == (from_name, from_address)


def test_recipients_and_delivery_addresses_are_normalised():
    email = parsed("addresses-idn.eml")

    assert email.to == ["support@helpdesk.example", "other@helpdesk.example"]
    assert email.cc == ["mona@مثال.example"]
    assert email.delivered_to == ["support@helpdesk.example", "help@helpdesk.example"]
    assert email.return_path == "ali@مثال.example"


def test_message_ids_are_bracketed_whatever_the_sender_wrote():
    email = parsed("addresses-idn.eml")

    assert email.message_id == "<addresses-idn@corpus.example>"
    assert email.in_reply_to == ["<a@x.example>", "<b@x.example>"]
    assert email.references == ["<d@x.example>"]


def test_a_reply_keeps_its_threading_headers():
    email = parsed("reply-en-gmail.eml")

    assert email.message_id == "<reply-en-gmail@corpus.example>"
    assert email.in_reply_to == ["<hd-outbound-123@helpdesk.example>"]
    assert email.references == [
        "<plain-en@corpus.example>",
        "<hd-outbound-123@helpdesk.example>",
    ]


def test_a_message_without_message_id_has_an_empty_one():
    assert parsed("no-message-id.eml").message_id == ""


def test_return_path_is_none_when_absent_and_empty_for_the_null_sender():
    assert parsed("auto-return-path-empty.eml").return_path == ""
    assert parsed("plain-en.eml").return_path == "ali@customer.example"
    assert parse_email(b"From: a@b.example\n\nhi").return_path is None


def test_dates_are_aware_and_received_at_is_our_servers_time():
    email = parsed("plain-en.eml")

    assert email.date == datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
    assert email.received_at == RECEIVED  # the top-most Received, not 09:59:58


@pytest.mark.parametrize(
    "now",
    [
        RECEIVED - timedelta(hours=1),  # a Received time in the future
        RECEIVED + timedelta(days=31),  # or a month old
    ],
)
def test_an_implausible_received_time_is_dropped(now):
    assert parse_email(raw("plain-en.eml"), now=now).received_at is None


def test_received_at_is_none_without_a_received_header():
    message = b"From: a@b.example\nDate: Mon, 07 Dec 2026 10:00:00 +0300\n\nhi"

    assert parse_email(message, now=AN_HOUR_LATER).received_at is None


def test_plain_text_is_preferred_and_the_html_kept_as_sent():
    email = parsed("alternative-ar.eml")

    assert email.text == "هل يمكن تجديد الاشتراك عبر الإنترنت؟"
    assert email.html.startswith('<div dir="rtl">هل يمكن <b>تجديد الاشتراك</b>')


def test_html_only_mail_gets_text_without_tags_scripts_or_entities():
    email = parsed("html-only-ar.eml")

    assert email.text == 'مرحبا & أهلا،\nأريد تغيير\nعنوان التسليم.\nالشارع "الأول"'
    assert "<script>" in email.html  # sanitised by the caller, when stored


@pytest.mark.parametrize(
    ("name", "text", "quoted_start"),
    [
        (
            "reply-en-gmail.eml",
            "Thanks, the invoice arrived.",
            "On Mon, 7 Dec 2026 at 09:30, Helpdesk Support",
        ),
        (
            "reply-en-outlook.eml",
            "It still has the wrong address on it.\n\nAli",
            "________________________________\nFrom: Helpdesk Support",
        ),
        (
            "reply-en-original-message.eml",
            "Received, thank you.",
            "-----Original Message-----",
        ),
        (
            "reply-ar-gmail-utf8.eml",
            "شكرا، وصلت الفاتورة.",
            "في الاثنين، ٧ ديسمبر ٢٠٢٦ في ٩:٣٠ ص، كتب",
        ),
        (
            "reply-ar-outlook.eml",
            "ما زالت الشحنة متأخرة.",
            "________________________________\nمن: فريق الدعم",
        ),
        (
            "reply-ar-original-message.eml",
            "تم استلام المبلغ، شكرا لكم.",
            "----- الرسالة الأصلية -----",
        ),
        (
            "reply-quote-trailing.eml",
            "Yes, please send it to my work address.",
            "> Should we send the invoice",
        ),
    ],
)
def test_quoted_history_is_folded_away_from_the_new_words(name, text, quoted_start):
    email = parsed(name)

    assert email.text == text
    assert email.quoted.startswith(quoted_start)


@pytest.mark.parametrize(
    ("name", "forwarded"),
    [
        ("forward-en-gmail.eml", "The order 5521 never arrived."),
        ("forward-ar-gmail.eml", "لم يصل الطلب 5521 حتى الآن."),
    ],
)
def test_a_forward_keeps_what_was_forwarded(name, forwarded):
    email = parsed(name)

    assert forwarded in email.text
    assert email.quoted == ""


def test_attachment_names_in_rfc_2231_continuations_are_arabic():
    (attachment,) = parsed("attachment-ar-rfc2231.eml").attachments

    assert attachment.filename == "فاتورة نوفمبر.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.data.startswith(b"%PDF-1.4")
    assert not attachment.inline


def test_attachment_names_in_rfc_2047_words_are_arabic():
    image, receipt = parsed("attachment-ar-rfc2047.eml").attachments

    assert image.filename == "صورة المنتج.png"
    assert image.data.startswith(b"\x89PNG")
    assert receipt.filename == "إيصال.pdf"  # from Content-Type's name=


def test_an_inline_image_keeps_its_content_id():
    email = parsed("inline-image.eml")

    (image,) = email.attachments
    assert (image.filename, image.inline) == ("error.png", True)
    assert image.content_id == "ii_error01@corpus.example"
    assert f"cid:{image.content_id}" in email.html


def test_dangerous_filenames_are_made_safe():
    names = [a.filename for a in parsed("attachment-dangerous-names.eml").attachments]

    assert names == [
        "passwd",
        "invoicefdp.exe",  # the right-to-left override no longer hides ".exe"
        "zerowidth.pdf",
        "htaccess",
        "y.pdf",
        "attachment.png",
    ]


def test_an_attached_message_becomes_an_eml_file():
    (attachment,) = parsed("rfc822-attached.eml").attachments

    assert attachment.filename == "شكوى.eml"
    assert attachment.content_type == "message/rfc822"
    assert b"Message-ID: <inner-complaint@corpus.example>" in attachment.data


def test_a_multipart_without_boundary_is_read_by_its_delimiters():
    email = parsed("malformed-missing-boundary.eml")

    assert email.text == "The body is still readable."
    assert [a.filename for a in email.attachments] == ["report.pdf"]
    assert email.attachments[0].data.startswith(b"%PDF")


def test_truncated_base64_gives_what_was_received():
    email = parsed("malformed-truncated-base64.eml")

    assert email.text == "The attachment was cut off in transit."
    assert email.attachments[0].data.startswith(b"%PDF-1.4")


def test_deep_nesting_is_cut_at_the_cap_and_flagged():
    email = parsed("nested-deep.eml")

    assert email.truncated
    assert email.subject == "Deeply nested message"
    assert MAX_DEPTH < 100


def test_nesting_that_would_exhaust_the_parser_keeps_the_headers():
    depth = 1200
    head = b"From: a@b.example\nSubject: deeper\nMessage-ID: <deeper@x.example>\n"
    opening = b"".join(
        b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i)
        for i in range(depth)
    )

    email = parse_email(head + opening + b"Content-Type: text/plain\n\nbottom\n")

    assert email.truncated
    assert email.message_id == "<deeper@x.example>"


def test_a_25_mb_message_is_parsed_whole():
    attachment = b"A" * (25 * 1024 * 1024 * 3 // 4)
    message = (
        b"From: a@b.example\nSubject: big\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="big"\n\n'
        b"--big\nContent-Type: text/plain\n\nsee attached\n"
        b"--big\nContent-Type: application/octet-stream\n"
        b'Content-Disposition: attachment; filename="big.bin"\n'
        b"Content-Transfer-Encoding: base64\n\n"
        + b"QUFB" * (len(attachment) // 3)
        + b"\n--big--\n"
    )

    email = parse_email(message)

    assert email.size == len(message) > 25 * 1024 * 1024 - 1024
    assert email.text == "see attached"
    assert email.attachments[0].data == attachment


@pytest.mark.parametrize(
    "junk",
    [
        b"",
        b"   \r\n\r\n",
        (CORPUS / "unreadable-binary.eml").read_bytes(),
        b"\x00\x01\x02 just some bytes",
        b"hello there, this is not an email",
    ],
)
def test_bytes_that_are_no_email_are_unreadable(junk):
    with pytest.raises(UnreadableEmail):
        parse_email(junk)


def test_every_corpus_message_parses_or_is_unreadable_and_keeps_its_size():
    for path in sorted(CORPUS.glob("*.eml")):
        data = path.read_bytes()
        if path.name.startswith("unreadable-"):
            continue

        email = parse_email(data, now=AN_HOUR_LATER)

        assert email.size == len(data), path.name
        assert email.message is not None, path.name
        assert email.from_address, path.name
        assert email.subject, path.name


@settings(max_examples=200, deadline=None)
@given(
    body=st.binary(max_size=2000),
    content_type=st.sampled_from(
        [
            "multipart/mixed; boundary=b",
            "multipart/alternative",
            'text/plain; charset="x-unknown"',
            "text/html; charset=utf-8",
            "message/rfc822",
            "multipart/report; report-type=delivery-status; boundary=b",
            "application/pdf; name*0*=",
        ]
    ),
)
def test_any_body_under_real_headers_parses_without_an_error(body, content_type):
    message = (
        f"From: a@b.example\nSubject: x\nContent-Type: {content_type}\n"
        "Content-Transfer-Encoding: base64\n\n"
    ).encode() + body

    email = parse_email(message)

    assert isinstance(email.text, str)
    automatic_reason(email, own_addresses=set())  # nor do the loop checks


@pytest.mark.parametrize("charset", ["punycode", "utf-7", "base64", "x-unknown"])
def test_a_charset_whose_decoder_fails_is_guessed_not_fatal(charset):
    message = (
        f"From: a@b.example\nSubject: x\nContent-Type: text/plain; charset={charset}"
        "\nContent-Transfer-Encoding: 8bit\n\n"
    ).encode() + "شكوى\n".encode("cp1256")

    email = parse_email(message)

    assert email.text == "شكوى"
    assert email.encoding_uncertain
