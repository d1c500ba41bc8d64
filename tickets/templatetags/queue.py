"""The agent queue's rows, written in one pass.

Fifty rows of ten cells through the template engine (a tag or filter per
cell, a context lookup per variable) were three quarters of the queue page's
time. Here each row is one string, with what every row shares (labels in the
page's language, the link pattern, each queue's name, each person's name,
each policy's calendar) worked out once per page. The HTML is the one the
cells' own tags write (`status_badge`, `sla_badge`, …)."""

from functools import lru_cache
from html import escape
from urllib.parse import quote

from django import template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from customers.models import ServiceTier
from helpdesk.channels import Channel
from helpdesk.dates import local_datetime
from helpdesk.labels import localized_name, person_name
from sla import display as sla_display
from sla.templatetags.sla import badge_html
from tickets import reference, workspace
from tickets.models import Queue, Ticket
from tickets.templatetags.helpdesk import (
    CHANNEL_ICONS,
    PRIORITY_COLOURS,
    STATUS_COLOURS,
    label_of,
)

register = template.Library()

# Stands for the ticket number in the link pattern reversed once per page.
NUMBER = "0NUMBER0"


class _Page:
    """What the rows of one page share, each worked out the first time a row
    needs it."""

    def __init__(self):
        self.url = reverse("tickets:detail", args=[NUMBER])
        self.language = get_language()
        self.zone = timezone.get_current_timezone()
        self.calendars = {}
        self.queues = {}
        self.people = {}
        self.tiers = {}
        self.channels = {}
        self._queue_rows = None
        self._tier_rows = None

    def tier(self, tier_id: int) -> ServiceTier:
        """The tier, from the reference cache (the rows are loaded without)."""
        if self._tier_rows is None:
            self._tier_rows = {tier.pk: tier for tier in ServiceTier.objects.cached()}
        if tier_id not in self._tier_rows:
            # Added without a save the cache heard of (a bulk load): read it.
            self._tier_rows[tier_id] = ServiceTier.objects.get(pk=tier_id)
        return self._tier_rows[tier_id]

    def channel(self, channel: str) -> str:
        if channel not in self.channels:
            self.channels[channel] = (
                f'<i class="bi bi-{CHANNEL_ICONS.get(channel, "question")}" '
                f'aria-hidden="true"></i><span class="visually-hidden">'
                f"{escape(str(Channel(channel).label))}</span>"
            )
        return self.channels[channel]

    def vip(self, tier) -> str:
        if not tier.is_vip:
            return ""
        if tier.pk not in self.tiers:
            self.tiers[tier.pk] = (
                f'<span class="badge vip-badge" title="{escape(_("VIP customer"))}">'
                f"{escape(localized_name(tier))}</span>"
            )
        return self.tiers[tier.pk]

    def queue(self, queue_id: int) -> str:
        if queue_id not in self.queues:
            if self._queue_rows is None:
                self._queue_rows = {queue.pk: queue for queue in reference.queues()}
            queue = self._queue_rows.get(queue_id)
            if queue is None:  # added without a save the cache heard of
                queue = Queue.objects.get(pk=queue_id)
            self.queues[queue_id] = escape(localized_name(queue))
        return self.queues[queue_id]

    def person(self, user) -> str:
        if user is None:
            return "—"
        if user.pk not in self.people:
            self.people[user.pk] = escape(person_name(user)) or "—"
        return self.people[user.pk]

    def calendar(self, ticket: Ticket):
        if ticket.sla_policy_id not in self.calendars:
            self.calendars[ticket.sla_policy_id] = sla_display.ticket_calendar(ticket)
        return self.calendars[ticket.sla_policy_id]


# Keyed by the page's language too: `label_of` reads the active one.
@lru_cache(maxsize=64)
def _status(language: str, status: str) -> str:
    colour = STATUS_COLOURS.get(status, "secondary")
    text = " text-dark" if colour in ("warning", "info", "light") else ""
    label = escape(str(label_of(Ticket.Status, status)))
    return f'<span class="badge text-bg-{colour}{text}">{label}</span>'


