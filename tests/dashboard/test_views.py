"""The supervisor dashboard over HTTP: who may see it, what each sees, CSV,
reassignment, and a query count that does not grow with the tickets."""

import csv
import io
import re
from datetime import UTC, datetime
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import services as portal_services
from tickets import services
from tickets.models import Ticket, TicketEvent
from tickets.permissions import AGENTS

from ..factories import make_staff, make_ticket

pytestmark = pytest.mark.django_db
DASHBOARD = reverse("supervisor:dashboard")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def tickets(bob, queue, other_queue, agent, other_agent):
    """An open ticket in each queue, each assigned to that queue's agent."""
    mine = make_ticket(bob, queue, subject="Mine")
    services.assign_ticket(mine, agent=agent, by=agent)
    theirs = make_ticket(bob, other_queue, subject="Theirs")
    services.assign_ticket(theirs, agent=other_agent, by=other_agent)
    return mine, theirs


@pytest.mark.parametrize(
    "url",
    [
        DASHBOARD,
        reverse("supervisor:export", args=["backlog"]),
        reverse("supervisor:tickets"),
        reverse("supervisor:ticket_export"),
    ],
)
def test_agents_are_refused_and_visitors_sent_to_sign_in(url, agent_client, client):
    assert agent_client.get(url).status_code == 403
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_supervisor_sees_only_the_queues_they_supervise(supervisor_client, tickets):
    response = supervisor_client.get(DASHBOARD)

    assert response.status_code == 200
    backlog = response.context["data"].backlog
    assert backlog.total == 1
    assert [row.queue.slug for row in backlog.rows] == ["service"]
    assert [row.agent.username for row in response.context["data"].agents] == ["agent"]
    assert "Theirs" not in response.text


