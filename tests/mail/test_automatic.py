"""Mail no person wrote is recognised (each rule, and a near miss that is
not), and bounces name the message of ours they report."""

import pytest

from mail.automatic import automatic_reason
from mail.parsing import parse_email

from .corpus_messages import parsed

OWN = {"Support@HelpDesk.example"}


def _reason(email):
    found = automatic_reason(email, own_addresses=OWN)
    return found.reason if found else None


def _message(headers: str, *, sender="Ali <ali@customer.example>", subject="Hello"):
    return parse_email(
        f"From: {sender}\nTo: support@helpdesk.example\nSubject: {subject}\n"
        f"{headers}\nhello\n".encode()
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("auto-submitted.eml", "Auto-Submitted: auto-replied"),
        ("auto-precedence-bulk.eml", "Precedence: bulk"),
        ("auto-precedence-auto-reply.eml", "Precedence: auto_reply"),
        ("auto-x-autoreply.eml", "X-Autoreply header"),
        ("auto-x-autorespond.eml", "X-Autorespond header"),
        ("auto-x-auto-response-suppress.eml", "X-Auto-Response-Suppress header"),
        ("auto-list-id.eml", "mailing list"),
        ("auto-list-unsubscribe.eml", "mailing list"),
        ("auto-return-path-empty.eml", "null sender (empty Return-Path)"),
        (
            "auto-from-postmaster.eml",
            "from a mail system (mailer-daemon or postmaster)",
        ),
        ("auto-from-own-address.eml", "from our own address"),
        ("auto-ooo-en-subject.eml", "out-of-office subject"),
        ("auto-ooo-en-automatic-reply.eml", "out-of-office subject"),
        ("auto-ooo-ar-subject.eml", "out-of-office subject"),
        ("auto-ooo-ar-out-of-office.eml", "out-of-office subject"),
        ("bounce-dsn-delayed.eml", "delivery status notice (delayed)"),
    ],
)
def test_automatic_mail_in_the_corpus_is_recognised(name, reason):
    found = automatic_reason(parsed(name), own_addresses=OWN)

    assert found.reason == reason
    assert not found.is_bounce


@pytest.mark.parametrize(
    "name",
    [
        "plain-en.eml",
        "plain-ar-utf8-base64.eml",
        "reply-en-gmail.eml",
        "reply-ar-outlook.eml",
        "forward-ar-gmail.eml",
        "attachment-ar-rfc2231.eml",
        "no-message-id.eml",
    ],
)
def test_mail_a_person_wrote_is_not_automatic(name):
    assert automatic_reason(parsed(name), own_addresses=OWN) is None


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ("Auto-Submitted: auto-generated", "Auto-Submitted: auto-generated"),
        ("Auto-Submitted: Auto-Replied; owner=x", "Auto-Submitted: auto-replied"),
        ("Precedence: list", "Precedence: list"),
        ("Precedence: JUNK", "Precedence: junk"),
        ("X-Autoreply: yes", "X-Autoreply header"),
        ("X-Autorespond: yes", "X-Autorespond header"),
        ("X-Auto-Response-Suppress: OOF, DR", "X-Auto-Response-Suppress header"),
        ("X-Auto-Response-Suppress: AutoReply", "X-Auto-Response-Suppress header"),
        ("List-Id: <news.shop.example>", "mailing list"),
        ("Return-Path: <>", "null sender (empty Return-Path)"),
    ],
)
def test_each_header_rule_applies(headers, reason):
    assert _reason(_message(headers)) == reason


@pytest.mark.parametrize(
    "headers",
    [
        "Auto-Submitted: no",
        "Auto-Submitted:",
        "Precedence: first-class",
        "Precedence: normal",
        "X-Auto-Response-Suppress: RN, NRN",
        "Return-Path: <ali@customer.example>",
        "List-Id:",
        "X-Mailer: Outlook auto reply plugin",
    ],
)
def test_a_near_miss_header_is_mail_a_person_wrote(headers):
    assert _reason(_message(headers)) is None


