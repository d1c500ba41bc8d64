"""The wall screen over HTTP: who may see it, its states in their colours with
icons and words, the next tickets to breach with the business time they have
left, the fragment it refreshes from, and a query count that does not grow."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tickets import services
from tickets.models import Ticket

from ..factories import make_ticket

pytestmark = pytest.mark.django_db
WALL = reverse("supervisor:wall")
LIVE = reverse("supervisor:wall_live")
# A Tuesday at noon in Riyadh: working hours on every calendar.
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=ZoneInfo("Asia/Riyadh"))


@pytest.fixture(autouse=True)
def _fresh_figures():
    """The wall keeps its figures for a few seconds: not from test to test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield NOON


def due(ticket, *, due_at, at_risk_at=None):
    Ticket.objects.filter(pk=ticket.pk).update(due_at=due_at, at_risk_at=at_risk_at)


def tile(html, name):
    """The class and the figure of one of the big tiles."""
    match = re.search(
        rf'<div class="wall-tile ([^"]*)" data-testid="wall-{name}">\s*'
        r'<span class="wall-number">(\d+)',
        html,
    )
    assert match, name
    return match.group(1), int(match.group(2))


@pytest.fixture
def states(clock, bob, queue, agent):
    """One open ticket in each state at noon."""
    on_track = make_ticket(bob, queue, subject="Calm")
    due(
        on_track,
        due_at=clock + timedelta(hours=3),
        at_risk_at=clock + timedelta(hours=2),
    )
    at_risk = make_ticket(bob, queue, subject="Hurry")
    services.assign_ticket(at_risk, agent=agent, by=agent)
    due(
        at_risk,
        due_at=clock + timedelta(minutes=50),
        at_risk_at=clock - timedelta(minutes=10),
    )
    breached = make_ticket(bob, queue, subject="Too late")
    due(breached, due_at=clock - timedelta(hours=1))
    return on_track, at_risk, breached


@pytest.mark.parametrize("url", [WALL, LIVE])
def test_supervisors_only(url, supervisor_client, agent_client, bob_client, client):
    assert supervisor_client.get(url).status_code == 200
    # Agents see their queues, not the supervisors' figures (SPEC: 403).
    assert agent_client.get(url).status_code == 403
    assert bob_client.get(url).status_code == 403
    visitor = client.get(url)
    assert visitor.status_code == 302
    assert "/accounts/login/" in visitor["Location"] or "login" in visitor["Location"]


def test_the_old_address_leads_to_the_wall(supervisor_client, queue):
    response = supervisor_client.get(reverse("supervisor:dashboard"), {"wall": "1"})
    assert response.status_code == 302
    assert response["Location"] == WALL
    with_queue = supervisor_client.get(
        reverse("supervisor:dashboard"), {"wall": "1", "queue": queue.pk}
    )
    assert with_queue["Location"] == f"{WALL}?queue={queue.pk}"


def test_the_wall_has_no_navigation_and_refreshes_from_its_fragment(
    supervisor_client, states
):
    page = supervisor_client.get(WALL)

    html = page.text
    assert 'class="navbar' not in html
    assert 'data-bs-theme="dark"' in html
    assert f'hx-get="{LIVE}"' in html
    assert 'hx-trigger="every 30s"' in html
    assert 'data-testid="wall-stale"' in html and "hidden" in html
    assert 'data-testid="as-of"' in html


def test_the_fragment_is_the_figures_alone_and_never_cached(supervisor_client, states):
    response = supervisor_client.get(LIVE)

    assert response.status_code == 200
    assert "<html" not in response.text
    assert "data-wall-live" in response.text
    assert (
        "no-store" in response["Cache-Control"]
        or "no-cache" in response["Cache-Control"]
    )
    assert "As of 12:00" in response.text


def test_each_state_in_its_colour_with_an_icon_and_a_word(supervisor_client, states):
    html = supervisor_client.get(LIVE).text

    assert tile(html, "on_track") == ("state-on_track", 1)
    assert tile(html, "at_risk") == ("state-at_risk", 1)
    assert tile(html, "breached") == ("state-breached", 1)
    for name, icon, word in [
        ("on_track", "bi-check-circle-fill", "On track"),
        ("at_risk", "bi-exclamation-triangle-fill", "At risk"),
        ("breached", "bi-x-octagon-fill", "Breached"),
    ]:
        block = html.split(f'data-testid="wall-{name}"')[1].split("</div>")[0]
        assert icon in block and word in block


def test_state_colours_are_green_amber_red():
    # The browser test reads the colours as drawn; here, which is which.
    with open(finders.find("css/wall.css"), encoding="utf-8") as file:
        css = file.read()
    assert re.search(r"\.state-on_track \{ --state: var\(--wall-green\)", css)
    assert re.search(r"\.state-at_risk \{ --state: var\(--wall-amber\)", css)
    assert re.search(r"\.state-breached \{ --state: var\(--wall-red\)", css)


