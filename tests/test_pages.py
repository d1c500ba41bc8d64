"""Every page of the site, for every role, with the demo loaded at pinned
moments, in English and Arabic: a page may answer, send elsewhere, refuse or
not exist, but it never fails with a 500.

The URLs come from the URL configuration itself, so a new page is swept as
soon as it exists; a path parameter this file cannot fill fails the sweep
with a message naming it (add a filler to `FILLERS` below)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from customers.models import Customer
from customers.signin import make_token
from feedback.models import FollowUp
from knowledge.models import Article, ArticleFile
from letters.models import Letter, LetterTemplate
from letters.services import start_letter
from mail.models import TicketAddress
from policies.models import Policy
from policies.services import acknowledge
from sla.models import BusinessCalendar, Holiday, SLAPolicy
from tickets.models import Attachment, Notification, SavedView, Ticket
from tone.models import Phrase
from webhooks.models import Delivery, Subscription

RIYADH = zoneinfo.ZoneInfo("Asia/Riyadh")

# None: noon on the first working-day public holiday of the demo calendar,
# read from the database (the holidays are imported for the current years).
MOMENTS = {
    "weekday-noon": dt.datetime(2026, 3, 10, 12, 0, tzinfo=RIYADH),  # a Tuesday
    "friday-23:59": dt.datetime(2026, 3, 13, 23, 59, tzinfo=RIYADH),
    "public-holiday": None,
    # A Wednesday morning when two unassigned demo tickets are at risk (after
    # Ramadan, whose shorter hours the demo calendar keeps by Hijri date).
    "at-risk-unassigned": dt.datetime(2026, 4, 8, 11, 0, tzinfo=RIYADH),
}
ROLES = ["anonymous", "customer", "agent", "supervisor", "administrator"]
LANGUAGES = ["en", "ar"]

# Sending elsewhere, refusing, not finding, refusing the method (a GET on a
# POST-only action) and a page explaining a bad link (an expired sign-in
# link answers 400) are all answers; a 500 is not.
ANSWERS = {200, 204, 301, 302, 303, 307, 308, 400, 401, 403, 404, 405}
MISSING = "HD-1999-999999"
ODD = "a\x00b"  # PostgreSQL refuses NUL: the site must refuse it first
NO_ID = "999999999"
ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
REGEX = re.compile(r"[\^$()*+?\\[]")

# Query strings worth a sweep of their own: states a bare URL does not reach.
EXTRA_QUERIES = {
    "supervisor:dashboard": [
        "wall=1",
        "period=today&horizon=72",
        "period=90",
        "period=custom&date_from=2026-01-01&date_to=2026-03-31",
    ],
    "supervisor:tickets": [
        "status=open&sla_state=at_risk",
        "outcome=any&target=first_response",
        "rated_after=2026-01-01&rating=5",
    ],
    "tickets:list": [
        *(f"view={key}" for key in ("mine", "unassigned", "vip", "attention")),
        "view=pending",
        "sla=at_risk&status=new&status=open",
    ],
    "tickets:search": ["q=invoice", "q=\u0641\u0627\u062a\u0648\u0631\u0629", "q=%00"],
    "tickets:customer_lookup": ["q=customer1", "q=050"],
    "api:ticket-list": ["page=2", "status=open"],
}

# Patterns without a name cannot be reversed: those with route parameters are
# filled in place; a regular expression is listed here with a URL to try.
UNNAMED = {"admin/(?P<url>.*)$": "/admin/no-such-page/"}


@dataclass
class Demo:
    """The demo at one moment: who plays each role and which rows they may see."""

    moment: str
    now: dt.datetime
    users: dict[str, object]
    visible: dict[str, Ticket | None]
    hidden: dict[str, Ticket | None]
    extra: dict[str, str] = field(default_factory=dict)


def _first_holiday_noon() -> dt.datetime:
    holidays = Holiday.objects.order_by("date").values_list("date", flat=True)
    # Friday and Saturday are the weekend anyway; a holiday matters on a workday.
    day = next(day for day in holidays if day.weekday() not in (4, 5))
    return dt.datetime.combine(day, dt.time(12), tzinfo=RIYADH)


def _load_demo(moment: str, now: dt.datetime) -> Demo:
    call_command("seed_demo", stdout=StringIO())
    users = get_user_model().objects
    admin_user = users.create_superuser("sweep-admin", "admin@example.com", "x")
    # Made after the demo, whose staff acknowledged its policies: so do they,
    # or every page would lead to the acknowledgement.
    in_force = Policy.objects.in_force().select_related("current_version")
    acknowledge(admin_user, [p.current_version for p in in_force], now=now)
    customer = users.get(username="customer1@example.com")
    agent = users.get(username="agent1")
    supervisor = users.get(username="supervisor")
    SavedView.objects.create(user=agent, name="Mine", query="view=mine")
    role_users = {
        "anonymous": None,
        "customer": customer,
        "agent": agent,
        "supervisor": supervisor,
        "administrator": admin_user,
    }
    everything = Ticket.objects.order_by("pk")
    visible, hidden = {}, {}
    for role, user in role_users.items():
        mine = everything.visible_to(user) if user else everything.none()
        visible[role] = mine.first() or everything.first()
        hidden[role] = everything.exclude(pk__in=mine.values("pk")).first()
    return Demo(moment, now, role_users, visible, hidden)


@pytest.fixture(scope="module", params=list(MOMENTS))
def demo(request, django_db_setup, django_db_blocker) -> Iterator[Demo]:
    """The demo seeded at one pinned moment, once for every test of the moment,
    the clock held there, and every row rolled back afterwards."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        now = MOMENTS[request.param] or _first_holiday_noon()
        traveller = time_machine.travel(now, tick=False)
        traveller.start()
        cache.clear()
        data = _load_demo(request.param, now)
        if request.param == "at-risk-unassigned":
            at_risk = Ticket.objects.in_clock_state("at_risk", now)
            assert at_risk.filter(assignee=None).exists(), (
                "no unassigned ticket at risk"
            )
    yield data
    with django_db_blocker.unblock():
        traveller.stop()
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
        cache.clear()


