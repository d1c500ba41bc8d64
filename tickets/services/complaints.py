"""The complaint workflow: stages, the agent's findings, and the customer's
word on the resolution (accept or appeal).

Stages go acknowledged → investigating → resolved → accepted, or from
resolved to appealed by the customer, once; an appeal is resolved again and
then only accepted. Every change is one `complaint` event whose details say
what changed from what to what (`event_summary` reads them), and an appeal
is an `appealed` event of its own, which the supervisors are told about.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sla import clocks
from sla.sweep import choose_supervisor, escalation_candidates
from tickets import notifications

from ..history import record_event
from ..models import Notification, RootCause, Ticket, TicketEvent
from .changes import assign_ticket
from .lifecycle import Status, set_status

Stage = Ticket.ComplaintStage

# Where a complaint may go from each stage, and who moves it there: agents
# move it on, the customer accepts or appeals (an agent may record an
# acceptance given by phone or in writing). The empty stage is a complaint
# from before the workflow, or one just reclassified.
TRANSITIONS: dict[str, frozenset[str]] = {
    "": frozenset({Stage.ACKNOWLEDGED, Stage.INVESTIGATING}),
    Stage.ACKNOWLEDGED: frozenset({Stage.INVESTIGATING}),
    Stage.INVESTIGATING: frozenset({Stage.RESOLVED}),
    Stage.RESOLVED: frozenset({Stage.INVESTIGATING, Stage.ACCEPTED, Stage.APPEALED}),
    Stage.APPEALED: frozenset({Stage.RESOLVED}),
    Stage.ACCEPTED: frozenset(),
}
# The stages an agent's buttons lead to; appealing is the customer's alone.
AGENT_STAGES = (Stage.INVESTIGATING, Stage.RESOLVED, Stage.ACCEPTED)

# The findings an agent records, in the order the history lists them.
TEXT_FIELDS = ("root_cause", "corrective_action", "resolution_summary")
# What must be written before a complaint counts as resolved.
REQUIRED_TO_RESOLVE = ("root_cause_category", "corrective_action", "resolution_summary")

APPEAL_REASON_MAX = 2000


def stage_label(stage: str) -> str:
    return Stage(stage).label if stage else _("not started")


def next_stages(ticket: Ticket) -> list[str]:
    """The stages an agent may move `ticket`'s complaint to now."""
    if not ticket.is_complaint or ticket.status == Status.CLOSED:
        return []
    allowed = TRANSITIONS[ticket.complaint_stage]
    return [stage for stage in AGENT_STAGES if stage in allowed]


def _check_transition(ticket: Ticket, stage: str) -> None:
    if not ticket.is_complaint:
        raise ValidationError(
            _("Only complaints have complaint stages."), code="not_complaint"
        )
    if stage not in TRANSITIONS[ticket.complaint_stage]:
        raise ValidationError(
            _("A complaint cannot go from %(old)s to %(new)s.")
            % {"old": stage_label(ticket.complaint_stage), "new": Stage(stage).label},
            code="invalid_stage",
        )
    if ticket.status == Status.CLOSED:
        raise ValidationError(
            _("This ticket is closed; its complaint can no longer change."),
            code="closed",
        )


def _root_cause_value(cause: RootCause | None) -> dict | None:
    # Names kept as they were, so the history reads the same after a rename.
    if cause is None:
        return None
    return {"id": cause.pk, "name": cause.name, "name_ar": cause.name_ar}


def _record(ticket: Ticket, changes: dict, *, by, **details) -> TicketEvent:
    stage = changes.get("stage", [ticket.complaint_stage] * 2)
    return record_event(
        ticket,
        TicketEvent.Action.COMPLAINT,
        by=by,
        old=stage[0],
        new=stage[1],
        details={"changes": changes, **details},
    )


def _set_stage(ticket: Ticket, stage: str, changes: dict) -> None:
    changes["stage"] = [ticket.complaint_stage, stage]
    ticket.complaint_stage = stage


@transaction.atomic
def update_complaint(
    ticket: Ticket,
    *,
    by,
    severity: int | None,
    root_cause_category: RootCause | None,
    root_cause: str,
    corrective_action: str,
    resolution_summary: str,
    stage: str = "",
) -> TicketEvent | None:
    """Record the agent's findings and, with `stage`, move the complaint on.

    Resolving needs the root cause, the corrective action and the resolution
    summary, and resolves the ticket; taking up a resolved complaint again
    reopens it; recording the customer's acceptance closes it. Editing the
    findings of a complaint only acknowledged starts its investigation. One
    `complaint` event holds everything that changed; None when nothing did.
    """
    if not ticket.is_complaint:
        raise ValidationError(
            _("Only complaints have complaint details."), code="not_complaint"
        )
    if ticket.status == Status.CLOSED:
        raise ValidationError(
            _("This ticket is closed; its complaint can no longer change."),
            code="closed",
        )
    if stage == Stage.APPEALED:
        raise ValidationError(
            _("Only the customer can appeal a complaint."), code="appeal_by_customer"
        )
    changes: dict = {}
    if severity != ticket.severity:
        changes["severity"] = [ticket.severity, severity]
        ticket.severity = severity
    if root_cause_category != ticket.root_cause_category:
        changes["root_cause_category"] = [
            _root_cause_value(ticket.root_cause_category),
            _root_cause_value(root_cause_category),
        ]
        ticket.root_cause_category = root_cause_category
    for field, value in (
        ("root_cause", root_cause),
        ("corrective_action", corrective_action),
        ("resolution_summary", resolution_summary),
    ):
        value = value.strip()
        if value != getattr(ticket, field):
            changes[field] = [getattr(ticket, field), value]
            setattr(ticket, field, value)
    if not stage and changes and ticket.complaint_stage in ("", Stage.ACKNOWLEDGED):
        # Writing down findings is investigating, whether or not it was said.
        stage = Stage.INVESTIGATING
    if stage and stage != ticket.complaint_stage:
        _check_transition(ticket, stage)
        if stage == Stage.RESOLVED:
            _check_resolvable(ticket)
        _set_stage(ticket, stage, changes)
    elif stage == ticket.complaint_stage and stage:
        stage = ""  # already there: only the findings changed
    if not changes:
        return None
    fields = ["severity", "root_cause_category", *TEXT_FIELDS, "complaint_stage"]
    details = {}
    if stage == Stage.ACCEPTED:
        ticket.resolution_accepted = True
        fields.append("resolution_accepted")
        details["recorded_by_agent"] = True
    ticket.save(update_fields=[*fields, "updated_at"])
    event = _record(ticket, changes, by=by, **details)
    _move_ticket(ticket, stage, by=by, now=event.created_at)
    return event


