"""Presentation helpers: badges and labels for tickets, in the viewer's language."""

import datetime
from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from customers.models import Customer
from helpdesk.channels import Channel
from helpdesk.labels import choice_label, localized_name, person_name
from sla.models import SLAClock
from tickets.models import Message, Notification, Ticket, TicketEvent
from tickets.templatetags.complaints import appeal_summary, complaint_change_summary
from tickets.uploads import human_size

register = template.Library()

STATUS_COLOURS = {
    Ticket.Status.NEW: "primary",
    Ticket.Status.OPEN: "info",
    Ticket.Status.PENDING: "warning",
    Ticket.Status.RESOLVED: "success",
    Ticket.Status.CLOSED: "secondary",
}
PRIORITY_COLOURS = {
    Ticket.Priority.LOW: "light",
    Ticket.Priority.NORMAL: "secondary",
    Ticket.Priority.HIGH: "warning",
    Ticket.Priority.URGENT: "danger",
}
CHANNEL_ICONS = {
    Channel.WEB: "globe",
    Channel.EMAIL: "envelope",
    Channel.PHONE: "telephone",
    Channel.FAX: "printer",
    Channel.LETTER: "mailbox",
    Channel.CHAT: "chat-dots",
    Channel.WALK_IN: "person-walking",
}


@lru_cache(maxsize=32)
def _labels(language: str, choices) -> dict:
    """Each value's label in `language`. `get_status_display()` hashes every
    lazy label of the field on each call: a list of fifty rows paid that a
    hundred times over."""
    return {value: str(label) for value, label in choices.choices}


def label_of(choices, value) -> str:
    """The label of `value` among `choices` in the current language (the
    value itself when unknown, as `get_FOO_display` does)."""
    return _labels(get_language(), choices).get(value, value)


@register.simple_tag
def status_badge(ticket):
    colour = STATUS_COLOURS.get(ticket.status, "secondary")
    text = " text-dark" if colour in ("warning", "info", "light") else ""
    return format_html(
        '<span class="badge text-bg-{}{}">{}</span>',
        colour,
        text,
        label_of(Ticket.Status, ticket.status),
    )


@register.simple_tag
def priority_badge(ticket):
    colour = PRIORITY_COLOURS.get(ticket.priority, "secondary")
    return format_html(
        '<span class="badge text-bg-{}">{}</span>',
        colour,
        label_of(Ticket.Priority, ticket.priority),
    )


@register.simple_tag
def channel_icon(channel):
    label = Channel(channel).label
    return format_html(
        '<i class="bi bi-{}" aria-hidden="true"></i><span class="visually-hidden">{}'
        "</span>",
        CHANNEL_ICONS.get(channel, "question"),
        label,
    )


@register.simple_tag
def vip_badge(customer: Customer):
    if not customer.tier.is_vip:
        return ""
    return format_html(
        '<span class="badge vip-badge" title="{}">{}</span>',
        _("VIP customer"),
        localized_name(customer.tier),
    )


register.filter("localized_name", localized_name)
# Full name, else login name: `{{ ticket.assignee|display_name|default:"—" }}`.
register.filter("display_name", person_name)
# Sizes as people write them in either language ("10 MB", not "10,0 م.ب").
register.filter("file_size", human_size)


EVENT_CHOICES = {
    TicketEvent.Action.STATUS: Ticket.Status,
    TicketEvent.Action.KIND: Ticket.Kind,
    TicketEvent.Action.CHANNEL: Channel,
    TicketEvent.Action.MESSAGE: Message.Direction,
}


def _queue_in_details(details: dict) -> str:
    """A queue named in an event's details, in the reader's language."""
    if get_language() == "ar" and details.get("queue_ar"):
        return details["queue_ar"]
    return details.get("queue", "")


def memo_summary(event: TicketEvent) -> str:
    """A memo's line of history: sent, answered or overdue (details["event"])."""
    details = event.details or {}
    values = {
        "number": details.get("number", ""),
        "queue": _queue_in_details(details),
    }
    what = details.get("event")
    if what == "sent":
        return _("Memo %(number)s sent to %(queue)s") % values
    if what == "answered":
        return _("Memo %(number)s answered by %(queue)s") % values
    if what == "overdue":
        return _("Memo %(number)s to %(queue)s is overdue") % values
    return str(event.get_action_display())


@register.simple_tag
def event_summary(event: TicketEvent):
    """One readable line: 'Status changed: New → Open'."""
    choices = EVENT_CHOICES.get(event.action)
    old, new = event.old_value, event.new_value
    if event.action == TicketEvent.Action.MEMO:
        return memo_summary(event)
    if event.action == TicketEvent.Action.COMPLAINT:
        return complaint_change_summary(event)
    if event.action == TicketEvent.Action.APPEALED:
        return appeal_summary(event)
    if event.action == TicketEvent.Action.MERGED:
        if old:
            return _("Merged: %(number)s was merged into this ticket") % {"number": old}
        return _("Merged into %(number)s") % {"number": new}
    if event.action == TicketEvent.Action.EMAIL_FAILED:
        return _("The email to %(address)s was not delivered: %(reason)s") % {
            "address": old,
            "reason": new,
        }
    if event.action == TicketEvent.Action.EMAIL_ADDRESS:
        if new:
            return _("%(address)s may write by email") % {"address": new}
        return _("%(address)s may no longer write by email") % {"address": old}
    if event.action == TicketEvent.Action.LETTER:
        return letter_summary(event.details or {})
    if event.action == TicketEvent.Action.PRIORITY:
        old = choice_label(Ticket.Priority, int(old)) if old.isdigit() else old
        new = choice_label(Ticket.Priority, int(new)) if new.isdigit() else new
    elif choices is not None:
        old = choice_label(choices, old) if old else old
        new = choice_label(choices, new) if new else new
    elif "names" in (event.details or {}):
        # A queue or category: its name in the reader's language.
        arabic = get_language() == "ar"
        old, new = (
            (name_ar if arabic and name_ar else name)
            for name, name_ar in event.details["names"]
        )
    # Not get_action_display(): it hashes every label of the long choice
    # list, on each of the page's events.
    action = choice_label(TicketEvent.Action, event.action)
    if old and new:
        # The arrow points from the old value to the new in the reading direction.
        arrow = "←" if get_language_bidi() else "→"
        return format_html("{}: {} {} {}", action, old, arrow, new)
    if new:
        return format_html("{}: {}", action, new)
    return action


