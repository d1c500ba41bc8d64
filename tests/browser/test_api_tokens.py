"""An agent makes an API token in the browser, copies its key once, and
revokes it."""

import os

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tickets.permissions import AGENTS

from ..factories import QueueFactory, make_staff

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"


@pytest.fixture
def site(transactional_db, live_server, django_db_serialized_rollback):
    agent = make_staff("omar", AGENTS, first_name="Omar")
    QueueFactory(slug="service").agents.add(agent)
    return live_server.url


def _tickets_with(key):
    return Client().get(reverse("api:ticket-list"), HTTP_AUTHORIZATION=f"Token {key}")


def test_an_agent_creates_copies_and_revokes_a_token(page, site):
    page.goto(site + reverse("login"))
    page.get_by_label("Username or email").fill("omar")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Omar").click()
    page.get_by_role("link", name="API tokens").click()

    page.get_by_label("Name").fill("Phone system")
    page.get_by_label("Expires after").select_option(label="30 days")
    page.get_by_role("button", name="Create token").click()

    key = page.get_by_test_id("new-token").locator("code").inner_text().strip()
    expect(page.get_by_test_id("token-row")).to_contain_text("Phone system")
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.environ["SCREENSHOTS"] + "/api-tokens.png")
    assert _tickets_with(key).status_code == 200

    page.reload()
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    page.get_by_role("button", name="Revoke").click()

    expect(page.get_by_test_id("token-row")).to_have_count(0)
    assert _tickets_with(key).status_code == 401
