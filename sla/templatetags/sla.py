"""SLA badges and clock panels, in the viewer's language and time zone."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from sla import display as sla_display
from sla import explain as sla_explain
from tickets.models import TicketEvent

SLA_ACTIONS = frozenset(TicketEvent.Action.sla())

register = template.Library()


@register.simple_tag(takes_context=True)
def sla_badge(context, ticket):
    """The state of the ticket's most urgent clock with its due time, for lists."""
    now = context.get("now") or timezone.now()
    state = sla_display.ticket_state(ticket, now)
    if state is None:
        return format_html('<span class="text-body-secondary">{}</span>', "—")
    badge = format_html(
        '<span class="badge text-bg-{} sla-{}" data-sla-state="{}">'
        '<i class="bi bi-{}" aria-hidden="true"></i> {}</span>',
        sla_display.STATE_COLOURS[state],
        state.value,
        state.value,
        sla_display.STATE_ICONS[state],
        sla_display.STATE_LABELS[state],
    )
    if ticket.due_at is None:
        return badge
    due = timezone.localtime(ticket.due_at)
    return format_html(
        '{} <time class="small text-nowrap" datetime="{}" title="{}">{}</time>'
        ' <span class="small text-nowrap sla-left" data-testid="time-left">{}</span>',
        badge,
        due.isoformat(),
        _("Due"),
        date_format(due, "SHORT_DATETIME_FORMAT"),
        sla_display.time_left(ticket, now, _calendar(context, ticket)),
    )


def _calendar(context, ticket):
    """The ticket's calendar, looked up once per policy while a list renders:
    fifty rows on a few policies cost a few look-ups, never a query a row."""
    calendars = context.render_context.setdefault("sla_calendars", {})
    if ticket.sla_policy_id not in calendars:
        calendars[ticket.sla_policy_id] = sla_display.ticket_calendar(ticket)
    return calendars[ticket.sla_policy_id]


@register.simple_tag(takes_context=True)
def sla_clocks(context, ticket):
    """Every clock of the ticket: target, state, due time, business time left."""
    now = context.get("now") or timezone.now()
    return render_to_string(
        "sla/_clocks.html",
        {"clocks": sla_display.clock_views(ticket, now), "ticket": ticket},
    )


@register.filter
def duration(value):
    """A timedelta in words ('2 days 3 hours')."""
    if value is None:
        return ""
    return sla_display.format_duration(value)


@register.simple_tag
def sla_ledger(ticket):
    """'Why is it due then?': the ticket's SLA ledger in words (events prefetched)."""
    events = [e for e in ticket.events.all() if e.action in SLA_ACTIONS]
    tiers = sla_explain.tier_names() if events else {}
    entries = [(event, *sla_explain.ledger_entry(event, tiers)) for event in events]
    return render_to_string("sla/_ledger.html", {"entries": entries})


@register.filter
def without_sla(events):
    """The history without the SLA ledger, which has a section of its own."""
    return [e for e in events if e.action not in SLA_ACTIONS]
