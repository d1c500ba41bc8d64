"""The complaint workflow: stages, findings, refusals, the history that
records them, the customer's acceptance and appeal, the appeal clock, and
the complaint card on the agent's ticket page."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sla.models import SLAClock
from tickets import services
from tickets.models import Notification, RootCause, Ticket, TicketEvent
from tickets.permissions import SUPERVISORS
from tickets.services.complaints import TRANSITIONS, next_stages
from tickets.templatetags.helpdesk import event_summary

from ..factories import CustomerFactory, make_staff, make_ticket
from ..markers import requires_postgres
from .histories import give_long_history

pytestmark = pytest.mark.django_db

Stage = Ticket.ComplaintStage
# Sunday 6 December 2026, 09:00 in Riyadh: a working day of the test office.
SUNDAY_9 = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)


@pytest.fixture
def customer(db):
    return CustomerFactory(name="Samir", email="samir@example.com")


@pytest.fixture
def delay():
    return RootCause.objects.get(name="Delay")


@pytest.fixture
def complaint(customer, queue):
    return make_ticket(
        customer, queue, subject="Rude answer at the counter", kind="complaint"
    )


def findings(cause, **fields):
    return {
        "severity": Ticket.Severity.MAJOR,
        "root_cause_category": cause,
        "root_cause": "The counter was understaffed.",
        "corrective_action": "A second clerk at peak hours.",
        "resolution_summary": "We apologised and refunded the fee.",
    } | fields


def complaint_events(ticket):
    return list(
        ticket.events.filter(action=TicketEvent.Action.COMPLAINT).order_by("id")
    )


def test_a_new_complaint_is_acknowledged_and_the_history_says_so(complaint):
    assert complaint.complaint_stage == Stage.ACKNOWLEDGED
    (event,) = complaint_events(complaint)
    assert event.details == {"changes": {"stage": ["", "acknowledged"]}}
    assert event_summary(event) == "Complaint updated: stage Acknowledged"


def test_a_ticket_made_a_complaint_is_acknowledged(customer, queue, agent):
    ticket = make_ticket(customer, queue)
    assert ticket.complaint_stage == ""

    services.change_kind(ticket, kind="complaint", by=agent)

    assert ticket.complaint_stage == Stage.ACKNOWLEDGED


def test_writing_findings_starts_the_investigation_in_one_event(
    complaint, agent, delay
):
    services.update_complaint(
        complaint, by=agent, **findings(delay, resolution_summary="")
    )

    complaint.refresh_from_db()
    assert complaint.complaint_stage == Stage.INVESTIGATING
    assert complaint.root_cause_category == delay
    assert complaint.status == "open"
    event = complaint_events(complaint)[-1]
    assert event.actor == agent
    assert event.details["changes"]["stage"] == ["acknowledged", "investigating"]
    assert event.details["changes"]["severity"] == [None, 3]
    assert event_summary(event) == (
        "Complaint updated: stage Acknowledged → Investigating; severity Major; "
        "root cause Delay; root cause details written; corrective action written"
    )


def test_the_history_reads_in_arabic(complaint, agent, delay):
    services.update_complaint(complaint, by=agent, **findings(delay))
    event = complaint_events(complaint)[-1]

    with translation.override("ar"):
        text = event_summary(event)

    assert "التأخير" in text
    assert "←" in text


def test_resolving_needs_cause_corrective_action_and_summary(complaint, agent):
    services.update_complaint(
        complaint, by=agent, **findings(None, resolution_summary=""), stage=""
    )

    with pytest.raises(ValidationError) as refused:
        services.update_complaint(
            complaint,
            by=agent,
            **findings(None, corrective_action="", resolution_summary=""),
            stage=Stage.RESOLVED,
        )

    assert set(refused.value.message_dict) == {
        "root_cause_category",
        "corrective_action",
        "resolution_summary",
    }
    complaint.refresh_from_db()
    assert complaint.complaint_stage == Stage.INVESTIGATING
    assert complaint.status == "open"


def test_resolving_resolves_the_ticket(complaint, agent, delay):
    services.update_complaint(complaint, by=agent, **findings(delay))

    services.update_complaint(
        complaint, by=agent, **findings(delay), stage=Stage.RESOLVED
    )

    complaint.refresh_from_db()
    assert (complaint.complaint_stage, complaint.status) == ("resolved", "resolved")
    assert event_summary(complaint_events(complaint)[-1]) == (
        "Complaint updated: stage Investigating → Resolved"
    )


@pytest.mark.parametrize(
    ("start", "stage"),
    [
        (Stage.ACKNOWLEDGED, Stage.RESOLVED),
        (Stage.ACKNOWLEDGED, Stage.ACCEPTED),
        (Stage.INVESTIGATING, Stage.ACCEPTED),
        (Stage.APPEALED, Stage.ACCEPTED),
        (Stage.APPEALED, Stage.INVESTIGATING),
    ],
)
def test_stages_out_of_order_are_refused_with_a_reason(
    complaint, agent, delay, start, stage
):
    Ticket.objects.filter(pk=complaint.pk).update(complaint_stage=start)
    complaint.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        services.update_complaint(complaint, by=agent, **findings(delay), stage=stage)

    assert "A complaint cannot go from" in refused.value.messages[0]
    assert stage not in TRANSITIONS[start]


def test_agents_cannot_appeal_for_the_customer(complaint, agent, delay):
    with pytest.raises(ValidationError, match="Only the customer"):
        services.update_complaint(
            complaint, by=agent, **findings(delay), stage=Stage.APPEALED
        )


def test_only_complaints_have_a_workflow(customer, queue, agent, delay):
    ticket = make_ticket(customer, queue)

    with pytest.raises(ValidationError):
        services.update_complaint(ticket, by=agent, **findings(delay))
    assert next_stages(ticket) == []


def resolved(complaint, agent, cause):
    services.update_complaint(complaint, by=agent, **findings(cause))
    services.update_complaint(
        complaint, by=agent, **findings(cause), stage=Stage.RESOLVED
    )
    complaint.refresh_from_db()
    return complaint


def test_an_agent_records_an_acceptance_given_by_phone(complaint, agent, delay):
    resolved(complaint, agent, delay)
    assert next_stages(complaint) == [Stage.INVESTIGATING, Stage.ACCEPTED]

    services.update_complaint(
        complaint, by=agent, **findings(delay), stage=Stage.ACCEPTED
    )

    complaint.refresh_from_db()
    assert complaint.complaint_stage == Stage.ACCEPTED
    assert complaint.resolution_accepted is True
    assert complaint.status == "closed"
    assert complaint_events(complaint)[-1].details["recorded_by_agent"] is True
    assert next_stages(complaint) == []


def test_investigating_again_reopens_a_resolved_complaint(complaint, agent, delay):
    resolved(complaint, agent, delay)

    services.update_complaint(
        complaint, by=agent, **findings(delay), stage=Stage.INVESTIGATING
    )

    complaint.refresh_from_db()
    assert (complaint.complaint_stage, complaint.status) == ("investigating", "open")


def test_the_customer_accepts_and_the_complaint_closes(complaint, agent, delay):
    resolved(complaint, agent, delay)

    services.accept_resolution(complaint, by=customer_user(complaint))

    complaint.refresh_from_db()
    assert complaint.complaint_stage == Stage.ACCEPTED
    assert complaint.resolution_accepted is True
    assert complaint.status == "closed"
    event = complaint_events(complaint)[-1]
    assert event.details["by_customer"] is True
    assert event_summary(event) == (
        "Complaint updated: stage Resolved → Accepted by the customer"
    )


def customer_user(ticket):
    return ticket.customer.user


def test_accepting_before_resolution_is_refused(complaint):
    with pytest.raises(ValidationError):
        services.accept_resolution(complaint)


@pytest.fixture
def supervisors(queue):
    busy = make_staff("busy-sup", SUPERVISORS, first_name="Busy")
    free = make_staff("free-sup", SUPERVISORS, first_name="Free")
    queue.supervisors.add(busy, free)
    other = CustomerFactory(name="Other")
    make_ticket(other, queue, subject="Busy's ticket").assignee = busy
    Ticket.objects.filter(subject="Busy's ticket").update(assignee=busy)
    return busy, free


def test_an_appeal_reopens_escalates_and_goes_to_the_least_loaded_supervisor(
    complaint, agent, delay, supervisors, policies
):
    busy, free = supervisors
    with time_machine.travel(SUNDAY_9, tick=False):
        complaint = make_ticket(
            complaint.customer, complaint.queue, subject="Fee", kind="complaint"
        )
        services.assign_ticket(complaint, agent=agent, by=agent)
        resolved(complaint, agent, delay)
    appealed_at = SUNDAY_9 + timedelta(hours=2)

    with time_machine.travel(appealed_at, tick=False):
        services.appeal_complaint(
            complaint, reason="The refund never arrived on my card."
        )

    complaint.refresh_from_db()
    assert complaint.status == "open"
    assert complaint.complaint_stage == Stage.APPEALED
    assert complaint.appealed_at == appealed_at
    assert complaint.appeal_reason == "The refund never arrived on my card."
    assert complaint.is_escalated
    assert complaint.assignee == free
    appeal = complaint.events.get(action=TicketEvent.Action.APPEALED)
    assert appeal.actor is None
    assert event_summary(appeal) == (
        "Appealed by the customer: The refund never arrived on my card."
    )
    told = Notification.objects.filter(ticket=complaint, kind="appeal")
    assert {n.recipient for n in told} == {busy, free}
    assert all(n.event == appeal for n in told)


def test_the_appeal_clock_runs_on_the_policys_calendar_and_stops_at_resolution(
    customer, queue, agent, delay, supervisors, policies
):
    policy = policies["complaints"]
    policy.appeal_resolution = timedelta(hours=16)  # two working days
    policy.save()
    with time_machine.travel(SUNDAY_9, tick=False):
        complaint = make_ticket(customer, queue, subject="Fee", kind="complaint")
        resolved(complaint, agent, delay)

    with time_machine.travel(SUNDAY_9 + timedelta(hours=1), tick=False):
        services.appeal_complaint(complaint, reason="Nothing has changed at all.")

    clock = SLAClock.objects.get(ticket=complaint, target="appeal")
    assert clock.status == "running"
    assert clock.limit == timedelta(hours=16)
    # Sunday 10:00 + 16 working hours (08:00-16:00): Tuesday 10:00 in Riyadh.
    assert clock.due_at == datetime(2026, 12, 8, 7, 0, tzinfo=UTC)
    complaint.refresh_from_db()
    assert complaint.due_at <= clock.due_at

    with time_machine.travel(datetime(2026, 12, 7, 7, 0, tzinfo=UTC), tick=False):
        services.update_complaint(
            complaint,
            by=complaint.assignee,
            **findings(delay, resolution_summary="Refunded again, by cheque."),
            stage=Stage.RESOLVED,
        )

    clock.refresh_from_db()
    assert clock.status == "met"
    complaint.refresh_from_db()
    assert (complaint.status, complaint.complaint_stage) == ("resolved", "resolved")
    # The decision on the appeal is final: accepted, never appealed again.
    assert next_stages(complaint) == [Stage.INVESTIGATING, Stage.ACCEPTED]
    with pytest.raises(ValidationError, match="already been appealed"):
        services.appeal_complaint(complaint, reason="Still unhappy with this.")


def test_the_appeal_target_falls_back_to_the_resolution_target(
    customer, queue, agent, delay, policies
):
    with time_machine.travel(SUNDAY_9, tick=False):
        complaint = make_ticket(customer, queue, subject="Fee", kind="complaint")
        resolved(complaint, agent, delay)
        services.appeal_complaint(complaint, reason="Nothing has changed at all.")

    clock = SLAClock.objects.get(ticket=complaint, target="appeal")
    assert clock.limit == policies["complaints"].resolution


def test_an_appeal_missed_is_recorded_as_missed(
    customer, queue, agent, delay, policies
):
    with time_machine.travel(SUNDAY_9, tick=False):
        complaint = make_ticket(customer, queue, subject="Fee", kind="complaint")
        resolved(complaint, agent, delay)
        services.appeal_complaint(complaint, reason="Nothing has changed at all.")

    with time_machine.travel(SUNDAY_9 + timedelta(days=14), tick=False):
        services.update_complaint(
            complaint, by=agent, **findings(delay), stage=Stage.RESOLVED
        )

    assert SLAClock.objects.get(ticket=complaint, target="appeal").status == "missed"


def test_an_appeal_needs_a_resolved_complaint_and_a_reason(complaint):
    with pytest.raises(ValidationError):
        services.appeal_complaint(complaint, reason="Not yet resolved, though.")
    with pytest.raises(ValidationError):
        services.appeal_complaint(complaint, reason="   ")


# The complaint card on the agent's ticket page.


def card_post(client, ticket, data):
    url = reverse("tickets:complaint", args=[ticket.number])
    seen = services.last_seen_event(ticket)
    return client.post(url, {"seen": seen, **data})


def form_data(cause, **fields):
    data = findings(cause, **fields)
    data["root_cause_category"] = cause.pk if cause else ""
    return data


def test_the_card_shows_on_complaints_only(agent_client, complaint, customer, queue):
    other = make_ticket(customer, queue)

    page = agent_client.get(complaint.get_absolute_url())
    plain = agent_client.get(other.get_absolute_url())

    assert 'data-testid="complaint-card"' in page.text
    assert "Start the investigation" in page.text
    assert 'data-testid="complaint-card"' not in plain.text


def test_an_agent_resolves_a_complaint_from_the_card(
    agent_client, agent, complaint, delay
):
    card_post(agent_client, complaint, form_data(delay, stage=""))

    response = card_post(agent_client, complaint, form_data(delay, stage="resolved"))

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.complaint_stage, complaint.status) == ("resolved", "resolved")
    page = agent_client.get(complaint.get_absolute_url())
    assert "Complaint updated: stage Investigating → Resolved" in page.text


def test_resolving_without_findings_is_a_form_error(agent_client, complaint):
    card_post(agent_client, complaint, {"severity": "2", "stage": ""})

    response = card_post(agent_client, complaint, {"stage": "resolved"})

    assert response.status_code == 400
    assert "Choose the root cause before resolving." in response.text
    assert "Write the corrective action before resolving." in response.text
    complaint.refresh_from_db()
    assert complaint.complaint_stage == Stage.INVESTIGATING


def test_a_stale_card_does_not_overwrite_anothers_change(
    agent_client, agent, complaint, delay
):
    seen = services.last_seen_event(complaint)
    services.update_complaint(complaint, by=agent, **findings(delay))

    response = agent_client.post(
        reverse("tickets:complaint", args=[complaint.number]),
        {"seen": seen, **form_data(None, corrective_action="")},
    )

    assert response.status_code == 409
    complaint.refresh_from_db()
    assert complaint.corrective_action == "A second clerk at peak hours."


def test_a_retired_root_cause_is_not_offered(agent_client, complaint, delay):
    RootCause.objects.filter(name="Other").update(is_active=False)

    page = agent_client.get(complaint.get_absolute_url())

    assert ">Delay<" in page.text
    assert ">Other<" not in page.text


def test_customers_and_other_queues_cannot_use_the_card(
    alice_client, client, other_agent, complaint, delay
):
    client.force_login(other_agent)

    assert card_post(client, complaint, form_data(delay)).status_code == 404
    assert card_post(alice_client, complaint, form_data(delay)).status_code in (
        302,
        403,
    )
    complaint.refresh_from_db()
    assert complaint.root_cause_category is None


def page_queries(client, ticket) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(ticket.get_absolute_url()).status_code == 200
    return len(captured)


@requires_postgres("a UNION of LIMITed queries: the customer's tickets, ratings")
def test_the_complaint_card_costs_no_query_however_long_the_history(
    agent_client,
    complaint,
    customer,
    queue,
    other_queue,
    agent,
    delay,
    production_caches,
    settings,
):
    # As the ticket page (tests/tickets/test_ticket_page.py): the root causes
    # and the business calendars come from the caches, and the page is
    # rendered anew each time.
    services.update_complaint(complaint, by=agent, **findings(delay))
    long = make_ticket(customer, queue, subject="Kept waiting", kind="complaint")
    give_long_history(long, agent, other_queue)
    services.update_complaint(
        long, by=agent, **findings(delay, root_cause="Two clerks were ill.")
    )
    for ticket in (complaint, long):
        agent_client.get(ticket.get_absolute_url())
    settings.TICKET_PAGE_CACHE_SECONDS = 0

    assert page_queries(agent_client, complaint) == 12
    assert page_queries(agent_client, long) == 12
    page = agent_client.get(long.get_absolute_url())
    assert 'data-testid="complaint-card"' in page.text
    assert "Two clerks were ill." in page.text


def test_a_retired_root_cause_leaves_the_card_on_the_next_page(
    agent_client, complaint, production_caches
):
    agent_client.get(complaint.get_absolute_url())

    other = RootCause.objects.get(name="Other")
    other.is_active = False
    other.save()
    page = agent_client.get(complaint.get_absolute_url())

    assert ">Delay<" in page.text
    assert ">Other<" not in page.text


def test_the_card_keeps_its_place_in_history_when_another_form_fails(
    agent_client, complaint
):
    url = reverse("tickets:properties", args=[complaint.number])
    page = agent_client.get(complaint.get_absolute_url())
    seen = page.context["forms"]["properties"].initial["seen"]

    failed = agent_client.post(url, {"seen": seen, "status": "nonsense"})

    assert failed.status_code == 400
    card = failed.text.split('data-testid="complaint-form"')[1].split("</form>")[0]
    assert f'name="seen" value="{seen}"' in card