def letter_summary(details: dict) -> str:
    """What happened to a letter (letters app), from its event's details."""
    values = {
        "subject": details.get("subject", ""),
        "number": details.get("number", ""),
    }
    sentences = {
        "written": _("Letter “%(subject)s” written"),
        "submitted": _("Letter “%(subject)s” sent for approval"),
        "approved": _("Letter “%(subject)s” approved"),
        "returned": _("Letter “%(subject)s” returned for changes"),
        "dispatched": _("Letter “%(subject)s” dispatched as %(number)s"),
        "delivered": _("Letter %(number)s delivered"),
    }
    sentence = sentences.get(details.get("event"))
    return sentence % values if sentence else str(TicketEvent.Action.LETTER.label)


@register.simple_tag
def notification_sentence(notification):
    """What happened, in one sentence: 'First response on HD-… is breached.'"""
    event = notification.event
    ticket = notification.ticket
    target = choice_label(SLAClock.Target, event.sla_target) if event.sla_target else ""
    if notification.kind == Notification.Kind.WARNING:
        return _("%(target)s on %(number)s has used %(percent)s%% of its time.") % {
            "target": target,
            "number": ticket.number,
            "percent": event.new_value,
        }
    if notification.kind == Notification.Kind.BREACH:
        return _("%(target)s on %(number)s is breached.") % {
            "target": target,
            "number": ticket.number,
        }
    if notification.kind == Notification.Kind.DELIVERY_FAILED:
        return _("An email on %(number)s did not reach %(address)s: %(reason)s") % {
            "number": ticket.number,
            "address": event.old_value,
            "reason": event.new_value,
        }
    if notification.kind == Notification.Kind.MEMO:
        return memo_sentence(notification, target)
    if notification.kind == Notification.Kind.APPROVAL:
        return _("A letter on %(number)s awaits your approval.") % {
            "number": ticket.number
        }
    if notification.kind == Notification.Kind.APPEAL:
        return _("%(customer)s appealed the resolution of complaint %(number)s.") % {
            "number": ticket.number,
            "customer": ticket.customer.name,
        }
    if notification.kind in PERSONAL_KINDS:
        return personal_sentence(notification)
    if notification.kind == Notification.Kind.LOW_RATING:
        return _("%(customer)s rated %(number)s %(rating)s out of 5: follow up.") % {
            "number": ticket.number,
            "customer": ticket.customer.name,
            "rating": event.new_value,
        }
    if notification.kind == Notification.Kind.COMPLAINT:
        return _("A new complaint, %(number)s, from %(customer)s.") % {
            "number": ticket.number,
            "customer": ticket.customer.name,
        }
    return _("%(number)s breached its service level and was escalated to you.") % {
        "number": ticket.number
    }


PERSONAL_KINDS = frozenset(
    {
        Notification.Kind.ASSIGNED,
        Notification.Kind.REPLY,
        Notification.Kind.MENTION,
    }
)


def personal_sentence(notification) -> str:
    """A notification about you in particular: a ticket given to you, the
    customer's reply on your ticket, your name in a colleague's note."""
    event, ticket = notification.event, notification.ticket
    values = {"number": ticket.number}
    if event.actor_id is not None:
        values["actor"] = person_name(event.actor)
    if notification.kind == Notification.Kind.ASSIGNED:
        if "actor" not in values:
            return _("%(number)s was assigned to you.") % values
        return _("%(actor)s assigned %(number)s to you.") % values
    if notification.kind == Notification.Kind.REPLY:
        return _("%(customer)s replied on %(number)s.") % (
            values | {"customer": ticket.customer.name}
        )
    if "actor" not in values:
        return _("You were mentioned in a note on %(number)s.") % values
    return _("%(actor)s mentioned you in a note on %(number)s.") % values


def memo_sentence(notification, target: str) -> str:
    """A memo notification: sent to your queue, answered, or overdue (the
    sweep names the memo clock's breach)."""
    event, ticket = notification.event, notification.ticket
    details = event.details or {}
    values = {
        "number": details.get("number") or details.get("reference", ""),
        "queue": _queue_in_details(details),
        "ticket": ticket.number,
    }
    if event.action == TicketEvent.Action.SLA_BREACH:
        return _("Your memo on %(ticket)s is overdue: %(target)s is breached.") % (
            values | {"target": target}
        )
    if details.get("event") == "answered":
        return _("Memo %(number)s on %(ticket)s was answered by %(queue)s.") % values
    return _("Memo %(number)s on %(ticket)s awaits an answer from %(queue)s.") % values


@register.filter
def get_item(mapping, key):
    """`mapping[key]` in a template, empty when missing."""
    return mapping.get(key, "") if mapping else ""


@register.filter
def iso_date(value):
    """A date kept as ISO text (in a message's details) as a date, for the
    `date` filter; unreadable text is shown as it is."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
