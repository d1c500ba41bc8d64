"""Every page in a real browser, for every role, in Arabic and English, on a
phone (390 px) and a desktop (1440 px): the page never scrolls sideways,
logs no error, loads all its assets, and in Arabic runs right to left with no
interface text left in English.

The pages come from the URL configuration: a named route is either a page
below (with the roles that open it) or excluded with a reason, so a new page
fails `test_every_route_is_a_page_or_excluded` until it is listed. A
full-page screenshot of each page is kept under $BROWSER_SCREENSHOTS
(default var/screenshots/<role>/<lang>-<width>-<page>.png, ignored by git).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, models
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import trans_real
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from customers.models import Customer
from customers.signin import make_token
from demo.correspondence import MEMO_ON
from knowledge.models import Article
from letters.models import Letter
from memos.models import Memo
from sla.models import BusinessCalendar, SLAPolicy
from tickets.models import Ticket
from tone.models import Phrase
from webhooks.models import Subscription

from .conftest import CHROMIUM, CHROMIUM_ARGS, demo_noon

pytestmark = pytest.mark.browser

PASSWORD = "browser-every-page"
SCREENSHOTS = Path(
    os.environ.get("BROWSER_SCREENSHOTS") or settings.BASE_DIR / "var" / "screenshots"
)
LANGUAGES = ("ar", "en")
WIDTHS = (390, 1440)
HEIGHT = 900
# The demo has no administrator (a superuser); the admin site is Django's own.
ROLES = ("anonymous", "customer", "agent", "supervisor")
SIGN_IN = {"agent": "agent1", "supervisor": "supervisor", "customer": "customer1"}

ARABIC_COMPLAINT = "تأخر شحنة الطلب رقم 4471"  # customer1's, agent1's
ENGLISH_INQUIRY = "Bulk order discount"  # Sarah's, in agent1's queue
ANSWERED_REQUEST = "طلب فاتورة ضريبية مفصلة"  # customer1's, with a reply


def _ticket(subject: str) -> Ticket:
    return Ticket.objects.get(subject=subject)


def _customer_user():
    return Customer.objects.get(email="customer1@example.com").user


def _webhook() -> Subscription:
    return Subscription.objects.order_by("pk").first()  # the demo's CRM


def _article(title: str = "استرداد المبلغ بعد إلغاء الطلب") -> Article:
    return Article.objects.get(title=title)


def _letter() -> Letter:
    return Letter.objects.select_related("ticket").order_by("pk").first()


@dataclass(frozen=True)
class Page:
    name: str  # the URL name
    roles: tuple[str, ...]
    path: Callable[[], str] | None = None  # for URLs with parameters
    label: str = ""  # the page's part of the test id, when the name is shared

    @property
    def slug(self) -> str:
        return self.label or self.name.replace(":", "-").replace("_", "-")

    def url(self) -> str:
        return self.path() if self.path else reverse(self.name)


ANONYMOUS = ("anonymous",)
CUSTOMER = ("customer",)
SIGNED_IN = ("customer", "agent", "supervisor")
STAFF = ("agent", "supervisor")
AGENT = ("agent",)
SUPERVISOR = ("supervisor",)

PAGES = [
    # Anyone.
    Page("home", ANONYMOUS),
    Page("login", ANONYMOUS),
    Page("password_reset", ANONYMOUS),
    Page("password_reset_done", ANONYMOUS),
    Page(
        "password_reset_confirm",
        ANONYMOUS,
        lambda: reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(_customer_user().pk)),
                "token": default_token_generator.make_token(_customer_user()),
            },
        ),
    ),
    Page("password_reset_complete", ANONYMOUS),
    Page("portal:new", ("anonymous", "customer")),
    Page(
        "portal:track",
        ANONYMOUS,
        lambda: reverse(
            "portal:track", args=[_ticket(ARABIC_COMPLAINT).tracking_token]
        ),
    ),
    Page(
        "portal:received",
        ANONYMOUS,
        lambda: reverse(
            "portal:received", args=[_ticket(ENGLISH_INQUIRY).tracking_token]
        ),
    ),
    Page("portal:sign_in", ANONYMOUS),
    Page("articles:list", ("anonymous", "customer")),
    Page(
        "articles:detail",
        ANONYMOUS,
        lambda: reverse("articles:detail", args=[_article().slug]),
    ),
    Page(
        "articles:detail",
        ANONYMOUS,
        lambda: reverse(
            "articles:detail", args=[_article("How to follow your request").slug]
        ),
        label="articles-detail-english",
    ),
    Page("portal:sign_in_sent", ANONYMOUS),
    Page(
        "portal:sign_in_confirm",
        ANONYMOUS,
        lambda: reverse(
            "portal:sign_in_confirm", args=[make_token("customer1@example.com")]
        ),
    ),
    # Everyone signed in.
    Page("preferences", SIGNED_IN),
    Page("password_change", SIGNED_IN),
    Page("password_change_done", SIGNED_IN),
    # Staff.
    Page("api_tokens", STAFF),
    Page("integrations", SUPERVISOR),
    Page(
        "integration_detail",
        SUPERVISOR,
        lambda: reverse(
            "integration_detail",
            args=[get_user_model().objects.get(username="e-services-portal").pk],
        ),
    ),
    # Customers.
    Page("portal:list", CUSTOMER),
    Page(
        "portal:detail",
        CUSTOMER,
        lambda: reverse("portal:detail", args=[_ticket(ARABIC_COMPLAINT).number]),
    ),
    Page(
        "portal:detail",
        CUSTOMER,
        lambda: reverse("portal:detail", args=[_ticket(ANSWERED_REQUEST).number]),
        label="portal-detail-answered",
    ),
    # Agents and supervisors.
    Page("tickets:list", STAFF),
    Page(
        "tickets:detail",
        STAFF,
        lambda: reverse("tickets:detail", args=[_ticket(ARABIC_COMPLAINT).number]),
        label="ticket-complaint",
    ),
    Page(
        "tickets:detail",
        AGENT,
        lambda: reverse("tickets:detail", args=[_ticket(ENGLISH_INQUIRY).number]),
        label="ticket-english",
    ),
    Page(
        "tickets:detail",
        AGENT,
        lambda: reverse("tickets:detail", args=[_ticket(MEMO_ON).number]),
        label="ticket-memo",
    ),
    Page(
        "tickets:detail",
        SUPERVISOR,
        lambda: reverse("tickets:detail", args=[_letter().ticket.number]),
        label="ticket-letter",
    ),
    Page("tickets:search", AGENT, lambda: reverse("tickets:search") + "?q=فاتورة"),
    Page("tickets:log", AGENT),
    Page(
        "tickets:customer_detail",
        AGENT,
        lambda: reverse("tickets:customer_detail", args=[_customer_user().customer.pk]),
    ),
    Page(
        "tickets:customer_edit",
        AGENT,
        lambda: reverse("tickets:customer_edit", args=[_customer_user().customer.pk]),
    ),
    Page("tickets:notifications", AGENT),
    Page("policies:list", STAFF),
    Page(
        "policies:detail",
        STAFF,
        lambda: reverse("policies:detail", args=["response-times"]),
    ),
    Page("memos:list", AGENT),
    Page("registers:list", AGENT),
    Page("knowledge:list", STAFF),
    Page("knowledge:new", AGENT),
    Page(
        "knowledge:detail",
        AGENT,
        lambda: reverse("knowledge:detail", args=[_article().pk]),
    ),
    Page(
        "knowledge:edit",
        AGENT,
        lambda: reverse("knowledge:edit", args=[_article().pk]),
    ),
    # Supervisors.
    Page(
        "memos:answer",
        SUPERVISOR,
        lambda: reverse("memos:answer", args=[Memo.objects.get().number]),
    ),
    Page(
        "letters:edit",
        SUPERVISOR,
        lambda: reverse("letters:edit", args=[_letter().ticket.number, _letter().pk]),
    ),
    Page("letters:approvals", SUPERVISOR),
    Page("tone:phrases", SUPERVISOR),
    Page(
        "tone:phrase_edit",
        SUPERVISOR,
        lambda: reverse("tone:phrase_edit", args=[Phrase.objects.order_by("pk")[0].pk]),
    ),
    Page("supervisor:dashboard", SUPERVISOR),
    Page("articles_stale", SUPERVISOR),
    Page(
        "knowledge:version",
        SUPERVISOR,
        lambda: reverse("knowledge:version", args=[_article().pk, 1]),
    ),
    Page("supervisor:wall", SUPERVISOR),
    Page("supervisor:tickets", SUPERVISOR),
    Page("supervisor:complaints", SUPERVISOR),
    Page("supervisor:voice", SUPERVISOR),
    Page("feedback:list", SUPERVISOR),
    Page("policies:new", SUPERVISOR),
    Page(
        "policies:edit",
        SUPERVISOR,
        lambda: reverse("policies:edit", args=["response-times"]),
    ),
    Page("sla_settings", SUPERVISOR),
    Page("sla:policy_create", SUPERVISOR),
    Page(
        "sla:policy_edit",
        SUPERVISOR,
        lambda: reverse(
            "sla:policy_edit", args=[SLAPolicy.objects.order_by("pk")[0].pk]
        ),
    ),
    Page("webhooks:list", SUPERVISOR),
    Page("webhooks:create", SUPERVISOR),
    Page(
        "webhooks:detail",
        SUPERVISOR,
        lambda: reverse("webhooks:detail", args=[_webhook().pk]),
    ),
    Page(
        "webhooks:edit",
        SUPERVISOR,
        lambda: reverse("webhooks:edit", args=[_webhook().pk]),
    ),
    Page("sla:calendar_create", SUPERVISOR),
    Page(
        "sla:calendar_edit",
        SUPERVISOR,
        lambda: reverse(
            "sla:calendar_edit", args=[BusinessCalendar.objects.order_by("pk")[0].pk]
        ),
    ),
]

POST_ONLY = "an action (POST only): its form is on another page"
FRAGMENT = "an htmx fragment inside a page listed above"
DOWNLOAD = "a download, not a page"
MACHINE = "for other systems (JSON, plain text), not people"
EXCLUDED = {
    "healthz": MACHINE,
    "liveness": MACHINE,
    "mail:inbound_email": MACHINE,
    "api_token_revoke": POST_ONLY,
    "integration_token_create": POST_ONLY,
    "integration_token_revoke": POST_ONLY,
    "schema": MACHINE,
    "docs": "Swagger UI's own page, in English only",
    "logout": POST_ONLY,
    "hijri_toggle": POST_ONLY,
    "set_language": POST_ONLY,
    "tickets:saved_view_create": POST_ONLY,
    "tickets:saved_view_delete": POST_ONLY,
    "tickets:reply": POST_ONLY,
    "tickets:note": POST_ONLY,
    "tickets:log_contact": POST_ONLY,
    "tickets:properties": POST_ONLY,
    "tickets:merge": POST_ONLY,
    "tickets:complaint": POST_ONLY,
    "tickets:upload": POST_ONLY,
    "tickets:notification_read": POST_ONLY,
    "tickets:presence": POST_ONLY,
    "tone:check": "the composers' tone check (POST only), an htmx-style fragment",
    "tone:phrase_delete": POST_ONLY,
    "tickets:notifications_read_all": POST_ONLY,
    "portal:track_reply": POST_ONLY,
    "portal:track_close": POST_ONLY,
    "portal:track_rate": POST_ONLY,
    "portal:track_accept": POST_ONLY,
    "portal:track_appeal": POST_ONLY,
    "portal:reply": POST_ONLY,
    "portal:close": POST_ONLY,
    "portal:rate": POST_ONLY,
    "portal:accept": POST_ONLY,
    "portal:appeal": POST_ONLY,
    "sla:policy_preview": POST_ONLY,
    "webhooks:pause": POST_ONLY,
    "webhooks:resume": POST_ONLY,
    "webhooks:delete": POST_ONLY,
    "webhooks:test": POST_ONLY,
    "webhooks:secret": POST_ONLY,
    "webhooks:rotate": POST_ONLY,
    "sla:policy_preview_new": POST_ONLY,
    "supervisor:assign": POST_ONLY,
    "mail:address_add": POST_ONLY,
    "mail:address_remove": POST_ONLY,
    "memos:send": POST_ONLY,
    "letters:new": POST_ONLY,
    "letters:dispatch": POST_ONLY,
    "letters:delivery": POST_ONLY,
    "letters:approve": POST_ONLY,
    "letters:return": POST_ONLY,
    "policies:publish": POST_ONLY,
    "policies:review": POST_ONLY,
    "feedback:done": POST_ONLY,
    # The demo's staff have acknowledged every policy, so it would only lead
    # on; tests/browser/test_policies.py opens it with a policy waiting.
    "policies:acknowledge": "shown only while a policy waits for the person",
    "articles:feedback": POST_ONLY,
    "articles:answered": POST_ONLY,
    "knowledge:publish": POST_ONLY,
    "knowledge:archive": POST_ONLY,
    "articles:suggest": FRAGMENT,
    "knowledge:lookup": FRAGMENT,
    "tickets:bulk": FRAGMENT,
    "tickets:filters": FRAGMENT,
    "tickets:counts": FRAGMENT,
    "tickets:canned": FRAGMENT,
    "tickets:customer_lookup": FRAGMENT,
    "tickets:customer_panel": FRAGMENT,
    "tickets:notification_count": FRAGMENT,
    "memos:count": FRAGMENT,
    "supervisor:wall_live": FRAGMENT,
    "letters:preview": "the A4 sheet shown in the letter editor's frame",
    "letters:pdf": DOWNLOAD,
    "attachment": DOWNLOAD,
    "portal:track_attachment": DOWNLOAD,
    "articles:file": DOWNLOAD,
    "supervisor:export": DOWNLOAD,
    "supervisor:ticket_export": DOWNLOAD,
}
EXCLUDED_NAMESPACES = {
    "admin": "Django's own admin site, translated by Django",
    "api": "JSON for integrations: tests/api holds every route to its schema",
}

# Latin words an Arabic page may show: the paper size, and file formats by
# their own names, as the upload hints list them.
LATIN_ALLOWED = {"A4", "Excel", "GIF", "HEIC", "JPEG", "OpenDocument", "PNG"}
LATIN_ALLOWED |= {"RTF", "TIFF", "WebP", "Word"}
# The HTTP header an integration sends, written exactly as it must be typed.
LATIN_ALLOWED |= {"Authorization", "Token"}
# Abbreviations (VIP, PDF, SLA) and country codes (SA, EG) are written in
# Latin capitals in Arabic too; so are reference numbers (HD-2026-000123).
ABBREVIATION = re.compile(r"[A-Z]{2,3}")
LATIN_RUN = re.compile(r"[A-Za-z][\w'’.-]*(?:[ \t]+[A-Za-z][\w'’.-]*)*", re.ASCII)
NOT_WORDS = re.compile(
    r"\S+@\S+"  # email addresses
    r"|https?://\S+"
    r"|\b[A-Z]{2,6}-\d{4}-\d+\b"  # HD-2026-000123, MEMO-2026-000001
    r"|\b[\w.-]+\.(?:pdf|png|jpe?g|txt|csv|docx?|xlsx?|eml)\b",
    re.IGNORECASE,
)

OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= width) return {scrollWidth, culprits: []};
  // Content inside a scrolling or clipping box does not widen the page,
  // unless it is positioned out of it (a screen-reader text in a scrolling
  // table placed by the page: the box clips only what it contains).
  const clipped = (el) => {
    const position = getComputedStyle(el).position;
    let contained = position !== "absolute" && position !== "fixed";
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (position === "absolute" && style.position !== "static") contained = true;
      if (contained && style.overflowX !== "visible") return true;
    }
    return false;
  };
  const describe = (el) => {
    const classes = [...el.classList].slice(0, 4).map((c) => "." + c).join("");
    const text = (el.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes}> ${text}`;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (!box.width) continue;
    const excess = Math.max(box.right - width, -box.left);
    if (excess > 0.5 && !clipped(el)) {
      let depth = 0;
      for (let up = el; up; up = up.parentElement) depth++;
      culprits.push([Math.round(excess), depth, describe(el)]);
    }
  }
  // The deepest first among equals: the element that pushes, not its parents.
  culprits.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  const widest = culprits.slice(0, 3).map(([px, , what]) => [px, what]);
  return {scrollWidth, culprits: widest};
}"""

