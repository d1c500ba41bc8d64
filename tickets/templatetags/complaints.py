"""The complaint card on the agent's ticket page, and how the history reads
a complaint's changes, in the viewer's language."""

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from helpdesk.labels import choice_label
from tickets.forms import ComplaintForm
from tickets.models import Ticket, TicketEvent
from tickets.services.complaints import next_stages

register = template.Library()

Stage = Ticket.ComplaintStage


def _button_text(stage: str, current: str) -> str:
    if stage == Stage.INVESTIGATING and current == Stage.RESOLVED:
        return _("Investigate again")
    return {
        Stage.INVESTIGATING: _("Start the investigation"),
        Stage.RESOLVED: _("Resolve the complaint"),
        Stage.ACCEPTED: _("Record the customer's acceptance"),
    }[stage]


@register.simple_tag
def complaint_form(ticket: Ticket, bound=None) -> ComplaintForm:
    """The card's form: the one just submitted with its errors, else a fresh
    one made against the history the page shows (its events are prefetched,
    as the page's other forms take them)."""
    if bound:
        return bound
    events = ticket.events.all()
    seen = events[len(events) - 1].pk if events else 0
    return ComplaintForm(initial=ComplaintForm.initial_for(ticket, seen), ticket=ticket)


@register.simple_tag
def complaint_buttons(ticket: Ticket) -> list[tuple[str, str, str]]:
    """(stage, colour, text) of each stage the agent may move the complaint to."""
    colours = {
        Stage.INVESTIGATING: "outline-primary",
        Stage.RESOLVED: "success",
        Stage.ACCEPTED: "outline-secondary",
    }
    return [
        (stage, colours[stage], _button_text(stage, ticket.complaint_stage))
        for stage in next_stages(ticket)
    ]


def _root_cause_name(value) -> str:
    if not value:
        return ""
    if get_language() == "ar" and value.get("name_ar"):
        return value["name_ar"]
    return value.get("name", "")


def _severity(value) -> str:
    return choice_label(Ticket.Severity, value) if value else ""


def _stage(value) -> str:
    return choice_label(Stage, value) if value else ""


def complaint_change_summary(event: TicketEvent) -> str:
    """'Complaint updated: stage Investigating → Resolved; root cause Delay;
    corrective action written' from the event's details."""
    changes = (event.details or {}).get("changes", {})
    arrow = "←" if get_language_bidi() else "→"
    parts = []
    labelled = (
        ("stage", _("stage"), _stage),
        ("severity", _("severity"), _severity),
        ("root_cause_category", _("root cause"), _root_cause_name),
    )
    for key, label, show in labelled:
        if key not in changes:
            continue
        old, new = (show(value) for value in changes[key])
        if old and new:
            parts.append(format_html("{} {} {} {}", label, old, arrow, new))
        elif new:
            parts.append(format_html("{} {}", label, new))
        else:
            parts.append(_("%(field)s cleared") % {"field": label})
    texts = (
        ("root_cause", _("root cause details")),
        ("corrective_action", _("corrective action")),
        ("resolution_summary", _("resolution summary")),
    )
    for key, label in texts:
        if key not in changes:
            continue
        old, new = changes[key]
        if not new:
            parts.append(_("%(field)s cleared") % {"field": label})
        elif old:
            parts.append(_("%(field)s changed") % {"field": label})
        else:
            parts.append(_("%(field)s written") % {"field": label})
    if not parts:
        return event.get_action_display()
    return format_html(
        "{}: {}",
        event.get_action_display(),
        format_html_join("; ", "{}", ((part,) for part in parts)),
    )


def appeal_summary(event: TicketEvent) -> str:
    """'Appealed by the customer: <the reason, shortened>'."""
    reason = (event.details or {}).get("reason", "")
    if not reason:
        return event.get_action_display()
    return format_html("{}: {}", event.get_action_display(), truncatechars(reason, 160))