@pytest.mark.parametrize(
    "sender",
    [
        "MAILER-DAEMON@mx.customer.example",
        "Mail System <Postmaster@Example.ORG>",
        "mailer-daemon@مثال.example",
    ],
)
def test_mail_system_senders_are_automatic(sender):
    reason = _reason(_message("", sender=sender))

    assert reason == "from a mail system (mailer-daemon or postmaster)"


@pytest.mark.parametrize(
    "sender",
    [
        "support@helpdesk.example",
        "SUPPORT@HELPDESK.EXAMPLE",
        "Helpdesk <support+hd-1-abcdefghij@helpdesk.example>",
    ],
)
def test_our_own_address_in_any_spelling_is_automatic(sender):
    assert _reason(_message("", sender=sender)) == "from our own address"


@pytest.mark.parametrize(
    "sender",
    ["support@other.example", "postmaster-office@customer.example", "daemon@x.example"],
)
def test_addresses_that_merely_resemble_ours_or_a_mail_system_are_not(sender):
    assert _reason(_message("", sender=sender)) is None


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: your request",
        "Out of the office",
        "[Out of Office] your request",
        "Automatic reply: your request",
        "Auto-Reply: your request",
        "AutoReply",
        "Autoreply: your request",
        "رد تلقائي: طلبكم",
        "الرد التلقائي: طلبكم",
        "خارج المكتب",
        "رد آلي",
    ],
)
def test_out_of_office_subjects_are_automatic(subject):
    assert _reason(_message("", subject=subject)) == "out-of-office subject"


@pytest.mark.parametrize(
    "subject",
    [
        "Out of office hours support?",
        "Question about your office",
        "Re: automatic replies are not working",
        "My reply to your request",
        "سؤال عن المكتب الرئيسي",
        "Re: ردكم التلقائي لم يصل",
    ],
)
def test_subjects_that_merely_mention_the_words_are_not(subject):
    assert _reason(_message("", subject=subject)) is None


@pytest.mark.parametrize(
    ("name", "message_id", "why"),
    [
        (
            "bounce-dsn.eml",
            "<hd-outbound-123@helpdesk.example>",
            "550 5.1.1 <nobody@customer.example>: Recipient address rejected: "
            "User unknown in local recipient table",
        ),
        (
            "bounce-dsn-headers-only.eml",
            "<hd-outbound-124@helpdesk.example>",
            "552 5.2.2 Mailbox full",
        ),
        (
            "bounce-nonstandard-en.eml",
            "<hd-outbound-125@helpdesk.example>",
            "550 5.1.1 No such user here",
        ),
        (
            "bounce-nonstandard-ar.eml",
            "<hd-outbound-126@helpdesk.example>",
            "550 5.1.1 الحساب غير موجود",
        ),
    ],
)
def test_a_bounce_names_our_message_and_why_it_failed(name, message_id, why):
    found = automatic_reason(parsed(name), own_addresses=OWN)

    assert found.is_bounce
    assert found.reason.startswith("bounce")
    assert found.bounced_message_ids == (message_id,)
    assert found.bounce_reason == why


def test_a_dsn_with_original_message_id_names_it():
    report = (
        "From: MAILER-DAEMON@mx.example\nSubject: failure\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\n'
        "\n--r\nContent-Type: text/plain\n\nfailed\n"
        "\n--r\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example\nOriginal-Message-ID: <ours@helpdesk.example>\n"
        "\nFinal-Recipient: rfc822; x@y.example\nAction: failed\nStatus: 5.0.0\n"
        "\n--r--\n"
    )

    found = automatic_reason(parse_email(report.encode()), own_addresses=OWN)

    assert found.bounced_message_ids == ("<ours@helpdesk.example>",)
    assert found.bounce_reason == "5.0.0"


def test_a_read_receipt_is_automatic_but_no_bounce():
    receipt = (
        "From: ali@customer.example\nSubject: Read: your request\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=disposition-notification;"
        ' boundary="r"\n\n--r\nContent-Type: text/plain\n\nread\n--r--\n'
    )

    found = automatic_reason(parse_email(receipt.encode()), own_addresses=OWN)

    assert found.reason == "read receipt"
    assert not found.is_bounce


def test_a_failure_subject_from_a_person_is_not_a_bounce():
    email = _message("", subject="Undeliverable parcel, order 5521")

    assert automatic_reason(email, own_addresses=OWN) is None
