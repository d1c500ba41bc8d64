"""The supervisors' webhook pages: who may use them, and what they show."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from tickets.permissions import SUPERVISORS
from webhooks.events import EventType
from webhooks.models import Delivery, Subscription

from ..factories import make_staff

pytestmark = pytest.mark.django_db

LIST = "/supervisor/webhooks/"
NEW = "/supervisor/webhooks/new/"


@pytest.fixture
def dns(monkeypatch):
    """Name resolution made up per host: no test reaches the network."""
    answers = {"hooks.example.com": "93.184.216.34", "internal.example.com": "10.0.0.8"}

    def getaddrinfo(host, port, type=None, **kwargs):
        host = answers.get(host, host)
        if not host[0].isdigit():
            raise socket.gaierror("Name or service not known")
        return [(socket.AF_INET, type, 6, "", (host, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def form(**fields):
    return {
        "name": "CRM",
        "url": "https://hooks.example.com/helpdesk",
        "events": [EventType.TICKET_CREATED, EventType.SLA_BREACH],
    } | fields


def test_agents_and_customers_are_refused_and_strangers_sent_to_sign_in(
    agent_client, alice_client, client, supervisor, subscribe
):
    subscription = subscribe()
    detail = f"/supervisor/webhooks/{subscription.pk}/"

    for url in (LIST, NEW, detail):
        assert agent_client.get(url).status_code == 403
        assert alice_client.get(url).status_code == 403
        assert client.get(url).status_code == 302
    assert agent_client.post(NEW, form()).status_code == 403
    assert agent_client.post(f"{detail}pause/").status_code == 403
    assert Subscription.objects.count() == 1


def test_a_supervisor_subscribes_and_sees_the_secret_once(supervisor_client, dns):
    response = supervisor_client.post(NEW, form())

    subscription = Subscription.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/supervisor/webhooks/{subscription.pk}/"
    assert subscription.events == ["ticket.created", "ticket.sla_breach"]
    first = supervisor_client.get(response["Location"]).text
    again = supervisor_client.get(response["Location"]).text
    assert subscription.secret in first
    assert subscription.secret not in again
    assert "Show the secret" in again
    shown = supervisor_client.post(f"{response['Location']}secret/")
    assert subscription.secret in shown.text


def test_a_private_address_is_refused_with_a_clear_message(supervisor_client, dns):
    response = supervisor_client.post(
        NEW, form(url="https://internal.example.com/hook")
    )

    assert response.status_code == 400
    assert "is a local or private network address (10.0.0.8)" in response.text
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://hooks.example.com/x", "Only http:// and https://"),
        ("https://nowhere.example.com/", "could not be found"),
        ("http://127.0.0.1:8000/", "local or private network address"),
    ],
)
def test_other_bad_addresses_are_refused(supervisor_client, dns, url, message):
    response = supervisor_client.post(NEW, form(url=url))

    assert response.status_code == 400
    assert message in response.text


def test_no_event_chosen_is_refused(supervisor_client, dns):
    response = supervisor_client.post(NEW, form(events=[]))

    assert response.status_code == 400
    assert "Choose at least one event." in response.text


def test_a_supervisor_sees_only_their_own_webhooks_and_an_admin_all(
    supervisor_client, client, admin_user, subscribe
):
    other = make_staff("other-supervisor", SUPERVISORS)
    theirs = subscribe(owner=other, name="Their CRM")
    mine = subscribe(name="My CRM")

    listed = supervisor_client.get(LIST).text
    assert "My CRM" in listed and "Their CRM" not in listed
    assert supervisor_client.get(f"{LIST}{theirs.pk}/").status_code == 404
    assert supervisor_client.post(f"{LIST}{theirs.pk}/delete/").status_code == 404
    client.force_login(admin_user)
    assert "Their CRM" in client.get(LIST).text
    assert client.get(f"{LIST}{mine.pk}/").status_code == 200
    # Only the owner may see the secret again.
    assert client.post(f"{LIST}{mine.pk}/secret/").status_code == 403


def test_editing_pausing_resuming_and_deleting(supervisor_client, subscribe, dns):
    subscription = subscribe()
    page = f"{LIST}{subscription.pk}/"

    response = supervisor_client.post(f"{page}edit/", form(name="CRM 2"))
    assert response.status_code == 302
    supervisor_client.post(f"{page}pause/")
    paused = supervisor_client.get(page).text
    supervisor_client.post(f"{page}resume/")
    resumed = supervisor_client.get(page).text
    supervisor_client.post(f"{page}delete/")

    assert 'data-testid="paused-banner"' in paused and "Resume" in paused
    assert 'data-testid="paused-banner"' not in resumed
    assert "CRM 2" in resumed
    assert not Subscription.objects.exists()


def test_the_page_says_when_failures_paused_the_webhook(supervisor_client, subscribe):
    subscription = subscribe()
    Subscription.objects.filter(pk=subscription.pk).update(
        is_active=False, paused_at=timezone.now(), paused_for_failures=True
    )

    page = supervisor_client.get(f"{LIST}{subscription.pk}/").text

    assert "after repeated failed deliveries" in page


def test_the_test_button_sends_a_ping_whose_result_is_in_the_log(
    supervisor_client, subscribe, django_capture_on_commit_callbacks
):
    subscription = subscribe(url="http://127.0.0.1:9/closed")
    page = f"{LIST}{subscription.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        supervisor_client.post(f"{page}test/")
    response = supervisor_client.get(page)

    ping = Delivery.objects.get()
    assert ping.event_type == "ping" and ping.state == "failed"
    assert "Test event sent" in response.text
    assert "ConnectionRefusedError" in response.text


def test_the_delivery_log_pages_by_id_in_a_fixed_number_of_queries(
    supervisor_client, subscribe, django_assert_num_queries
):
    subscription = subscribe()
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(
            subscription=subscription,
            event_type="ticket.created",
            ticket_number=f"HD-2026-{n:06}",
            state="delivered",
            attempts=1,
            response_code=200,
            created_at=now - timedelta(minutes=n),
        )
        for n in range(30)
    )
    page = f"{LIST}{subscription.pk}/"

    with django_assert_num_queries(QUERIES):
        newest = supervisor_client.get(page)
    older = supervisor_client.get(f"{page}?before={newest.context['older']}")

    assert newest.text.count('data-testid="delivery-row"') == 25
    assert older.text.count('data-testid="delivery-row"') == 5
    assert "HD-2026-000029" in newest.text and "HD-2026-000000" in older.text


QUERIES = 4


def test_the_list_costs_the_same_queries_for_one_webhook_or_many(
    client, admin_user, subscribe, django_assert_num_queries
):
    for n in range(5):
        subscribe(name=f"CRM {n}", owner=make_staff(f"sup-{n}", SUPERVISORS))
    client.force_login(admin_user)

    with django_assert_num_queries(3):
        response = client.get(LIST)

    assert response.text.count('data-testid="webhook-row"') == 5
