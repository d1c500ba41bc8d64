import pytest
from django.contrib.auth.models import AnonymousUser

from tickets.models import Queue, Ticket

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
    tickets, agent, other_agent, other_queue
):
    from tickets.services import assign_ticket

    # Assigned while helping out in Billing, then back to their own queue.
    other_queue.agents.add(agent)
    assign_ticket(tickets["bob_billing"], agent=agent, by=other_agent)
    other_queue.agents.remove(agent)

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


# One access path: which queues a user works, and who may be assigned there.


@pytest.fixture
def people(agent, supervisor, other_agent, admin_user, alice, queue):
    from tests.factories import UserFactory

    member_without_role = UserFactory(username="no-role")
    queue.agents.add(member_without_role)
    retired_admin = UserFactory(username="retired", is_superuser=True, is_active=False)
    return {
        "agent": agent,
        "supervisor": supervisor,
        "other_agent": other_agent,
        "admin": admin_user,
        "member_without_role": member_without_role,
        "retired_admin": retired_admin,
        "customer": alice.user,
    }


WORKS = {
    # who: the queues they work, of (Customer Service, Billing)
    "agent": {"service"},
    "supervisor": {"service"},
    "other_agent": {"billing"},
    "admin": {"service", "billing"},
    "member_without_role": set(),
    "retired_admin": set(),
    "customer": set(),
}


@pytest.mark.parametrize("who", WORKS)
def test_which_queues_a_user_works_and_who_may_be_assigned_agree(
    people, queue, other_queue, who
):
    user = people[who]
    worked = set(Queue.objects.worked_by(user).values_list("slug", flat=True))
    assignable = {q.slug for q in (queue, other_queue) if user in q.assignable_agents()}
    may = {q.slug for q in (queue, other_queue) if q.may_be_assigned(user)}

    assert worked == assignable == may == WORKS[who]


def test_an_administrator_works_every_queue_without_being_a_member(
    admin_user, queue, other_queue, alice
):
    from tickets.models import Queue
    from tickets.permissions import works_every_queue
    from tickets.services import assign_ticket

    ticket = make_ticket(alice, other_queue)

    assign_ticket(ticket, agent=admin_user, by=admin_user)

    assert works_every_queue(admin_user)
    assert set(Queue.objects.worked_by(admin_user)) == {queue, other_queue}
    assert set(Queue.objects.supervised_by(admin_user)) == {queue, other_queue}
    assert ticket.assignee == admin_user


def test_a_supervisor_sees_the_figures_of_the_queues_they_supervise_only(
    supervisor, agent, queue, other_queue
):
    other_queue.agents.add(supervisor)

    assert list(Queue.objects.supervised_by(supervisor)) == [queue]
    assert list(Queue.objects.supervised_by(agent)) == []


def test_a_ticket_cannot_be_assigned_to_someone_outside_its_queue(
    tickets, agent, other_agent
):
    from django.core.exceptions import ValidationError

    from tickets.services import assign_ticket

    with pytest.raises(ValidationError, match="does not work in the Billing queue"):
        assign_ticket(tickets["bob_billing"], agent=agent, by=other_agent)

    tickets["bob_billing"].refresh_from_db()
    assert tickets["bob_billing"].assignee is None
    assert not tickets["bob_billing"].events.filter(action="assigned").exists()


def test_the_reassign_choices_of_many_queues_are_each_queues_own(
    queue, other_queue, agent, other_agent, supervisor, admin_user, bob
):
    by_queue = Queue.objects.filter(
        pk__in=[queue.pk, other_queue.pk]
    ).assignable_agents_by_queue()

    for each in (queue, other_queue):
        assert by_queue[each.pk] == list(each.assignable_agents())
    assert agent in by_queue[queue.pk] and agent not in by_queue[other_queue.pk]
    assert admin_user in by_queue[other_queue.pk]
    assert by_queue[None] == [admin_user]
