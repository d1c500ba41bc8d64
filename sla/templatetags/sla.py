"""SLA badges and clock panels, in the viewer's language and time zone."""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from helpdesk.dates import local_datetime
from sla import display as sla_display
from sla import explain as sla_explain
from tickets.models import TicketEvent

SLA_ACTIONS = frozenset(TicketEvent.Action.sla())

register = template.Library()


@register.simple_tag(takes_context=True)
def sla_badge(context, ticket):
    """The state of the ticket's most urgent clock with its due time, for lists."""
    now = context.get("now") or timezone.now()
    return badge_html(ticket, now, lambda: _calendar(context, ticket))


def badge_html(ticket, now, calendar, *, language=None, zone=None) -> str:
    """`sla_badge` for a ticket at `now`; `calendar()` gives the ticket's
    business calendar, asked only when there is a due time to count to. A
    list passes the page's `language` and time `zone`, read once."""
    state = sla_display.ticket_state(ticket, now)
    if state is None:
        return NO_BADGE
    language = language or get_language()
    badge = _state_badge(language, state)
    if ticket.due_at is None:
        return badge
    due = ticket.due_at.astimezone(zone) if zone else timezone.localtime(ticket.due_at)
    written = local_datetime(due, zone=due.tzinfo, language=language)
    left = sla_display.time_left(ticket, now, calendar(), language=language)
    return mark_safe(
        f'{badge} <time class="small text-nowrap" datetime="{due.isoformat()}" '
        f'title="{_due_word(language)}">{escape(written)}</time>'
        ' <span class="small text-nowrap sla-left" data-testid="time-left">'
        f"{escape(left)}</span>"
    )


NO_BADGE = mark_safe('<span class="text-body-secondary">—</span>')


# A queue's fifty badges are a few states in one language: written once each.
@lru_cache(maxsize=32)
def _state_badge(language: str, state) -> str:
    return format_html(
        '<span class="badge text-bg-{} sla-{}" data-sla-state="{}">'
        '<i class="bi bi-{}" aria-hidden="true"></i> {}</span>',
        sla_display.STATE_COLOURS[state],
        state.value,
        state.value,
        sla_display.STATE_ICONS[state],
        sla_display.STATE_LABELS[state],
    )


@lru_cache(maxsize=8)
def _due_word(language: str) -> str:
    return escape(_("Due"))


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
