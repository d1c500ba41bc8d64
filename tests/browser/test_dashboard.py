"""The supervisor dashboard in a real browser, in Arabic: right to left, the
charts drawn by the locally served Chart.js and figures linking to ticket
lists (the wall screen: test_wall.py)."""

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse
from playwright.sync_api import expect

from .test_smoke import PASSWORD, sign_in

pytestmark = pytest.mark.browser
CHART_JS = static("vendor/chart.js/chart.umd.min.js")


@pytest.fixture
def site(demo_clock, live_server, django_db_serialized_rollback):
    call_command("seed_demo", password=PASSWORD)
    return live_server.url


def test_the_dashboard_in_arabic(page, site):
    sign_in(page, site, "supervisor")
    page.get_by_test_id("switch-language").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    scripts = []
    page.on("response", lambda r: scripts.append((r.url, r.status)))

    page.get_by_role("link", name="لوحة المتابعة").click()

    expect(page).to_have_url(site + reverse("supervisor:dashboard"))
    expect(page.get_by_role("heading", name="مستويات الخدمة")).to_be_visible()
    page.wait_for_load_state("load")
    assert (site + CHART_JS, 200) in scripts
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('canvas[data-chart]')]
                 .filter(c => Chart.getChart(c)).map(c => c.dataset.chart)"""
    )
    assert {"backlog", "compliance", "channels", "categories", "csat"} <= set(drawn)
    assert page.evaluate(
        "Chart.getChart(document.querySelector('canvas')).options.plugins.legend.rtl"
    )
    # The demo has open tickets; each state's figure leads to its ticket list.
    breached = page.get_by_test_id("backlog-breached")
    expect(breached).to_have_attribute(
        "href", "/supervisor/tickets/?status=open&sla_state=breached"
    )
    expect(page.get_by_test_id("targets-table")).to_contain_text("أول رد")
    cards = page.locator(".figure-card").first.bounding_box()
    assert cards["x"] > page.viewport_size["width"] / 2  # first card on the right
    page.screenshot(path="/tmp/dashboard-arabic.png", full_page=True)


def test_satisfaction_figures_lead_to_the_rated_tickets(page, site):
    # The demo's customers rated three resolved tickets 5, 4 and 3.
    sign_in(page, site, "supervisor")
    page.get_by_test_id("switch-language").click()
    page.goto(site + reverse("supervisor:dashboard"))
    csat = page.get_by_test_id("csat")
    expect(csat.get_by_role("heading")).to_have_text("رضا العملاء")
    expect(csat).to_contain_text("بناءً على 3 تقييمات")
    fives = page.get_by_test_id("csat-table").locator('tr[data-rating="5"] a')
    expect(fives).to_have_text("1")

    csat.locator('[data-figure="csat-average"]').click()

    rows = page.get_by_test_id("ticket-table").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="5/5")).to_contain_text("خدمة التوصيل")
    page.goto(site + reverse("supervisor:dashboard"))
    page.get_by_test_id("csat-table").locator('tr[data-rating="3"] a').click()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("INV-2026-118")
    rows.get_by_role("link").click()
    expect(page.get_by_test_id("recent-ratings")).to_contain_text(
        "it took far too long"
    )


def test_reassigning_from_the_at_risk_list(page, site):
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from customers.models import Customer
    from tickets import services
    from tickets.models import Queue

    users = get_user_model().objects
    agent1, agent2 = users.get(username="agent1"), users.get(username="agent2")
    # An email from a standard customer, 47 hours old: due within the hour.
    ticket = services.open_ticket(
        customer=Customer.objects.get(email="customer2@example.com"),
        queue=Queue.objects.get(slug="service"),
        subject="Due within the hour",
        body_text="Still waiting.",
        channel="email",
        received_at=timezone.now() - timedelta(hours=47),
    )
    services.assign_ticket(ticket, agent=agent1, by=agent1)
    sign_in(page, site, "supervisor")
    page.goto(site + reverse("supervisor:dashboard"))
    row = page.get_by_test_id("at-risk-row").filter(has_text=ticket.number)
    row.get_by_role("combobox").select_option(value=str(agent2.pk))

    row.get_by_role("button", name="Reassign").click()

    saved = page.get_by_test_id("at-risk-row").filter(has_text=ticket.number)
    expect(saved).to_contain_text("Saved.")
    expect(saved.get_by_role("combobox")).to_have_value(str(agent2.pk))
    ticket.refresh_from_db()
    assert ticket.assignee == agent2