VISIBLE_TEXT_JS = """() => {
  const texts = [document.title];
  const foreign = 'script, style, noscript, template, [lang]:not([lang="ar"])';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.nodeValue.trim();
    const el = walker.currentNode.parentElement;
    if (!/[A-Za-z]/.test(text) || el.closest(foreign)) continue;
    const shown = el.checkVisibility({visibilityProperty: true});
    if (el.tagName !== "OPTION" && !shown) continue;
    texts.push(text);
  }
  for (const el of document.querySelectorAll("[placeholder]")) {
    if (el.checkVisibility() && !el.closest(foreign)) texts.push(el.placeholder);
  }
  return texts;
}"""


def _routes(patterns=None, namespace="") -> Iterator[tuple[str, str]]:
    """(namespace, full name) of every named URL pattern of the site."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace.split(":")[0], f"{namespace}{entry.name}"


def test_every_route_is_a_page_or_excluded():
    listed = {page.name for page in PAGES}
    routes = {name for space, name in _routes() if space not in EXCLUDED_NAMESPACES}

    assert sorted(routes - listed - EXCLUDED.keys()) == [], (
        "list each new page in PAGES, or exclude it in EXCLUDED with a reason"
    )
    assert sorted((listed | EXCLUDED.keys()) - routes) == []
    assert not listed & EXCLUDED.keys()


def test_every_role_has_pages():
    assert {role for page in PAGES for role in page.roles} == set(ROLES)


def _user_data() -> str:
    """The text of every row the demo wrote, except names with an Arabic twin:
    what a page may show in English in its Arabic version."""
    ours = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and ".venv" not in Path(config.path).parts
    }
    User = get_user_model()
    values = [user.get_full_name() for user in User.objects.all()]
    for model in apps.get_models():
        if model._meta.app_label not in ours and model is not User:
            continue
        fields = model._meta.concrete_fields
        twinned = {"name"} if any(f.name == "name_ar" for f in fields) else set()
        texts = [
            f.attname
            for f in fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
            and f.name not in twinned
        ]
        if not texts:
            continue
        for row in model._default_manager.values_list(*texts):
            for value in row:
                if isinstance(value, dict | list):
                    value = json.dumps(value, ensure_ascii=False)
                if value:
                    values.append(str(value))
    return "\n".join(values)


def _english_msgids() -> set[str]:
    """The English interface strings that have an Arabic translation."""
    catalog = trans_real.translation("ar")._catalog
    msgids = set()
    for key, translated in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04")[-1].strip()  # drop a context
        if msgid and translated and translated.strip() != msgid:
            msgids.add(msgid)
    return msgids


def untranslated(texts: list[str], user_data: str, msgids: set[str]) -> list[str]:
    """The texts of an Arabic page that are English interface strings."""
    found = []
    for text in texts:
        text = " ".join(text.split())
        if text in msgids and text not in user_data:
            found.append(text)
            continue
        for run in LATIN_RUN.findall(NOT_WORDS.sub(" ", text)):
            run = run.rstrip(".-")
            if run in LATIN_ALLOWED or len(run) < 2 or ABBREVIATION.fullmatch(run):
                continue
            if re.search(rf"(?<![A-Za-z]){re.escape(run)}(?![A-Za-z])", user_data):
                continue
            found.append(run if run == text else f"{run!r} in {text!r}")
    return list(dict.fromkeys(found))


@pytest.fixture(scope="module")
def demo(playwright, django_db_blocker):
    """The demo committed for a live server of this module's own, the clock
    held (ticking) at the demo's noon; the database is put back as the
    migrations left it afterwards.

    Not pytest-django's `live_server`: a test that uses it is emptied of all
    rows when it ends, and these tests share one demo."""
    with django_db_blocker.unblock():
        connection = connections["default"]
        # Never a real database: PostgreSQL's test one, or SQLite's in memory.
        name = connection.settings_dict["NAME"]
        assert name.startswith("test_") or name.startswith("file:memorydb")
        clean = getattr(connection, "_test_serialized_contents", None)
        if clean is None:  # no test of the session empties the database
            clean = connection.creation.serialize_db_to_string()
        _empty_database(clean)
        server = LiveServer("localhost")
        try:
            with (
                time_machine.travel(demo_noon(), tick=True),
                override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "localhost"]),
            ):
                call_command("seed_demo", password=PASSWORD, stdout=StringIO())
                yield {
                    "site": server.url,
                    "urls": {
                        (page.slug, role): page.url()
                        for page in PAGES
                        for role in page.roles
                    },
                    "user_data": _user_data(),
                    "msgids": _english_msgids(),
                }
        finally:
            server.stop()
            _empty_database(clean)


def _empty_database(clean: str):
    """Back to the rows the migrations made, each table's sequence after its
    rows: flush starts the sequences again at 1, and the next test's insert
    would take the id of a restored row."""
    connection = connections["default"]
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(clean)
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Window:
    """One browser context (a role signed in, a language, a width) and its
    tab, recording what goes wrong while a page loads."""

    def __init__(self, browser, site: str, role: str, language: str, width: int):
        self.site = site
        self.context = browser.new_context(
            locale="ar" if language == "ar" else "en-GB",
            viewport={"width": width, "height": HEIGHT},
        )
        self.context.set_default_timeout(15_000)
        self.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site}]
        )
        self.errors: list[str] = []
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"error: {error}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        self._sign_in(role)

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location['url']})")

    def _failed(self, request):
        # A request cut short by leaving the page is not a failure.
        if request.url.startswith(self.site) and "ERR_ABORTED" not in (
            request.failure or ""
        ):
            self.errors.append(f"failed: {request.url} {request.failure}")

    def _response(self, response):
        if response.url.startswith(self.site) and response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")

    def _sign_in(self, role: str):
        page = self.page
        if role == "customer":
            # The customer's way in: the link the portal emails.
            token = make_token("customer1@example.com")
            page.goto(self.site + reverse("portal:sign_in_confirm", args=[token]))
        elif role in STAFF:
            page.goto(self.site + reverse("login"))
            page.locator("input[name=username]").fill(SIGN_IN[role])
            page.locator("input[name=password]").fill(PASSWORD)
        else:
            return
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert reverse("login") not in page.url

    def visit(self, url: str) -> int:
        self.errors.clear()
        response = self.page.goto(self.site + url)
        self.page.wait_for_load_state("networkidle")
        return response.status

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def windows(playwright, demo):
    """One window per role, language and width, opened when the first of its
    pages is tested: the tests below come in that order."""
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    opened: dict[tuple, Window] = {}

    def window(role: str, language: str, width: int) -> Window:
        key = (role, language, width)
        if key not in opened:
            for other in opened.values():
                other.close()
            opened.clear()
            opened[key] = Window(browser, demo["site"], role, language, width)
        return opened[key]

    yield window
    for other in opened.values():
        other.close()
    browser.close()


CASES = [
    pytest.param(
        role, language, width, page, id=f"{role}-{language}-{width}-{page.slug}"
    )
    for role in ROLES
    for language in LANGUAGES
    for width in WIDTHS
    for page in PAGES
    if role in page.roles
]


# The mark makes pytest-django set up the test database even when these are
# the only tests run; each test's (empty) transaction is the test thread's,
# not the live server's, which reads what the module fixture committed.
@pytest.mark.django_db
@pytest.mark.parametrize(("role", "language", "width", "page"), CASES)
def test_page(windows, demo, role, language, width, page):
    window = windows(role, language, width)

    status = window.visit(demo["urls"][(page.slug, role)])

    problems = [f"answered {status}"] if status != 200 else []
    problems += window.errors + problems_in_view(window.page, demo, language, width)
    # Last: a full-page screenshot resizes the window for a moment, and the
    # charts follow it.
    shot = SCREENSHOTS / role / f"{language}-{width}-{page.slug}.png"
    window.page.screenshot(path=shot, full_page=True)
    assert not problems, f"{shot}:\n" + "\n".join(problems)


FIRST_PAGE = {
    "anonymous": "login",
    "customer": "portal-list",
    "agent": "tickets-list",
    "supervisor": "tickets-list",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_phone_menu(windows, demo, role, language):
    window = windows(role, language, 390)
    window.visit(demo["urls"][(FIRST_PAGE[role], role)])

    window.page.locator(".navbar-toggler").click()
    expect(window.page.locator("#nav.show")).to_be_visible()
    if role != "anonymous":
        window.page.locator("#nav .dropdown-toggle").click()
        expect(window.page.locator("#nav .dropdown-menu.show")).to_be_visible()

    problems = window.errors + problems_in_view(window.page, demo, language, 390)
    shot = SCREENSHOTS / role / f"{language}-390-menu.png"
    window.page.screenshot(path=shot, full_page=True)
    assert not problems, f"{shot}:\n" + "\n".join(problems)


def problems_in_view(page, demo, language: str, width: int) -> list[str]:
    """What is wrong with the page as it is shown now."""
    problems = []
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow["scrollWidth"] > width:
        problems.append(
            f"{overflow['scrollWidth']} px wide in {width} px, widest: "
            + "; ".join(f"+{px} px {what}" for px, what in overflow["culprits"])
        )
    direction = page.locator("html").get_attribute("dir")
    if direction != ("rtl" if language == "ar" else "ltr"):
        problems.append(f"dir={direction!r}")
    if language == "ar":
        texts = page.evaluate(VISIBLE_TEXT_JS)
        english = untranslated(texts, demo["user_data"], demo["msgids"])
        problems += [f"untranslated: {text}" for text in english]
    return problems


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("تذكرة HD-2026-000123 لعميل VIP", []),
        ("أرسل إلى customer1@example.com", []),
        ("Status", ["Status"]),
        ("الحالة: Open now", ["'Open now' in 'الحالة: Open now'"]),
        ("Bulk order discount", []),  # a customer's own words
    ],
)
def test_untranslated_tells_interface_strings_from_user_data(text, found):
    user_data = "Bulk order discount\nWe are planning to order 500 units"

    assert untranslated([text], user_data, {"Status"}) == found
