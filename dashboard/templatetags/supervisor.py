"""Links from dashboard figures to the ticket lists behind them, and number
formats for the dashboard."""

from datetime import timedelta
from functools import lru_cache
from urllib.parse import urlencode

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sla import display as sla_display

register = template.Library()


# A dashboard has a couple of hundred links to the same two pages.
@lru_cache(maxsize=16)
def _path(url_name: str, prefix: str) -> str:
    return reverse(url_name)


def _list_url(url_name: str, filters, period: str, params: dict) -> str:
    # `dimension=<name> value=<v>` sets a parameter whose name is a variable.
    dimension, value = params.pop("dimension", ""), params.pop("value", "")
    if dimension:
        params[dimension] = value
    query = filters.link_params()
    if period:
        query |= filters.period_params(period)
    query |= {k: str(v) for k, v in params.items() if v not in (None, "")}
    return f"{_path(url_name, get_script_prefix())}?{urlencode(query)}"


@register.simple_tag
def drill_url(filters, period: str = "", **params) -> str:
    """The supervisor's list of exactly the tickets behind a figure: it counts
    with the figures' own conditions (every open status, each backlog state,
    SLA outcomes, breaches, response and resolution dates), which the agent
    workspace's queue filters do not."""
    return _list_url("supervisor:tickets", filters, period, params)


@register.simple_tag
def export_url(name: str, query: str) -> str:
    """The CSV download of dashboard table `name`, with the page's filters."""
    url = reverse("supervisor:export", args=[name])
    return f"{url}?{query}" if query else url


@register.filter
def minutes(value) -> str:
    """A number of minutes in words ('2 hours 5 minutes'); a dash for none."""
    if value is None:
        return "—"
    return sla_display.format_duration(timedelta(minutes=round(value)))


@register.filter
def get_item(mapping, key):
    """`mapping[key]` in a template."""
    return mapping.get(key)


def _option(user, selected: str = "") -> str:
    name = escape(user.get_full_name() or user.get_username())
    return f'<option value="{user.pk}"{selected}>{name}</option>'


@register.simple_tag(takes_context=True)
def reassign_options(context, ticket) -> str:
    """The options of a ticket's reassign menu: nobody, its assignee, then the
    other agents of its queue. Built here, each queue's once per request, not
    in a template loop: the dashboard repeats the menu on each of its 50
    at-risk rows, and with 50 agents in a queue the loop was most of the
    page's rendering time."""
    request = context.get("request")
    menus = getattr(request, "_reassign_menus", None)
    if menus is None:
        menus = {}
        if request is not None:
            request._reassign_menus = menus
    agents = menus.get(ticket.queue_id)
    if agents is None:
        # `at_risk` loads every row's choices at once; a lone ticket asks.
        choices = getattr(ticket, "assignable", None)
        if choices is None:
            choices = ticket.queue.assignable_agents()
        agents = menus[ticket.queue_id] = [
            (agent.pk, _option(agent)) for agent in choices
        ]
    nobody = escape(_("Nobody"))
    options = [f'<option value="">{nobody}</option>']
    if ticket.assignee:
        options.append(_option(ticket.assignee, " selected"))
    options.extend(html for pk, html in agents if pk != ticket.assignee_id)
    return mark_safe("".join(options))