def _check_resolvable(ticket: Ticket) -> None:
    missing = {
        "root_cause_category": _("Choose the root cause before resolving."),
        "corrective_action": _("Write the corrective action before resolving."),
        "resolution_summary": _("Write the resolution summary before resolving."),
    }
    errors = {
        field: message
        for field, message in missing.items()
        if not getattr(ticket, field)
    }
    if errors:
        raise ValidationError(errors)


def _move_ticket(ticket: Ticket, stage: str, *, by, now: datetime) -> None:
    """The ticket's status follows the complaint's stage."""
    if stage == Stage.RESOLVED and ticket.status not in Status.done():
        set_status(ticket, Status.RESOLVED, by=by, now=now)
    elif stage == Stage.INVESTIGATING and ticket.status in (
        Status.NEW,
        Status.RESOLVED,
    ):
        set_status(ticket, Status.OPEN, by=by, now=now)
    elif stage == Stage.ACCEPTED:
        set_status(ticket, Status.CLOSED, by=by, now=now)


def _lock(ticket: Ticket) -> None:
    """Lock the ticket's row and read it afresh: a customer who clicks twice,
    or an agent alongside, acts on what is stored, not on a stale copy."""
    Ticket.objects.select_for_update().filter(pk=ticket.pk).values("pk").get()
    ticket.refresh_from_db()


@transaction.atomic
def accept_resolution(ticket: Ticket, *, by=None) -> Ticket:
    """The customer accepts the resolution of their complaint: it is closed."""
    _lock(ticket)
    if ticket.complaint_stage == Stage.ACCEPTED:
        return ticket
    _check_transition(ticket, Stage.ACCEPTED)
    changes: dict = {}
    _set_stage(ticket, Stage.ACCEPTED, changes)
    ticket.resolution_accepted = True
    ticket.save(update_fields=["complaint_stage", "resolution_accepted", "updated_at"])
    event = _record(ticket, changes, by=by, by_customer=True)
    _move_ticket(ticket, Stage.ACCEPTED, by=by, now=event.created_at)
    return ticket


@transaction.atomic
def appeal_complaint(ticket: Ticket, *, reason: str, by=None) -> Ticket:
    """The customer appeals the resolution of their complaint.

    The ticket reopens, escalated, and goes to the least loaded supervisor
    of its queue (its assignee if already one); every supervisor of the
    queue is told; the appeal target starts on the policy's calendar.
    A complaint is appealed once: the decision on the appeal is final.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Please give the reason for your appeal."))
    if len(reason) > APPEAL_REASON_MAX:
        raise ValidationError(
            _("Please keep the reason under %(count)d characters.")
            % {"count": APPEAL_REASON_MAX}
        )
    _lock(ticket)
    if ticket.appealed_at is not None:
        raise ValidationError(
            _("This complaint has already been appealed; the decision is final."),
            code="appealed_before",
        )
    _check_transition(ticket, Stage.APPEALED)
    now = timezone.now()
    old_stage = ticket.complaint_stage
    ticket.complaint_stage = Stage.APPEALED
    ticket.appealed_at = now
    ticket.appeal_reason = reason
    ticket.resolution_accepted = False
    ticket.is_escalated = True
    ticket.save(
        update_fields=[
            "complaint_stage",
            "appealed_at",
            "appeal_reason",
            "resolution_accepted",
            "is_escalated",
            "updated_at",
        ]
    )
    event = record_event(
        ticket,
        TicketEvent.Action.APPEALED,
        by=by,
        old=old_stage,
        new=Stage.APPEALED,
        details={"reason": reason},
    )
    if ticket.status in Status.done():
        set_status(ticket, Status.OPEN, by=by, now=now)
    supervisor = _supervisor_for(ticket)
    if supervisor is not None:
        assign_ticket(ticket, agent=supervisor, by=None)
    notifications.notify_supervisors(ticket, event=event, kind=Notification.Kind.APPEAL)
    clocks.start_appeal_clock(ticket, at=now, by=by)
    return ticket


def _supervisor_for(ticket: Ticket):
    """The supervisor an appeal goes to, chosen as the SLA sweep chooses for
    an escalation; None when the queue has none."""
    candidates = escalation_candidates({ticket.queue_id}).get(ticket.queue_id, [])
    chosen = choose_supervisor(candidates, assignee=ticket.assignee_id)
    if chosen is None:
        return None
    return get_user_model().objects.get(pk=chosen.user_id)
