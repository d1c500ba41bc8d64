"""The memos on screen: the ticket page's tab and card, answering, the memo
list, the navigation count and the dashboard figure."""

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from memos.models import Memo

from .conftest import answer_at, open_at, riyadh, send_at

pytestmark = pytest.mark.django_db

SENT = riyadh("2026-12-10 15:00")  # Thursday: due Monday 15:00 in Billing's hours
BEFORE_DUE = riyadh("2026-12-13 10:00")
AFTER_DUE = riyadh("2026-12-14 17:00")


def client_for(user, language="en"):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def memo(bob, queue, billing, agent):
    ticket = open_at(riyadh("2026-12-10 09:00"), bob, queue, subject="Refund")
    return send_at(SENT, ticket, billing, agent, text="Was the refund paid?")


def test_sending_from_the_memo_tab_shows_the_number_and_due_time(
    bob, queue, billing, agent
):
    ticket = open_at(riyadh("2026-12-10 09:00"), bob, queue)
    client = client_for(agent)

    with time_machine.travel(SENT, tick=False):
        page = client.get(ticket.get_absolute_url()).text
        assert reverse("memos:send", args=[ticket.number]) in page
        response = client.post(
            reverse("memos:send", args=[ticket.number]),
            {"to_queue": billing.pk, "body_text": "Was the refund paid?"},
            follow=True,
        )

    page = response.text
    assert "Memo MEMO-2026-000001 sent to Billing; answer due" in page
    assert 'data-testid="ticket-memos"' in page
    assert 'data-memo="MEMO-2026-000001" data-status="open"' in page
    assert 'data-testid="memo-number"' in page
    # The sender's queue does not answer its own memo.
    assert 'data-testid="memo-answer-form"' not in page


def test_an_agent_who_joins_the_addressed_queue_may_answer_at_once(
    memo, agent, billing, production_caches
):
    client = client_for(agent)

    with time_machine.travel(BEFORE_DUE, tick=False):
        before = client.get(memo.ticket.get_absolute_url()).text
        billing.agents.add(agent)
        after = client.get(memo.ticket.get_absolute_url()).text

    assert 'data-testid="memo-answer-form"' not in before
    assert 'data-testid="memo-answer-form"' in after


def test_a_memo_to_the_tickets_own_queue_or_without_text_is_refused(
    bob, queue, billing, agent
):
    ticket = open_at(SENT, bob, queue)
    url = reverse("memos:send", args=[ticket.number])
    client = client_for(agent)

    own = client.post(url, {"to_queue": queue.pk, "body_text": "Hello"})
    empty = client.post(url, {"to_queue": billing.pk, "body_text": ""})

    assert own.status_code == empty.status_code == 400
    assert "Select a valid choice" in own.text
    assert "This field is required" in empty.text
    assert not Memo.objects.exists()


def test_the_addressed_queue_answers_and_the_answer_joins_the_timeline(
    memo, agent, other_agent
):
    billing_client = client_for(other_agent)

    with time_machine.travel(BEFORE_DUE, tick=False):
        page = billing_client.get(memo.ticket.get_absolute_url()).text
        assert 'data-testid="memo-answer-form"' in page
        response = billing_client.post(
            reverse("memos:answer", args=[memo.number]),
            {"body_text": "Paid on Sunday."},
            follow=True,
        )

    assert "Memo MEMO-2026-000001 answered." in response.text
    with time_machine.travel(BEFORE_DUE, tick=False):
        page = client_for(agent).get(memo.ticket.get_absolute_url()).text
    assert "Paid on Sunday." in page
    assert "Answer to memo MEMO-2026-000001" in page
    # Thursday 15:00-16:00 and Sunday 08:00-10:00.
    assert "answered in 3 hours of working time" in page
    assert "Memo MEMO-2026-000001 answered by Billing" in page
    # "Why is it due then?": the memo's target, who owed it, on which calendar.
    assert "Memo answer clock started" in page
    assert "memo MEMO-2026-000001, owed by Billing" in page
    assert "counted on Billing&#x27;s calendar: Test office (Asia/Riyadh)" in page
    assert "Memo answer target met" in page


