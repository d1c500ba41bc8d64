"""Every figure on the supervisor dashboard links to a list of exactly the
tickets it counts: the test follows each link the page renders."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from html.parser import HTMLParser
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tickets.models import Ticket

RIYADH = zoneinfo.ZoneInfo("Asia/Riyadh")
# A Wednesday morning: the demo then has tickets on track, at risk (some
# unassigned), breached and paused, outcomes, breaches and ratings.
NOW = dt.datetime(2026, 3, 11, 11, 0, tzinfo=RIYADH)
DRILL_LIST = reverse("supervisor:tickets")


class FigureLinks(HTMLParser):
    """(href, number, where) of every link showing a whole number: its text,
    or the text of its `figure-number` part (a card also holds a label)."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, int, str]] = []
        self._link: dict | None = None
        self._in_number = False
        self._where = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-testid" in attrs:
            self._where = attrs["data-testid"]
        if tag == "a":
            self._link = {"href": attrs["href"], "text": "", "number": None}
            self._link["where"] = self._where
        elif self._link is not None and "figure-number" in (attrs.get("class") or ""):
            self._in_number = True
            self._link["number"] = ""

    def handle_data(self, data):
        if self._link is not None:
            self._link["text"] += data
            if self._in_number:
                self._link["number"] += data

    def handle_endtag(self, tag):
        if tag == "span":
            self._in_number = False
        if tag == "a" and self._link is not None:
            link, self._link = self._link, None
            text = (link["number"] or link["text"]).strip()
            if text.isdigit():
                self.links.append((link["href"], int(text), link["where"]))


def figure_links(html: str) -> list[tuple[str, int, str]]:
    parser = FigureLinks()
    parser.feed(html)
    return parser.links


def tickets_listed(client: Client, url: str) -> int:
    """How many tickets the drill-down list at `url` shows, over all its pages."""
    count = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        count += response.text.count('class="ticket-number"')
        page = response.context["page"]
        url = f"{url}&after={page.next_cursor}" if page.next_cursor else ""
    return count


@pytest.fixture(scope="module")
def supervisor(django_db_setup, django_db_blocker):
    """The demo seeded once at NOW, the clock held there, rolled back after."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        traveller = time_machine.travel(NOW, tick=False)
        clock = traveller.start()
        cache.clear()
        call_command("seed_demo", stdout=StringIO())
        user = get_user_model().objects.get(username="supervisor")
        # The supervisor looks a minute later: with the clock held still, what
        # the demo recorded would otherwise fall exactly on the period's end.
        clock.shift(dt.timedelta(minutes=1))
    yield user
    with django_db_blocker.unblock():
        traveller.stop()
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
        cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"period": "today"},
        {"period": "90"},
        {"channel": "email"},
        {"horizon": "72"},
    ],
)
def test_every_dashboard_figure_lists_exactly_the_tickets_it_counts(supervisor, query):
    client = Client()
    client.force_login(supervisor)
    page = client.get(reverse("supervisor:dashboard"), query)
    links = figure_links(page.text)

    wrong = [
        f"{where}: figure {figure}, list {listed}: {href}"
        for href, figure, where in links
        if (listed := tickets_listed(client, href)) != figure
    ]

    assert not wrong, "\n".join(wrong)
    places = {where for _href, _figure, where in links}
    assert {"backlog-at_risk", "breaches-today", "targets-table"} <= places
    assert {"agents-table", "csat-table", "volume-channels-table"} <= places
    assert all(href.startswith(DRILL_LIST) for href, _figure, _where in links)


@pytest.mark.django_db
def test_the_at_risk_figure_opens_the_tickets_at_risk_and_no_others(supervisor):
    client = Client()
    client.force_login(supervisor)
    page = client.get(reverse("supervisor:dashboard"))
    [(href, figure, _where)] = [
        link for link in figure_links(page.text) if link[2] == "backlog-at_risk"
    ]

    listed = client.get(href).context["page"].rows

    at_risk = Ticket.objects.in_clock_state("at_risk", timezone.now())
    assert figure == len(listed) == at_risk.count() > 0
    assert {ticket.pk for ticket in listed} == set(at_risk.values_list("pk", flat=True))