def test_the_next_tickets_to_breach_soonest_first_with_time_left(
    supervisor_client, states, agent
):
    on_track, at_risk, breached = states

    html = supervisor_client.get(LIVE).text

    rows = re.findall(r'<tr class="state-(\w+)" data-testid="wall-due-row"', html)
    assert rows == ["at_risk", "on_track"]  # the breached one is counted, not listed
    due_list = html.split('data-testid="wall-due"')[1]
    assert due_list.index("Hurry") < due_list.index("Calm")
    assert "Too late" not in due_list
    assert "50 minutes<" in due_list
    assert "3 hours<" in due_list
    assert "12:50" in due_list
    assert "Omar" in due_list  # the assignee by name
    assert "Unassigned" in due_list


def test_the_time_left_is_business_time(supervisor_client, policies, bob, queue):
    # A complaint on office hours (08:00 to 16:00), due at 16:30: at 15:00 it
    # has one working hour left, not the clock's hour and a half.
    with time_machine.travel(NOON + timedelta(hours=3), tick=False):
        ticket = make_ticket(bob, queue, subject="Office hours", kind="complaint")
        assert ticket.sla_policy.calendar_id is not None
        due(ticket, due_at=NOON + timedelta(hours=4, minutes=30))

        html = supervisor_client.get(LIVE).text

    row = html.split('data-testid="wall-due-row"')[1].split("</tr>")[0]
    assert "Office hours" in row
    assert "1 hour<" in row
    assert "16:30" in row


def test_a_queue_row_per_queue_most_troubled_first(
    supervisor_client, states, bob, other_queue, supervisor
):
    other_queue.supervisors.add(supervisor)
    calm = make_ticket(bob, other_queue, subject="Elsewhere")
    due(calm, due_at=NOON + timedelta(hours=5))

    html = supervisor_client.get(LIVE).text

    rows = html.split('data-testid="wall-queues"')[1]
    assert rows.index("Customer Service") < rows.index("Billing")
    first = rows.split('data-testid="wall-queue-row"')[1].split("</tr>")[0]
    assert '<td class="num state-breached">1</td>' in first


def test_one_queue_on_its_own_screen(supervisor_client, states, other_queue):
    mine = supervisor_client.get(LIVE, {"queue": states[0].queue_id})
    assert mine.status_code == 200
    assert tile(mine.text, "breached")[1] == 1
    # Not one of the supervisor's queues, or no queue at all: not found.
    assert supervisor_client.get(LIVE, {"queue": other_queue.pk}).status_code == 404
    assert supervisor_client.get(WALL, {"queue": "x"}).status_code == 404
    assert supervisor_client.get(WALL, {"queue": "³"}).status_code == 404


def test_memos_and_complaints_figures(supervisor_client, clock, bob, queue):
    complaint = make_ticket(bob, queue, subject="Rude", kind=Ticket.Kind.COMPLAINT)
    Ticket.objects.filter(pk=complaint.pk).update(
        complaint_stage=Ticket.ComplaintStage.APPEALED
    )

    html = supervisor_client.get(LIVE).text

    cls, count = tile(html, "complaints")
    assert count == 1 and cls == "state-at_risk"
    assert "Open complaints, 1 appealed" in html
    assert tile(html, "memos") == ("state-neutral", 0)


def test_arabic(supervisor_client, states):
    supervisor_client.cookies["django_language"] = "ar"
    html = supervisor_client.get(WALL, HTTP_ACCEPT_LANGUAGE="ar").text

    assert 'dir="rtl"' in html
    assert "bootstrap.rtl.min.css" in html
    assert "مستويات الخدمة الآن" in html
    assert "الوقت المتبقي" in html
    assert "دقيقة" in html


def test_the_figures_are_kept_briefly_and_say_when_they_were_taken(
    supervisor_client, states, bob, queue
):
    supervisor_client.get(LIVE)
    with time_machine.travel(NOON + timedelta(seconds=10), tick=False):
        make_ticket(bob, queue, subject="Just in")
        kept = supervisor_client.get(LIVE).text
    assert "Just in" not in kept
    assert "As of 12:00" in kept


def test_query_count_is_fixed(
    supervisor_client, states, bob, queue, agent, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as few:
        supervisor_client.get(LIVE)
    for n in range(12):
        ticket = make_ticket(bob, queue, subject=f"More {n}")
        services.assign_ticket(ticket, agent=agent, by=agent)
        due(ticket, due_at=NOON + timedelta(minutes=20 + n))
    cache.clear()

    with django_assert_num_queries(len(few.captured_queries)):
        response = supervisor_client.get(LIVE)
    # Session, user, roles and scope (4); backlog, queue names, next due,
    # their count, breaches, memos, complaints (7); the SLA calendars (6),
    # which a server keeps in the process (see the next test).
    assert len(few.captured_queries) <= 17
    assert "and 8 more tickets" in response.text
    # From the short-lived copy: only who is asking is read.
    with CaptureQueriesContext(connection) as cached:
        supervisor_client.get(LIVE)
    assert len(cached.captured_queries) <= 4


def test_a_server_reads_no_calendars_for_the_wall(
    supervisor_client, states, settings, django_assert_max_num_queries
):
    settings.SLA_CONFIG_CACHE_SECONDS = 30
    supervisor_client.get(LIVE)  # the process loads its SLA configuration
    cache.clear()

    with django_assert_max_num_queries(11):
        response = supervisor_client.get(LIVE)
    assert "50 minutes<" in response.text