def test_who_may_open_the_answer_page(memo, agent, other_agent, outsider):
    url = reverse("memos:answer", args=[memo.number])

    assert client_for(other_agent).get(url).status_code == 200
    assert client_for(agent).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).post(url, {"body_text": "x"}).status_code == 404
    assert client_for(memo.ticket.customer.user).get(url).status_code in (302, 403)


def test_an_overdue_memo_is_red_on_the_ticket_and_in_the_list(memo, agent, other_agent):
    with time_machine.travel(AFTER_DUE, tick=False):
        ticket_page = client_for(agent).get(memo.ticket.get_absolute_url()).text
        listing = client_for(other_agent).get(reverse("memos:list")).text

    for page in (ticket_page, listing):
        assert 'data-testid="memo-overdue">Overdue by 2 hours' in page
    assert "MEMO-2026-000001" in listing and "Refund" in listing


def test_the_list_shows_open_memos_to_my_queues_by_due_time(
    bob, queue, billing, agent, other_agent, outsider, django_assert_num_queries
):
    first = open_at(SENT, bob, queue, subject="First")
    later = send_at(riyadh("2026-12-10 15:30"), first, billing, agent)
    sooner = send_at(SENT, first, billing, agent)
    client = client_for(other_agent)

    # Session, user with groups, the page count and the page of memos.
    with django_assert_num_queries(4) as few:
        page = client.get(reverse("memos:list")).text
    for n in range(5):
        send_at(SENT, open_at(SENT, bob, queue, subject=f"T{n}"), billing, agent)
    with django_assert_num_queries(len(few)):
        client.get(reverse("memos:list"))

    assert page.index(sooner.number) < page.index(later.number)
    sent = client_for(agent).get(reverse("memos:list") + "?tab=sent").text
    assert sooner.number in sent
    assert client_for(agent).get(reverse("memos:list")).text.count("data-memo=") == 0
    assert "data-memo=" not in client_for(outsider).get(reverse("memos:list")).text


def test_the_navigation_counts_open_memos_to_my_queues(memo, agent, other_agent):
    count = reverse("memos:count")

    assert 'data-testid="memo-count">1<' in client_for(other_agent).get(count).text
    assert "memo-count" not in client_for(agent).get(count).text
    assert 'data-testid="nav-memos"' in client_for(agent).get("/agent/").text


def test_the_dashboard_shows_open_and_overdue_memos_to_my_queues(
    memo, billing, billing_supervisor
):
    with time_machine.travel(AFTER_DUE, tick=False):
        page = client_for(billing_supervisor).get(reverse("supervisor:dashboard"))

    assert page.status_code == 200
    assert 'data-testid="memos-figure"' in page.text
    assert 'data-testid="memos-overdue">1 overdue' in page.text


def test_the_memo_reads_in_arabic(memo, agent, billing):
    billing.name_ar = "الفوترة"
    billing.save()
    with time_machine.travel(AFTER_DUE, tick=False):
        page = client_for(agent, "ar").get(memo.ticket.get_absolute_url()).text

    assert "أُرسلت المذكرة MEMO-2026-000001 إلى Billing" in page
    assert "المذكرات" in page
    assert "متأخرة بمقدار" in page


def test_notifications_say_what_happened_to_the_memo(other_agent, agent, memo):
    answer_at(BEFORE_DUE, memo, other_agent)

    received = client_for(other_agent).get(reverse("tickets:notifications")).text
    answered = client_for(agent).get(reverse("tickets:notifications")).text

    number, ticket = memo.number, memo.ticket.number
    assert f"Memo {number} on {ticket} awaits an answer from Billing." in received
    assert f"Memo {number} on {ticket} was answered by Billing." in answered