# How each path parameter is filled: a function of (URL name, role, demo)
# returning the values to try. Tickets are one the role may see, one it may
# not (if the demo has one) and one that does not exist.


def _numbers(name, role, demo):
    if name == "knowledge:version":
        return ["1", "999"]
    tickets = (demo.visible[role], demo.hidden[role])
    return [t.number for t in tickets if t] + [MISSING, ODD]


def _tokens(name, role, demo):
    if name == "portal:sign_in_confirm":
        return [make_token("customer1@example.com"), "not-a-token"]
    if name == "password_reset_confirm":
        user = demo.users["customer"]
        return [default_token_generator.make_token(user), "set-password"]
    tickets = (demo.visible[role], demo.hidden[role])
    return [t.tracking_token for t in tickets if t] + ["not-a-token", ODD]


def _uidb64(name, role, demo):
    user = demo.users["customer"]
    return [urlsafe_base64_encode(force_bytes(user.pk)), "MQ"]


def _ids(queryset):
    return [str(pk) for pk in queryset.order_by("pk").values_list("pk", flat=True)[:1]]


def _pks(name, role, demo):
    ticket, other = demo.visible[role], demo.hidden[role]
    if name.startswith("tickets:customer_"):
        customers = Customer.objects.filter(
            tickets__in=[t.pk for t in (ticket, other) if t]
        ).distinct()
        return [str(pk) for pk in customers.values_list("pk", flat=True)] + [NO_ID]
    if name == "api:customer-detail":
        return _ids(Customer.objects.all()) + [NO_ID]
    if name == "api:attachment-download":
        return _ids(Attachment.objects.all()) + [NO_ID]
    if name == "tickets:saved_view_delete":
        return _ids(SavedView.objects.all()) + [NO_ID]
    if name == "tickets:notification_read":
        return _ids(Notification.objects.all()) + [NO_ID]
    if name == "mail:address_remove":
        return _ids(TicketAddress.objects.all()) + [NO_ID]
    if name in ("attachment", "portal:track_attachment"):
        return _ids(Attachment.objects.all()) + [NO_ID]
    if name in ("sla:policy_edit", "sla:policy_preview"):
        return _ids(SLAPolicy.objects.all()) + [NO_ID]
    if name == "sla:calendar_edit":
        return _ids(BusinessCalendar.objects.all()) + [NO_ID]
    if name.startswith("integration"):
        accounts = get_user_model().objects.filter(integration_queues__isnull=False)
        return _ids(accounts) + [NO_ID]
    if name == "feedback:done":
        return _ids(FollowUp.objects.all()) + [NO_ID]
    if name.startswith(("webhooks:", "api:webhook")):
        if not Subscription.objects.exists():
            subscription = Subscription.objects.create(
                owner=demo.users["supervisor"],
                name="CRM",
                url="https://hooks.example.com/helpdesk",
                events=["ticket.created", "ticket.sla_breach"],
            )
            Delivery.objects.create(
                subscription=subscription,
                event_type="ticket.created",
                ticket_number=Ticket.objects.order_by("pk")[0].number,
                attempts=1,
                response_code=500,
                error="HTTP 500: Internal Server Error",
            )
        return _ids(Subscription.objects.all()) + [NO_ID]
    if name.startswith("tone:phrase_"):
        return _ids(Phrase.objects.all()) + [NO_ID]
    if name == "articles:file":
        return _ids(ArticleFile.objects.all()) + [NO_ID]
    if name.startswith("knowledge:"):
        return _ids(Article.objects.filter(visibility="internal")) + [NO_ID]
    if name.startswith("letters:"):
        if not Letter.objects.exists():  # until the demo writes one itself
            template = LetterTemplate.objects.get(
                kind="acknowledgement", language="ar", is_active=True
            )
            start_letter(demo.visible["agent"], template, by=demo.users["agent"])
        return _ids(Letter.objects.all()) + [NO_ID]
    raise LookupError


