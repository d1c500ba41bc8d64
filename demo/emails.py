"""The demo's email: a mailbox, and raw messages as mail programs send them,
taken in through `mail.intake.ingest` like mail from a server.

Arabic and English; one Arabic message in windows-1256 (body, subject and
sender's name), one with a PDF receipt, one with an Arabic-named photo; a
customer's answer to an agent's reply, threaded by In-Reply-To and quoting
the history an agent never needs to read twice; an out-of-office reply that
is ignored; and the same message delivered twice, stored once. Received
times are relative to now, like the other demo tickets.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from django.conf import settings
from django.utils import timezone

from mail.intake import ingest
from mail.models import InboundEmail, Mailbox
from tickets import services
from tickets.models import Queue

from .files import pdf_document, png_image

MAILBOX_NAME = "Customer service"
# Message-IDs of the demo's mail: their presence means the demo mail is in.
ID_DOMAIN = "mail.demo.example"
SOURCE = InboundEmail.Source.COMMAND


def mailbox_address() -> str:
    """support@ the domain the helpdesk sends from (DEFAULT_FROM_EMAIL)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return f"support@{domain or 'helpdesk.example'}"


def demo_mailbox(queue: Queue) -> tuple[Mailbox, bool]:
    """The demo mailbox: fed by the inbound endpoint or `ingest_email`; it
    has no IMAP host, so nothing tries to connect until an administrator
    fills one in."""
    return Mailbox.objects.get_or_create(
        email_address=mailbox_address(),
        defaults={"name": MAILBOX_NAME, "queue": queue},
    )


def message_id(name: str) -> str:
    return f"<{name}@{ID_DOMAIN}>"


def _received(at: datetime) -> str:
    return f"from mx.example.net by mail.demo.example; {format_datetime(at)}"


def _headers(message, *, sender, to, subject, name, at: datetime, extra=None):
    message["Received"] = _received(at)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(at - timedelta(seconds=40))
    message["Message-ID"] = message_id(name)
    for header, value in (extra or {}).items():
        message[header] = value


def receipt_email(to: str, at: datetime) -> bytes:
    """English, text and HTML, with a PDF receipt attached."""
    message = EmailMessage()
    _headers(
        message,
        sender=formataddr(("James Whitfield", "customer2@example.com")),
        to=to,
        subject="Payment made twice for order 7731",
        name="demo-receipt-7731",
        at=at,
    )
    text = (
        "Hello,\n\n"
        "Our card was charged twice for order 7731 (SAR 1,250.00 each time).\n"
        "The bank receipt is attached. Please refund the second payment.\n\n"
        "Regards,\nJames Whitfield\nFinance department\n"
    )
    message.set_content(text)
    message.add_alternative(
        "<p>Hello,</p><p>Our card was charged <b>twice</b> for order 7731 "
        "(SAR 1,250.00 each time).<br>The bank receipt is attached. Please "
        "refund the second payment.</p><p>Regards,<br>James Whitfield</p>",
        subtype="html",
    )
    message.add_attachment(
        pdf_document(
            [
                "Gulf Bank - card payment receipt",
                "Order 7731",
                "Paid twice: SAR 1,250.00 + SAR 1,250.00",
            ]
        ),
        maintype="application",
        subtype="pdf",
        filename="receipt-7731.pdf",
    )
    return message.as_bytes()


def windows_1256_email(to: str, at: datetime) -> bytes:
    """Arabic as older Windows mail programs send it: windows-1256 in the
    body, the subject and the sender's name."""
    charset = "windows-1256"
    name = Header("منى القحطاني", charset).encode()
    subject = Header("استفسار عن موعد توصيل الطلب 5520", charset).encode()
    body = (
        "السلام عليكم ورحمة الله،\n\n"
        "طلبت ثلاجة من متجركم قبل أسبوع (الطلب رقم 5520) ولم يتواصل معي أحد "
        "لتحديد موعد التوصيل.\n"
        "أرجو إفادتي بالموعد المتوقع، وهل يمكن التوصيل مساء الخميس؟\n\n"
        "مع الشكر،\nمنى القحطاني\n"
    )
    lines = [
        f"Received: {_received(at)}",
        f"From: {name} <mona.alqahtani@example.net>",
        f"To: {to}",
        f"Subject: {subject}",
        f"Date: {format_datetime(at - timedelta(minutes=1))}",
        f"Message-ID: {message_id('demo-delivery-5520')}",
        "MIME-Version: 1.0",
        f'Content-Type: text/plain; charset="{charset}"',
        "Content-Transfer-Encoding: 8bit",
    ]
    head = "\r\n".join(lines).encode("ascii")
    return head + b"\r\n\r\n" + body.replace("\n", "\r\n").encode(charset)


