"""Hijri dates beside Gregorian ones: the site's default, each person's choice
(staff and portal customers), a visitor's choice on a tracking link, and the
pages that follow it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.models import UserPreference
from customers.preferences import shows_hijri
from registers.services import register_incoming

from ..factories import make_ticket

pytestmark = pytest.mark.django_db
RIYADH = ZoneInfo("Asia/Riyadh")
# Monday 7 December 2026 is 27 Jumada al-Akhirah 1448.
T0 = dt.datetime(2026, 12, 7, 10, 0, tzinfo=RIYADH)
HIJRI_EN = "27 Jumada al-Akhirah 1448 AH"
HIJRI_AR = "27 جمادى الآخرة 1448هـ"


@pytest.fixture
def ticket(alice, queue):
    with time_machine.travel(T0, tick=False):
        return make_ticket(alice, queue, subject="Water bill")


def prefer(user, choice):
    UserPreference.objects.create(user=user, hijri_dates=choice)


def header(page: str) -> str:
    start = page.index('data-testid="header-dates"')
    return page[start : page.index("</span>\n", start)]


@pytest.mark.parametrize(
    ("site", "choice", "shown"),
    [
        (True, None, True),
        (False, None, False),
        (True, "default", True),
        (True, "no", False),
        (False, "yes", True),
    ],
)
def test_a_persons_choice_wins_over_the_sites_default(
    settings, agent, site, choice, shown
):
    settings.HIJRI_DATES = site
    if choice:
        prefer(agent, choice)

    assert shows_hijri(agent) is shown


def test_a_visitor_without_an_account_follows_the_site_or_their_session(settings, rf):
    request = rf.get("/")
    request.session = {}
    settings.HIJRI_DATES = False

    assert shows_hijri(None) is False
    request.session["hijri_dates"] = "yes"
    assert shows_hijri(None, request.session) is True


def test_the_ticket_header_and_date_card_show_the_hijri_date_beside_each_date(
    policies, ticket, agent_client
):
    with time_machine.travel(T0, tick=False):
        english = agent_client.get(ticket.get_absolute_url()).text
        arabic = agent_client.get(
            ticket.get_absolute_url(), headers={"accept-language": "ar"}
        ).text

    assert "7 Dec 2026</time> <span" in header(english)
    assert f"(<bdi>{HIJRI_EN}</bdi>)" in header(english)
    assert f"(<bdi>{HIJRI_AR}</bdi>)" in header(arabic)
    # The date card: received, with its time, and its Hijri date.
    assert (
        '<bdi class="dual-date" dir="ltr"><time datetime="2026-12-07T10:00:00+03:00">'
        "7 Dec 2026, 10:00</time>" in english
    )
    # Received and due in the header.
    assert header(english).count('data-testid="hijri"') == 2
    assert "Due" in header(english)


def test_an_agent_who_chose_no_hijri_dates_sees_gregorian_ones_only(
    ticket, agent, agent_client
):
    prefer(agent, "no")

    with time_machine.travel(T0, tick=False):
        page = agent_client.get(ticket.get_absolute_url()).text

    assert "7 Dec 2026" in header(page)
    assert "Jumada" not in page
    assert 'data-testid="hijri"' not in page


def test_the_choice_costs_the_ticket_page_no_query(ticket, agent, agent_client):
    def count():
        with (
            time_machine.travel(T0, tick=False),
            CaptureQueriesContext(connection) as queries,
        ):
            agent_client.get(ticket.get_absolute_url())
        return len(queries)

    without = count()
    prefer(agent, "yes")

    assert count() == without


def test_my_preferences_page_saves_the_choice(agent, agent_client):
    page = agent_client.get(reverse("preferences"))

    response = agent_client.post(reverse("preferences"), {"hijri_dates": "no"})

    assert page.status_code == 200
    assert "Show Hijri dates" in page.text and "Site default" in page.text
    assert response.status_code == 302
    assert UserPreference.objects.get(user=agent).hijri_dates == "no"
    assert "Your preferences are saved." in agent_client.get(response.url).text


def test_my_preferences_is_in_the_user_menu(agent_client):
    page = agent_client.get(reverse("tickets:list")).text

    assert f'href="{reverse("preferences")}"' in page


def test_an_unknown_choice_is_refused_with_a_message(agent, agent_client):
    response = agent_client.post(reverse("preferences"), {"hijri_dates": "maybe"})

    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert not UserPreference.objects.exists()


def test_my_preferences_needs_a_sign_in(client):
    response = client.get(reverse("preferences"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_customer_hides_hijri_dates_from_their_requests(ticket, alice, alice_client):
    with time_machine.travel(T0, tick=False):
        before = alice_client.get(reverse("portal:list")).text
        response = alice_client.post(
            reverse("hijri_toggle"),
            {"hijri_dates": "no", "next": reverse("portal:list")},
        )
        after = alice_client.get(reverse("portal:list")).text

    assert HIJRI_EN in before and "Hide Hijri dates" in before
    assert response.status_code == 302 and response.url == reverse("portal:list")
    assert UserPreference.objects.get(user=alice.user).hijri_dates == "no"
    assert HIJRI_EN not in after and "Show Hijri dates" in after
    assert "7 Dec 2026" in after


def test_a_visitor_on_a_tracking_link_switches_hijri_dates_for_their_visit(
    ticket, client, settings
):
    settings.HIJRI_DATES = False
    page = reverse("portal:track", args=[ticket.tracking_token])

    with time_machine.travel(T0, tick=False):
        before = client.get(page, headers={"accept-language": "ar"}).text
        client.post(reverse("hijri_toggle"), {"hijri_dates": "yes", "next": page})
        after = client.get(page, headers={"accept-language": "ar"}).text

    assert HIJRI_AR not in before
    assert f"(<bdi>{HIJRI_AR}</bdi>)" in after
    assert not UserPreference.objects.exists()


@pytest.mark.parametrize(
    ("data", "status", "goes_to"),
    [
        ({"hijri_dates": "sometimes", "next": "/support/"}, 400, None),
        ({"hijri_dates": "yes", "next": "https://evil.example/"}, 302, "/"),
    ],
)
def test_the_toggle_refuses_bad_choices_and_foreign_addresses(
    client, data, status, goes_to
):
    response = client.post(reverse("hijri_toggle"), data)

    assert response.status_code == status
    if goes_to:
        assert response.url == goes_to


def test_the_register_follows_the_readers_choice(ticket, agent, agent_client):
    register_incoming(
        ticket,
        None,
        received_on=dt.date(2026, 12, 7),
        channel="letter",
        sender_name="Alice",
    )
    page = reverse("registers:list")

    shown = agent_client.get(page).text
    prefer(agent, "no")
    hidden = agent_client.get(page).text

    assert HIJRI_EN in shown
    assert 'data-testid="hijri"' not in hidden and "7 Dec 2026" in hidden