def _slugs(name, role, demo):
    if not name.startswith("articles:"):
        return ["response-times", "no-such-policy"]  # a service policy's
    # A public article, an internal one and one that does not exist.
    articles = Article.objects.order_by("visibility", "pk")
    return [
        *articles.filter(visibility="public").values_list("slug", flat=True)[:1],
        *articles.filter(visibility="internal").values_list("slug", flat=True)[:1],
        "no-such-article",
    ]


def _export_names(name, role, demo):
    tables = ["backlog", "targets", "breaches", "at-risk", "csat", "agents"]
    return [*tables, "volume-channels", "volume-categories", "no-such-table"]


def _admin_model(name):
    """The model of an admin URL name such as `admin:tickets_ticket_change`
    (or of an unnamed admin pattern such as `admin/tickets/ticket/<...>/`)."""
    for model in admin.site._registry:
        app, model_name = model._meta.app_label, model._meta.model_name
        if name.startswith(
            (f"admin:{app}_{model_name}_", f"admin/{app}/{model_name}/")
        ):
            return model
    raise LookupError


def _object_ids(name, role, demo):
    if name == "admin:view_on_site":
        return _ids(Ticket.objects.all())
    return _ids(_admin_model(name)._default_manager.all()) + [NO_ID]


def _user_ids(name, role, demo):
    return _ids(get_user_model().objects.filter(is_superuser=False)) + [NO_ID]


def _app_labels(name, role, demo):
    return sorted({model._meta.app_label for model in admin.site._registry})


def _content_types(name, role, demo):
    return [str(ContentType.objects.get_for_model(Ticket).pk)]


def _token_keys(name, role, demo):
    return ["hd_nosuchkey"]


FILLERS = {
    "number": _numbers,
    "token_key": _token_keys,
    "slug": _slugs,
    "token": _tokens,
    "uidb64": _uidb64,
    "pk": _pks,
    "name": _export_names,
    "object_id": _object_ids,
    "id": _user_ids,
    "app_label": _app_labels,
    "content_type_id": _content_types,
}


@dataclass(frozen=True)
class Route:
    name: str | None
    pattern: str
    params: tuple[str, ...]


