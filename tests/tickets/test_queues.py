"""The agent's queue views at /agent/: who sees what, urgency order, counts,
filters, saved views, bulk changes and a query count that does not grow."""

import re
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tickets import services
from tickets.models import Queue, SavedView, Ticket
from tickets.permissions import AGENTS
from tickets.views import queues

from ..factories import make_staff, make_ticket

pytestmark = pytest.mark.django_db
LIST = reverse("tickets:list")


@pytest.fixture(autouse=True)
def _fresh_counts():
    """View counts are cached per user id, and ids repeat across tests."""
    cache.clear()


def set_due(ticket, due, at_risk=None):
    # The SLA engine owns these columns; tests place tickets on the clock directly.
    Ticket.objects.filter(pk=ticket.pk).update(due_at=due, at_risk_at=at_risk)


def numbers(response):
    return [t.number for t in response.context["page"].rows]


@pytest.fixture
def cast(agent, alice, bob, queue, other_queue):
    now = timezone.now()
    colleague = make_staff("colleague", AGENTS)
    queue.agents.add(colleague)
    mine = make_ticket(bob, queue, subject="Mine")
    services.assign_ticket(mine, agent=agent, by=agent)
    unassigned = make_ticket(bob, queue, subject="Nobody's")
    vip = make_ticket(alice, queue, subject="VIP one")
    services.assign_ticket(vip, agent=colleague, by=agent)
    pending = make_ticket(bob, queue, subject="Waiting")
    services.change_status(pending, status="pending", by=agent)
    elsewhere = make_ticket(bob, other_queue, subject="Billing only")
    set_due(mine, now + timedelta(hours=5))
    set_due(unassigned, now - timedelta(hours=1))  # breached
    set_due(vip, now + timedelta(hours=1), at_risk=now - timedelta(minutes=5))
    set_due(pending, None)
    return {
        "mine": mine,
        "unassigned": unassigned,
        "vip": vip,
        "pending": pending,
        "elsewhere": elsewhere,
    }


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("mine", ["mine"]),
        ("unassigned", ["unassigned", "pending"]),
        ("vip", ["vip"]),
        ("attention", ["unassigned", "vip"]),
        ("pending", ["pending"]),
        ("open", ["unassigned", "vip", "mine", "pending"]),
    ],
)
def test_each_view_lists_its_tickets_most_urgent_first(
    agent_client, cast, view, expected
):
    response = agent_client.get(LIST, {"view": view})

    assert response.status_code == 200
    assert numbers(response) == [cast[key].number for key in expected]


def test_tickets_of_other_queues_never_show(agent_client, cast):
    response = agent_client.get(LIST, {"view": "open"})

    assert cast["elsewhere"].number not in response.text


def test_vip_rows_are_marked(agent_client, cast):
    response = agent_client.get(LIST, {"view": "open"})

    assert f'class="vip-row" data-number="{cast["vip"].number}"' in response.text
    assert "vip-badge" in response.text


def row_of(html: str, ticket) -> str:
    row = html[html.index(f'data-number="{ticket.number}"') :]
    return row[: row.index("</tr>")]


def test_each_row_shows_the_ticket_at_a_glance(agent_client, cast):
    html = agent_client.get(LIST, {"view": "open"}).text
    vip = row_of(html, cast["vip"])
    waiting = row_of(html, cast["pending"])

    assert f'href="{cast["vip"].get_absolute_url()}"' in vip
    assert f'aria-label="Select {cast["vip"].number}"' in vip
    assert "VIP one" in vip and "vip-badge" in vip
    assert 'data-sla-state="at_risk"' in vip and 'data-testid="time-left"' in vip
    assert "<td>colleague</td>" in vip  # the assignee, by display name
    assert "Pending</span>" in waiting
    assert "<td>—</td>" in waiting  # nobody assigned
    assert "Waiting" in waiting and "time-left" not in waiting


def test_each_view_shows_its_count(agent_client, cast):
    response = agent_client.get(reverse("tickets:counts"), {"view": "open"})

    assert response.context["counts"] == {
        "mine": 1,
        "unassigned": 2,
        "vip": 1,
        "attention": 2,
        "pending": 1,
        "open": 4,
    }
    assert 'data-testid="count-open">4<' in response.text
    assert 'data-testid="count-attention">2<' in response.text