def test_choosing_a_queue_one_does_not_supervise_is_a_form_error(
    supervisor_client, tickets, other_queue
):
    response = supervisor_client.get(DASHBOARD, {"queue": other_queue.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["queue"]
    assert response.context["data"].backlog.total == 1  # own queues still


def test_an_administrator_sees_every_queue(admin_user, tickets):
    response = client_for(admin_user).get(DASHBOARD)

    assert response.context["data"].backlog.total == 2


def test_a_supervisor_without_queues_sees_nothing(tickets):
    from tickets.permissions import SUPERVISORS

    from ..factories import make_staff

    lonely = make_staff("lonely", SUPERVISORS)

    response = client_for(lonely).get(DASHBOARD)

    assert response.status_code == 200
    assert response.context["data"].backlog.total == 0


def test_a_bad_period_says_why_and_keeps_what_was_typed(supervisor_client):
    response = supervisor_client.get(
        DASHBOARD,
        {"period": "custom", "date_from": "2026-03-05", "date_to": "2026-03-01"},
    )

    assert response.status_code == 200
    assert "The period cannot end before it starts." in response.text
    assert 'value="2026-03-05"' in response.text


def test_every_figure_links_to_its_ticket_list(supervisor_client, tickets):
    response = supervisor_client.get(DASHBOARD, {"channel": "email"})

    assert (
        'href="/supervisor/tickets/?channel=email&amp;status=open&amp;'
        'sla_state=on_track"' in response.text
    )
    assert 'href="/agent/' not in response.text.split('id="backlog-heading"')[1]
    assert "/supervisor/tickets/?channel=email&amp;outcome_after=" in response.text


def test_dashboard_query_count_does_not_grow_with_tickets(
    supervisor_client, bob, queue, agent, django_assert_num_queries
):
    def add_tickets(n):
        for _ in range(n):
            ticket = make_ticket(bob, queue)
            services.assign_ticket(ticket, agent=agent, by=agent)
            services.reply_to_ticket(ticket, body_text="On it", by=agent)
            done = make_ticket(bob, queue)
            services.assign_ticket(done, agent=agent, by=agent)
            services.change_status(done, status="resolved", by=agent)
            portal_services.rate_ticket(done, score=4, comment="Fine")

    add_tickets(2)
    with CaptureQueriesContext(connection) as few:
        supervisor_client.get(DASHBOARD)
    add_tickets(5)

    with django_assert_num_queries(len(few.captured_queries)):
        supervisor_client.get(DASHBOARD)
    if connection.vendor == "postgresql":  # elsewhere percentiles take more
        # 18 before ratings, plus the satisfaction aggregate and the grouped
        # per-agent satisfaction, the open memos to the supervisor's queues,
        # and the knowledge base's deflections and stale articles; the user's
        # groups come with the user.
        assert len(few.captured_queries) == 21


def test_each_table_downloads_as_csv(supervisor_client, tickets, queue):
    response = supervisor_client.get(
        reverse("supervisor:export", args=["backlog"]), {"period": "30"}
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="backlog-')
    rows = csv_rows(response)
    assert rows[0] == [
        "Queue",
        "On track",
        "At risk",
        "Breached",
        "Paused",
        "No target",
        "Total",
        "queue_code",
    ]
    assert rows[1] == ["Customer Service", "1", "0", "0", "0", "0", "1", queue.slug]
    for name in ("targets", "breaches", "at-risk", "csat", "agents"):
        url = reverse("supervisor:export", args=[name])
        assert supervisor_client.get(url).status_code == 200
    for name in ("volume-channels", "volume-categories"):
        url = reverse("supervisor:export", args=[name])
        assert supervisor_client.get(url).status_code == 200


def test_an_unknown_table_is_404_and_bad_filters_are_400(supervisor_client):
    missing = supervisor_client.get(reverse("supervisor:export", args=["nope"]))
    bad = supervisor_client.get(
        reverse("supervisor:export", args=["backlog"]), {"period": "custom"}
    )

    assert missing.status_code == 404
    assert bad.status_code == 400
    assert "Choose both dates of the period." in bad.content.decode()


def test_a_ticket_list_streams_as_csv_with_formulas_defused(
    supervisor_client, bob, queue, tickets
):
    make_ticket(bob, queue, subject="=HYPERLINK(evil)")

    response = supervisor_client.get(
        reverse("supervisor:ticket_export"), {"status": "open"}
    )

    assert response.streaming
    rows = csv_rows(response)
    assert rows[0][:3] == ["Number", "Subject", "Status"]
    subjects = sorted(row[1] for row in rows[1:])
    assert subjects == ["'=HYPERLINK(evil)", "Mine"]  # not the other queue's
    # In words for people, and as codes for programs.
    state = rows[0].index("Service level")
    assert {row[state] for row in rows[1:]} == {"On track"}
    code = rows[0].index("sla_state_code")
    assert {row[code] for row in rows[1:]} == {"on_track"}


def test_the_ticket_list_behind_a_figure(supervisor_client, tickets, queue):
    mine, theirs = tickets

    response = supervisor_client.get(
        reverse("supervisor:tickets"), {"status": "open", "sla_state": "on_track"}
    )
    bad = supervisor_client.get(reverse("supervisor:tickets"), {"sla_state": "late"})

    assert [t.number for t in response.context["page"].rows] == [mine.number]
    assert bad.status_code == 400
    assert "Service level" in bad.text


def test_reassigning_in_place(supervisor_client, supervisor, tickets, queue, agent):
    mine, _ = tickets
    colleague = agent.__class__.objects.create(username="colleague")
    from django.contrib.auth.models import Group

    colleague.groups.add(Group.objects.get(name="Agents"))
    queue.agents.add(colleague)
    url = reverse("supervisor:assign", args=[mine.number])

    response = supervisor_client.post(
        url, {"agent": colleague.pk}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith("<tr")
    mine.refresh_from_db()
    assert mine.assignee == colleague
    event = mine.events.filter(action=TicketEvent.Action.ASSIGNED).last()
    assert (event.new_value, event.actor) == ("colleague", supervisor)


def test_the_reassign_menu_offers_nobody_the_assignee_then_the_queues_agents(
    supervisor_client, tickets, queue, agent
):
    mine, _ = tickets
    colleague = make_staff("colleague", AGENTS, first_name="<Sam>", last_name="O'Neil")
    queue.agents.add(colleague)

    response = supervisor_client.post(
        reverse("supervisor:assign", args=[mine.number]),
        {"agent": agent.pk},
        HTTP_HX_REQUEST="true",
    )

    options = re.findall(
        r'<option value="(\d*)"( selected)?>([^<]*)</option>', response.text
    )
    assert options[0] == ("", "", "Nobody")
    assert options[1] == (
        str(agent.pk),
        " selected",
        agent.get_full_name() or agent.username,
    )
    others = {pk: unescape(name) for pk, selected, name in options[2:] if not selected}
    assert others[str(colleague.pk)] == "<Sam> O'Neil"
    assert str(agent.pk) not in others
    # Everyone who works the queue, its supervisors too, and nobody else.
    assert len(options) == 1 + queue.assignable_agents().count()


def test_reassigning_refuses_outsiders_other_queues_and_get(
    supervisor_client, agent_client, tickets, other_agent
):
    mine, theirs = tickets

    assert (
        supervisor_client.get(
            reverse("supervisor:assign", args=[mine.number])
        ).status_code
        == 405
    )
    assert (
        agent_client.post(
            reverse("supervisor:assign", args=[mine.number]), {"agent": ""}
        ).status_code
        == 403
    )
    assert (
        supervisor_client.post(
            reverse("supervisor:assign", args=[theirs.number]), {"agent": ""}
        ).status_code
        == 404
    )
    # An agent of another queue is not a choice here.
    response = supervisor_client.post(
        reverse("supervisor:assign", args=[mine.number]),
        {"agent": other_agent.pk},
        HTTP_HX_REQUEST="true",
    )
    assert 'role="alert"' in response.text
    mine.refresh_from_db()
    assert mine.assignee.username == "agent"


def test_supervisors_get_a_dashboard_link(supervisor_client, agent_client):
    assert f'href="{DASHBOARD}"' in supervisor_client.get(reverse("tickets:list")).text
    assert f'href="{DASHBOARD}"' not in agent_client.get(reverse("tickets:list")).text


@pytest.fixture
def rated(bob, queue, other_queue, agent, other_agent):
    """Tickets rated 5 and 2 in the supervisor's queue, and 1 in another."""

    def rate(queue, agent, score, comment):
        ticket = make_ticket(bob, queue, subject=f"Rated {score}")
        services.assign_ticket(ticket, agent=agent, by=agent)
        services.change_status(ticket, status="resolved", by=agent)
        return portal_services.rate_ticket(ticket, score=score, comment=comment)

    return (
        rate(queue, agent, 5, "Quick and kind"),
        rate(queue, agent, 2, "Slow"),
        rate(other_queue, other_agent, 1, "Elsewhere"),
    )


def link(html, marker):
    """The href of the first link after `marker` in `html`."""
    rest = html[html.index(marker) :]
    return unescape(re.search(r'href="([^"]+)"', rest).group(1))


def numbers(response):
    return sorted(t.number for t in response.context["page"].rows)


def test_the_dashboard_shows_satisfaction_and_links_to_its_tickets(
    supervisor_client, rated, agent
):
    five, two, _elsewhere = rated

    response = supervisor_client.get(DASHBOARD)

    assert "not collected" not in response.text
    data = response.context["data"]
    assert (data.csat.count, data.csat.average) == (2, 3.5)
    assert data.csat.distribution == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    chart = response.context["charts"]["csat"]
    assert chart["datasets"][0]["data"] == [0, 1, 0, 0, 1]
    assert 'data-figure="csat-average">3.50</a>' in response.text
    assert "from 2 ratings in the period" in response.text
    (row,) = data.agents
    assert (row.agent, row.csat, row.ratings) == (agent, 3.5, 2)
    assert 'data-figure="csat">3.50</a>' in response.text
    # Each figure opens the list of the tickets behind it.
    average = re.search(r'href="([^"]+)" data-figure="csat-average"', response.text)
    everything = supervisor_client.get(unescape(average[1]))
    twos = supervisor_client.get(link(response.text, '<tr data-rating="2">'))
    threes = supervisor_client.get(link(response.text, '<tr data-rating="3">'))
    assert numbers(everything) == sorted([five.number, two.number])
    assert numbers(twos) == [two.number]
    assert numbers(threes) == []
    assert "2/5" in twos.text


def test_the_per_agent_satisfaction_links_to_that_agents_rated_tickets(
    supervisor_client, rated, agent
):
    five, two, _elsewhere = rated
    response = supervisor_client.get(DASHBOARD)
    agents_table = response.text[response.text.index('data-testid="agents-table"') :]
    href = unescape(re.search(r'href="([^"]+)" data-figure="csat"', agents_table)[1])

    listed = supervisor_client.get(href)

    assert f"assignee={agent.pk}" in href
    assert numbers(listed) == sorted([five.number, two.number])


def test_satisfaction_downloads_as_csv(supervisor_client, rated, agent):
    csat = csv_rows(supervisor_client.get(reverse("supervisor:export", args=["csat"])))
    agents = csv_rows(
        supervisor_client.get(reverse("supervisor:export", args=["agents"]))
    )
    listed = csv_rows(
        supervisor_client.get(reverse("supervisor:ticket_export"), {"rating": "5"})
    )

    assert csat == [
        ["Rating", "Ratings", "Share (percent)"],
        ["1", "0", "0.0"],
        ["2", "1", "50.0"],
        ["3", "0", "0.0"],
        ["4", "0", "0.0"],
        ["5", "1", "50.0"],
        ["All ratings", "2", "100.0"],
        ["Average rating", "3.50", ""],
    ]
    assert agents[0][-3:] == ["Satisfaction", "Ratings", "agent_username"]
    # The agent by name for people, by login for programs.
    assert agents[1][0] == "Omar"
    assert agents[1][-3:] == ["3.50", "2", "agent"]
    rating = listed[0].index("Rating")
    assert listed[0][rating : rating + 2] == ["Rating", "Rated"]
    assert [row[rating] for row in listed[1:]] == ["5"]


def test_a_rating_outside_one_to_five_is_a_clear_error(supervisor_client):
    response = supervisor_client.get(reverse("supervisor:tickets"), {"rating": "9"})

    assert response.status_code == 400
    assert "Customer rating" in response.text


@pytest.fixture
def named_ticket(bob, queue, agent):
    """A pending, urgent walk-in ticket of a queue with an Arabic name, assigned
    to an agent with a full name."""
    queue.name_ar = "خدمة العملاء"
    queue.save()
    agent.last_name = "Haddad"
    agent.save()
    with time_machine.travel(datetime(2026, 6, 1, 9, 30, tzinfo=UTC), tick=False):
        ticket = make_ticket(
            bob,
            queue,
            subject="Counter visit",
            channel="walk_in",
            priority=Ticket.Priority.URGENT,
        )
        services.assign_ticket(ticket, agent=agent, by=agent)
        services.change_status(ticket, status="open", by=agent)
        services.change_status(ticket, status="pending", by=agent)
    return ticket


def _ticket_export(client, language):
    rows = csv_rows(
        client.get(
            reverse("supervisor:ticket_export"),
            HTTP_ACCEPT_LANGUAGE=language,
        )
    )
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@time_machine.travel(datetime(2026, 6, 2, 9, 0, tzinfo=UTC), tick=False)
def test_the_ticket_csv_is_in_words_with_the_codes_beside(
    supervisor_client, named_ticket
):
    [english] = _ticket_export(supervisor_client, "en")
    [arabic] = _ticket_export(supervisor_client, "ar")

    assert english["Status"] == "Pending"
    assert english["Priority"] == "Urgent"
    assert english["Channel"] == "In person"
    assert english["Queue"] == "Customer Service"
    assert english["Assignee"] == "Omar Haddad"
    assert english["Service tier"] == "Standard"
    # One readable date format, the same in both languages.
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", english["Received"])
    assert arabic["الحالة"] == "بانتظار العميل"
    assert arabic["الأولوية"] == "عاجلة"
    assert arabic["القناة"] == "حضوريًا"
    assert arabic["الفريق"] == "خدمة العملاء"
    assert arabic["الموظف المسؤول"] == "Omar Haddad"
    assert arabic["فئة الخدمة"] == "عادي"
    for row in (english, arabic):
        # The machines' columns keep their names and codes in every language.
        assert row["status_code"] == "pending"
        assert row["priority_code"] == "4"
        assert row["channel_code"] == "walk_in"
        assert row["queue_code"] == "service"
        assert row["assignee_username"] == "agent"
        assert row["tier_code"] == "standard"
        assert (
            row["Received" if row is english else "تاريخ الاستلام"]
            == (english["Received"])
        )


def test_the_dashboard_tables_download_in_arabic_with_names(
    supervisor_client, named_ticket
):
    with time_machine.travel(datetime(2026, 6, 2, 9, 0, tzinfo=UTC), tick=False):
        backlog = csv_rows(
            supervisor_client.get(
                reverse("supervisor:export", args=["backlog"]),
                HTTP_ACCEPT_LANGUAGE="ar",
            )
        )
        agents = csv_rows(
            supervisor_client.get(
                reverse("supervisor:export", args=["agents"]),
                HTTP_ACCEPT_LANGUAGE="ar",
            )
        )

    assert backlog[0][0] == "الفريق"
    assert [row[0] for row in backlog[1:-1]] == ["خدمة العملاء"]
    assert backlog[1][-1] == "service"
    assert [row[0] for row in agents[1:]] == ["Omar Haddad"]
    assert [row[-1] for row in agents[1:]] == ["agent"]


def total_open(response) -> int:
    return response.context["data"].backlog.total


def test_figures_are_kept_briefly_and_say_when_they_were_worked_out(
    supervisor_client, bob, queue, agent, settings, django_assert_num_queries
):
    settings.DASHBOARD_CACHE_SECONDS = 30
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), tick=False):
        make_ticket(bob, queue)
        first = supervisor_client.get(DASHBOARD)
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, 20, tzinfo=UTC), tick=False):
        make_ticket(bob, queue)
        # Session, user (with groups), the supervisor's queues and the filter
        # form's choices: none of the figures' 22 queries.
        with django_assert_num_queries(6):
            kept = supervisor_client.get(DASHBOARD)
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, 31, tzinfo=UTC), tick=False):
        fresh = supervisor_client.get(DASHBOARD)

    assert (total_open(first), total_open(kept), total_open(fresh)) == (1, 1, 2)
    # Riyadh time: the figures' own time, not the time of the request.
    assert "Live figures as of 12:00," in kept.text
    assert "Live figures as of 12:00," in fresh.text
    assert fresh.context["data"].now > kept.context["data"].now


def test_a_reassignment_shows_at_once_on_the_next_load(
    supervisor_client, tickets, queue, agent, settings
):
    settings.DASHBOARD_CACHE_SECONDS = 30
    mine, _ = tickets
    colleague = make_staff("colleague", AGENTS)
    queue.agents.add(colleague)
    supervisor_client.get(DASHBOARD)

    supervisor_client.post(
        reverse("supervisor:assign", args=[mine.number]),
        {"agent": colleague.pk},
        HTTP_HX_REQUEST="true",
    )
    response = supervisor_client.get(DASHBOARD)

    agents = {row.agent: row.open for row in response.context["data"].agents}
    assert agents.get(colleague) == 1
