"""Who else is on a ticket page: heartbeats kept in the cache, typing that
fades, entries that expire, and the endpoint the page calls."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from tickets import presence
from tickets.permissions import AGENTS

from ..factories import make_staff, make_ticket
from ..redis_server import redis_server, requires_redis_server

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def ticket(alice, queue):
    return make_ticket(alice, queue, subject="Invoice is wrong")


@pytest.fixture
def sara(queue):
    user = make_staff("sara", AGENTS, first_name="Sara", last_name="Ali")
    queue.agents.add(user)
    return user


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def seen_by(ticket, user):
    return [(p.name, p.state) for p in presence.others(ticket, user)]


def test_an_agent_alone_on_a_ticket_sees_nobody(clock, ticket, agent):
    assert presence.heartbeat(ticket, agent) == []


def test_an_agent_who_joins_sees_the_one_already_there_and_is_seen(
    clock, ticket, agent, sara
):
    presence.heartbeat(ticket, agent)
    clock.shift(timedelta(seconds=3))

    joined = presence.heartbeat(ticket, sara)

    assert [(p.name, p.state) for p in joined] == [("Omar", "viewing")]
    assert seen_by(ticket, agent) == [("Sara Ali", "viewing")]


def test_typing_shows_then_fades_to_viewing_without_keystrokes(
    clock, ticket, agent, sara
):
    presence.heartbeat(ticket, agent)
    presence.heartbeat(ticket, sara, presence.TYPING)
    clock.shift(timedelta(seconds=5))
    # The page's regular heartbeat does not cancel the typing just reported.
    presence.heartbeat(ticket, sara)
    assert seen_by(ticket, agent) == [("Sara Ali", "typing")]

    clock.shift(timedelta(seconds=presence.TYPING_FOR - 4))

    assert seen_by(ticket, agent) == [("Sara Ali", "viewing")]


def test_an_agent_whose_page_stopped_beating_is_gone_after_the_expiry(
    clock, ticket, agent, sara
):
    presence.heartbeat(ticket, sara)
    clock.shift(timedelta(seconds=presence.EXPIRES_AFTER - 1))
    presence.heartbeat(ticket, agent)
    assert seen_by(ticket, agent) == [("Sara Ali", "viewing")]

    clock.shift(timedelta(seconds=1))

    assert seen_by(ticket, agent) == []
    assert presence.heartbeat(ticket, agent) == []


def test_an_agent_who_leaves_is_gone_at_once(clock, ticket, agent, sara):
    presence.heartbeat(ticket, agent)
    presence.heartbeat(ticket, sara)

    presence.leave(ticket, sara)

    assert seen_by(ticket, agent) == []
    # Back on the page, seen again.
    presence.heartbeat(ticket, sara)
    assert seen_by(ticket, agent) == [("Sara Ali", "viewing")]


def test_a_late_goodbye_from_a_page_already_replaced_is_ignored(
    clock, ticket, agent, sara
):
    presence.heartbeat(ticket, agent)
    presence.heartbeat(ticket, sara, page="first")
    # Sara sent a reply: the ticket page loaded again and beat first.
    presence.heartbeat(ticket, sara, page="second")

    presence.leave(ticket, sara, page="first")

    assert seen_by(ticket, agent) == [("Sara Ali", "viewing")]
    presence.leave(ticket, sara, page="second")
    assert seen_by(ticket, agent) == []


def test_presence_on_one_ticket_is_not_shown_on_another(
    clock, alice, queue, ticket, agent, sara
):
    other = make_ticket(alice, queue, subject="Another question")
    presence.heartbeat(ticket, sara)

    assert presence.heartbeat(other, agent) == []


def test_an_agent_dropped_from_the_roster_by_a_simultaneous_join_returns(
    clock, ticket, agent, sara
):
    presence.heartbeat(ticket, agent)
    presence.heartbeat(ticket, sara)
    # Two joins at the same moment: the second write of the roster lost Sara.
    cache.set(presence._roster_key(ticket.pk), [agent.pk])
    assert seen_by(ticket, agent) == []

    presence.heartbeat(ticket, sara)

    assert seen_by(ticket, agent) == [("Sara Ali", "viewing")]


def test_a_heartbeat_costs_three_cache_operations_and_no_database_query(
    clock, ticket, agent, sara, django_assert_num_queries
):
    presence.heartbeat(ticket, agent)
    presence.heartbeat(ticket, sara)
    spy = mock.Mock(wraps=cache)

    with mock.patch.object(presence, "cache", spy), django_assert_num_queries(0):
        others = presence.heartbeat(ticket, agent, presence.TYPING)

    assert [call[0] for call in spy.method_calls] == ["get", "get_many", "set_many"]
    assert [p.name for p in others] == ["Sara Ali"]


@requires_redis_server
def test_presence_is_shared_through_redis_as_in_production(clock, ticket, agent, sara):
    from helpdesk.cache import FallbackRedisCache

    with redis_server() as server:
        shared = FallbackRedisCache(server.url, {"OPTIONS": {"socket_timeout": 1}})
        with mock.patch.object(presence, "cache", shared):
            presence.heartbeat(ticket, agent)
            presence.heartbeat(ticket, sara, presence.TYPING)

            assert seen_by(ticket, agent) == [("Sara Ali", "typing")]
            clock.shift(timedelta(seconds=presence.EXPIRES_AFTER))
            assert seen_by(ticket, agent) == []


# The endpoint -------------------------------------------------------------


def beat(client, ticket, state="viewing", page="p1"):
    url = reverse("tickets:presence", args=[ticket.number])
    return client.post(url, {"state": state, "page": page})


def test_the_page_shows_who_else_is_viewing_and_typing(
    clock, client, ticket, agent_client, sara
):
    client.force_login(sara)
    assert beat(client, ticket).content.strip() == b""

    response = beat(agent_client, ticket)

    assert response.status_code == 200
    assert "Sara Ali is viewing" in response.text
    beat(client, ticket, "typing")
    assert "Sara Ali is typing a reply…" in beat(agent_client, ticket).text


def test_the_page_says_it_in_arabic(clock, client, ticket, agent_client, sara):
    client.force_login(sara)
    beat(client, ticket, "typing")

    response = agent_client.post(
        reverse("tickets:presence", args=[ticket.number]),
        {"state": "viewing"},
        HTTP_ACCEPT_LANGUAGE="ar",
    )

    assert "Sara Ali يكتب ردًا…" in response.text


def test_leaving_the_page_takes_the_agent_off_at_once(
    clock, client, ticket, agent_client, sara
):
    client.force_login(sara)
    beat(client, ticket)

    response = beat(client, ticket, "leaving")

    assert response.status_code == 204
    assert "Sara" not in beat(agent_client, ticket).text


def test_an_unknown_state_is_refused_with_a_message(clock, ticket, agent_client):
    response = beat(agent_client, ticket, "dancing")

    assert response.status_code == 400
    assert "viewing" in response.json()["error"]


def test_an_agent_of_another_queue_gets_not_found_and_is_not_shown(
    clock, client, ticket, agent_client, other_agent
):
    client.force_login(other_agent)

    response = beat(client, ticket)

    assert response.status_code == 404
    assert beat(agent_client, ticket).content.strip() == b""


def test_customers_and_strangers_are_refused(
    clock, client, ticket, alice_client, agent_client
):
    assert beat(alice_client, ticket).status_code == 403
    anonymous = beat(client, ticket)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login"))
    assert beat(agent_client, ticket).content.strip() == b""


def test_only_a_post_records_a_heartbeat(clock, ticket, agent_client):
    url = reverse("tickets:presence", args=[ticket.number])

    assert agent_client.get(url).status_code == 405


def test_a_heartbeat_reads_the_session_user_and_ticket_and_writes_nothing(
    clock, ticket, agent_client, sara, django_assert_num_queries
):
    for name in ("Sara", "Lina", "Huda"):
        user = make_staff(name.lower(), AGENTS, first_name=name)
        presence.heartbeat(ticket, user)

    # Session, user (with groups), the ticket through visible_to.
    with django_assert_num_queries(3) as captured:
        response = beat(agent_client, ticket)

    assert response.text.count("is viewing") == 3
    assert not any(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for q in captured.captured_queries
    )


def test_the_ticket_page_carries_the_heartbeat_and_its_interval(
    ticket, agent_client, settings
):
    settings.PRESENCE_HEARTBEAT_SECONDS = 2

    page = agent_client.get(ticket.get_absolute_url()).text

    assert reverse("tickets:presence", args=[ticket.number]) in page
    assert 'data-interval="2"' in page
    assert "js/presence.js" in page
    assert page.count("data-presence-typing") == 2


def test_a_heartbeat_of_zero_turns_the_line_off(agent_client, ticket, settings):
    settings.PRESENCE_HEARTBEAT_SECONDS = 0

    page = agent_client.get(ticket.get_absolute_url()).text

    assert 'data-testid="presence"' not in page
    assert "presence.js" not in page