def test_filters_narrow_a_view(agent_client, cast):
    services.change_priority(cast["mine"], priority=4, by=None)

    by_priority = agent_client.get(LIST, {"view": "open", "priority": "4"})
    breached = agent_client.get(LIST, {"view": "open", "sla": "breached"})
    no_clock = agent_client.get(LIST, {"view": "open", "sla": "none"})

    assert numbers(by_priority) == [cast["mine"].number]
    assert numbers(agent_client.get(LIST, {"view": "open", "sla": "at_risk"})) == [
        cast["vip"].number
    ]
    assert numbers(breached) == [cast["unassigned"].number]
    assert numbers(no_clock) == [cast["pending"].number]


def test_a_bad_filter_value_is_explained_not_an_error(agent_client, cast):
    response = agent_client.get(LIST, {"view": "open", "received_after": "soon"})

    assert response.status_code == 200


def test_pages_follow_the_urgency_order_past_tickets_without_a_clock(
    agent_client, cast, monkeypatch
):
    monkeypatch.setattr(queues, "PAGE_SIZE", 3)

    first = agent_client.get(LIST, {"view": "open"})
    cursor = first.context["page"].next_cursor
    second = agent_client.get(LIST, {"view": "open", "after": cursor})

    assert numbers(first) + numbers(second) == [
        cast[key].number for key in ("unassigned", "vip", "mine", "pending")
    ]
    assert second.context["page"].next_cursor is None


def test_the_filter_panel_opens_for_a_filter_not_for_a_next_page(
    agent_client, cast, monkeypatch
):
    monkeypatch.setattr(queues, "PAGE_SIZE", 3)
    cursor = agent_client.get(LIST, {"view": "open"}).context["page"].next_cursor

    paged = agent_client.get(LIST, {"view": "open", "after": cursor})
    dated = agent_client.get(LIST, {"view": "open", "received_after": "2020-01-01"})

    def panel(response):
        return re.search(r'<details[^>]*data-testid="filters"[^>]*>', response.text)[0]

    assert " open" not in panel(paged)
    assert " open" in panel(dated)
    assert len(numbers(dated)) == 3


def test_a_broken_cursor_shows_the_first_page(agent_client, cast):
    response = agent_client.get(LIST, {"view": "open", "after": "not-a-cursor!"})

    assert response.status_code == 200
    assert len(numbers(response)) == 4


