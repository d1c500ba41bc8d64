import pytest
from django.contrib.auth.models import AnonymousUser

from tickets.models import Ticket

from ..factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(alice, bob, queue, other_queue):
    return {
        "alice_service": make_ticket(alice, queue),
        "bob_billing": make_ticket(bob, other_queue),
    }


def visible(user):
    return set(Ticket.objects.visible_to(user).values_list("number", flat=True))


def test_customer_sees_only_their_own_tickets(tickets, alice):
    assert visible(alice.user) == {tickets["alice_service"].number}


def test_agent_sees_the_tickets_of_their_queues(tickets, agent):
    assert visible(agent) == {tickets["alice_service"].number}


def test_agent_also_sees_a_ticket_assigned_to_them_in_another_queue(
    tickets, agent, other_agent
):
    from tickets.services import assign_ticket

    assign_ticket(tickets["bob_billing"], agent=agent, by=other_agent)

    assert visible(agent) == {t.number for t in tickets.values()}


def test_supervisor_sees_their_queues(tickets, supervisor):
    assert visible(supervisor) == {tickets["alice_service"].number}


def test_administrator_sees_everything(tickets, admin_user):
    assert visible(admin_user) == {t.number for t in tickets.values()}


def test_anonymous_and_inactive_users_see_nothing(tickets, agent):
    agent.is_active = False

    assert visible(AnonymousUser()) == set()
    assert visible(agent) == set()


def test_open_leaves_out_resolved_and_closed(tickets, agent):
    from tickets.services import change_status

    change_status(tickets["bob_billing"], status="resolved", by=agent)

    assert list(Ticket.objects.open()) == [tickets["alice_service"]]