@lru_cache(maxsize=64)
def _priority(language: str, priority: int) -> str:
    colour = PRIORITY_COLOURS.get(priority, "secondary")
    label = escape(str(label_of(Ticket.Priority, priority)))
    return f'<span class="badge text-bg-{colour}">{label}</span>'


def _row(ticket: Ticket, page: _Page, now, select: str) -> str:
    number = escape(ticket.number)
    customer = ticket.customer
    tier = page.tier(customer.tier_id)
    received = ticket.received_at.astimezone(page.zone)
    vip_row = ' class="vip-row"' if tier.is_vip else ""
    sla = badge_html(
        ticket,
        now,
        lambda: page.calendar(ticket),
        language=page.language,
        zone=page.zone,
    )
    return (
        f'<tr{vip_row} data-number="{number}">'
        f'<td><input class="form-check-input bulk-check" type="checkbox" '
        f'name="tickets" value="{ticket.pk}" form="bulk-form" '
        f'aria-label="{escape(select % {"number": ticket.number})}"></td>'
        f'<td><a class="ticket-number" '
        f'href="{page.url.replace(NUMBER, quote(ticket.number))}">{number}</a></td>'
        f"<td>{page.channel(ticket.channel)} {escape(ticket.subject)}</td>"
        f"<td>{escape(customer.name)} {page.vip(tier)}</td>"
        f"<td>{_status(page.language, ticket.status)}</td>"
        f"<td>{_priority(page.language, ticket.priority)}</td>"
        f'<td class="text-nowrap">{sla}</td>'
        f"<td>{page.queue(ticket.queue_id)}</td>"
        f"<td>{page.person(ticket.assignee)}</td>"
        f'<td class="text-nowrap"><time datetime="{received.isoformat()}">'
        f"{escape(local_datetime(received, zone=page.zone, language=page.language))}"
        "</time></td>"
        "</tr>\n"
    )


@register.simple_tag(takes_context=True)
def queue_rows(context, tickets):
    """The table rows of `tickets` (customers loaded with them:
    `for_queue_rows()`, assignees attached from the reference caches), at
    the page's `now`."""
    now = context.get("now") or timezone.now()
    page = _Page()
    select = _("Select %(number)s")
    return mark_safe("".join(_row(ticket, page, now, select) for ticket in tickets))


@lru_cache(maxsize=16)
def _view_tabs(language: str, prefix: str) -> tuple[str, str, tuple]:
    """What the view tabs write the same on every page in one language
    (`prefix`, the site's script prefix, is in the links): the counts'
    address, the label of the tab list and each view's link and name."""
    listing = escape(reverse("tickets:list"))
    return (
        escape(reverse("tickets:counts")),
        escape(str(_("Queue views"))),
        tuple(
            (view.key, f"{listing}?view={view.key}", escape(str(view.label)))
            for view in workspace.VIEWS
        ),
    )


@register.simple_tag
def queue_view_tabs(view, counts=None):
    """The queue's view tabs, `view` the current one, each with its count
    when `counts` are given (else "…" until they load, counted after the
    page: `queue_counts`). Written in one pass, as the rows are: through the
    template engine the six tabs cost a tenth of the queue page."""
    counts_url, label, tabs = _view_tabs(get_language(), get_script_prefix())
    trigger = "every 60s" if counts else "load, every 60s"
    items = []
    for key, href, name in tabs:
        current = key == view.key
        count = counts.get(key, "") if counts else "…"
        items.append(
            '<li class="nav-item"><a class="nav-link'
            + (' active" aria-current="page' if current else "")
            + f'" href="{href}" data-view="{key}">{name} '
            '<span class="badge rounded-pill '
            + ("text-bg-light" if current else "text-bg-secondary")
            + f'" data-testid="count-{key}">{escape(str(count))}</span></a></li>'
        )
    return mark_safe(
        f'<nav aria-label="{label}" class="mb-2" '
        f'hx-get="{counts_url}?view={view.key}" hx-trigger="{trigger}" '
        'hx-swap="outerHTML"><ul class="nav nav-pills flex-wrap" '
        f'data-testid="queue-views">{"".join(items)}</ul></nav>'
    )