def test_an_htmx_refresh_returns_only_the_table(agent_client, cast):
    response = agent_client.get(LIST, {"view": "open"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "<html" not in response.text
    assert cast["mine"].number in response.text


def test_an_agent_saves_a_view_and_finds_it_again(agent_client, agent, cast):
    response = agent_client.post(
        reverse("tickets:saved_view_create"),
        {"name": "Urgent email", "query": "view=open&priority=4&channel=email"},
    )
    page = agent_client.get(LIST)

    assert response.status_code == 302
    saved = SavedView.objects.get(user=agent)
    assert saved.query == "view=open&priority=4&channel=email"
    assert "Urgent email" in page.text


def test_saved_views_are_private(client, other_agent, agent):
    saved = SavedView.objects.create(user=agent, name="Mine", query="view=mine")
    client.force_login(other_agent)

    response = client.post(reverse("tickets:saved_view_delete", args=[saved.pk]))

    assert response.status_code == 404
    assert SavedView.objects.filter(pk=saved.pk).exists()


def test_bulk_assign_and_priority_go_through_the_verbs(agent_client, agent, cast):
    picked = [cast["unassigned"], cast["pending"]]

    response = agent_client.post(
        reverse("tickets:bulk"),
        {
            "tickets": [t.pk for t in picked],
            "assignee": agent.pk,
            "priority": "3",
            "next": LIST + "?view=unassigned",
        },
    )

    assert response.status_code == 302
    assert response.url == LIST + "?view=unassigned"
    for ticket in picked:
        ticket.refresh_from_db()
        assert ticket.assignee == agent
        assert ticket.priority == 3
        assert ticket.events.filter(action="assigned").exists()
        assert ticket.events.filter(action="priority").exists()


def test_bulk_status_reports_tickets_it_could_not_change(agent_client, cast):
    services.change_status(cast["mine"], status="closed", by=None)

    response = agent_client.post(
        reverse("tickets:bulk"),
        {"tickets": [cast["vip"].pk], "status": "resolved"},
        follow=True,
    )

    cast["vip"].refresh_from_db()
    assert cast["vip"].status == "resolved"
    assert "1 ticket changed." in response.text


def test_bulk_ignores_tickets_the_agent_cannot_see(agent_client, cast):
    response = agent_client.post(
        reverse("tickets:bulk"),
        {"tickets": [cast["elsewhere"].pk], "priority": "4"},
        follow=True,
    )

    cast["elsewhere"].refresh_from_db()
    assert cast["elsewhere"].priority != 4
    assert response.status_code == 200


def test_bulk_without_a_change_says_so(agent_client, cast):
    response = agent_client.post(
        reverse("tickets:bulk"), {"tickets": [cast["mine"].pk]}, follow=True
    )

    assert "Choose a change to make." in response.text


def test_queue_page_query_count_does_not_grow_with_rows(
    agent_client, agent, alice, bob, queue, production_caches, django_assert_num_queries
):
    def load():
        return agent_client.get(LIST, {"view": "open"})

    for customer in (alice, bob):
        ticket = make_ticket(customer, queue)
        services.assign_ticket(ticket, agent=agent, by=agent)
    load()  # the queues, tiers and policies the rows name, into their caches
    # Session, user (with groups), the tickets with a due time and those
    # without (customers and assignees joined), the saved views.
    with django_assert_num_queries(5) as few:
        load()
    for customer in (alice, bob, alice, bob, alice, bob):
        ticket = make_ticket(customer, queue)
        services.assign_ticket(ticket, agent=agent, by=agent)
        services.reply_to_ticket(ticket, body_text="On it", by=agent)

    with django_assert_num_queries(len(few)):
        response = load()

    assert len(response.context["page"].rows) == 8


def test_counts_take_one_query_however_many_tickets(
    agent_client, agent, alice, bob, queue, django_assert_num_queries
):
    for customer in (alice, bob, alice, bob):
        make_ticket(customer, queue)

    # Session, user with groups, then the one aggregate.
    with django_assert_num_queries(3):
        agent_client.get(reverse("tickets:counts"))
    cache.clear()
    make_ticket(alice, queue)
    with django_assert_num_queries(3):
        response = agent_client.get(reverse("tickets:counts"))

    assert response.context["counts"]["open"] == 5


def test_filter_and_bulk_forms_load_when_opened(agent_client, agent, cast):
    filters = agent_client.get(
        reverse("tickets:filters"), {"view": "open", "channel": "phone"}
    )
    bulk = agent_client.get(reverse("tickets:bulk"))

    assert 'value="phone" selected' in filters.text
    assert "view=open&amp;channel=phone" in filters.text  # what "save" will keep
    assert agent.get_username() in bulk.text
    assert 'id="bulk-form"' in bulk.text


def test_customers_cannot_open_the_queues(alice_client):
    assert alice_client.get(LIST).status_code == 403
    assert alice_client.post(reverse("tickets:bulk")).status_code == 403


def test_an_administrator_sees_the_unassigned_tickets_of_every_queue(
    client, admin_user, cast
):
    client.force_login(admin_user)

    response = client.get(LIST, {"view": "unassigned"})

    assert set(numbers(response)) == {
        cast[key].number for key in ("unassigned", "pending", "elsewhere")
    }


def test_filters_offer_only_the_agents_queues_and_their_colleagues(
    agent_client, cast, other_agent
):
    response = agent_client.get(reverse("tickets:filters"))

    queues = response.context["filters"].form.fields["queue"].queryset
    people = response.context["filters"].form.fields["assignee"].queryset
    assert [q.slug for q in queues] == ["service"]
    assert "colleague" in {u.username for u in people}
    assert other_agent not in people


def test_bulk_assign_refuses_tickets_of_queues_the_assignee_does_not_work(
    agent_client, agent, cast, other_agent, other_queue
):
    other_queue.agents.add(agent)  # the agent sees both queues' tickets
    picked = [cast["unassigned"], cast["elsewhere"]]

    response = agent_client.post(
        reverse("tickets:bulk"),
        {"tickets": [t.pk for t in picked], "assignee": other_agent.pk},
        follow=True,
    )

    for ticket in picked:
        ticket.refresh_from_db()
    assert cast["elsewhere"].assignee == other_agent
    assert cast["unassigned"].assignee is None
    assert (
        f"{cast['unassigned'].number}: other-agent does not work in the "
        "Customer Service queue." in response.text
    )


def test_a_ticket_bulk_refused_is_not_changed_at_all(agent_client, agent, cast):
    response = agent_client.post(
        reverse("tickets:bulk"),
        {"tickets": [cast["pending"].pk], "assignee": agent.pk, "status": "new"},
        follow=True,
    )

    cast["pending"].refresh_from_db()
    assert "cannot go from" in response.text
    assert cast["pending"].assignee is None
    assert not cast["pending"].events.filter(action="assigned").exists()


def test_a_queue_added_without_a_save_is_still_named_in_the_queue(
    agent_client, agent, alice, queue, production_caches
):
    make_ticket(alice, queue)
    agent_client.get(LIST, {"view": "open"})  # the queues, into the cache
    # A bulk load adds a queue no save announced to the reference cache.
    (bulk,) = Queue.objects.bulk_create([Queue(name="Bulk-loaded", slug="bulk")])
    bulk.agents.add(agent)
    Ticket.objects.filter(pk=make_ticket(alice, queue).pk).update(queue=bulk)

    response = agent_client.get(LIST, {"view": "open"})

    assert response.status_code == 200
    assert "Bulk-loaded" in response.text


def test_rows_give_received_and_due_times_in_the_viewers_time_zone(
    agent_client, alice, queue
):
    ticket = make_ticket(alice, queue, subject="Across zones")
    received = timezone.now().replace(microsecond=0) - timedelta(hours=3)
    Ticket.objects.filter(pk=ticket.pk).update(received_at=received)
    set_due(ticket, received + timedelta(days=2))

    agent_client.cookies["tz"] = "America/New_York"
    new_york = row_of(agent_client.get(LIST, {"view": "open"}).text, ticket)
    agent_client.cookies["tz"] = "Asia/Riyadh"
    riyadh = row_of(agent_client.get(LIST, {"view": "open"}).text, ticket)

    # Riyadh is 8 hours ahead of New York in December, 7 in summer.
    times = re.compile(r'<time[^>]*datetime="([^"]+)"')
    due_ny, received_ny = times.findall(new_york)
    due_riyadh, received_riyadh = times.findall(riyadh)
    assert received_ny.endswith(("-05:00", "-04:00"))
    assert received_riyadh.endswith("+03:00")
    assert due_ny.endswith(("-05:00", "-04:00"))
    assert due_riyadh.endswith("+03:00")
    assert datetime.fromisoformat(received_ny) == received
    assert datetime.fromisoformat(received_riyadh) == received
    # The text an agent reads, too.
    for row, zone in ((new_york, "America/New_York"), (riyadh, "Asia/Riyadh")):
        local = received.astimezone(zoneinfo.ZoneInfo(zone))
        assert f"{local:%H:%M}</time></td>" in row


def test_a_row_names_an_assignee_who_has_left_every_queue(
    agent_client, agent, alice, queue, production_caches
):
    leaver = make_staff("leaver", AGENTS, first_name="Lina", last_name="Haddad")
    queue.agents.add(leaver)
    ticket = make_ticket(alice, queue, subject="Handed over")
    services.assign_ticket(ticket, agent=leaver, by=agent)
    agent_client.get(LIST, {"view": "open"})  # the caches hold the leaver
    queue.agents.remove(leaver)

    row = row_of(agent_client.get(LIST, {"view": "open"}).text, ticket)

    assert "<td>Lina Haddad</td>" in row