def _routes(patterns=None, prefix="", namespace="") -> Iterator[Route]:
    """Every URL pattern of the site, with its full pattern and parameters."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _routes(entry.url_patterns, pattern, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            regex = entry.pattern.regex.groupindex
            yield Route(name, pattern, tuple(regex))


def _fill_route(pattern: str, kwargs: dict[str, str]) -> str:
    return "/" + ROUTE_PARAMETER.sub(lambda match: kwargs[match[1]], pattern)


def _urls(route: Route, role: str, demo: Demo) -> list[str]:
    """The URLs to try for `route` as `role`; raises LookupError if it cannot."""
    if route.pattern in UNNAMED:
        return [UNNAMED[route.pattern]]
    if route.name is None and REGEX.search(route.pattern):
        raise LookupError(f"unnamed pattern {route.pattern!r}: add it to UNNAMED")
    values = {}
    for param in route.params:
        try:
            values[param] = FILLERS[param](route.name or route.pattern, role, demo)
        except LookupError:
            raise LookupError(
                f"cannot fill <{param}> of {route.pattern!r} ({route.name}): "
                "add a filler to FILLERS in tests/test_pages.py"
            ) from None
    count = max((len(v) for v in values.values()), default=1)
    # An unnamed route (such as the admin's old-style object URL) is filled in place.
    urls = []
    for n in range(count):
        kwargs = {param: v[n % len(v)] for param, v in values.items()}
        if route.name is None:
            urls.append(_fill_route(route.pattern, kwargs))
            continue
        try:
            urls.append(reverse(route.name, kwargs=kwargs))
        except NoReverseMatch as error:
            raise LookupError(f"cannot fill {route.name} with {kwargs}") from error
    extra = EXTRA_QUERIES.get(route.name, [])
    return urls + [f"{urls[0]}?{query}" for query in extra]


def _client(user, language: str) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def _get(client: Client, url: str, language: str) -> str | None:
    """What is wrong with GET `url`, or None."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    problem = None
    if getattr(response, "streaming", False):
        try:
            b"".join(response.streaming_content)
        except Exception as error:  # noqa: BLE001 - reported, not hidden
            problem = f"streaming failed: {error!r}"
    if response.status_code not in ANSWERS:
        problem = f"answered {response.status_code}"
    elif (
        response.status_code == 200
        and "text/html" in response.get("Content-Type", "")
        and response.get("Content-Language") != language
    ):
        problem = f"answered in {response.get('Content-Language')!r}"
    if problem and getattr(response, "exc_info", None):
        problem += f": {response.exc_info[1]!r}"
    return problem


def sweep(demo: Demo, role: str, language: str, admin_pages: bool) -> list[str]:
    """GET every URL (the admin's own, or all the others) as `role`."""
    failures = []
    routes = [r for r in _routes() if r.pattern.startswith("admin/") == admin_pages]
    assert routes
    # Each sweep starts within the rate limits: with the clock held, one
    # role's calls to the API in English and then Arabic would add up past
    # its per-minute limit and be answered 429.
    cache.clear()
    # One signed-in client for the whole sweep: signing in again for each of
    # some 300 URLs took most of the sweep's time, and no GET signs out.
    client = _client(demo.users[role], language)
    for route in routes:
        try:
            urls = _urls(route, role, demo)
        except LookupError as error:
            failures.append(str(error))
            continue
        for url in urls:
            problem = _get(client, url, language)
            if problem:
                failures.append(f"{demo.moment} {role} {language} GET {url} {problem}")
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_no_page_fails_for_any_role(demo, role, language):
    failures = sweep(demo, role, language, admin_pages=False)

    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["administrator", "supervisor", "anonymous"])
def test_no_admin_page_fails(demo, role, language):
    failures = sweep(demo, role, language, admin_pages=True)

    assert not failures, "\n".join(failures)


def test_a_pattern_without_a_filler_fails_with_its_name():
    # (Policies fill <slug> now: a parameter no page has.)
    route = Route("tickets:detail", "agent/tickets/<str:flavour>/", ("flavour",))

    with pytest.raises(LookupError, match="cannot fill <flavour> of"):
        _urls(route, "agent", None)
