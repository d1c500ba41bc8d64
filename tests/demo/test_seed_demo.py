from datetime import date, time

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from customers.models import Customer
from helpdesk.channels import Channel
from knowledge.models import Article
from letters.models import Letter
from memos.models import Memo
from registers.models import Direction, RegisterEntry
from sla.models import BusinessCalendar
from tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def counts():
    return (Ticket.objects.count(), Message.objects.count(), Customer.objects.count())


def test_seed_demo_builds_a_usable_demo_and_a_second_run_duplicates_nothing():
    call_command("seed_demo", password="demo-pw-123")
    first = counts()
    call_command("seed_demo", password="demo-pw-123")

    assert counts() == first
    for username in ("supervisor", "agent1", "agent2"):
        assert authenticate(username=username, password="demo-pw-123")
    one = authenticate(username="customer1@example.com", password="demo-pw-123")
    two = authenticate(username="customer2@example.com", password="demo-pw-123")
    assert {one.customer.tier.is_vip, two.customer.tier.is_vip} == {True, False}


def test_demo_tickets_cover_every_channel_kind_and_status_in_both_languages():
    call_command("seed_demo")
    tickets = Ticket.objects.all()

    assert set(tickets.values_list("channel", flat=True)) == set(Channel.values)
    assert set(tickets.values_list("kind", flat=True)) == set(Ticket.Kind.values)
    assert set(tickets.values_list("status", flat=True)) == set(Ticket.Status.values)
    subjects = list(tickets.values_list("subject", flat=True))
    assert any("\u0600" <= ch <= "\u06ff" for s in subjects for ch in s)
    assert any(s.isascii() for s in subjects)


def test_demo_agents_see_tickets_and_customers_see_only_theirs():
    call_command("seed_demo")
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    agent = users.get(username="agent1")
    customer = users.get(username="customer1@example.com")

    assert Ticket.objects.visible_to(agent).exists()
    own = Ticket.objects.visible_to(customer)
    assert own.exists()
    assert set(own.values_list("customer__email", flat=True)) == {customer.email}


def test_demo_has_canned_responses_and_searchable_customers():
    from customers.models import Customer
    from tickets.models import CannedResponse

    call_command("seed_demo")

    assert set(CannedResponse.objects.values_list("language", flat=True)) == {
        "ar",
        "en",
    }
    assert Customer.objects.matching("customer1@example").exists()


def test_seed_demo_runs_on_a_database_seed_volume_filled():
    from io import StringIO

    from tickets.models import Category, Queue

    call_command("seed_volume", tickets=50, seed=1, stdout=StringIO())
    volume_tickets = Ticket.objects.count()

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    assert Ticket.objects.count() > volume_tickets
    assert Category.objects.filter(name="Product support").count() == 1
    assert Queue.objects.filter(slug="service").exists()
    assert authenticate(username="agent1", password="demo-pass-2026")


def test_the_demo_mailbox_holds_email_tickets_taken_in_as_a_mail_server_sends_them():
    from mail.models import InboundEmail, Mailbox
    from tickets.models import Attachment

    call_command("seed_demo")
    Outcome = InboundEmail.Outcome

    mailbox = Mailbox.objects.get()
    assert not mailbox.reads_imap  # nothing tries to connect in a demo
    outcomes = sorted(mailbox.inbound.values_list("outcome", flat=True))
    assert outcomes == sorted(
        [Outcome.CREATED] * 3 + [Outcome.THREADED, Outcome.AUTOMATIC, Outcome.DUPLICATE]
    )
    email_tickets = Ticket.objects.filter(
        pk__in=mailbox.inbound.exclude(ticket=None).values("ticket")
    )
    assert email_tickets.count() == 3
    assert set(email_tickets.values_list("channel", flat=True)) == {Channel.EMAIL}
    # The windows-1256 message reads as Arabic, and the answer to the agent's
    # reply joined that ticket.
    delivery = email_tickets.get(subject__contains="5520")
    assert delivery.subject == "استفسار عن موعد توصيل الطلب 5520"
    assert [m.direction for m in delivery.messages.exclude(direction="internal")] == [
        "inbound",
        "outbound",
        "inbound",
    ]
    assert "طلبت ثلاجة" in delivery.messages.first().body_text
    assert "السادسة مناسب" in delivery.messages.last().body_text
    names = set(
        Attachment.objects.filter(message__ticket__in=email_tickets).values_list(
            "original_name", "content_type"
        )
    )
    assert names == {
        ("receipt-7731.pdf", "application/pdf"),
        ("صورة الصندوق.png", "image/png"),
    }