def photo_email(to: str, at: datetime) -> bytes:
    """Arabic in UTF-8 with a photo whose file name is Arabic (RFC 2231)."""
    message = EmailMessage()
    _headers(
        message,
        sender=formataddr(("نورة الحربي", "customer1@example.com")),
        to=to,
        subject="وصلت الشحنة وأحد الصناديق تالف",
        name="demo-damaged-box",
        at=at,
    )
    message.set_content(
        "مساء الخير،\n\n"
        "وصلت شحنة اليوم لكن أحد الصناديق مهشّم من الزاوية كما في الصورة "
        "المرفقة. نرجو استبداله أو إرسال مندوب لاستلامه.\n\n"
        "نورة الحربي\nشركة الأفق للتجارة\n"
    )
    message.add_attachment(
        png_image(),
        maintype="image",
        subtype="png",
        filename="صورة الصندوق.png",
    )
    return message.as_bytes()


def answer_email(to: str, at: datetime, *, in_reply_to: str, number: str) -> bytes:
    """Mona's answer to the agent's reply, the whole history quoted below."""
    message = EmailMessage()
    _headers(
        message,
        sender=formataddr(("منى القحطاني", "mona.alqahtani@example.net")),
        to=to,
        subject=f"رد: [{number}] استفسار عن موعد توصيل الطلب 5520",
        name="demo-delivery-5520-answer",
        at=at,
        extra={
            "In-Reply-To": in_reply_to,
            "References": f"{message_id('demo-delivery-5520')} {in_reply_to}",
        },
    )
    message.set_content(
        "مساء الخميس بعد الساعة السادسة مناسب جدًا، شكرًا لكم.\n\n"
        f"في {format_datetime(at - timedelta(hours=1))}، كتب فريق خدمة العملاء "
        f"<{to}>:\n"
        "> شكرًا لتواصلك. الطلب 5520 جاهز للشحن، ويمكننا توصيله مساء الخميس.\n"
        "> هل يناسبك الموعد بعد الساعة السادسة؟\n"
        ">\n"
        "> > طلبت ثلاجة من متجركم قبل أسبوع (الطلب رقم 5520) ولم يتواصل معي أحد\n"
        "> > لتحديد موعد التوصيل.\n"
    )
    return message.as_bytes()


def out_of_office_email(to: str, at: datetime, *, number: str) -> bytes:
    """An automatic reply to our acknowledgement: it must open nothing."""
    message = EmailMessage()
    _headers(
        message,
        sender=formataddr(("James Whitfield", "customer2@example.com")),
        to=to,
        subject=f"Automatic reply: [{number}] We have your request",
        name="demo-out-of-office",
        at=at,
        extra={"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"},
    )
    message.set_content(
        "I am out of the office until Sunday with limited access to email.\n"
        "For urgent matters please call the finance desk on +44 20 7946 0300.\n"
    )
    return message.as_bytes()


DEMO_IDS = [
    message_id(name)
    for name in (
        "demo-receipt-7731",
        "demo-delivery-5520",
        "demo-damaged-box",
        "demo-delivery-5520-answer",
        "demo-out-of-office",
    )
]
AGENT_REPLY = (
    "شكرًا لتواصلك. الطلب 5520 جاهز للشحن، ويمكننا توصيله مساء الخميس.\n"
    "هل يناسبك الموعد بعد الساعة السادسة؟"
)


def seed_email(report, *, queue: Queue, users: dict) -> None:
    """The demo mailbox and its mail, unless it was loaded before."""
    mailbox, made = demo_mailbox(queue)
    report.add("mailboxes", made)
    if InboundEmail.objects.filter(email_message_id__in=DEMO_IDS).exists():
        report.add("email tickets", False)
        return
    to = mailbox.email_address
    now = timezone.now()

    def take(raw: bytes):
        result = ingest(raw, mailbox=mailbox, source=SOURCE)
        report.add("email tickets", result.outcome == InboundEmail.Outcome.CREATED)
        return result

    # Delivered twice, as a mail server does after a lost acknowledgement.
    receipt = receipt_email(to, now - timedelta(hours=3))
    first = take(receipt)
    take(receipt)
    take(out_of_office_email(to, now - timedelta(hours=3), number=first.ticket.number))

    delivery = take(windows_1256_email(to, now - timedelta(hours=27))).ticket
    agent = users["agent1"]
    services.assign_ticket(delivery, agent=agent, by=users["supervisor"])
    reply = services.reply_to_ticket(delivery, body_text=AGENT_REPLY, by=agent)
    take(
        answer_email(
            to,
            timezone.now(),
            in_reply_to=reply.email_message_id,
            number=delivery.number,
        )
    )

    damaged = take(photo_email(to, now - timedelta(hours=6))).ticket
    services.assign_ticket(damaged, agent=users["agent2"], by=users["supervisor"])
    services.add_note(
        damaged,
        body_text="Photo checked: the box is crushed; a courier can collect it.",
        by=users["agent2"],
    )