def test_a_second_seed_takes_in_no_demo_email_again():
    from mail.models import InboundEmail, Mailbox

    call_command("seed_demo")
    taken = InboundEmail.objects.count()
    call_command("seed_demo")

    assert InboundEmail.objects.count() == taken
    assert Mailbox.objects.count() == 1


@pytest.mark.django_db
def test_the_demos_letters_and_fax_are_in_the_incoming_register():
    call_command("seed_demo", password="demo-pw-123")
    call_command("seed_demo", password="demo-pw-123")

    entries = RegisterEntry.objects.filter(direction=Direction.INCOMING)
    assert sorted(entries.values_list("channel", flat=True)) == [
        Channel.FAX,
        Channel.LETTER,
        Channel.LETTER,
        Channel.LETTER,
    ]
    for entry in entries.select_related("ticket"):
        assert entry.number.startswith(f"IN-{entry.ticket.received_at.year}-")
        assert entry.message.ticket_id == entry.ticket_id


def test_the_demo_calendar_keeps_the_eids_and_ramadan_by_hijri_date():
    call_command("seed_demo", password="demo-pw-123")
    call_command("seed_demo", password="demo-pw-123")
    calendar = BusinessCalendar.objects.get(name="Head office")

    rules = {rule.name: rule for rule in calendar.hijri_rules.all()}
    assert str(rules["Eid al-Fitr"]) == "Eid al-Fitr (1–3 Shawwal)"
    assert str(rules["Eid al-Adha"]) == "Eid al-Adha (9–13 Dhu al-Hijjah)"
    assert str(rules["Ramadan hours"]) == "Ramadan hours (Ramadan)"
    # The imported estimates of the Eids gave way; the other days stayed.
    names = set(calendar.holidays.values_list("name", flat=True))
    assert not any(name.startswith(("Eid", "Day of Arafah")) for name in names)
    assert any(name.startswith("National Day") for name in names)
    pure = calendar.to_calendar(today=date(2026, 12, 7))
    assert {date(2027, 3, 9), date(2027, 5, 15), date(2027, 5, 19)} <= pure.holidays
    assert pure.hours_on(date(2027, 2, 14)) == ((time(10), time(15)),)  # Sunday


def test_the_demo_dispatched_an_arabic_rejection_letter_with_its_pdf():
    call_command("seed_demo", password="demo-pw-123")
    call_command("seed_demo", password="demo-pw-123")

    letter = Letter.objects.get()
    assert (letter.kind, letter.language, letter.status) == (
        "rejection",
        "ar",
        Letter.Status.DISPATCHED,
    )
    assert letter.approved_by.username == "supervisor"
    assert letter.delivered_at is not None
    outgoing = RegisterEntry.objects.get(direction=Direction.OUTGOING)
    assert letter.number == outgoing.number
    (pdf,) = letter.message.attachments.all()
    assert pdf.file.read(5) == b"%PDF-"
    assert "{{" not in letter.body and "ثلاثين يومًا" in letter.body


def test_the_demo_has_an_open_memo_and_a_complaint_at_each_stage():
    call_command("seed_demo", password="demo-pw-123")
    call_command("seed_demo", password="demo-pw-123")

    memo = Memo.objects.get()
    assert memo.status == Memo.Status.OPEN
    assert memo.to_queue.slug == "billing" and memo.ticket.queue.slug == "complaints"
    assert memo.clock.queue == memo.to_queue and memo.clock.is_running
    stages = set(
        Ticket.objects.filter(kind="complaint").values_list(
            "complaint_stage", flat=True
        )
    )
    assert stages == set(Ticket.ComplaintStage.values)
    appealed = Ticket.objects.get(complaint_stage="appealed")
    assert appealed.is_escalated and appealed.status == "open"
    assert appealed.clocks.get(target="appeal").is_running


def test_the_demo_has_public_and_internal_articles_in_both_languages():
    call_command("seed_demo")
    call_command("seed_demo")
    articles = Article.objects.published()

    assert set(articles.values_list("language", flat=True)) == {"ar", "en"}
    assert set(articles.values_list("visibility", flat=True)) == {
        "public",
        "internal",
    }
    assert articles.filter(translation_of__isnull=False).exists()
    assert Article.objects.stale(timezone.localdate()).count() == 1
    assert articles.count() == 10
